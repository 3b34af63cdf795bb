#!/usr/bin/env bash
# Measures how long `gec-demo-data` takes to create N mails on a throwaway site.
# Usage: benchmarks/demo_data.sh [COUNT]   (default 100000; never part of CI)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${GEC_BENCH:-$HOME/frappe-bench}
COUNT=${1:-100000}
source "$REPO/scripts/lib.sh"
link_app_into_bench "$BENCH" "$REPO/apps/gec_mines"
ensure_db_admin
SITE="gec-bench-$(date +%s).localhost"
trap 'frappe_cmd drop-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" --db-root-password "$GEC_DB_ADMIN_PASSWORD" --force --no-backup >/dev/null 2>&1' EXIT
frappe_cmd new-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" --db-root-password "$GEC_DB_ADMIN_PASSWORD" \
	--db-host 127.0.0.1 --admin-password admin --install-app gec_mines >/dev/null
start=$(date +%s.%N)
frappe_cmd --site "$SITE" gec-demo-data --count "$COUNT" | tail -2
end=$(date +%s.%N)
python3 -c "import sys; c, s = int(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2]); print(f'{c} mails in {s:.1f} s = {c / s:.0f} mails/s')" "$COUNT" "$start" "$end"

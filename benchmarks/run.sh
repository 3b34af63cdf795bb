#!/usr/bin/env bash
# The load benchmark of GEC Mines (never part of CI): builds or reuses a site with N demo mails,
# serves it with gunicorn as `bench setup production` does, drives it with locust through the
# requests the desk sends, as the SG, a clerk and a department's Gestionnaire, and writes
# benchmarks/results/<date>-<N>-<commit>.{md,png,json}. See benchmarks/README.md.
#
# Usage: benchmarks/run.sh --count 100000 [options]
#   --count N            demo mails in the site (default 100000)
#   --site NAME          default gec-bench-<N, e.g. 100k>.localhost; reused when it holds >= N mails
#   --keep               keep a site this run created (a reused site is always kept)
#   --duration S         measured seconds per scenario and role (default 12)
#   --warmup S           seconds run before measuring, not counted (default 2)
#   --users N            concurrent users for the reading scenarios (default 2)
#   --clients "1 4 16"   concurrent clients of the registration runs
#   --roles "SG clerk Gestionnaire"
#   --only REGEX         scenarios whose key matches (e.g. 'list|search'); see locustfile.py
#   --workers N          gunicorn workers (default: the bench's gunicorn_workers, else 2 x cores + 1)
#   --port P             gunicorn port (default 8310)
#   --legacy-url URL     also measure a running legacy GEC, e.g. http://127.0.0.1:5100
#   --legacy-user U      its user (password in $GEC_LEGACY_PASSWORD, or --legacy-password P)
#   --legacy-register    also register mail on the legacy (it limits /register_mail to 50 per 15 min)
#   --no-report          no table: the raw numbers stay in results/unreported-<time>.json
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$REPO/benchmarks
BENCH=${GEC_BENCH:-$HOME/frappe-bench}
VENV=${GEC_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gec-mines/bench-venv}
# shellcheck source=scripts/lib.sh
source "$REPO/scripts/lib.sh"

COUNT=100000 SITE="" KEEP=0 DURATION=12 WARMUP=2 USERS=2 CLIENTS="1 4 16" ROLES="SG clerk Gestionnaire"
ONLY="" WORKERS="" PORT=8310 LEGACY_URL="" LEGACY_USER="" LEGACY_REGISTER=0 REPORT=1
LEGACY_PASSWORD=${GEC_LEGACY_PASSWORD:-}
while (($#)); do
	case $1 in
	--count) COUNT=$2 && shift ;;
	--site) SITE=$2 && shift ;;
	--keep) KEEP=1 ;;
	--duration) DURATION=$2 && shift ;;
	--warmup) WARMUP=$2 && shift ;;
	--users) USERS=$2 && shift ;;
	--clients) CLIENTS=$2 && shift ;;
	--roles) ROLES=$2 && shift ;;
	--only) ONLY=$2 && shift ;;
	--workers) WORKERS=$2 && shift ;;
	--port) PORT=$2 && shift ;;
	--legacy-url) LEGACY_URL=$2 && shift ;;
	--legacy-user) LEGACY_USER=$2 && shift ;;
	--legacy-password) LEGACY_PASSWORD=$2 && shift ;;
	--legacy-register) LEGACY_REGISTER=1 ;;
	--no-report) REPORT=0 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
	*) error "unknown option $1 (see --help)" && exit 2 ;;
	esac
	shift
done
[[ $COUNT =~ ^[0-9]+$ ]] || { error "--count takes a number" && exit 2; }
if [[ -n $LEGACY_URL && (-z $LEGACY_USER || -z $LEGACY_PASSWORD) ]]; then
	error "--legacy-url needs --legacy-user and a password (\$GEC_LEGACY_PASSWORD or --legacy-password)"
	exit 2
fi
label() { # 100000 -> 100k, 1000000 -> 1m
	local n=$1
	if ((n % 1000000 == 0)); then echo "$((n / 1000000))m"; elif ((n % 1000 == 0)); then echo "$((n / 1000))k"; else echo "$n"; fi
}
SITE=${SITE:-gec-bench-$(label "$COUNT").localhost}
WORK=$(mktemp -d)
chmod 700 "$WORK"
GUNICORN_PID="" CREATED=0 REPORTED=0

cleanup() {
	if [[ -n $GUNICORN_PID ]] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
		kill -TERM "$GUNICORN_PID" 2>/dev/null || true
		wait "$GUNICORN_PID" 2>/dev/null || true
	fi
	if ((CREATED && !KEEP)); then
		info "dropping $SITE (created by this run; --keep keeps it)"
		frappe_cmd drop-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" \
			--db-root-password "$GEC_DB_ADMIN_PASSWORD" --force --no-backup >/dev/null 2>&1 || warn "could not drop $SITE"
	fi
	if [[ -s $WORK/raw.json ]] && ((!REPORTED)); then
		mkdir -p "$HERE/results"
		cp "$WORK/raw.json" "$HERE/results/unreported-$(date +%Y%m%d-%H%M%S).json"
		warn "the run's raw numbers are in $HERE/results/unreported-*.json (report.py --raw … makes the table)"
	fi
	rm -rf -- "$WORK"
}
trap cleanup EXIT

echo "==> load tool: $VENV"
stamp=$VENV/.requirements.sha256
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [[ ! -x $VENV/bin/python || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
	python3 -m venv "$VENV"
	"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
	echo "$want" >"$stamp"
fi

echo "==> site $SITE with $COUNT mails"
link_app_into_bench "$BENCH" "$REPO/apps/gec_mines" >/dev/null
ensure_db_admin >/dev/null
site_tool() { (cd "$BENCH/sites" && "$BENCH/env/bin/python" "$HERE/site_tools.py" "$@"); }
if [[ -d $BENCH/sites/$SITE ]]; then
	have_mails=$(site_tool count "$SITE")
	info "reusing $SITE: $have_mails mails"
else
	info "creating $SITE"
	frappe_cmd new-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" --db-root-password "$GEC_DB_ADMIN_PASSWORD" \
		--db-host 127.0.0.1 --admin-password "$(gen_secret)" --install-app gec_mines >"$WORK/new-site.log" 2>&1 ||
		{ cat "$WORK/new-site.log" && exit 1; }
	CREATED=1 have_mails=0
fi
if ((have_mails < COUNT)); then
	info "adding $((COUNT - have_mails)) demo mails"
	start=$(date +%s)
	frappe_cmd --site "$SITE" gec-demo-data --count "$((COUNT - have_mails))" --seed "$((42 + have_mails))" | tail -1
	info "demo data: $(($(date +%s) - start)) s"
fi

echo "==> users, samples and words"
site_tool prepare "$SITE" "$WORK/plan.json"

if [[ -z $WORKERS ]]; then
	WORKERS=$("$BENCH/env/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1])).get("gunicorn_workers", ""))' \
		"$BENCH/sites/common_site_config.json" 2>/dev/null || true)
	WORKERS=${WORKERS:-$(($(nproc) * 2 + 1))}
fi
if (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	error "port $PORT is taken: choose another with --port"
	exit 1
fi
# the command of `bench setup production`'s supervisor template (frappe-bench's config/templates/supervisor.conf)
GUNICORN=("$BENCH/env/bin/gunicorn" -b "127.0.0.1:$PORT" -w "$WORKERS" --max-requests 5000 --max-requests-jitter 500
	-t 120 --graceful-timeout 30 frappe.app:application --preload)
echo "==> gunicorn on 127.0.0.1:$PORT, $WORKERS workers"
(cd "$BENCH/sites" && exec "${GUNICORN[@]}" >"$WORK/gunicorn.log" 2>&1) &
GUNICORN_PID=$!
ping_site() { curl -fs -o /dev/null -H "X-Frappe-Site-Name: $SITE" "http://127.0.0.1:$PORT/api/method/ping"; }
wait_until 60 ping_site || { cat "$WORK/gunicorn.log" && exit 1; }

echo "==> scenarios"
raw=$WORK/raw.json
extra=()
((LEGACY_REGISTER)) && extra+=(--legacy-register)
GEC_LEGACY_PASSWORD=$LEGACY_PASSWORD "$VENV/bin/python" "$HERE/suite.py" \
	--plan "$WORK/plan.json" --host "http://127.0.0.1:$PORT" --site "$SITE" --count "$COUNT" \
	--gunicorn "${GUNICORN[*]}" --port "$PORT" --duration "$DURATION" --warmup "$WARMUP" --users "$USERS" \
	--clients "$CLIENTS" --roles "$ROLES" --only "$ONLY" --registered "$WORK/registered.txt" \
	--legacy-url "$LEGACY_URL" --legacy-user "$LEGACY_USER" "${extra[@]}" \
	--commit "$(git -C "$REPO" rev-parse --short HEAD)" \
	--dirty "$(git -C "$REPO" status --porcelain -- apps | wc -l)" --out "$raw"

echo "==> gapless numbers"
if [[ -s $WORK/registered.txt ]]; then
	site_tool gapless "$SITE" "$WORK/registered.txt" >"$WORK/gapless.json" ||
		echo '{"series": [], "ok": null, "error": "the check failed: see the output above"}' >"$WORK/gapless.json"
else
	echo '{"series": [], "ok": null}' >"$WORK/gapless.json"
fi
kill -TERM "$GUNICORN_PID"
wait "$GUNICORN_PID" 2>/dev/null || true
GUNICORN_PID=""

if ((REPORT)); then
	"$VENV/bin/python" "$HERE/report.py" --raw "$raw" --gapless "$WORK/gapless.json" --results "$HERE/results" &&
		REPORTED=1
fi

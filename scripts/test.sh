#!/usr/bin/env bash
# Runs every test layer of GEC Mines:
#   1. framework-free tests (pytest, gec_mines/core)
#   2. Frappe integration tests (bench run-tests) on a throwaway site, with the app installed
#      from THIS checkout
#   3. browser tests in Chromium (Playwright driving Debian's /usr/bin/chromium)
# A layer that cannot run says so loudly, with its reason; the others still run.
# Environment: GEC_BENCH (default ~/frappe-bench), GEC_KEEP_SITE=1 to keep the test site.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_DIR="$REPO/apps/gec_mines"
BENCH=${GEC_BENCH:-$HOME/frappe-bench}
# shellcheck source=scripts/lib.sh
source "$REPO/scripts/lib.sh"

declare -a SUMMARY=()
FAILED=0
record() { # layer, status, detail
	SUMMARY+=("$(printf '%-12s %-8s %s' "$1" "$2" "$3")")
	[[ $2 == FAILED ]] && FAILED=1
	return 0
}
banner() { printf '\n\033[1m==== %s ====\033[0m\n' "$*"; }
skip_loudly() { # layer, reason
	printf '\n\033[1;33m!!!! SKIPPED: %s — %s !!!!\033[0m\n\n' "$1" "$2" >&2
	record "$1" SKIPPED "$2"
}

ensure_python_tools() {
	local missing=()
	python3 -c "import pytest" 2>/dev/null || missing+=(pytest)
	python3 -c "import PIL" 2>/dev/null || missing+=(Pillow)
	python3 -c "import playwright" 2>/dev/null || missing+=(playwright)
	# what gec_mines/core and its tests use (the app's own dependencies, and test-only readers)
	python3 -c "import reportlab" 2>/dev/null || missing+=(reportlab)
	python3 -c "import cryptography" 2>/dev/null || missing+=(cryptography)
	python3 -c "import bcrypt" 2>/dev/null || missing+=(bcrypt)
	python3 -c "import openpyxl" 2>/dev/null || missing+=(openpyxl)
	python3 -c "import werkzeug" 2>/dev/null || missing+=(werkzeug)
	python3 -c "import zxingcpp" 2>/dev/null || missing+=(zxing-cpp)
	if ((${#missing[@]})); then
		python3 -m pip install -q "${missing[@]}" >/dev/null 2>&1 || true
	fi
}

run_core_tests() {
	banner "1/3 Framework-free tests (pytest tests/core)"
	if ! python3 -c "import pytest" 2>/dev/null; then
		skip_loudly core "pytest cannot be installed on this machine"
		return
	fi
	if (cd "$REPO" && PYTHONPATH="$APP_DIR" python3 -m pytest tests/core -q -p no:cacheprovider); then
		record core passed "tests/core"
	else
		record core FAILED "tests/core"
	fi
}

SITE=""
cleanup_site() {
	[[ -n $SITE && ${GEC_KEEP_SITE:-0} != 1 ]] || return 0
	[[ -n ${SERVER_PID:-} ]] && kill "$SERVER_PID" 2>/dev/null
	frappe_cmd drop-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" \
		--db-root-password "$GEC_DB_ADMIN_PASSWORD" --force --no-backup >/dev/null 2>&1 || true
	rm -rf "$BENCH/archived/sites/$SITE" 2>/dev/null || true
	rm -f "$BENCH/config/gec-keys/$SITE".keys* # the throwaway site's encryption keys
}

prepare_site() {
	if ! link_app_into_bench "$BENCH" "$APP_DIR"; then
		return 1
	fi
	# Test-only packages of the integration layer (Frappe's own dev dependencies include freezegun).
	"$BENCH/env/bin/python" -c "import freezegun" 2>/dev/null ||
		"$BENCH/env/bin/python" -m pip install -q freezegun >/dev/null 2>&1 || true
	ensure_services || return 1
	ensure_db_admin || return 1
	ensure_db_charset || return 1
	SITE="gec-test-$(date +%s)-$$.localhost"
	trap cleanup_site EXIT
	echo "Creating throwaway site $SITE with gec_mines from $APP_DIR"
	frappe_cmd new-site "$SITE" --db-root-username "$GEC_DB_ADMIN_USER" --db-root-password "$GEC_DB_ADMIN_PASSWORD" \
		--db-host 127.0.0.1 --admin-password admin --install-app gec_mines >"$LOG_DIR/new-site.log" 2>&1 ||
		{ tail -40 "$LOG_DIR/new-site.log"; return 1; }
	frappe_cmd compile-po-to-mo --app gec_mines >/dev/null 2>&1 || true
	frappe_cmd --site "$SITE" set-config allow_tests true >/dev/null
	# the suite creates more users than Frappe's default 60 per hour
	frappe_cmd --site "$SITE" set-config -p throttle_user_limit 1000 >/dev/null
	frappe_cmd --site "$SITE" execute gec_mines.install.complete_setup >/dev/null
}

run_integration_tests() {
	banner "2/3 Frappe integration tests (bench run-tests --app gec_mines)"
	if [[ ! -d $BENCH/apps/frappe ]]; then
		skip_loudly integration "no Frappe bench at $BENCH (set GEC_BENCH, or run scripts/setup.sh first)"
		skip_loudly browser "needs the Frappe bench that is missing at $BENCH"
		return 1
	fi
	if ! prepare_site; then
		record integration FAILED "could not create a test site (see above)"
		return 1
	fi
	if frappe_cmd --site "$SITE" run-tests --app gec_mines 2>&1 | tee "$LOG_DIR/run-tests.log"; then
		if grep -qE '^FAILED|^ERROR' "$LOG_DIR/run-tests.log"; then
			record integration FAILED "bench run-tests reported failures"
		else
			record integration passed "$(grep -Eo '^Ran [0-9]+ tests?' "$LOG_DIR/run-tests.log" | tail -1)"
		fi
	else
		record integration FAILED "bench run-tests exited with an error"
	fi
}

run_browser_tests() {
	banner "3/3 Browser tests (Chromium)"
	if [[ -z $SITE ]]; then
		return
	fi
	local chromium=${GEC_CHROMIUM:-/usr/bin/chromium}
	if [[ ! -x $chromium ]]; then
		skip_loudly browser "no Chromium at $chromium (apt-get install chromium)"
		return
	fi
	if ! python3 -c "import playwright" 2>/dev/null; then
		skip_loudly browser "the playwright Python package cannot be installed"
		return
	fi
	frappe_cmd build --app gec_mines >"$LOG_DIR/build.log" 2>&1 || { tail -20 "$LOG_DIR/build.log"; }
	local port=${GEC_TEST_PORT:-8017} password
	password="Clerk-$(date +%s)-Test!"
	if ! frappe_cmd --site "$SITE" execute gec_mines.tests.browser_support.create_test_users \
		--kwargs "{'password': '$password'}" >"$LOG_DIR/users.log" 2>&1; then
		tail -20 "$LOG_DIR/users.log"
		record browser FAILED "could not create the browser test users (see $LOG_DIR/users.log)"
		return
	fi
	(cd "$BENCH/sites" && exec "$BENCH/env/bin/python" -m frappe.utils.bench_helper frappe --site "$SITE" serve --port "$port" \
		--noreload --nothreading >"$LOG_DIR/serve.log" 2>&1) &
	SERVER_PID=$!
	local url="http://$SITE:$port"
	for _ in $(seq 1 60); do
		curl -sf "$url/api/method/ping" >/dev/null 2>&1 && break
		sleep 1
	done
	if GEC_URL="$url" GEC_PASSWORD="$password" GEC_CHROMIUM="$chromium" GEC_SCREENSHOTS="$LOG_DIR" \
		python3 -m pytest "$REPO/tests/browser" -q -p no:cacheprovider; then
		record browser passed "tests/browser against $url"
	else
		record browser FAILED "tests/browser (screenshots and server log in $LOG_DIR)"
	fi
}

main() {
	LOG_DIR=$(mktemp -d /tmp/gec-tests.XXXXXX)
	ensure_python_tools
	run_core_tests
	run_integration_tests && run_browser_tests
	banner "Summary"
	printf '%s\n' "${SUMMARY[@]}"
	echo "Logs: $LOG_DIR"
	return "$FAILED"
}

main "$@"

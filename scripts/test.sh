#!/usr/bin/env bash
# Runs every test layer of GEC Mines:
#   1. framework-free tests (pytest, gec_mines/core)
#   2. Frappe integration tests (bench run-tests) on a throwaway site, with the app installed
#      from THIS checkout
#   3. browser tests in Chromium (Playwright driving Debian's /usr/bin/chromium)
# Linters run first (ruff, prettier, eslint). The Python tools live in an environment of the script's own
# ($GEC_TEST_VENV, default ~/.cache/gec-mines/test-venv), installed from pyproject's extras.
# A layer skips only when the machine truly cannot run it (no bench), loudly; a tool that could
# not be installed fails its layer.
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

# The Python tools of the framework-free and browser layers live in an environment this script
# owns, never in the system Python (which Debian refuses to change for a normal user).
TOOLS_VENV=${GEC_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gec-mines/test-venv}
PY="$TOOLS_VENV/bin/python"
TOOLS_READY=0

# Debian packages a layer needs and the machine can install (as root, or with sudo without a
# password); otherwise the exact command is printed and the layer fails.
ensure_debian_packages() { # package...
	local missing=() pkg
	for pkg in "$@"; do
		pkg_installed "$pkg" || missing+=("$pkg")
	done
	((${#missing[@]})) || return 0
	local -a as_root=()
	if [[ $(id -u) != 0 ]]; then
		sudo -n true 2>/dev/null || {
			echo "Missing Debian packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" >&2
			return 1
		}
		as_root=(sudo -n)
	fi
	echo "Installing Debian packages: ${missing[*]}"
	"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 ||
		{ "${as_root[@]}" apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 &&
			"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1; } ||
		{ tail -20 "$LOG_DIR/apt.log" >&2; return 1; }
}

# pyproject.toml's extras (test, browser, lint) in $TOOLS_VENV, reinstalled when pyproject changes.
ensure_python_tools() {
	local stamp="$TOOLS_VENV/.gec-pyproject.sha256" wanted
	wanted=$(sha256sum "$APP_DIR/pyproject.toml" | cut -d' ' -f1)
	if [[ -x $PY && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
		TOOLS_READY=1
		return 0
	fi
	if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
		ensure_debian_packages python3-venv || return 1
	fi
	mkdir -p "$(dirname "$TOOLS_VENV")"
	echo "Installing the test tools into $TOOLS_VENV (pyproject extras test, browser, lint)"
	if python3 -m venv "$TOOLS_VENV" >"$LOG_DIR/venv.log" 2>&1 &&
		"$PY" -m pip install -q --upgrade pip >>"$LOG_DIR/venv.log" 2>&1 &&
		"$PY" -m pip install -q -e "${APP_DIR}[test,browser,lint]" >>"$LOG_DIR/venv.log" 2>&1; then
		echo "$wanted" >"$stamp"
		TOOLS_READY=1
	else
		echo "Could not install the test tools (pip's output follows, full log $LOG_DIR/venv.log):" >&2
		grep -v "WARNING: Location" "$LOG_DIR/venv.log" | tail -25 >&2
		return 1
	fi
}

# prettier and eslint, pinned in the repository's package.json and package-lock.json, live in the
# node_modules/ next to them (ignored by git), installed with `npm ci` again whenever the lockfile changes.
ensure_js_tools() {
	if ! command -v npm >/dev/null; then
		echo "npm is missing: install Node.js and npm (which Frappe needs anyway)" >&2
		return 1
	fi
	local stamp="$REPO/node_modules/.gec-package-lock.sha256" wanted
	wanted=$(sha256sum "$REPO/package-lock.json" | cut -d' ' -f1)
	[[ -f $stamp && $(cat "$stamp") == "$wanted" ]] && return 0
	echo "Installing prettier and eslint into $REPO/node_modules (npm ci)"
	if (cd "$REPO" && npm ci --no-audit --no-fund) >"$LOG_DIR/npm.log" 2>&1; then
		echo "$wanted" >"$stamp"
	else
		echo "Could not install the JavaScript tools (npm's output follows, full log $LOG_DIR/npm.log):" >&2
		tail -25 "$LOG_DIR/npm.log" >&2
		return 1
	fi
}

run_linters() {
	banner "0/3 Linters (ruff, prettier, eslint)"
	local -a failures=()
	local ruff="$TOOLS_VENV/bin/ruff" config="$APP_DIR/pyproject.toml"
	if ((!TOOLS_READY)); then
		failures+=("ruff: the test tools could not be installed (see above)")
	elif ! (cd "$REPO" && "$ruff" check --config "$config" . &&
		"$ruff" format --check --config "$config" .); then
		failures+=("ruff (fix with: ruff check --fix . && ruff format . --config $config)")
	fi
	if ! ensure_js_tools; then
		failures+=("prettier and eslint: npm is missing or could not install them (see above)")
	else
		(cd "$REPO" && npm run --silent format:check) || failures+=("prettier (fix with: npm run format)")
		(cd "$REPO" && npm run --silent lint) || failures+=("eslint (npm run lint)")
	fi
	if ((${#failures[@]})); then
		local detail
		detail=$(printf '%s; ' "${failures[@]}")
		record lint FAILED "${detail%; }"
	else
		record lint passed "ruff check, ruff format --check, prettier --check, eslint"
	fi
}

run_core_tests() {
	banner "1/3 Framework-free tests (pytest tests/core)"
	if ((!TOOLS_READY)); then
		record core FAILED "the test tools could not be installed (see above)"
		return
	fi
	ensure_debian_packages poppler-utils || {
		record core FAILED "poppler-utils (pdftotext, pdftoppm) is missing and cannot be installed"
		return
	}
	if (cd "$REPO" && PYTHONPATH="$APP_DIR" "$PY" -m pytest tests/core -q -p no:cacheprovider); then
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
	# the integration layer's own test packages (pyproject's `test` extra) in the bench's environment
	local stamp="$BENCH/env/.gec-test-extras" wanted
	wanted="$APP_DIR $(sha256sum "$APP_DIR/pyproject.toml" | cut -d' ' -f1)"
	if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
		if ! "$BENCH/env/bin/python" -m pip install -q -e "${APP_DIR}[test]" >"$LOG_DIR/bench-pip.log" 2>&1; then
			echo "Could not install the test packages into the bench's environment:" >&2
			grep -v "WARNING: Location" "$LOG_DIR/bench-pip.log" | tail -20 >&2
			return 1
		fi
		echo "$wanted" >"$stamp"
	fi
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
	frappe_cmd --site "$SITE" execute gec_mines.setup.install.complete_setup >/dev/null
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
	if [[ ! -x $chromium && -z ${GEC_CHROMIUM:-} ]] && ! ensure_debian_packages chromium; then
		record browser FAILED "no Chromium at $chromium and it cannot be installed (apt-get install chromium)"
		return
	fi
	if [[ ! -x $chromium ]]; then
		record browser FAILED "no Chromium at $chromium"
		return
	fi
	if ((!TOOLS_READY)); then
		record browser FAILED "the test tools (playwright) could not be installed (see above)"
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
		"$PY" -m pytest "$REPO/tests/browser" -q -p no:cacheprovider; then
		record browser passed "tests/browser against $url"
	else
		record browser FAILED "tests/browser (screenshots and server log in $LOG_DIR)"
	fi
}

main() {
	LOG_DIR=$(mktemp -d /tmp/gec-tests.XXXXXX)
	ensure_python_tools
	run_linters
	run_core_tests
	run_integration_tests && run_browser_tests
	banner "Summary"
	printf '%s\n' "${SUMMARY[@]}"
	echo "Logs: $LOG_DIR"
	return "$FAILED"
}

main "$@"

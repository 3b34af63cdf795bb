#!/usr/bin/env bash
# GEC Mines — quick start.
#
# Takes a fresh Debian/Ubuntu machine to a running site at http://localhost:8000
# with the gec_mines app and demo data:
#
#   scripts/setup.sh
#
# Run it as root or as a normal user who may use sudo. It is idempotent: a second
# run skips whatever already exists. Nothing is written inside this repository;
# generated passwords are kept in ${XDG_CONFIG_HOME:-~/.config}/gec-mines/db-admin.env.
#
# Environment (all optional):
#   GEC_BENCH           bench directory            (default: ~/frappe-bench)
#   GEC_SITE            site name                  (default: gec.localhost)
#   GEC_ADMIN_PASSWORD  Administrator password for a new site (default: generated)
#   GEC_DEMO_COUNT      number of demo Courrier    (default: 2000)
#   FRAPPE_PATH         local Frappe clone for `bench init` (default: upstream Frappe)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_NAME="gec_mines"
APP_DIR="$REPO/apps/$APP_NAME"

SITE="${GEC_SITE:-gec.localhost}"
BENCH="${GEC_BENCH:-$HOME/frappe-bench}"
DEMO_COUNT="${GEC_DEMO_COUNT:-2000}"
FRAPPE_BRANCH="version-15"

# shellcheck source=scripts/lib.sh
source "$REPO/scripts/lib.sh"

REDIS_URL="redis://127.0.0.1:6379"
URL="http://localhost:8000"
MYSQL_ETC="/etc/mysql"

TOTAL_STEPS=13
STEP=0
APT_UPDATED=0
TMP_PATHS=()
TMP=""
SITE_CREATED=0
START_PID_FILE=""

# --------------------------------------------------------------------------- helpers

step() {
	STEP=$((STEP + 1))
	printf '\n==> [%d/%d] %s\n' "$STEP" "$TOTAL_STEPS" "$*"
}
die() {
	error "$*"
	exit 1
}

has_cmds() {
	local c
	for c in "$@"; do
		have "$c" || return 1
	done
}

cleanup() {
	if ((${#TMP_PATHS[@]})); then
		rm -rf -- "${TMP_PATHS[@]}"
	fi
}

# new_tmp [-d] : create a private temporary file (or directory) and put its path in
# TMP; removed on exit. Call it directly, not in $(...), so the cleanup list is kept.
new_tmp() {
	TMP="$(mktemp "$@")"
	TMP_PATHS+=("$TMP")
}

# Run a bench command from the bench directory.
bench_in() { (cd "$BENCH" && bench "$@"); }

# --------------------------------------------------------------------------- 1. preconditions

check_environment() {
	step "Checking the machine"
	if is_root; then
		info "running as root"
	else
		have sudo || die "not running as root and sudo is not installed: run as root, or install sudo first."
		info "running as $(id -un); root commands go through sudo"
	fi
	have apt-get || die "apt-get not found: this script supports Debian and Ubuntu only."
	[[ -f "$APP_DIR/pyproject.toml" ]] || die "app not found at $APP_DIR (expected pyproject.toml there)."
	[[ "$DEMO_COUNT" =~ ^[0-9]+$ ]] || die "GEC_DEMO_COUNT must be a number (got '$DEMO_COUNT')."
	[[ "$SITE" =~ ^[A-Za-z0-9][A-Za-z0-9.-]*$ ]] || die "GEC_SITE '$SITE' is not a valid site name."
	info "repository: $REPO"
	info "bench:      $BENCH"
	info "site:       $SITE"
}

# --------------------------------------------------------------------------- 2-3. packages

# pkg_present PACKAGE [PROBE...] : installed per dpkg, or PROBE (a command) succeeds.
pkg_present() {
	local pkg="$1"
	shift
	pkg_installed "$pkg" && return 0
	(($#)) && "$@" >/dev/null 2>&1
}

py_ok() { have python3 && python3 -c "$1" >/dev/null 2>&1; }

node_major() {
	local v
	have node || {
		echo 0
		return
	}
	v="$(node -v 2>/dev/null || true)"
	v="${v#v}"
	v="${v%%.*}"
	[[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

yarn_major() {
	local v
	have yarn || {
		echo 0
		return
	}
	v="$(yarn --version 2>/dev/null || true)"
	v="${v%%.*}"
	[[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# need PACKAGE [PROBE...] : add PACKAGE to MISSING_PKGS unless dpkg has it or PROBE succeeds.
need() {
	local pkg="$1"
	shift
	pkg_present "$pkg" "$@" || MISSING_PKGS+=("$pkg")
}

# Fills MISSING_PKGS with the apt packages this machine lacks.
detect_missing_packages() {
	MISSING_PKGS=()
	need mariadb-server test -x /usr/sbin/mariadbd
	need mariadb-client has_cmds mariadb
	need redis-server has_cmds redis-server redis-cli
	need git has_cmds git
	need ca-certificates test -s /etc/ssl/certs/ca-certificates.crt
	need python3-venv py_ok 'import venv, ensurepip'
	need python3-dev py_ok 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
	need python3-pip py_ok 'import pip'
	need pkg-config has_cmds pkg-config
	need build-essential has_cmds gcc g++ make
	need libffi-dev pkg-config --exists libffi
	need libssl-dev pkg-config --exists openssl
	need wkhtmltopdf has_cmds wkhtmltopdf
	need xfonts-75dpi
	need fonts-dejavu-core
	need cron has_cmds crontab
	need curl has_cmds curl
	if (($(node_major) < 18)); then
		MISSING_PKGS+=(nodejs)
		have npm || MISSING_PKGS+=(npm)
	elif ! have yarn && ! have npm; then
		MISSING_PKGS+=(npm)
	fi
}

apt_install() {
	(($#)) || return 0
	if ((APT_UPDATED == 0)); then
		info "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
		APT_UPDATED=1
	fi
	info "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
	hash -r
}

install_system_packages() {
	step "System packages (apt)"
	detect_missing_packages
	if ((${#MISSING_PKGS[@]} == 0)); then
		info "all present"
	else
		apt_install "${MISSING_PKGS[@]}"
	fi
}

install_node_yarn() {
	step "Node.js (>= 18) and yarn 1"
	local major
	major="$(node_major)"
	((major >= 18)) || die "Node.js >= 18 is required but $(node -v 2>/dev/null || echo 'none') is installed and the apt repositories of this release do not offer a newer one. Install Node.js 18+ (e.g. a newer Debian/Ubuntu release) and rerun."
	info "node $(node -v)"
	if ! have yarn; then
		have npm || die "npm is missing; install it (apt-get install npm) and rerun."
		info "npm install -g yarn@1"
		as_root npm install -g yarn@1
		hash -r
		have yarn || die "yarn is still not on PATH after 'npm install -g yarn@1'."
	fi
	if [[ "$(yarn_major)" != 1 ]]; then
		warn "yarn $(yarn --version 2>/dev/null || echo '?') found; Frappe v15 needs yarn 1 (npm install -g yarn@1)."
	else
		info "yarn $(yarn --version)"
	fi
}

# --------------------------------------------------------------------------- 4. bench CLI

# The python interpreter that runs the `bench` script already on PATH, else python3.
bench_cli_python() {
	local b first interp
	if b="$(command -v bench 2>/dev/null)" && [[ -f "$b" ]]; then
		IFS= read -r first <"$b" || true
		if [[ "$first" == '#!'* ]]; then
			interp="${first#\#!}"
			interp="${interp#"${interp%%[![:space:]]*}"}"
			interp="${interp%%[[:space:]]*}"
			if [[ "$(basename -- "$interp")" == python* && -x "$interp" ]]; then
				printf '%s\n' "$interp"
				return
			fi
		fi
	fi
	printf 'python3\n'
}

bench_works() { have bench && (cd / && bench --version) >/dev/null 2>&1; }

install_bench_cli() {
	step "frappe-bench CLI"
	if bench_works; then
		info "bench $(cd / && bench --version 2>/dev/null) already installed"
		return
	fi
	local py mode
	py="$(bench_cli_python)"
	# venv: install into it; writable, unmanaged interpreter (pyenv...): into it;
	# otherwise --user (plus --break-system-packages on PEP 668 systems).
	mode="$("$py" -c '
import os, sys, sysconfig
if sys.prefix != sys.base_prefix:
    print("current")
else:
    managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
    writable = os.access(sysconfig.get_path("purelib"), os.W_OK)
    print("user-managed" if managed else ("current" if writable else "user"))
')"
	local -a args=(-m pip install -q "frappe-bench" "click<8.2")
	case "$mode" in
	user) args+=(--user) ;;
	user-managed) args+=(--user --break-system-packages) ;;
	esac
	info "$py ${args[*]}"
	(cd / && "$py" "${args[@]}")
	PATH="$("$py" -m site --user-base)/bin:$PATH"
	export PATH
	hash -r
	bench_works || die "bench still does not run after installing frappe-bench (try: bench --version)."
	info "bench $(cd / && bench --version 2>/dev/null)"
}

# --------------------------------------------------------------------------- 5-7. MariaDB and Redis

start_services() {
	step "MariaDB and Redis"
	ensure_services || exit 1
}

# write_root_file PATH CONTENT : write (as root) only when the content differs.
write_root_file() {
	local dest="$1" content="$2" tmp
	if [[ -f "$dest" && "$(cat -- "$dest")" == "$content" ]]; then
		info "$dest is up to date"
		return 0
	fi
	new_tmp
	tmp="$TMP"
	printf '%s\n' "$content" >"$tmp"
	as_root install -D -m 0644 "$tmp" "$dest"
	info "wrote $dest"
}

# The option files keep utf8mb4 for the server's next start; lib.sh's ensure_db_charset sets
# the running server's defaults without restarting it.
configure_mariadb_charset() {
	step "MariaDB character set (utf8mb4 / $GEC_COLLATION)"
	local content
	content="$(printf '%s\n' \
		'# Written by GEC Mines scripts/setup.sh: Frappe needs utf8mb4 / utf8mb4_unicode_ci.' \
		'[mysqld]' \
		'character-set-server = utf8mb4' \
		"collation-server = $GEC_COLLATION" \
		'' \
		'[mysql]' \
		'default-character-set = utf8mb4')"
	write_root_file "$MYSQL_ETC/conf.d/gec-mines.cnf" "$content"
	# Debian/Ubuntu read mariadb.conf.d/ after conf.d/, and its 50-server.cnf sets
	# utf8mb4_general_ci: a file sorted last there is needed for ours to win.
	if [[ -d "$MYSQL_ETC/mariadb.conf.d" ]]; then
		write_root_file "$MYSQL_ETC/mariadb.conf.d/99-gec-mines.cnf" "$content"
	fi
	local mycnf="$MYSQL_ETC/my.cnf"
	if [[ -f "$mycnf" ]] && grep -Eq "^[[:space:]]*!includedir[[:space:]]+$MYSQL_ETC/conf\.d/?[[:space:]]*$" "$mycnf"; then
		info "$mycnf includes $MYSQL_ETC/conf.d/"
	else
		printf '\n!includedir %s/conf.d/\n' "$MYSQL_ETC" | as_root tee -a "$mycnf" >/dev/null
		info "appended '!includedir $MYSQL_ETC/conf.d/' to $mycnf"
	fi
	ensure_db_charset || exit 1
}

create_db_admin() {
	step "MariaDB admin login for bench"
	ensure_db_admin || exit 1
}

# --------------------------------------------------------------------------- 8. bench directory

py_version_ok() { "$1" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' >/dev/null 2>&1; }

choose_python() {
	local c
	for c in python3 python3.12 python3.11 python3.10; do
		if have "$c" && py_version_ok "$c"; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# update_common_config FORCE_USER : redis URLs always; frappe_user when FORCE_USER=1 or absent.
update_common_config() {
	local cfg="$BENCH/sites/common_site_config.json" result
	result="$(python3 - "$cfg" "$(id -un)" "$1" "$REDIS_URL" <<'PY'
import json, os, sys

path, user, force, redis = sys.argv[1:5]
try:
    with open(path) as f:
        cfg = json.load(f)
except FileNotFoundError:
    cfg = {}
orig = dict(cfg)
for key in ("redis_cache", "redis_queue", "redis_socketio"):
    cfg[key] = redis
if force == "1" or not cfg.get("frappe_user"):
    cfg["frappe_user"] = user
if cfg != orig:
    tmp = path + ".gec-tmp"
    with open(tmp, "w") as f:
        json.dump(cfg, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)
    print("updated")
else:
    print("unchanged")
PY
)"
	info "$cfg: $result (redis -> $REDIS_URL, frappe_user)"
}

ensure_bench() {
	step "Bench at $BENCH"
	local created=0
	if [[ -d "$BENCH/apps/frappe" ]]; then
		info "reusing the existing bench"
	else
		[[ ! -e "$BENCH" ]] || die "$BENCH exists but is not a Frappe bench (no apps/frappe): remove it, or set GEC_BENCH to another directory."
		local py tmp
		py="$(choose_python)" || die "Frappe v15 needs Python 3.10-3.12; python3 is $(python3 --version 2>&1)."
		# bench refuses to run as root unless the config in the current directory
		# names a frappe_user: run `bench init` from a directory that has one.
		new_tmp -d
		tmp="$TMP"
		mkdir -p "$tmp/sites"
		printf '{"frappe_user": "%s"}\n' "$(id -un)" >"$tmp/sites/common_site_config.json"
		local -a args=(init --frappe-branch "$FRAPPE_BRANCH" --skip-redis-config-generation)
		[[ "$py" == python3 ]] || args+=(--python "$py")
		if [[ -n "${FRAPPE_PATH:-}" ]]; then
			[[ -d "$FRAPPE_PATH" ]] || die "FRAPPE_PATH=$FRAPPE_PATH is not a directory."
			args+=(--frappe-path "$FRAPPE_PATH")
			info "bench init from the local Frappe clone $FRAPPE_PATH (branch $FRAPPE_BRANCH)"
		else
			info "bench init with upstream Frappe (branch $FRAPPE_BRANCH); this takes several minutes"
		fi
		(cd "$tmp" && bench "${args[@]}" "$BENCH")
		[[ -d "$BENCH/apps/frappe" ]] || die "bench init did not complete: $BENCH/apps/frappe is missing (remove $BENCH and rerun)."
		created=1
	fi

	update_common_config "$created"

	ensure_bench_setuptools "$BENCH" || exit 1

	local procfile="$BENCH/Procfile"
	if [[ -f "$procfile" ]] && grep -Eq '^(redis_cache|redis_queue|redis_socketio):' "$procfile"; then
		sed -i -E 's/^((redis_cache|redis_queue|redis_socketio):)/# \1/' "$procfile"
		info "Procfile: commented out the bench's own redis (the system Redis is used)"
	fi
}

# --------------------------------------------------------------------------- 9. the app

install_app_code() {
	step "App $APP_NAME in the bench"
	link_app_into_bench "$BENCH" "$APP_DIR" || exit 1
}

# --------------------------------------------------------------------------- 10-11. the site

site_exists() { [[ -f "$BENCH/sites/$SITE/site_config.json" ]]; }

ensure_site() {
	step "Site $SITE"
	if ! site_exists; then
		local admin_password
		if [[ -n "${GEC_ADMIN_PASSWORD:-}" ]]; then
			admin_password="$GEC_ADMIN_PASSWORD"
		else
			admin_password="$(cred_get GEC_SITE_ADMIN_PASSWORD)"
			if [[ -z "$admin_password" ]]; then
				admin_password="$(gen_secret)"
				cred_set GEC_SITE_ADMIN_PASSWORD "$admin_password" || exit 1
			fi
		fi
		info "bench new-site $SITE --install-app $APP_NAME"
		bench_in new-site "$SITE" \
			--db-root-username "$GEC_DB_ADMIN_USER" \
			--db-root-password "$GEC_DB_ADMIN_PASSWORD" \
			--db-host 127.0.0.1 \
			--admin-password "$admin_password" \
			--install-app "$APP_NAME"
		site_exists || die "bench new-site did not create $BENCH/sites/$SITE."
		SITE_CREATED=1
	else
		info "site exists"
		local apps
		apps="$(bench_in --site "$SITE" list-apps)" || die "'bench --site $SITE list-apps' failed: is the site's database reachable?"
		if grep -Eq "^${APP_NAME}([[:space:]]|$)" <<<"$apps"; then
			info "$APP_NAME is installed on the site"
		else
			info "bench --site $SITE install-app $APP_NAME"
			bench_in --site "$SITE" install-app "$APP_NAME"
		fi
		info "bench --site $SITE migrate"
		bench_in --site "$SITE" migrate
	fi
}

configure_site() {
	step "Site configuration (setup wizard, default site, scheduler, assets)"
	info "finishing the setup wizard (French)"
	bench_in --site "$SITE" execute gec_mines.setup.install.complete_setup
	bench_in use "$SITE"
	bench_in --site "$SITE" set-config developer_mode 0
	bench_in --site "$SITE" enable-scheduler
	info "bench build --app $APP_NAME"
	bench_in build --app "$APP_NAME"
}

# --------------------------------------------------------------------------- 12. demo data

load_demo_data() {
	step "Demo data"
	local out count
	if ! out="$(bench_in --site "$SITE" execute frappe.db.count --args "['Courrier']" 2>/dev/null)"; then
		warn "could not count Courrier on $SITE; skipping the demo data."
		return 0
	fi
	# `bench execute` prints nothing when the result is 0.
	count="$(grep -E '^[0-9]+$' <<<"$out" | tail -n 1 || true)"
	count="${count:-0}"
	if ((count > 0)); then
		info "the site already has $count Courrier: no demo data added"
		return 0
	fi
	info "bench --site $SITE gec-demo-data --count $DEMO_COUNT"
	if ! bench_in --site "$SITE" gec-demo-data --count "$DEMO_COUNT"; then
		warn "'bench --site $SITE gec-demo-data' failed; the site works, without demo data."
	fi
}

# --------------------------------------------------------------------------- 13. start

http_ping() { curl -sf --max-time 5 "$URL/api/method/ping" >/dev/null 2>&1; }
http_any() { curl -s -o /dev/null --max-time 5 "$URL/" >/dev/null 2>&1; }

start_bench() {
	step "Starting the bench"
	local log="$BENCH/logs/gec-start.log"
	START_PID_FILE="$BENCH/logs/gec-start.pid"
	if http_ping; then
		info "$URL already answers"
		return 0
	fi
	if http_any; then
		warn "something else already answers on $URL (not this site's /api/method/ping): stop it and rerun."
		return 0
	fi
	mkdir -p "$BENCH/logs"
	local -a detach=()
	have setsid && detach=(setsid)
	(
		cd "$BENCH"
		${detach[@]+"${detach[@]}"} nohup bench start >"$log" 2>&1 </dev/null &
		echo "$!" >"$START_PID_FILE"
	)
	info "bench start running in the background (log: $log)"
	info "waiting for $URL/api/method/ping (up to 120 s)"
	if ! wait_until 120 http_ping; then
		tail -n 30 "$log" >&2 || true
		die "$URL does not answer after 120 s; see $log."
	fi
	info "$URL answers"
}

summary() {
	local where
	if ((SITE_CREATED)) && [[ -n "${GEC_ADMIN_PASSWORD:-}" ]]; then
		where="the value you gave in GEC_ADMIN_PASSWORD"
	elif [[ -n "$(cred_get GEC_SITE_ADMIN_PASSWORD)" ]]; then
		where="GEC_SITE_ADMIN_PASSWORD in $GEC_CRED_FILE"
	else
		where="the one chosen when $SITE was created (GEC_ADMIN_PASSWORD)"
	fi
	if http_ping; then
		printf '\n==> GEC Mines is ready\n'
	else
		printf '\n==> GEC Mines is set up, but %s does not answer yet (see above)\n' "$URL"
	fi
	printf '    URL:       %s   (site %s)\n' "$URL" "$SITE"
	printf '    Login:     Administrator — password: %s\n' "$where"
	printf '    DB admin:  %s — password: GEC_DB_ADMIN_PASSWORD in %s\n' "$GEC_DB_ADMIN_USER" "$GEC_CRED_FILE"
	printf '    Bench:     %s   (log: %s)\n' "$BENCH" "$BENCH/logs/gec-start.log"
	local pid=""
	[[ -n "$START_PID_FILE" && -f "$START_PID_FILE" ]] && pid="$(cat -- "$START_PID_FILE")"
	if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
		# shellcheck disable=SC2016 # the $(...) is for the user's shell
		printf '    Stop:      kill -- -"$(cat %q)"   (or: pkill -f "honcho start")\n' "$START_PID_FILE"
	else
		printf '    Stop:      pkill -f "honcho start"   (bench start runs as honcho)\n'
	fi
	printf '    Restart:   cd %q && bench start\n' "$BENCH"
}

main() {
	trap cleanup EXIT
	[[ "$BENCH" == /* ]] || BENCH="$PWD/$BENCH"
	if [[ -n "${FRAPPE_PATH:-}" && "$FRAPPE_PATH" != /* ]]; then
		FRAPPE_PATH="$PWD/$FRAPPE_PATH"
	fi
	export PATH="$HOME/.local/bin:$PATH"
	cd "$HOME"

	check_environment         # 1
	install_system_packages   # 2
	install_node_yarn         # 3
	install_bench_cli         # 4
	start_services            # 5
	configure_mariadb_charset # 6
	create_db_admin           # 7
	ensure_bench              # 8
	install_app_code          # 9
	ensure_site               # 10
	configure_site            # 11
	load_demo_data            # 12
	start_bench               # 13
	summary
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	main "$@"
fi

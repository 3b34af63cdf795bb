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

CRED_DIR="${XDG_CONFIG_HOME:-$HOME/.config}/gec-mines"
CRED_FILE="$CRED_DIR/db-admin.env"
DB_ADMIN_USER_DEFAULT="gec_admin"

REDIS_URL="redis://127.0.0.1:6379"
URL="http://localhost:8000"
MYSQL_ETC="/etc/mysql"
TARGET_COLLATION="utf8mb4_unicode_ci"

TOTAL_STEPS=13
STEP=0
APT_UPDATED=0
TMP_PATHS=()
TMP=""
ROOT_SQL=()
DB_ADMIN_USER=""
DB_ADMIN_PASSWORD=""
SITE_CREATED=0
START_PID_FILE=""

# --------------------------------------------------------------------------- helpers

step() {
	STEP=$((STEP + 1))
	printf '\n==> [%d/%d] %s\n' "$STEP" "$TOTAL_STEPS" "$*"
}
info() { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }
die() {
	printf '\nERROR: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
	if is_root; then
		"$@"
	else
		sudo "$@"
	fi
}

have() { command -v "$1" >/dev/null 2>&1; }

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

# wait_for SECONDS COMMAND... : retry COMMAND once a second until it succeeds.
wait_for() {
	local timeout="$1" i
	shift
	for ((i = 0; i < timeout; i++)); do
		"$@" && return 0
		sleep 1
	done
	"$@"
}

gen_secret() {
	python3 -c 'import secrets, string; a = string.ascii_letters + string.digits; print("".join(secrets.choice(a) for _ in range(32)))'
}

systemd_usable() { [[ -d /run/systemd/system ]] && have systemctl; }

# Run a bench command from the bench directory.
bench_in() { (cd "$BENCH" && bench "$@"); }

# --------------------------------------------------------------------------- credentials file

cred_get() { # cred_get KEY -> value stored in $CRED_FILE (empty when absent)
	local key="$1" line value=""
	[[ -f "$CRED_FILE" ]] || return 0
	while IFS= read -r line || [[ -n "$line" ]]; do
		[[ "$line" == "$key="* ]] && value="${line#*=}"
	done <"$CRED_FILE"
	# tolerate hand-written KEY="value" / KEY='value'
	if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
		value="${BASH_REMATCH[1]}"
	fi
	printf '%s' "$value"
}

cred_set() { # cred_set KEY VALUE : replace or add KEY=VALUE, file mode 600
	local key="$1" value="$2" tmp line
	(umask 077 && mkdir -p "$CRED_DIR")
	tmp="$(mktemp "$CRED_DIR/.db-admin.env.XXXXXX")"
	if [[ -f "$CRED_FILE" ]]; then
		while IFS= read -r line || [[ -n "$line" ]]; do
			[[ "$line" == "$key="* ]] || printf '%s\n' "$line"
		done <"$CRED_FILE" >"$tmp"
	fi
	printf '%s=%s\n' "$key" "$value" >>"$tmp"
	chmod 600 "$tmp"
	mv -f "$tmp" "$CRED_FILE"
}

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

pkg_installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

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

# --------------------------------------------------------------------------- 5. services

mysql_bin() { if have mariadb; then echo mariadb; else echo mysql; fi; }
mysqladmin_bin() { if have mariadb-admin; then echo mariadb-admin; else echo mysqladmin; fi; }
mariadbd_path() {
	local f
	for f in /usr/sbin/mariadbd /usr/sbin/mysqld; do
		[[ -x "$f" ]] && {
			echo "$f"
			return
		}
	done
	echo /usr/sbin/mariadbd
}
ssd_path() {
	local f
	f="$(command -v start-stop-daemon 2>/dev/null || true)"
	[[ -n "$f" ]] || for f in /sbin/start-stop-daemon /usr/sbin/start-stop-daemon; do [[ -x "$f" ]] && break; done
	echo "$f"
}

# 0 when a server answers on 127.0.0.1:3306 (even "access denied" means it is up).
mariadb_alive() { "$(mysqladmin_bin)" --connect-timeout=2 -h127.0.0.1 ping >/dev/null 2>&1; }
redis_alive() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null || true)" == "PONG" ]]; }

mariadb_start() {
	if systemd_usable; then
		as_root systemctl start mariadb
	else
		if getent passwd mysql >/dev/null 2>&1; then
			as_root install -d -o mysql -g mysql -m 0755 /run/mysqld
		fi
		as_root "$(ssd_path)" --start --oknodo --background --exec "$(mariadbd_path)" -- --user=mysql
	fi
}

start_services() {
	step "MariaDB and Redis"
	if mariadb_alive; then
		info "MariaDB answers on 127.0.0.1:3306"
	else
		info "starting MariaDB"
		mariadb_start
		wait_for 60 mariadb_alive || die "MariaDB does not answer on 127.0.0.1:3306 after 60 s (see /var/log/mysql/error.log)."
		info "MariaDB is up"
	fi
	if redis_alive; then
		info "Redis answers on 127.0.0.1:6379"
	else
		info "starting Redis"
		if systemd_usable; then
			as_root systemctl start redis-server
		else
			local dir=/tmp
			[[ -d /var/lib/redis ]] && dir=/var/lib/redis
			as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$dir"
		fi
		wait_for 30 redis_alive || die "Redis does not answer on 127.0.0.1:6379 after 30 s."
		info "Redis is up"
	fi
}

# --------------------------------------------------------------------------- 6-7. MariaDB config and admin login

# Sets ROOT_SQL to a working "mariadb as root" command (socket first, then TCP), or ().
detect_root_sql() {
	local bin
	bin="$(mysql_bin)"
	ROOT_SQL=()
	if as_root "$bin" -uroot -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
		ROOT_SQL=(as_root "$bin" -uroot)
	elif "$bin" -uroot -h127.0.0.1 -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
		ROOT_SQL=("$bin" -uroot -h127.0.0.1)
	fi
}

# admin_sql ARGS... : run the client as the stored admin login (password via a private option file).
admin_sql() {
	local f rc=0
	f="$(mktemp)"
	chmod 600 "$f"
	printf '[client]\nuser=%s\npassword="%s"\n' "$DB_ADMIN_USER" "$DB_ADMIN_PASSWORD" >"$f"
	"$(mysql_bin)" --defaults-extra-file="$f" -h127.0.0.1 "$@" || rc=$?
	rm -f -- "$f"
	return "$rc"
}

# db_query SQL : print the result (no headers), as root when possible, else as the admin login.
db_query() {
	if ((${#ROOT_SQL[@]})); then
		"${ROOT_SQL[@]}" -N -B -e "$1" </dev/null
	elif [[ -n "$DB_ADMIN_USER" && -n "$DB_ADMIN_PASSWORD" ]]; then
		admin_sql -N -B -e "$1" </dev/null
	else
		return 1
	fi
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

configure_mariadb_charset() {
	step "MariaDB character set (utf8mb4 / $TARGET_COLLATION)"
	local content
	content="$(printf '%s\n' \
		'# Written by GEC Mines scripts/setup.sh: Frappe needs utf8mb4 / utf8mb4_unicode_ci.' \
		'[mysqld]' \
		'character-set-server = utf8mb4' \
		"collation-server = $TARGET_COLLATION" \
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

	detect_root_sql
	if ((${#ROOT_SQL[@]} == 0)); then
		# no root access: read the server variable as the stored admin login, if any
		DB_ADMIN_USER="$(cred_get GEC_DB_ADMIN_USER)"
		DB_ADMIN_PASSWORD="$(cred_get GEC_DB_ADMIN_PASSWORD)"
	fi
	local current
	current="$(db_query 'SELECT @@collation_server' 2>/dev/null || true)"
	if [[ -z "$current" ]]; then
		# No root access and no admin login yet: the next step reports the problem.
		warn "could not read @@collation_server (no MariaDB root access); skipping the check."
	elif [[ "$current" == "$TARGET_COLLATION" ]]; then
		info "server collation is already $current"
	else
		# Both variables are dynamic: set them now instead of restarting the server, which
		# would cut every other client (and a server started from this shell would not
		# outlive it). The option files above keep them for the next start.
		info "server collation is $current: setting utf8mb4 / $TARGET_COLLATION globally"
		db_query "SET GLOBAL character_set_server = 'utf8mb4'; SET GLOBAL collation_server = '$TARGET_COLLATION'" >/dev/null ||
			die "could not set the server character set (needs MariaDB root or the admin login)."
		current="$(db_query 'SELECT @@collation_server' 2>/dev/null || true)"
		if [[ "$current" == "$TARGET_COLLATION" ]]; then
			info "server collation is now $current"
		else
			warn "server collation is still '${current:-unknown}'."
		fi
	fi
}

db_admin_ok() {
	local grants
	grants="$(admin_sql -N -B -e 'SHOW GRANTS' </dev/null 2>/dev/null)" || return 1
	grep -q 'ALL PRIVILEGES ON \*\.\*' <<<"$grants" && grep -q 'WITH GRANT OPTION' <<<"$grants"
}

sql_quote() { # escape for a single-quoted SQL literal
	local s="$1"
	s="${s//\\/\\\\}"
	s="${s//\'/\'\'}"
	printf '%s' "$s"
}

ensure_db_admin() {
	step "MariaDB admin login for bench"
	DB_ADMIN_USER="$(cred_get GEC_DB_ADMIN_USER)"
	if [[ -z "$DB_ADMIN_USER" ]]; then
		DB_ADMIN_USER="$DB_ADMIN_USER_DEFAULT"
		cred_set GEC_DB_ADMIN_USER "$DB_ADMIN_USER"
	fi
	[[ "$DB_ADMIN_USER" =~ ^[A-Za-z0-9_]{1,32}$ ]] || die "GEC_DB_ADMIN_USER in $CRED_FILE must be letters, digits or '_' (got '$DB_ADMIN_USER')."
	DB_ADMIN_PASSWORD="$(cred_get GEC_DB_ADMIN_PASSWORD)"
	if [[ -z "$DB_ADMIN_PASSWORD" ]]; then
		DB_ADMIN_PASSWORD="$(gen_secret)"
		cred_set GEC_DB_ADMIN_PASSWORD "$DB_ADMIN_PASSWORD"
		info "generated a password for '$DB_ADMIN_USER', stored in $CRED_FILE"
	fi
	chmod 600 "$CRED_FILE"

	if db_admin_ok; then
		info "'$DB_ADMIN_USER' already logs in with the stored password"
		return
	fi
	((${#ROOT_SQL[@]})) || detect_root_sql
	((${#ROOT_SQL[@]})) || die "cannot connect to MariaDB as root (tried 'mariadb -uroot' over the socket and with -h127.0.0.1, empty password), and '$DB_ADMIN_USER' cannot log in with the password in $CRED_FILE. Create that login by hand (ALL PRIVILEGES ON *.* ... WITH GRANT OPTION, at 'localhost' and '127.0.0.1') with the stored password, then rerun."
	local u p host sql=""
	u="$(sql_quote "$DB_ADMIN_USER")"
	p="$(sql_quote "$DB_ADMIN_PASSWORD")"
	for host in localhost 127.0.0.1; do
		sql+="CREATE USER IF NOT EXISTS '$u'@'$host' IDENTIFIED BY '$p';"$'\n'
		sql+="ALTER USER '$u'@'$host' IDENTIFIED BY '$p';"$'\n'
		sql+="GRANT ALL PRIVILEGES ON *.* TO '$u'@'$host' WITH GRANT OPTION;"$'\n'
	done
	sql+="FLUSH PRIVILEGES;"$'\n'
	# The SQL (with the password) goes through stdin, never on a command line.
	printf '%s' "$sql" | "${ROOT_SQL[@]}"
	db_admin_ok || die "'$DB_ADMIN_USER' was created but cannot log in on 127.0.0.1."
	info "created '$DB_ADMIN_USER'@'localhost' and '$DB_ADMIN_USER'@'127.0.0.1' (password in $CRED_FILE)"
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

	if ! "$BENCH/env/bin/python" -c "import pkg_resources" >/dev/null 2>&1; then
		info "installing setuptools<70 in the bench env (Frappe imports pkg_resources)"
		(cd "$BENCH" && "$BENCH/env/bin/pip" install -q "setuptools<70")
	else
		info "bench env has pkg_resources"
	fi

	local procfile="$BENCH/Procfile"
	if [[ -f "$procfile" ]] && grep -Eq '^(redis_cache|redis_queue|redis_socketio):' "$procfile"; then
		sed -i -E 's/^((redis_cache|redis_queue|redis_socketio):)/# \1/' "$procfile"
		info "Procfile: commented out the bench's own redis (the system Redis is used)"
	fi
}

# --------------------------------------------------------------------------- 9. the app

install_app_code() {
	step "App $APP_NAME in the bench"
	local target="$BENCH/apps/$APP_NAME" app_real
	app_real="$(cd "$APP_DIR" && pwd -P)"
	if [[ -L "$target" || ! -e "$target" ]]; then
		if [[ -L "$target" && "$(readlink -f -- "$target")" == "$app_real" ]]; then
			info "apps/$APP_NAME already points to $APP_DIR"
		else
			ln -sfn "$APP_DIR" "$target"
			info "apps/$APP_NAME -> $APP_DIR"
		fi
	elif [[ -d "$target" && "$(cd "$target" && pwd -P)" == "$app_real" ]]; then
		info "apps/$APP_NAME is this checkout"
	else
		die "$target is a real directory, not this checkout ($APP_DIR). Move it away (or use another GEC_BENCH) and rerun."
	fi

	# pip install -e, skipped when the env already imports this checkout and
	# pyproject.toml has not changed since the last install.
	local stamp="$BENCH/env/.gec_mines-install.sha256" want have_path
	want="$(sha256sum "$APP_DIR/pyproject.toml" | cut -d' ' -f1)"
	have_path="$(
		cd "$BENCH" || exit 0
		"$BENCH/env/bin/python" -c 'import os, gec_mines; print(os.path.realpath(os.path.dirname(gec_mines.__file__)))' 2>/dev/null || true
	)"
	if [[ "$have_path" == "$app_real/$APP_NAME" && -f "$stamp" && "$(cat -- "$stamp")" == "$want" ]]; then
		info "python package already installed (editable)"
	else
		info "pip install -e apps/$APP_NAME"
		(cd "$BENCH" && "$BENCH/env/bin/pip" install -q -e "$BENCH/apps/$APP_NAME")
		printf '%s\n' "$want" >"$stamp"
	fi

	local apps_txt="$BENCH/sites/apps.txt"
	touch "$apps_txt"
	if grep -Eq "^[[:space:]]*${APP_NAME}[[:space:]]*$" "$apps_txt"; then
		info "sites/apps.txt lists $APP_NAME"
	else
		[[ -s "$apps_txt" && -n "$(tail -c1 "$apps_txt")" ]] && printf '\n' >>"$apps_txt"
		printf '%s\n' "$APP_NAME" >>"$apps_txt"
		info "added $APP_NAME to sites/apps.txt"
	fi
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
				cred_set GEC_SITE_ADMIN_PASSWORD "$admin_password"
			fi
		fi
		info "bench new-site $SITE --install-app $APP_NAME"
		bench_in new-site "$SITE" \
			--db-root-username "$DB_ADMIN_USER" \
			--db-root-password "$DB_ADMIN_PASSWORD" \
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
	bench_in --site "$SITE" execute gec_mines.install.complete_setup
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
	if ! wait_for 120 http_ping; then
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
		where="GEC_SITE_ADMIN_PASSWORD in $CRED_FILE"
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
	printf '    DB admin:  %s — password: GEC_DB_ADMIN_PASSWORD in %s\n' "$DB_ADMIN_USER" "$CRED_FILE"
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
	ensure_db_admin           # 7
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

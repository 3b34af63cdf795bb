# shellcheck shell=bash
# Shared by scripts/setup.sh (set -euo pipefail) and scripts/test.sh (set -uo pipefail): source
# it; it defines variables and functions only. A function that fails prints why on stderr and
# returns non-zero; the caller decides whether to stop. Functions do not rely on `set -e`.
# frappe_cmd needs BENCH (the bench directory) set by the caller.
#
# Passwords never appear on a command line (visible to every user in `ps`): SQL that holds one
# goes to the client on stdin, and the client logs in through a private option file.

GEC_CRED_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/gec-mines
GEC_CRED_FILE=$GEC_CRED_DIR/db-admin.env # mode 600; keys GEC_DB_ADMIN_USER, GEC_DB_ADMIN_PASSWORD, GEC_SITE_ADMIN_PASSWORD
GEC_DB_ADMIN_USER=""                     # set from $GEC_CRED_FILE by load_db_admin / ensure_db_admin
GEC_DB_ADMIN_PASSWORD=""
GEC_COLLATION=utf8mb4_unicode_ci
ROOT_SQL=() # a working "mariadb as root" command, set by detect_root_sql

# --------------------------------------------------------------------------- general

info() { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }
error() { printf '\nERROR: %s\n' "$*" >&2; }

have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
	if is_root; then
		"$@"
	else
		sudo "$@"
	fi
}

pkg_installed() { # Debian package
	[[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

systemd_usable() { [[ -d /run/systemd/system ]] && have systemctl; }

# wait_until SECONDS COMMAND... : retry COMMAND once a second until it succeeds.
wait_until() {
	local timeout=$1 i
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

# Frappe's own commands, run the way `bench` runs them (from sites/, with the bench's Python),
# which also works as root without a `frappe_user` in the bench config.
# shellcheck disable=SC2153 # BENCH is set by the sourcing script
frappe_cmd() {
	(cd "$BENCH/sites" && "$BENCH/env/bin/python" -m frappe.utils.bench_helper frappe "$@")
}

# --------------------------------------------------------------------------- credentials file

cred_get() { # cred_get KEY -> the value stored in $GEC_CRED_FILE (empty when absent)
	local key=$1 line value=""
	[[ -f $GEC_CRED_FILE ]] || return 0
	while IFS= read -r line || [[ -n $line ]]; do
		[[ $line == "$key="* ]] && value=${line#*=}
	done <"$GEC_CRED_FILE"
	# tolerate hand-written KEY="value" / KEY='value'
	if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
		value=${BASH_REMATCH[1]}
	fi
	printf '%s' "$value"
}

cred_set() { # cred_set KEY VALUE : replace or add KEY=VALUE; the file keeps mode 600
	local key=$1 value=$2 tmp line
	(umask 077 && mkdir -p "$GEC_CRED_DIR") || return 1
	tmp=$(mktemp "$GEC_CRED_DIR/.db-admin.env.XXXXXX") || return 1
	if [[ -f $GEC_CRED_FILE ]]; then
		while IFS= read -r line || [[ -n $line ]]; do
			[[ $line == "$key="* ]] || printf '%s\n' "$line"
		done <"$GEC_CRED_FILE" >"$tmp"
	fi
	if printf '%s=%s\n' "$key" "$value" >>"$tmp" && chmod 600 "$tmp" && mv -f "$tmp" "$GEC_CRED_FILE"; then
		return 0
	fi
	rm -f -- "$tmp"
	error "could not write $GEC_CRED_FILE."
	return 1
}

# Reads the stored admin login into GEC_DB_ADMIN_USER / GEC_DB_ADMIN_PASSWORD (empty when absent).
load_db_admin() {
	GEC_DB_ADMIN_USER=$(cred_get GEC_DB_ADMIN_USER)
	GEC_DB_ADMIN_PASSWORD=$(cred_get GEC_DB_ADMIN_PASSWORD)
}

# --------------------------------------------------------------------------- MariaDB and Redis

mysql_bin() { if have mariadb; then echo mariadb; else echo mysql; fi; }
mysqladmin_bin() { if have mariadb-admin; then echo mariadb-admin; else echo mysqladmin; fi; }

# 0 when a server answers on 127.0.0.1:3306 (even "access denied" means it is up).
mariadb_alive() { "$(mysqladmin_bin)" --connect-timeout=2 -h127.0.0.1 ping >/dev/null 2>&1; }
redis_alive() { [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG ]]; }

mariadb_start() {
	if systemd_usable; then
		as_root systemctl start mariadb
		return
	fi
	local daemon=/usr/sbin/mariadbd ssd f
	[[ -x $daemon ]] || daemon=/usr/sbin/mysqld
	ssd=$(command -v start-stop-daemon 2>/dev/null) || ssd=""
	for f in /sbin/start-stop-daemon /usr/sbin/start-stop-daemon; do
		[[ -z $ssd && -x $f ]] && ssd=$f
	done
	[[ -n $ssd ]] || {
		error "cannot start MariaDB: neither systemd nor start-stop-daemon is available."
		return 1
	}
	if getent passwd mysql >/dev/null 2>&1; then
		as_root install -d -o mysql -g mysql -m 0755 /run/mysqld || return 1
	fi
	# --background detaches the server from this shell's session, so it outlives it.
	as_root "$ssd" --start --oknodo --background --exec "$daemon" -- --user=mysql
}

redis_start() {
	if systemd_usable; then
		as_root systemctl start redis-server
		return
	fi
	local dir=/tmp
	[[ -d /var/lib/redis ]] && dir=/var/lib/redis
	as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$dir" >/dev/null
}

# MariaDB and Redis are normally running already; when one of them is down (a machine just
# booted, a server stopped by hand) start it the way Debian's packages would. A running server
# is never restarted: that would cut every other client.
ensure_services() {
	if mariadb_alive; then
		info "MariaDB answers on 127.0.0.1:3306"
	else
		info "starting MariaDB"
		mariadb_start || warn "starting MariaDB failed"
		wait_until 60 mariadb_alive || {
			error "MariaDB does not answer on 127.0.0.1:3306 after 60 s (see /var/log/mysql/error.log)."
			return 1
		}
		info "MariaDB is up"
	fi
	if redis_alive; then
		info "Redis answers on 127.0.0.1:6379"
	else
		info "starting Redis"
		redis_start || warn "starting Redis failed"
		wait_until 30 redis_alive || {
			error "Redis does not answer on 127.0.0.1:6379 after 30 s."
			return 1
		}
		info "Redis is up"
	fi
}

# Sets ROOT_SQL to a working "mariadb as root" command (socket first, then TCP), or ().
detect_root_sql() {
	local bin
	bin=$(mysql_bin)
	ROOT_SQL=()
	if as_root "$bin" -uroot -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
		ROOT_SQL=(as_root "$bin" -uroot)
	elif "$bin" -uroot -h127.0.0.1 -e 'SELECT 1' </dev/null >/dev/null 2>&1; then
		ROOT_SQL=("$bin" -uroot -h127.0.0.1)
	fi
	return 0
}

# admin_sql ARGS... : run the client as the stored admin login, its password in a private
# option file (mode 600, removed afterwards).
admin_sql() {
	local f rc=0 p=$GEC_DB_ADMIN_PASSWORD
	f=$(mktemp) || return 1
	chmod 600 "$f"
	p=${p//\\/\\\\}
	p=${p//\"/\\\"}
	printf '[client]\nuser=%s\npassword="%s"\n' "$GEC_DB_ADMIN_USER" "$p" >"$f"
	"$(mysql_bin)" --defaults-extra-file="$f" -h127.0.0.1 "$@" || rc=$?
	rm -f -- "$f"
	return "$rc"
}

# db_query SQL : print the result (no headers), as root when detected, else as the admin login.
db_query() {
	if ((${#ROOT_SQL[@]})); then
		"${ROOT_SQL[@]}" -N -B -e "$1" </dev/null
	elif [[ -n $GEC_DB_ADMIN_USER && -n $GEC_DB_ADMIN_PASSWORD ]]; then
		admin_sql -N -B -e "$1" </dev/null
	else
		return 1
	fi
}

sql_quote() { # escape for a single-quoted SQL literal
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\'/\'\'}
	printf '%s' "$s"
}

db_admin_ok() {
	local grants
	[[ -n $GEC_DB_ADMIN_USER && -n $GEC_DB_ADMIN_PASSWORD ]] || return 1
	grants=$(admin_sql -N -B -e 'SHOW GRANTS' </dev/null 2>/dev/null) || return 1
	grep -q 'ALL PRIVILEGES ON \*\.\*' <<<"$grants" && grep -q 'WITH GRANT OPTION' <<<"$grants"
}

# `bench new-site` takes an empty root password for none and asks for one, so sites are created
# with a dedicated admin login (default gec_admin) whose random password is kept in
# $GEC_CRED_FILE, outside the project. Sets GEC_DB_ADMIN_USER / GEC_DB_ADMIN_PASSWORD.
ensure_db_admin() {
	load_db_admin
	if [[ -z $GEC_DB_ADMIN_USER ]]; then
		GEC_DB_ADMIN_USER=gec_admin
		cred_set GEC_DB_ADMIN_USER "$GEC_DB_ADMIN_USER" || return 1
	fi
	if ! [[ $GEC_DB_ADMIN_USER =~ ^[A-Za-z0-9_]{1,32}$ ]]; then
		error "GEC_DB_ADMIN_USER in $GEC_CRED_FILE must be letters, digits or '_' (got '$GEC_DB_ADMIN_USER')."
		return 1
	fi
	if [[ -z $GEC_DB_ADMIN_PASSWORD ]]; then
		GEC_DB_ADMIN_PASSWORD=$(gen_secret) || GEC_DB_ADMIN_PASSWORD=""
		if [[ -z $GEC_DB_ADMIN_PASSWORD ]]; then
			error "could not generate a password (python3 is needed)."
			return 1
		fi
		cred_set GEC_DB_ADMIN_PASSWORD "$GEC_DB_ADMIN_PASSWORD" || return 1
		info "generated a password for '$GEC_DB_ADMIN_USER', stored in $GEC_CRED_FILE"
	fi
	chmod 600 "$GEC_CRED_FILE" || return 1

	if db_admin_ok; then
		info "'$GEC_DB_ADMIN_USER' already logs in with the stored password"
		return 0
	fi
	((${#ROOT_SQL[@]})) || detect_root_sql
	if ((${#ROOT_SQL[@]} == 0)); then
		error "cannot connect to MariaDB as root (tried 'mariadb -uroot' over the socket and with -h127.0.0.1, empty password), and '$GEC_DB_ADMIN_USER' cannot log in with the password in $GEC_CRED_FILE. Create that login by hand (ALL PRIVILEGES ON *.* ... WITH GRANT OPTION, at 'localhost' and '127.0.0.1') with the stored password, then rerun."
		return 1
	fi
	local u p host sql=""
	u=$(sql_quote "$GEC_DB_ADMIN_USER")
	p=$(sql_quote "$GEC_DB_ADMIN_PASSWORD")
	for host in localhost 127.0.0.1; do
		sql+="CREATE USER IF NOT EXISTS '$u'@'$host' IDENTIFIED BY '$p';"$'\n'
		sql+="ALTER USER '$u'@'$host' IDENTIFIED BY '$p';"$'\n'
		sql+="GRANT ALL PRIVILEGES ON *.* TO '$u'@'$host' WITH GRANT OPTION;"$'\n'
	done
	sql+="FLUSH PRIVILEGES;"$'\n'
	# The SQL (with the password) goes through stdin, never on a command line.
	if ! printf '%s' "$sql" | "${ROOT_SQL[@]}"; then
		error "could not create the MariaDB login '$GEC_DB_ADMIN_USER' as root."
		return 1
	fi
	if ! db_admin_ok; then
		error "'$GEC_DB_ADMIN_USER' was created but cannot log in on 127.0.0.1."
		return 1
	fi
	info "created '$GEC_DB_ADMIN_USER'@'localhost' and '$GEC_DB_ADMIN_USER'@'127.0.0.1' (password in $GEC_CRED_FILE)"
}

# Frappe refuses to create a site unless the server defaults to utf8mb4 / utf8mb4_unicode_ci.
# Both variables are dynamic: they are set with SET GLOBAL instead of restarting the server,
# which would cut every other client (and a server started from a session's shell would not
# outlive it). Uses MariaDB's root when detected, else the stored admin login.
ensure_db_charset() {
	local want="utf8mb4 $GEC_COLLATION" current
	if ((${#ROOT_SQL[@]} == 0)) && [[ -z $GEC_DB_ADMIN_PASSWORD ]]; then
		detect_root_sql
		((${#ROOT_SQL[@]})) || load_db_admin
	fi
	current=$(db_query "SELECT CONCAT(@@character_set_server, ' ', @@collation_server)" 2>/dev/null) || current=""
	if [[ -z $current ]]; then
		# No root access and no admin login yet: creating the admin login reports the problem.
		warn "could not read the server character set (no MariaDB root access nor admin login); skipping the check."
		return 0
	fi
	if [[ $current == "$want" ]]; then
		info "server character set and collation are already $current"
		return 0
	fi
	info "server defaults to '$current': setting utf8mb4 / $GEC_COLLATION globally"
	if ! db_query "SET GLOBAL character_set_server = 'utf8mb4'; SET GLOBAL collation_server = '$GEC_COLLATION'" >/dev/null; then
		error "could not set the server character set (needs MariaDB root or the admin login)."
		return 1
	fi
	current=$(db_query "SELECT CONCAT(@@character_set_server, ' ', @@collation_server)" 2>/dev/null) || current=""
	if [[ $current != "$want" ]]; then
		error "the server character set and collation are still '${current:-unknown}'."
		return 1
	fi
	info "server character set and collation are now $current"
}

# --------------------------------------------------------------------------- the bench and the app

# Frappe v15 imports pkg_resources, which setuptools 70 and later no longer ship.
ensure_bench_setuptools() { # bench
	local bench=$1
	"$bench/env/bin/python" -c "import pkg_resources" >/dev/null 2>&1 && return 0
	info "installing setuptools<70 in the bench env (Frappe imports pkg_resources)"
	(cd "$bench" && "$bench/env/bin/pip" install -q "setuptools<70") || {
		error "could not install setuptools<70 into $bench/env."
		return 1
	}
}

# Make the bench run the app from this checkout: apps/gec_mines is a link to it, installed in the
# bench's environment (editable; again when pyproject.toml changes) and listed in sites/apps.txt.
link_app_into_bench() { # bench, app_dir
	local bench=$1 app_dir=$2 target="$1/apps/gec_mines" app_real
	app_real=$(cd "$app_dir" && pwd -P) || return 1
	if [[ -L $target || ! -e $target ]]; then
		if [[ -L $target && $(readlink -f -- "$target") == "$app_real" ]]; then
			info "apps/gec_mines already points to $app_dir"
		else
			ln -sfn "$app_dir" "$target" || return 1
			info "apps/gec_mines -> $app_dir"
		fi
	elif [[ -d $target && $(cd "$target" && pwd -P) == "$app_real" ]]; then
		info "apps/gec_mines is this checkout"
	else
		error "$target is a real directory, not this checkout ($app_dir). Move it away (or use another GEC_BENCH) and rerun."
		return 1
	fi
	ensure_bench_setuptools "$bench" || return 1

	# pip install -e, skipped when the env already imports this checkout and pyproject.toml has
	# not changed since the last install.
	local stamp="$bench/env/.gec_mines-install.sha256" want installed
	want=$(sha256sum "$app_dir/pyproject.toml" | cut -d' ' -f1)
	installed=$(cd "$bench" && "$bench/env/bin/python" -c \
		'import os, gec_mines; print(os.path.realpath(os.path.dirname(gec_mines.__file__)))' 2>/dev/null) || installed=""
	if [[ $installed == "$app_real/gec_mines" && -f $stamp && $(cat -- "$stamp") == "$want" ]]; then
		info "python package already installed (editable)"
	else
		info "pip install -e apps/gec_mines"
		if ! (cd "$bench" && "$bench/env/bin/pip" install -q -e "$target"); then
			error "could not install the app into $bench/env (pip install -e $target)."
			return 1
		fi
		printf '%s\n' "$want" >"$stamp"
	fi

	local apps_txt="$bench/sites/apps.txt"
	touch "$apps_txt" || return 1
	if grep -Eq '^[[:space:]]*gec_mines[[:space:]]*$' "$apps_txt"; then
		info "sites/apps.txt lists gec_mines"
	else
		[[ -s $apps_txt && -n $(tail -c1 "$apps_txt") ]] && printf '\n' >>"$apps_txt"
		printf 'gec_mines\n' >>"$apps_txt" || return 1
		info "added gec_mines to sites/apps.txt"
	fi
}

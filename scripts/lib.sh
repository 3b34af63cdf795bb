# Shared by scripts/setup.sh and scripts/test.sh. Source it; it defines functions only.

GEC_CONFIG_DIR=${XDG_CONFIG_HOME:-$HOME/.config}/gec-mines
GEC_DB_ENV=$GEC_CONFIG_DIR/db-admin.env

# Frappe's own commands, run the way `bench` runs them (from sites/, with the bench's Python),
# which also works as root without a `frappe_user` in the bench config.
frappe_cmd() {
	(cd "$BENCH/sites" && "$BENCH/env/bin/python" -m frappe.utils.bench_helper frappe "$@")
}

mariadb_root() {
	mariadb -uroot -e "$1" 2>/dev/null || mariadb -uroot -h127.0.0.1 -e "$1"
}

mariadb_alive() { mariadb-admin --connect-timeout=2 -h127.0.0.1 ping >/dev/null 2>&1; }
redis_alive() { [[ $(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null) == PONG ]]; }

wait_until() { # seconds, command...
	local n=$1
	shift
	for _ in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 1
	done
	return 1
}

# MariaDB and Redis are normally running already; when one of them is down (a machine just
# booted, a server stopped by hand) start it the way Debian's packages would, when we can.
ensure_services() {
	if ! mariadb_alive; then
		echo "MariaDB does not answer on 127.0.0.1:3306: starting it."
		if [[ -d /run/systemd/system ]]; then
			systemctl start mariadb
		elif [[ $(id -u) == 0 && -x /usr/sbin/mariadbd ]]; then
			install -d -o mysql -g mysql -m 0755 /run/mysqld 2>/dev/null || true
			start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
		fi
		wait_until 60 mariadb_alive || {
			echo "MariaDB still does not answer on 127.0.0.1:3306 after 60 s." >&2
			return 1
		}
	fi
	if ! redis_alive; then
		echo "Redis does not answer on 127.0.0.1:6379: starting it."
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--dir /tmp >/dev/null 2>&1 || true
		wait_until 30 redis_alive || {
			echo "Redis still does not answer on 127.0.0.1:6379 after 30 s." >&2
			return 1
		}
	fi
}

# Frappe refuses to create a site unless the server defaults to utf8mb4 / utf8mb4_unicode_ci.
# Both variables are dynamic, so they are set without restarting the server (a restart cuts
# every client, and a server started from a session's shell would not outlive it).
ensure_db_charset() {
	local current
	current=$(MYSQL_PWD=$GEC_DB_ADMIN_PASSWORD mariadb -h127.0.0.1 -u"$GEC_DB_ADMIN_USER" -N -B \
		-e "SELECT CONCAT(@@character_set_server, ' ', @@collation_server)")
	[[ $current == "utf8mb4 utf8mb4_unicode_ci" ]] && return 0
	echo "MariaDB defaults to '$current': setting utf8mb4 / utf8mb4_unicode_ci globally."
	MYSQL_PWD=$GEC_DB_ADMIN_PASSWORD mariadb -h127.0.0.1 -u"$GEC_DB_ADMIN_USER" -e \
		"SET GLOBAL character_set_server = 'utf8mb4'; SET GLOBAL collation_server = 'utf8mb4_unicode_ci'"
}

# `bench new-site` takes an empty root password for none and asks for one, so sites are
# created with a dedicated admin login whose random password is kept outside the project.
ensure_db_admin() {
	# shellcheck disable=SC1090
	[[ -f $GEC_DB_ENV ]] && source "$GEC_DB_ENV"
	if [[ -n ${GEC_DB_ADMIN_USER:-} && -n ${GEC_DB_ADMIN_PASSWORD:-} ]] &&
		MYSQL_PWD=$GEC_DB_ADMIN_PASSWORD mariadb -h127.0.0.1 -u"$GEC_DB_ADMIN_USER" -e "select 1" >/dev/null 2>&1; then
		return 0
	fi
	GEC_DB_ADMIN_USER=gec_admin
	GEC_DB_ADMIN_PASSWORD=$(python3 -c "import secrets; print(secrets.token_urlsafe(24))")
	local host sql=""
	for host in localhost 127.0.0.1; do
		sql+="CREATE USER IF NOT EXISTS '$GEC_DB_ADMIN_USER'@'$host' IDENTIFIED BY '$GEC_DB_ADMIN_PASSWORD';"
		sql+="ALTER USER '$GEC_DB_ADMIN_USER'@'$host' IDENTIFIED BY '$GEC_DB_ADMIN_PASSWORD';"
		sql+="GRANT ALL PRIVILEGES ON *.* TO '$GEC_DB_ADMIN_USER'@'$host' WITH GRANT OPTION;"
	done
	if ! mariadb_root "$sql FLUSH PRIVILEGES;"; then
		echo "Cannot create the MariaDB admin login: MariaDB's root must accept a local login." >&2
		return 1
	fi
	mkdir -p "$GEC_CONFIG_DIR"
	(
		umask 077
		{
			grep -v '^GEC_DB_ADMIN_' "$GEC_DB_ENV" 2>/dev/null
			echo "GEC_DB_ADMIN_USER=$GEC_DB_ADMIN_USER"
			echo "GEC_DB_ADMIN_PASSWORD=$GEC_DB_ADMIN_PASSWORD"
		} >"$GEC_DB_ENV.new" && mv "$GEC_DB_ENV.new" "$GEC_DB_ENV"
	)
}

# Make the bench run the app from this checkout: apps/gec_mines is a link to it.
link_app_into_bench() { # bench, app_dir
	local bench=$1 app_dir=$2 target="$1/apps/gec_mines"
	if [[ -e $target && ! -L $target ]]; then
		if [[ $(cd "$target" && pwd -P) != $(cd "$app_dir" && pwd -P) ]]; then
			echo "$target is a separate copy of the app; move it away so the bench runs this checkout." >&2
			return 1
		fi
	else
		ln -sfn "$app_dir" "$target"
	fi
	if ! "$bench/env/bin/python" -c "import pkg_resources" 2>/dev/null; then
		"$bench/env/bin/pip" install -q "setuptools<70" >/dev/null
	fi
	if ! (cd "$bench/sites" && "$bench/env/bin/python" -c "import gec_mines") 2>/dev/null; then
		"$bench/env/bin/pip" install -q -e "$target" >/dev/null || return 1
	fi
	# The app's own Python dependencies (pyproject) may have changed since the last install.
	"$bench/env/bin/python" -c "import reportlab, bcrypt" 2>/dev/null || "$bench/env/bin/pip" install -q -e "$target" >/dev/null
	if ! grep -qx gec_mines "$bench/sites/apps.txt"; then
		[[ -s $bench/sites/apps.txt && $(tail -c1 "$bench/sites/apps.txt") != "" ]] && echo >>"$bench/sites/apps.txt"
		echo gec_mines >>"$bench/sites/apps.txt"
	fi
}

#!/usr/bin/env bash
# tools/pgenv.sh - throwaway PostgreSQL for `make demo`, `make test` and benchmarks.
#
# The extension is installed into a private copy of the server's installation
# (PostgreSQL finds its lib and share directories relative to its binary), so
# tests never touch the system's extension directory and several work trees
# can test at once. The cluster listens on a Unix socket only, under the tree.
#
#   tools/pgenv.sh deps      install missing Debian packages (root) or say which
#   tools/pgenv.sh install   build and install lead_crm into the private root
#   tools/pgenv.sh start     initdb a fresh cluster and start it
#   tools/pgenv.sh stop      stop it
#   tools/pgenv.sh env       print the PG* variables clients need (eval it)
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
top=$(cd "$(dirname "$0")/.." && pwd)
sys_bindir=/usr/lib/postgresql/$PG_MAJOR/bin

# Every package `make demo` and `make test` use; CI starts from a bare Debian 12.
packages=(make gcc clang libclang-rt-14-dev python3 perl
	postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-contrib
	postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl
	hunspell-vi m17n-db icu-devtools)

as_server_user() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The server runs as `postgres` when we are root; it must reach the base
# directory. A clone under /root (mode 700) is not reachable, so fall back to
# /tmp and leave a symlink in the tree.
base_dir() {
	local base=$top/.tmp
	if [ -L "$base" ]; then readlink -f "$base"; return; fi
	mkdir -p "$base"
	if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 &&
		! runuser -u postgres -- test -x "$base"; then
		rmdir "$base"
		local alt
		alt=/tmp/lead_crm-$(printf '%s' "$top" | md5sum | cut -c1-12)
		mkdir -p "$alt"
		ln -s "$alt" "$base"
		base=$alt
	fi
	printf '%s\n' "$base"
}

cmd_deps() {
	local missing=() p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing Debian packages: ${missing[*]}" >&2
		echo "hint: run 'sudo apt-get install ${missing[*]}' or run make as root" >&2
		exit 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	# A fresh postgresql package starts its own cluster; we do not need it.
	if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql/$PG_MAJOR/main ]; then
		pg_ctlcluster "$PG_MAJOR" main stop 2>/dev/null || true
	fi
}

cmd_install() {
	local base root
	base=$(base_dir)
	root=$base/pgroot
	# Refresh the private copy when the system server changed (apt upgrade).
	if [ ! -x "$root$sys_bindir/postgres" ] ||
		! cmp -s "$sys_bindir/postgres" "$root$sys_bindir/postgres"; then
		rm -rf "$root"
		mkdir -p "$root/usr/lib/postgresql" "$root/usr/share/postgresql"
		cp -a "/usr/lib/postgresql/$PG_MAJOR" "$root/usr/lib/postgresql/"
		cp -a "/usr/share/postgresql/$PG_MAJOR" "$root/usr/share/postgresql/"
	fi
	make -C "$top" -s PG_CONFIG="$sys_bindir/pg_config" all
	make -C "$top" -s PG_CONFIG="$sys_bindir/pg_config" install DESTDIR="$root" >/dev/null
}

cmd_env() {
	local base
	base=$(base_dir)
	echo "export PGHOST='$base/sock' PGPORT=5432 PGUSER=postgres PGDATABASE=postgres"
	echo "export LEAD_CRM_PGBIN='$base/pgroot$sys_bindir'"
	echo "unset PGSERVICE PGPASSWORD"
}

cmd_start() {
	local base bin
	base=$(base_dir)
	bin=$base/pgroot$sys_bindir
	[ -x "$bin/postgres" ] || cmd_install
	cmd_stop quiet
	rm -rf "$base/data" "$base/sock" "$base/log"
	mkdir -p "$base/data" "$base/sock" "$base/log"
	if [ "$(id -u)" = 0 ]; then chown postgres: "$base/data" "$base/sock" "$base/log"; fi
	as_server_user "$bin/initdb" -D "$base/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 >"$base/log/initdb.log" 2>&1 ||
		{ cat "$base/log/initdb.log" >&2; exit 1; }
	cat >>"$base/data/postgresql.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$base/sock'
		port = 5432
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 60
		shared_buffers = ${LEAD_CRM_SHARED_BUFFERS:-256MB}
		work_mem = 32MB
		maintenance_work_mem = ${LEAD_CRM_MAINTENANCE_WORK_MEM:-512MB}
		max_wal_size = 4GB
		log_min_messages = warning
	EOF
	as_server_user "$bin/pg_ctl" -D "$base/data" -l "$base/log/server.log" -w start >/dev/null ||
		{ cat "$base/log/server.log" >&2; exit 1; }
}

cmd_stop() {
	local base bin
	base=$(base_dir)
	bin=$base/pgroot$sys_bindir
	if [ -f "$base/data/postmaster.pid" ] && [ -x "$bin/pg_ctl" ]; then
		as_server_user "$bin/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	[ "${1:-}" = quiet ] || true
}

case "${1:-}" in
deps) cmd_deps ;;
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
env) cmd_env ;;
base) base_dir ;;
*) echo "usage: $0 deps|install|start|stop|env|base" >&2; exit 2 ;;
esac

# test/t/tap.bash - sourced by the bash TAP tests: ok/is, a plan, fresh databases.
# The cluster is up and PG* variables point at it (tools/run-tests.sh).
if ! psql -qXAt -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
	echo "Bail out! no server: run with the cluster up and PG* set (tools/pgenv.sh env)"
	exit 1
fi
tap_n=0
tap_failed=0
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

ok() {  # ok <status> <name>
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}
is() {  # is <got> <want> <name>
	tap_n=$((tap_n + 1))
	if [ "$1" == "$2" ]; then echo "ok $tap_n - $3"; else
		echo "not ok $tap_n - $3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; tap_failed=$((tap_failed + 1)); fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

# fresh_db <name>: an empty database with lead_crm installed
fresh_db() {
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null &&
		psql -qX -d "$1" -c 'CREATE EXTENSION lead_crm CASCADE' >/dev/null
}
q() { psql -qXAt -v ON_ERROR_STOP=1 "$@"; }  # q -d db -c sql: bare output

# test/bench/common.bash - sourced by benchmarks: a running throwaway cluster
# (started if needed, with the current build installed), a fresh database, and
# cached realistic leads (tools/gen_leads.py) to load.
#   . test/bench/common.bash; bench_db lead_crm_bench; load_leads 1000000 1
set -euo pipefail
bench_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_out=$bench_top/test/bench/out
mkdir -p "$bench_out" "$bench_top/.build/bench"

"$bench_top/tools/pgenv.sh" install >/dev/null
eval "$("$bench_top/tools/pgenv.sh" env)"
psql -qXAt -d postgres -c 'SELECT 1' >/dev/null 2>&1 || "$bench_top/tools/pgenv.sh" start
export PGOPTIONS='-c client_min_messages=warning'

# bench_db <name>: drop and create it with lead_crm; sets PGDATABASE
bench_db() {
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	export PGDATABASE=$1
	psql -qX -c 'CREATE EXTENSION lead_crm CASCADE'
}

# leads_csv <count> <seed>: path of the cached CSV of generated leads
leads_csv() {
	local f=$bench_top/.build/bench/leads_$1_$2.csv
	[ -s "$f" ] || python3 "$bench_top/tools/gen_leads.py" --count "$1" --seed "$2" >"$f"
	echo "$f"
}

# load_leads <count> <seed> [table]: COPY generated leads into lead_crm.lead (or a table with the same columns)
load_leads() {
	local f
	f=$(leads_csv "$1" "$2")
	psql -qX -c "\\copy ${3:-lead_crm.lead} ($(python3 "$bench_top/tools/gen_leads.py" --columns)) FROM '$f' WITH (FORMAT csv, HEADER)"
}

# ms <sql>: wall time of one statement in milliseconds (psql \timing)
ms() {
	psql -qX -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}

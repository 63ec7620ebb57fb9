#!/usr/bin/env bash
# test/bench/bench_import.sh - what import_leads() costs on N rows (default
# 100000) of tools/gen_leads.py, each mode in a tenant of its own, against the
# baseline of the same run:
#   baseline   COPY of the file straight into lead_crm.lead (the lead triggers,
#              no checks beyond them, no report)
#   chunked    COPY into import_row + import_leads(batch): rows checked set-wise,
#              inserted 1000 at a time, one subtransaction per chunk
#   per row    the same with chunk_size => 1: one subtransaction per row
#   refusals   chunked, with 1% of the rows refused by a lead trigger (a custom
#              field of the wrong type): a refused chunk is halved until the
#              refused rows stand alone
#   refusals100  the same with chunk_size => 100
# The COPY into the staging table is timed apart from import_leads().
#   test/bench/bench_import.sh [N]
#   MODES='chunked refusals' test/bench/bench_import.sh [N]   # some of the modes
# Uses the running cluster of PG* or starts tools/pgenv.sh's (test/bench/common.bash).
set -euo pipefail
n=${1:-100000}
. "$(dirname "$0")/common.bash"
bench_db lead_crm_bench_import
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
csv=$(leads_csv "$n" 7)
cols=$(python3 "$bench_top/tools/gen_leads.py" --columns)

# one psql session per mode: the batch is a session setting
timed() { # timed <tenant> <sql...>: runs the statements, prints the milliseconds of each
	local t=$1; shift
	local args=(-c "SET lead_crm.tenant = $t" -c '\timing on')
	for s in "$@"; do args+=(-c "$s"); done
	psql -qX -v ON_ERROR_STOP=1 "${args[@]}" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
ratio() { echo "scale=2; $1 / $2" | bc; }

q -c "SELECT lead_crm.create_tenant(g) FROM generate_series(11, 15) g" >/dev/null
q -c "INSERT INTO lead_crm.custom_field (tenant_id, name, type) VALUES (14, 'vip', 'boolean'), (15, 'vip', 'boolean')"

base=$(timed 11 "\\copy lead_crm.lead ($cols) FROM '$csv' WITH (FORMAT csv, HEADER)" | tail -1)
printf '%-44s %9s ms  %s\n' "baseline: COPY into lead" "$base" "1.00"

for mode in ${MODES:-chunked per_row refusals refusals100}; do
	case $mode in
	chunked) t=12 chunk=1000 ;;
	per_row) t=13 chunk=1 ;;
	refusals) t=14 chunk=1000 ;;
	refusals100) t=15 chunk=100 ;;
	esac
	fix="SELECT 1"
	# 1% of the rows carry a custom value the lead trigger refuses
	case $mode in refusals*)
		fix="UPDATE lead_crm.import_row SET custom = '{\"vip\": \"có lẽ\"}' WHERE tenant_id = $t AND seq % 100 = 0" ;;
	esac
	times=$(timed "$t" "SELECT batch_id FROM lead_crm.import_begin('leads.csv')" \
		"\\copy lead_crm.import_row ($cols) FROM '$csv' WITH (FORMAT csv, HEADER)" "$fix" \
		"SELECT * FROM lead_crm.import_leads(lead_crm.import_batch_id(), chunk_size => $chunk)")
	copy_ms=$(echo "$times" | sed -n 2p)
	import_ms=$(echo "$times" | sed -n 4p)
	summary=$(q -c "SET lead_crm.tenant = $t" -c "SELECT format('%s rows, %s inserted, %s failed, %s pending', rows, inserted, failed, pending) FROM lead_crm.import_summary")
	printf '%-44s %9s ms  %s\n' "$mode: COPY into import_row" "$copy_ms" "$(ratio "$copy_ms" "$base")"
	printf '%-44s %9s ms  %s   (%s)\n' "$mode: import_leads(chunk_size => $chunk)" "$import_ms" "$(ratio "$import_ms" "$base")" "$summary"
done

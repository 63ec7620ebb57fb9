#!/usr/bin/env bash
# Cost of the foundation triggers on the write path, against a plain copy of the
# lead table without triggers, in the same run:
#   COPY of N generated leads (lead_10_before_write: tenant, catalogue codes,
#   required and custom fields), and N single-column UPDATEs (plus lead_90_history).
. "$(dirname "$0")/common.bash"
N=${N:-100000}
bench_db lead_crm_bench_write
psql -qX -c "CREATE TABLE plain (LIKE lead_crm.lead INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING INDEXES)"
csv=$(leads_csv "$N" 7)
cols=$(python3 "$bench_top/tools/gen_leads.py" --columns)
copy() { psql -qX -c '\timing on' -c "\\copy $1 ($cols) FROM '$csv' WITH (FORMAT csv, HEADER)" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'; }
t_plain=$(copy plain)
t_lead=$(copy lead_crm.lead)
psql -qX -c 'VACUUM ANALYZE plain' -c 'VACUUM ANALYZE lead_crm.lead'
u_plain=$(ms "UPDATE plain SET priority = (priority + 1) % 4")
u_lead=$(ms "UPDATE lead_crm.lead SET priority = (priority + 1) % 4")
awk -v n="$N" -v tp="$t_plain" -v tl="$t_lead" -v up="$u_plain" -v ul="$u_lead" 'BEGIN {
	printf "COPY %d leads:   plain %.0f ms, lead_crm.lead %.0f ms, ratio %.2f\n", n, tp, tl, tl / tp
	printf "UPDATE %d leads: plain %.0f ms, lead_crm.lead %.0f ms (with history rows), ratio %.2f\n", n, up, ul, ul / up
}' | tee "$bench_out/lead_write.txt"

#!/usr/bin/env bash
# test/bench/assign_copy.sh - cost of automatic assignment on a bulk load.
#
# COPYs the same N leads (default 100000) into lead_crm.lead five ways and
# prints each time and its ratio to the baseline measured in the same run:
#   baseline   tenant without assignment rules (lead_30_assign returns at once)
#   given      same tenant, salesperson given in the file: adds the foreign-key
#              checks of salesperson_id, no assignment work
#   manual     tenant with rules, salesperson given: load bookkeeping as well
#   auto       3 rules, 2 teams of 10; every lead is assigned by the C trigger
#              (rules, round robin, capacity, one history row each; the
#              salesperson and team foreign keys are checked too)
#   baseline   again, to show the noise of the machine
# Needs a running cluster and PG* set:
#   tools/pgenv.sh install && tools/pgenv.sh start && eval "$(tools/pgenv.sh env)"
#   test/bench/assign_copy.sh [N]
set -euo pipefail
n=${1:-100000}
db=lead_crm_bench_assign
out=$(cd "$(dirname "$0")" && pwd)/out
mkdir -p "$out"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$db" "$@"; }

psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
q -c "CREATE EXTENSION lead_crm CASCADE"
q <<'SQL'
SELECT FROM lead_crm.create_tenant(2, 'baseline');
SELECT FROM lead_crm.create_tenant(3, 'auto');
SET lead_crm.tenant = 2;
INSERT INTO lead_crm.salesperson (id, full_name) SELECT g, 'NV ' || g FROM generate_series(1, 20) g;
SET lead_crm.tenant = 3;
INSERT INTO lead_crm.sales_team (id, name) VALUES (1, 'Miền Bắc'), (2, 'Miền Nam');
INSERT INTO lead_crm.salesperson (id, full_name, team_id, capacity)
SELECT g, 'NV ' || g, 1 + (g > 10)::int, CASE WHEN g % 2 = 0 THEN NULL ELSE 1000000 END
  FROM generate_series(1, 20) g;
INSERT INTO lead_crm.assignment_rule (name, priority, sources, tags, team_id) VALUES
	('Cà phê hội chợ', 10, '{trade_fair}', '{coffee}', 2);
INSERT INTO lead_crm.assignment_rule (name, priority, provinces, team_id) VALUES
	('Phía Bắc', 20, '{Hà Nội, Hải Phòng, Quảng Ninh}', 1);
INSERT INTO lead_crm.assignment_rule (name, priority, team_id) VALUES ('Còn lại', 100, 2);
SQL

# the file: names, phones, provinces, sources and tags like the seeds'
psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -c "\copy (
	SELECT 'Khách hàng ' || g, '09' || lpad((g * 7919 % 100000000)::text, 8, '0'),
		   (ARRAY['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Gia Lai'])[1 + g % 6],
		   (ARRAY['facebook', 'website', 'trade_fair', 'zalo', 'referral'])[1 + g % 5],
		   (ARRAY['{coffee}', '{pepper}', '{mung_bean,red_bean}', '{}'])[1 + g % 4],
		   1 + g % 20
	  FROM generate_series(1, $n) g) TO '$out/leads.csv' WITH (FORMAT csv)"

run() { # run <label> <tenant> <columns>
	q -c "TRUNCATE lead_crm.lead, lead_crm.lead_history CASCADE" -c "CHECKPOINT"
	local t0 t1
	t0=$(date +%s.%N)
	psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -c "SET lead_crm.tenant = $2" \
		-c "\copy lead_crm.lead ($3) FROM '$out/leads.csv' WITH (FORMAT csv)"
	t1=$(date +%s.%N)
	echo "$1 $(echo "$t1 - $t0" | bc)"
}
cols="full_name, phone, province, source, tags"
{
	run baseline 2 "$cols, probability"
	run given 2 "$cols, salesperson_id"
	run manual 3 "$cols, salesperson_id"
	run auto 3 "$cols, probability"
	q -c "SELECT count(*) FROM lead_crm.lead WHERE tenant_id = 3 AND salesperson_id IS NOT NULL" >"$out/assigned.txt"
	run baseline2 2 "$cols, probability"
} >"$out/assign_copy.txt"
# the sixth column is the salesperson in the manual run and a plain number
# (probability) in the others, so every COPY parses the same file.

base=$(awk '$1 == "baseline" {print $2}' "$out/assign_copy.txt")
echo "COPY of $n leads (seconds, ratio to the baseline without assignment rules):"
while read -r label secs; do
	printf '  %-10s %7.2f s  %5.2fx  %6.1f us/lead\n' "$label" "$secs" \
		"$(echo "$secs / $base" | bc -l)" "$(echo "$secs * 1000000 / $n" | bc -l)"
done <"$out/assign_copy.txt"
echo "  auto run: $(cat "$out/assigned.txt") of $n leads assigned"
psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db"

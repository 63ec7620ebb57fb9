#!/usr/bin/env bash
# test/bench/bench_state.sh - cost of the state machine triggers on status
# UPDATEs: the same lead table with lead_20_state + lead_80_state_events
# (check, guards, NOTIFY) and without them, in one run, alternating rounds so
# that table growth and noise hit both sides alike.
#
#   A. 100k single-row UPDATE transactions (pgbench, prepared), like an app
#   B. one UPDATE statement moving 100k leads (per-row trigger cost alone)
#
# Uses the cluster of PG* if set, else starts (and stops) tools/pgenv.sh's.
# Prints the ratios; the target is an overhead <= 5% on A.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
LEADS=${LEADS:-100000}
UPDATES=${UPDATES:-100000}
ROUNDS=${ROUNDS:-4}

script=$(mktemp)
own_cluster=
cleanup() {
	rm -f "$script"
	if [ -n "$own_cluster" ]; then "$top/tools/pgenv.sh" stop; fi
}
trap cleanup EXIT
if [ -z "${PGHOST:-}" ]; then
	"$top/tools/pgenv.sh" install >/dev/null
	"$top/tools/pgenv.sh" start
	own_cluster=1
	eval "$("$top/tools/pgenv.sh" env)"
fi
db=lead_crm_bench
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db
psql -qX -v ON_ERROR_STOP=1 <<SQL >/dev/null
CREATE EXTENSION lead_crm CASCADE;
INSERT INTO lead_crm.lead (full_name, phone, status)
SELECT 'Khách ' || i, '09' || lpad(i::text, 8, '0'), 'contacting'
  FROM generate_series(1, $LEADS) i;
VACUUM ANALYZE lead_crm.lead;
SQL

cat >"$script" <<SQL
\set id random(1, $LEADS)
UPDATE lead_crm.lead SET status = CASE status WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END
 WHERE tenant_id = 1 AND id = :id;
SQL

triggers() { # triggers enable|disable
	psql -qX -c "ALTER TABLE lead_crm.lead $1 TRIGGER lead_20_state" \
		-c "ALTER TABLE lead_crm.lead $1 TRIGGER lead_80_state_events" >/dev/null
}

per_round=$((UPDATES / ROUNDS))
# seconds for $per_round single-row update transactions
run_pgbench() {
	psql -qX -c 'VACUUM lead_crm.lead' -c 'VACUUM lead_crm.lead_history' >/dev/null
	pgbench -n -M prepared -c 1 -t "$per_round" -f "$script" 2>&1 |
		awk -v n="$per_round" '/^tps = / { printf "%.6f\n", n / $3 }'
}
# seconds for one UPDATE of every lead
run_bulk() {
	psql -qX -c 'VACUUM lead_crm.lead' -c 'VACUUM lead_crm.lead_history' >/dev/null
	psql -qX -c '\timing on' -c "UPDATE lead_crm.lead SET status = CASE status WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END WHERE tenant_id = 1" |
		awk '/^Time: / { printf "%.6f\n", $2 / 1000 }'
}

with_a=0 without_a=0 with_b=0 without_b=0
for r in $(seq 1 "$ROUNDS"); do
	# alternate which side goes first
	for side in $( [ $((r % 2)) -eq 1 ] && echo "with without" || echo "without with"); do
		if [ "$side" = with ]; then triggers ENABLE; else triggers DISABLE; fi
		a=$(run_pgbench)
		b=$(run_bulk)
		if [ "$side" = with ]; then
			with_a=$(echo "$with_a + $a" | bc -l); with_b=$(echo "$with_b + $b" | bc -l)
		else
			without_a=$(echo "$without_a + $a" | bc -l); without_b=$(echo "$without_b + $b" | bc -l)
		fi
		printf 'round %d %-7s A %6.2fs (%5.0f tps)  B %6.3fs\n' "$r" "$side" "$a" \
			"$(echo "$per_round / $a" | bc -l)" "$b"
	done
done
triggers ENABLE

ratio_a=$(echo "$with_a / $without_a" | bc -l)
ratio_b=$(echo "$with_b / $without_b" | bc -l)
printf '\nA: %d single-row status UPDATE transactions: with triggers %.2fs, without %.2fs\n' \
	"$((per_round * ROUNDS))" "$with_a" "$without_a"
printf 'A: ratio %.3f (overhead %+.1f%%, target <= 5%%)\n' "$ratio_a" "$(echo "($ratio_a - 1) * 100" | bc -l)"
printf 'B: %d x one UPDATE of %d leads: with %.2fs, without %.2fs\n' "$ROUNDS" "$LEADS" "$with_b" "$without_b"
printf 'B: ratio %.3f (overhead %+.1f%%)\n' "$ratio_b" "$(echo "($ratio_b - 1) * 100" | bc -l)"
psql -qX -d postgres -c "DROP DATABASE $db" >/dev/null

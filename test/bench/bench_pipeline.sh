#!/usr/bin/env bash
# test/bench/bench_pipeline.sh - the pipeline views on N generated leads (default 1M).
#
# Data: tools/gen_leads.py leads (one year of creation dates) in one tenant on
# the Odoo-style pipeline workflow, 20 salespeople; then, written directly with
# triggers off (session_replication_role = replica; bench data only), a
# realistic history: about 60% of leads qualified, half of those proposed, 40%
# of proposals won, a third of the rest lost, a journey lead -> mql -> sql ->
# target -> customer with the same kind of drop-off (a few skip to customer or
# fall to unknown), times between moves drawn from exponential distributions
# and never after now; two activities per lead (85% done, the open ones due
# within two weeks of today either way); lead_history rows for every move,
# activity and assignment, as the triggers would have written them.
#
# Each view is read three times; the best time is printed with its ratio to
# the baseline of the same run: one scan of the tenant's leads summing their
# expected revenue (what any per-lead aggregate has to pay at least). Then the
# views reading the state history are timed without lead_history_state_idx.
#   test/bench/bench_pipeline.sh [N]
#   REUSE=1 test/bench/bench_pipeline.sh [N]   # time again on the data of the last run
# Uses the running cluster of PG* or starts tools/pgenv.sh's (test/bench/common.bash).
set -euo pipefail
n=${1:-1000000}
. "$(dirname "$0")/common.bash"
db=lead_crm_bench_pipeline
q() { psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
if [ -n "${REUSE:-}" ] && [ "$(psql -XAtq -d "$db" -c 'SELECT count(*) FROM lead_crm.lead' 2>/dev/null)" = "$n" ]; then
	export PGDATABASE=$db
else
bench_db "$db"

t0=$(date +%s)
q <<'SQL'
SELECT FROM lead_crm.set_status_workflow('pipeline');
INSERT INTO lead_crm.sales_team (id, name) VALUES (1, 'Miền Bắc'), (2, 'Miền Nam');
INSERT INTO lead_crm.salesperson (id, full_name, team_id)
SELECT g, 'Nhân viên ' || g, 1 + (g > 10)::int FROM generate_series(1, 20) g;
SQL
load_leads "$n" 1
echo "loaded $n leads in $(( $(date +%s) - t0 )) s"

t0=$(date +%s)
q <<'SQL'
SET session_replication_role = replica;
SELECT setseed(0.42);
-- one row of draws per lead
CREATE TEMP TABLE draw AS
SELECT l.id, l.created_at, 1 + (l.id % 20) AS salesperson_id,
	   random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5,
	   random() AS v1, random() AS v2, random() AS v3, random() AS v4, random() AS v5,
	   interval '1 day' * -ln(1 - random()) * 4  AS d1,
	   interval '1 day' * -ln(1 - random()) * 9  AS d2,
	   interval '1 day' * -ln(1 - random()) * 14 AS d3,
	   interval '1 day' * -ln(1 - random()) * 6  AS e1,
	   interval '1 day' * -ln(1 - random()) * 12 AS e2,
	   interval '1 day' * -ln(1 - random()) * 20 AS e3,
	   interval '1 day' * -ln(1 - random()) * 30 AS e4
  FROM lead_crm.lead l;

CREATE TEMP TABLE moves (lead_id bigint, field name, old_value text, new_value text, changed_at timestamptz);
INSERT INTO moves
SELECT id, 'status', 'new', 'qualified', created_at + d1 FROM draw WHERE u1 < 0.6
UNION ALL
SELECT id, 'status', 'qualified', 'proposition', created_at + d1 + d2 FROM draw WHERE u1 < 0.6 AND u2 < 0.5
UNION ALL
SELECT id, 'status', 'proposition', CASE WHEN u3 < 0.4 THEN 'won' ELSE 'lost' END, created_at + d1 + d2 + d3
  FROM draw WHERE u1 < 0.6 AND u2 < 0.5 AND u3 < 0.7
UNION ALL
SELECT id, 'status', 'qualified', 'lost', created_at + d1 + d2 FROM draw WHERE u1 < 0.6 AND u2 >= 0.5 AND u4 < 0.35
UNION ALL
SELECT id, 'status', 'new', 'lost', created_at + d1 FROM draw WHERE u1 >= 0.6 AND u4 < 0.35
UNION ALL
SELECT id, 'lifecycle', 'lead', CASE WHEN v5 < 0.05 THEN 'unknown' WHEN v5 < 0.08 THEN 'customer' ELSE 'mql' END,
	   created_at + e1 FROM draw WHERE v1 < 0.45 OR v5 < 0.08
UNION ALL
SELECT id, 'lifecycle', 'mql', 'sql', created_at + e1 + e2 FROM draw WHERE v1 < 0.45 AND v5 >= 0.08 AND v2 < 0.5
UNION ALL
SELECT id, 'lifecycle', 'sql', 'target', created_at + e1 + e2 + e3
  FROM draw WHERE v1 < 0.45 AND v5 >= 0.08 AND v2 < 0.5 AND v3 < 0.5
UNION ALL
SELECT id, 'lifecycle', 'target', 'customer', created_at + e1 + e2 + e3 + e4
  FROM draw WHERE v1 < 0.45 AND v5 >= 0.08 AND v2 < 0.5 AND v3 < 0.5 AND v4 < 0.5;
DELETE FROM moves WHERE changed_at > now();
-- times grow along each path, so what is left is a prefix of it

INSERT INTO lead_crm.lead_history (tenant_id, lead_id, field, old_value, new_value, changed_at, reason)
SELECT 1, lead_id, field, old_value, new_value, changed_at, NULL FROM moves ORDER BY changed_at;
-- assignment: one row per lead, at creation
INSERT INTO lead_crm.lead_history (tenant_id, lead_id, field, old_value, new_value, changed_at, reason)
SELECT 1, id, 'salesperson_id', NULL, salesperson_id::text, created_at, 'phân công tự động' FROM draw;

-- each lead ends in the state of its last move
CREATE TEMP TABLE final AS
SELECT d.id, d.salesperson_id, d.created_at, d.u1, d.u2, s.new_value AS status, c.new_value AS lifecycle
  FROM draw d
  LEFT JOIN (SELECT DISTINCT ON (lead_id) lead_id, new_value FROM moves WHERE field = 'status'
			  ORDER BY lead_id, changed_at DESC) s ON s.lead_id = d.id
  LEFT JOIN (SELECT DISTINCT ON (lead_id) lead_id, new_value FROM moves WHERE field = 'lifecycle'
			  ORDER BY lead_id, changed_at DESC) c ON c.lead_id = d.id;
UPDATE lead_crm.lead l
   SET salesperson_id = f.salesperson_id, assigned_at = f.created_at,
	   status = coalesce(f.status, 'new'), lifecycle = coalesce(f.lifecycle, 'lead'),
	   lost_reason = CASE WHEN f.status = 'lost'
						  THEN (ARRAY['too_expensive','price_mismatch','no_need','wrong_product','too_small',
									  'competitor','unreachable','no_stock','other'])[1 + (f.id % 9)] END,
	   lead_type = CASE WHEN f.status IN ('proposition', 'won') OR (f.status = 'lost' AND f.u2 < 0.5 AND f.u1 < 0.6)
						THEN 'opportunity' ELSE 'lead' END,
	   probability = CASE WHEN (f.id * 7919) % 5 = 0 THEN (f.id * 104729) % 101 END
  FROM final f
 WHERE l.tenant_id = 1 AND l.id = f.id;

-- two activities per lead; 85% done
INSERT INTO lead_crm.activity (tenant_id, lead_id, type, summary, due_at, all_day, assignee_id, done_at, result, created_at)
SELECT 1, x.id, (ARRAY['call','email','meeting','todo','zalo'])[1 + ((x.id + x.k) % 5)], 'Hoạt động ' || x.k,
	   CASE WHEN x.o THEN now() + (x.r - 0.5) * interval '28 days' ELSE x.done END,
	   x.r < 0.3, x.salesperson_id,
	   CASE WHEN NOT x.o THEN x.done END,
	   CASE WHEN NOT x.o THEN 'Đã liên hệ' END,
	   x.created_at
  FROM (SELECT d.id, d.salesperson_id, d.created_at, k, random() < 0.15 AS o, random() AS r,
			   least(d.created_at + random() * interval '30 days', now() - interval '1 hour') AS done
		  FROM draw d CROSS JOIN generate_series(1, 2) k) x;
INSERT INTO lead_crm.lead_history (tenant_id, lead_id, field, old_value, new_value, changed_at, reason)
SELECT 1, a.lead_id, 'activity', NULL, 'Gọi #' || a.id, a.created_at, 'lên lịch hoạt động' FROM lead_crm.activity a
UNION ALL
SELECT 1, a.lead_id, 'activity', 'Gọi #' || a.id, 'xong', a.done_at, 'hoàn thành' FROM lead_crm.activity a WHERE a.done_at IS NOT NULL;
SET session_replication_role = origin;
SQL
# the UPDATE above left a dead copy of every lead, which a load would not have
q -c "VACUUM FULL lead_crm.lead" -c "VACUUM ANALYZE"
echo "history and activities in $(( $(date +%s) - t0 )) s"
fi
q <<'SQL'
SELECT format('data: %s leads, %s lead_history rows (%s status, %s lifecycle), %s activities (%s open)',
			  (SELECT count(*) FROM lead_crm.lead),
			  (SELECT count(*) FROM lead_crm.lead_history),
			  (SELECT count(*) FROM lead_crm.lead_history WHERE field = 'status'),
			  (SELECT count(*) FROM lead_crm.lead_history WHERE field = 'lifecycle'),
			  (SELECT count(*) FROM lead_crm.activity),
			  (SELECT count(*) FROM lead_crm.activity WHERE done_at IS NULL));
SQL

best() { # best of three timings of one statement, in ms
	local a b c
	a=$(ms "$1"); b=$(ms "$1"); c=$(ms "$1")
	printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1
}
base=$(best "SELECT count(*), sum(expected_revenue) FROM lead_crm.lead WHERE tenant_id = 1")
printf '%-58s %9s ms  %s\n' "baseline: scan of the tenant's leads" "$base" "1.00"
for v in \
	"SELECT * FROM lead_crm.pipeline_summary" \
	"SELECT * FROM lead_crm.funnel" \
	"SELECT * FROM lead_crm.source_effectiveness" \
	"SELECT * FROM lead_crm.source_effectiveness_monthly" \
	"SELECT * FROM lead_crm.salesperson_performance" \
	"SELECT count(*) FROM lead_crm.activity_agenda" \
	"SELECT * FROM lead_crm.activity_agenda WHERE assignee_id = 7" \
	"SELECT * FROM lead_crm.activity_agenda WHERE state = 'overdue' AND assignee_id = 7" \
	"SELECT * FROM lead_crm.lost_reasons" \
	"SELECT * FROM lead_crm.stage_velocity"; do
	t=$(best "$v")
	printf '%-58s %9s ms  %s\n' "${v#SELECT }" "$t" "$(echo "scale=2; $t / $base" | bc)"
done

q -c "DROP INDEX lead_crm.lead_history_state_idx"
for v in "SELECT * FROM lead_crm.funnel" "SELECT * FROM lead_crm.stage_velocity"; do
	t=$(best "$v")
	printf '%-58s %9s ms  %s\n' "${v#SELECT } (no state index)" "$t" "$(echo "scale=2; $t / $base" | bc)"
done
q -c "CREATE INDEX lead_history_state_idx ON lead_crm.lead_history (tenant_id, lead_id, field, changed_at, id)
	  INCLUDE (old_value, new_value) WHERE field IN ('status', 'lifecycle')"

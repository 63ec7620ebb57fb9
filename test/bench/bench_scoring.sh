#!/usr/bin/env bash
# test/bench/bench_scoring.sh - scoring 1M leads through lead_crm.lead_scores.
#
# Setup: 1M generated leads (tools/gen_leads.py), BANT answers on all of them
# (levels, amounts, decision dates, unknowns, labels), 0.8 done activities per lead
# on 60% of them, 20% closed (won / lost) so the win model is ready. History
# triggers are off during the setup only.
#
# Measured in the same run, median of 3, single backend (no parallel workers):
#   baseline  count/avg over the lead table (a plain scan)
#   sql_bant  the BANT arithmetic as SQL joins to bant_level (levels only: no
#             amounts, dates or explanations) - what a SQL implementation costs
#   view      count/avg over lead_scores: each column alone, then all of them
#   lookup    20 000 single-lead lookups: lead row vs lead_scores row vs bant_score()
#   learning  closing 5% of the leads in one UPDATE with and without the win model
#             triggers, and refresh_win_model() over the 200k closed leads
#
#   LEADS=1000000 test/bench/bench_scoring.sh
set -euo pipefail
LEADS=${LEADS:-1000000}
. "$(dirname "$0")/common.bash"
export PGOPTIONS="$PGOPTIONS -c max_parallel_workers_per_gather=0"
bench_db lead_crm_bench_scoring >/dev/null

sec() { # sec <sql>: wall seconds of one statement
	awk -v ms="$(ms "$1")" 'BEGIN { printf "%.2f", ms / 1000 }'
}
median3() { # median3 <sql>: median wall ms of 3 runs
	local a b c
	a=$(ms "$1"); b=$(ms "$1"); c=$(ms "$1")
	printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -g | sed -n 2p
}

echo "lead_crm scoring benchmark: $LEADS leads, single backend, median of 3 runs"
t=$(date +%s)
load_leads "$LEADS" 1
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
ALTER TABLE lead_crm.lead DISABLE TRIGGER lead_90_history, DISABLE TRIGGER lead_91_history_flush;
ALTER TABLE lead_crm.activity DISABLE TRIGGER activity_10_before_write, DISABLE TRIGGER activity_90_history;
UPDATE lead_crm.lead SET
	authority = (ARRAY['decision_maker', 'influencer', 'user', 'unknown', NULL])[1 + (id * 7) % 5],
	need_level = (ARRAY['high', 'medium', 'low', 'none', 'unknown', NULL])[1 + (id * 11) % 6],
	timeline = CASE WHEN id % 4 <> 0 THEN (ARRAY['within_1_month', 'within_3_months', 'within_6_months',
		'within_12_months', 'later', 'no_plan', NULL])[1 + (id * 13) % 7] END,
	decision_date = CASE WHEN id % 4 = 0 THEN current_date + ((id * 17) % 400 - 30)::int END,
	budget_amount = CASE WHEN id % 3 = 0 THEN ((id * 31) % 400) * 1000000 END,
	budget_level = CASE WHEN id % 3 = 1 THEN (ARRAY['none', 'low', 'medium', 'high', 'Ngân sách cao'])[1 + (id * 19) % 5] END
 WHERE tenant_id = 1;
INSERT INTO lead_crm.activity (tenant_id, lead_id, type, summary, due_at, done_at)
SELECT 1, id, 'call', 'Gọi', now() - ((id * 23) % 120) * interval '1 day', now() - ((id * 23) % 120) * interval '1 day'
  FROM lead_crm.lead WHERE tenant_id = 1 AND id % 5 < 3
UNION ALL
SELECT 1, id, 'meeting', 'Gặp', now() - ((id * 29) % 60) * interval '1 day', now() - ((id * 29) % 60) * interval '1 day'
  FROM lead_crm.lead WHERE tenant_id = 1 AND id % 5 = 0;
-- closing without and with the learning triggers is timed below; these are the rest
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao' WHERE tenant_id = 1 AND id % 20 IN (2, 3);
SQL
echo "setup (load, BANT answers, activities, 100k lost): $(($(date +%s) - t)) s"

off=$(sec "ALTER TABLE lead_crm.lead DISABLE TRIGGER lead_85_win_model, DISABLE TRIGGER lead_86_win_model,
	DISABLE TRIGGER lead_87_win_model, DISABLE TRIGGER lead_88_win_model_flush;
	UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE tenant_id = 1 AND id % 20 = 0;
	ALTER TABLE lead_crm.lead ENABLE TRIGGER lead_85_win_model, ENABLE TRIGGER lead_86_win_model,
	ENABLE TRIGGER lead_87_win_model, ENABLE TRIGGER lead_88_win_model_flush;")
on=$(sec "UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE tenant_id = 1 AND id % 20 = 1")
refresh=$(sec "SELECT lead_crm.refresh_win_model()")
psql -qX -c 'VACUUM ANALYZE lead_crm.lead' -c 'VACUUM ANALYZE lead_crm.activity'
echo "closing $((LEADS / 20)) leads in one UPDATE: ${off} s without the win model triggers, ${on} s with them ($(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }')x)"
echo "refresh_win_model() over $(psql -qXAt -c "SELECT won + lost FROM lead_crm.win_model_count WHERE feature = 'total'") closed leads: ${refresh} s"
psql -qXAt -c "SELECT 'model: ' || CASE WHEN ready THEN 'ready' ELSE reason END || ', ' || won || ' won, ' || lost || ' lost' FROM lead_crm.win_model_status()"
echo

declare -A q=(
	[baseline]="SELECT count(*), avg(priority), avg(length(full_name)) FROM lead_crm.lead WHERE tenant_id = 1"
	[sql_bant]="SELECT count(*), avg(round((s.budget_weight * coalesce(b.points, 0) + s.authority_weight * coalesce(a.points, 0)
		+ s.need_weight * coalesce(n.points, 0) + s.timeline_weight * coalesce(t.points, 0)) / 100.0))
	  FROM lead_crm.lead l JOIN lead_crm.scoring_settings s ON s.tenant_id = l.tenant_id
	  LEFT JOIN lead_crm.bant_level b ON b.tenant_id = l.tenant_id AND b.criterion = 'budget' AND b.code = l.budget_level
	  LEFT JOIN lead_crm.bant_level a ON a.tenant_id = l.tenant_id AND a.criterion = 'authority' AND a.code = l.authority
	  LEFT JOIN lead_crm.bant_level n ON n.tenant_id = l.tenant_id AND n.criterion = 'need' AND n.code = l.need_level
	  LEFT JOIN lead_crm.bant_level t ON t.tenant_id = l.tenant_id AND t.criterion = 'timeline' AND t.code = l.timeline
	 WHERE l.tenant_id = 1"
	[bant_score]="SELECT count(*), avg(bant_score) FROM lead_crm.lead_scores"
	[temperature]="SELECT temperature, count(*) FROM lead_crm.lead_scores GROUP BY 1"
	[completeness]="SELECT count(*), avg(completeness) FROM lead_crm.lead_scores"
	[win_probability]="SELECT count(*), avg(win_probability) FROM lead_crm.lead_scores"
	[all_columns]="SELECT count(*), avg(bant_score), avg(completeness), avg(win_probability),
		count(*) FILTER (WHERE temperature = 'hot'), max(last_activity_at) FROM lead_crm.lead_scores"
)
printf '%-30s %9s %9s %12s\n' "query over $LEADS leads" "ms" "ratio" "ns per lead"
for k in baseline sql_bant bant_score temperature completeness win_probability all_columns; do
	m=$(median3 "${q[$k]}")
	[ "$k" = baseline ] && base=$m
	printf '%-30s %9.0f %9.2f %12.0f\n' "$k" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN { print a / b }')" \
		"$(awk -v a="$m" -v n="$LEADS" 'BEGIN { print a * 1e6 / n }')"
done
psql -qXAt -F ' ' -c "SELECT 'temperatures:', string_agg(temperature || ' ' || n, ', ' ORDER BY temperature)
	FROM (SELECT temperature, count(*) n FROM lead_crm.lead_scores GROUP BY 1) t"
echo

psql -qXAt -v ON_ERROR_STOP=1 <<SQL
CREATE FUNCTION pg_temp.lookups(kind text, n int, leads int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
	t0 timestamptz := clock_timestamp();
	r record;
	s integer;
BEGIN
	FOR i IN 1..n LOOP
		IF kind = 'lead row' THEN
			SELECT * INTO r FROM lead_crm.lead WHERE tenant_id = 1 AND id = 1 + (i::bigint * 7919) % leads;
		ELSIF kind = 'lead_scores row' THEN
			SELECT * INTO r FROM lead_crm.lead_scores WHERE lead_id = 1 + (i::bigint * 7919) % leads;
		ELSE
			s := lead_crm.bant_score(1 + (i::bigint * 7919) % leads);
		END IF;
	END LOOP;
	RETURN extract(epoch FROM clock_timestamp() - t0) * 1e6 / n;
END \$\$;
SELECT pg_temp.lookups('lead_scores row', 1000, $LEADS) \g /dev/null
SELECT format('%-30s %8s µs', 'per-lead lookup', 'median');
SELECT format('%-30s %8s µs', k, round(percentile_disc(0.5) WITHIN GROUP (ORDER BY us)::numeric, 1))
  FROM (SELECT k, pg_temp.lookups(k, 20000, $LEADS) AS us
		  FROM unnest(ARRAY['lead row', 'lead_scores row', 'bant_score()']) AS k, generate_series(1, 3)) r
 GROUP BY k ORDER BY min(us);
SQL
[ -n "${KEEP_DB:-}" ] || psql -qX -d postgres -c "DROP DATABASE IF EXISTS lead_crm_bench_scoring"

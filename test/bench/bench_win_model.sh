#!/usr/bin/env bash
# test/bench/bench_win_model.sh - calibration of the naive Bayes win model on
# generated history with a known dependence of the outcome on the features
# (test/bench/gen_win_history.py): closed leads are loaded (the model learns
# on insert), the held-out fifth is scored, and the Brier score of the model
# is compared with the base rate (the training win rate for everyone) and
# with the true probabilities (the best any model could do). A learning curve
# repeats it with 50 .. 16 000 closed leads; a calibration table compares the
# predicted and the observed win rate per tenth of the predictions.
#
#   COUNT=20000 SEED=3 test/bench/bench_win_model.sh
# Uses the cluster of PG* if set, else starts (and stops) tools/pgenv.sh's.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
COUNT=${COUNT:-20000}
SEED=${SEED:-3}

own_cluster=
cleanup() { if [ -n "$own_cluster" ]; then "$top/tools/pgenv.sh" stop; fi; }
trap cleanup EXIT
if [ -z "${PGHOST:-}" ]; then
	"$top/tools/pgenv.sh" install >/dev/null
	"$top/tools/pgenv.sh" start
	own_cluster=1
	eval "$("$top/tools/pgenv.sh" env)"
fi
export PGOPTIONS='-c client_min_messages=warning -c max_parallel_workers_per_gather=0'
db=lead_crm_bench_win
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db
csv=$top/.build/bench/win_history_${COUNT}_${SEED}.csv
mkdir -p "$(dirname "$csv")"
[ -s "$csv" ] || python3 "$top/test/bench/gen_win_history.py" --count "$COUNT" --seed "$SEED" >"$csv"

psql -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE EXTENSION lead_crm CASCADE;
CREATE TABLE history (id int, kind text, full_name text, company_name text, email text, province text,
	source text, campaign text, industry text, tags text[], salesperson int, true_p float8, won boolean);
\copy history FROM '$csv' WITH (FORMAT csv, HEADER)
UPDATE history SET company_name = nullif(company_name, ''), email = nullif(email, ''),
	campaign = nullif(campaign, ''), industry = nullif(industry, '');
-- the values the model sees, as the lead's generated columns would hold them
ALTER TABLE history ADD COLUMN province_canon text, ADD COLUMN email_key text;
UPDATE history SET province_canon = lead_crm.normalize_province(province), email_key = lead_crm.normalize_email(email);
ANALYZE history;
SQL

echo "lead_crm win model calibration: $COUNT generated closed leads (seed $SEED), every fifth held out"
psql -qXAt -v ON_ERROR_STOP=1 -F ' ' <<'SQL'
SET lead_crm.auto_assign = off;
-- tenant 1 learns from all training leads; tenants 11.. from the first n of them
CREATE FUNCTION pg_temp.load(tenant int, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
	PERFORM set_config('lead_crm.tenant', tenant::text, true);
	PERFORM lead_crm.create_tenant(tenant);
	UPDATE lead_crm.scoring_settings SET win_min_closed = 30 WHERE tenant_id = tenant;	-- to show the curve below the default 100
	INSERT INTO lead_crm.salesperson (tenant_id, id, full_name)
	SELECT tenant, i, 'Nhân viên ' || i FROM generate_series(1, 8) i;
	t0 := clock_timestamp();
	INSERT INTO lead_crm.lead (tenant_id, id, kind, full_name, company_name, email, province, source,
							   campaign, industry, tags, salesperson_id, lifecycle, status, lost_reason)
	SELECT tenant, h.id, h.kind, h.full_name, h.company_name, h.email, h.province, h.source, h.campaign,
		   h.industry, h.tags, h.salesperson,
		   CASE WHEN h.won THEN 'customer' ELSE 'lead' END,
		   CASE WHEN h.won THEN 'new' ELSE 'lost' END,
		   CASE WHEN NOT h.won THEN 'Giá quá cao' END
	  FROM (SELECT * FROM history WHERE id % 5 <> 0 ORDER BY id LIMIT n) h;
	RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;
CREATE FUNCTION pg_temp.p(tenant int, h history) RETURNS float8 LANGUAGE sql AS $$
	SELECT lead_crm.win_probability_of(tenant, 'new', 'lead', h.source, h.campaign, h.province_canon,
		h.industry, h.kind, h.email_key, h.company_name, h.salesperson::bigint, h.tags) $$;

SELECT 'training leads: ' || count(*) || ', held out: ' || (SELECT count(*) FROM history WHERE id % 5 = 0)
  FROM history WHERE id % 5 <> 0;
SELECT format('learning on insert: %s closed leads in %s s (%s µs per lead, with every lead trigger)',
			  count(*), round(pg_temp.load(1, 1000000)::numeric, 2),
			  round((pg_temp.load(2, 1000000) * 1e6 / count(*))::numeric, 1))
  FROM history WHERE id % 5 <> 0;
SET lead_crm.tenant = 1;
CREATE TEMP TABLE learned AS SELECT feature, value, sum(won) w, sum(lost) l
  FROM lead_crm.win_model_count WHERE tenant_id = 1 GROUP BY 1, 2;
CREATE TEMP TABLE refreshed AS
SELECT lead_crm.refresh_win_model() AS n, clock_timestamp() - statement_timestamp() AS took;
SELECT format('refresh_win_model(): %s closed leads recounted in %s ms; counts %s the incremental ones',
			  n, round(extract(epoch FROM took)::numeric * 1000),
			  CASE WHEN EXISTS ((SELECT feature, value, won, lost FROM lead_crm.win_model_count WHERE tenant_id = 1
								 EXCEPT SELECT * FROM learned WHERE w <> 0 OR l <> 0)
								UNION ALL
								(SELECT * FROM learned WHERE w <> 0 OR l <> 0
								 EXCEPT SELECT feature, value, won, lost FROM lead_crm.win_model_count WHERE tenant_id = 1))
				   THEN 'DIFFER FROM' ELSE 'equal' END)
  FROM refreshed;

CREATE TEMP TABLE scored AS
SELECT h.id, h.won::int AS y, h.true_p, pg_temp.p(1, h) AS p,
	   (SELECT avg(won::int) FROM history WHERE id % 5 <> 0) AS base
  FROM history h WHERE h.id % 5 = 0;
\echo
\echo 'held-out Brier score (lower is better) and log loss'
SELECT rpad(m, 32), round(brier::numeric, 4) AS brier, round(logloss::numeric, 4) AS logloss
  FROM (SELECT 'base rate (' || round(avg(base)::numeric, 3) || ' for all)' AS m, avg((base - y) ^ 2) AS brier,
			   avg(-(y * ln(base) + (1 - y) * ln(1 - base))) AS logloss, 1 AS o FROM scored
		UNION ALL
		SELECT 'naive Bayes win_probability', avg((p - y) ^ 2), avg(-(y * ln(p) + (1 - y) * ln(1 - p))), 2 FROM scored
		UNION ALL
		SELECT 'true probabilities (best)', avg((true_p - y) ^ 2),
			   avg(-(y * ln(true_p) + (1 - y) * ln(1 - true_p))), 3 FROM scored) r
 ORDER BY o;
SELECT format('Brier skill score vs base rate: %s (share of the possible improvement reached: %s)',
			  round((1 - avg((p - y) ^ 2) / avg((base - y) ^ 2))::numeric, 3),
			  round(((avg((base - y) ^ 2) - avg((p - y) ^ 2)) / (avg((base - y) ^ 2) - avg((true_p - y) ^ 2)))::numeric, 3))
  FROM scored;
\echo
\echo 'calibration by tenth of the predictions: mean predicted, observed win rate, leads'
SELECT decile, round(avg(p)::numeric, 3), round(avg(y)::numeric, 3), count(*)
  FROM (SELECT ntile(10) OVER (ORDER BY p) AS decile, p, y FROM scored) d GROUP BY decile ORDER BY decile;
\echo
\echo 'learning curve: closed leads learned from, held-out Brier (model / base rate), ready'
SELECT n, CASE WHEN s.ready THEN round(avg((pg_temp.p(10 + k, h) - h.won::int) ^ 2)::numeric, 4)::text ELSE 'NULL' END,
	   round(avg((b.base - h.won::int) ^ 2)::numeric, 4), coalesce(s.reason, 'ready')
  FROM (VALUES (1, 20), (2, 50), (3, 100), (4, 200), (5, 500), (6, 1000), (7, 4000), (8, 16000)) AS c (k, n)
 CROSS JOIN LATERAL (SELECT pg_temp.load(10 + c.k, c.n)) AS l
 CROSS JOIN LATERAL (SELECT * FROM lead_crm.win_model_status(10 + c.k)) AS s
 CROSS JOIN LATERAL (SELECT avg(won::int) AS base FROM (SELECT won FROM history WHERE id % 5 <> 0 ORDER BY id LIMIT c.n) x) AS b
 CROSS JOIN history h
 WHERE h.id % 5 = 0
 GROUP BY c.k, n, s.ready, s.reason ORDER BY c.k;
SQL
[ -n "${KEEP_DB:-}" ] || psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null

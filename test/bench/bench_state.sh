#!/usr/bin/env bash
# test/bench/bench_state.sh - what the state machine triggers cost on status
# UPDATEs: 100k single-row UPDATE transactions (each commits) on lead_crm.lead
#   without  lead_20_state, lead_80_state_events and lead_81_state_guards
#            disabled (the same table without them)
#   check    both enabled, tenant.notify_events off: enforcement alone
#   with     both enabled, events on (the default): enforcement + NOTIFY
# in one run, in interleaved rounds (order alternating), so that table growth
# and the noise of a shared machine hit every mode alike. The UPDATEs run in a
# server-side loop to measure the server's work, not client round trips, which
# would dilute the ratio. Reports wall and backend CPU time, and the median of
# the per-round ratios. Target: "with" vs "without" overhead <= 5%.
#
#   UPDATES=100000 ROUNDS=50 LEADS=100000 test/bench/bench_state.sh
# Uses the cluster of PG* if set, else starts (and stops) tools/pgenv.sh's.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
LEADS=${LEADS:-100000}
UPDATES=${UPDATES:-100000}
ROUNDS=${ROUNDS:-50}

own_cluster=
cleanup() { if [ -n "$own_cluster" ]; then "$top/tools/pgenv.sh" stop; fi; }
trap cleanup EXIT
if [ -z "${PGHOST:-}" ]; then
	"$top/tools/pgenv.sh" install >/dev/null
	"$top/tools/pgenv.sh" start
	own_cluster=1
	eval "$("$top/tools/pgenv.sh" env)"
fi
db=lead_crm_bench_state
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
export PGDATABASE=$db
psql -qX -v ON_ERROR_STOP=1 >/dev/null 2>&1 <<SQL
CREATE EXTENSION lead_crm CASCADE;
INSERT INTO lead_crm.lead (full_name, phone, status)
SELECT 'Khách ' || i, '09' || lpad(i::text, 8, '0'), 'contacting' FROM generate_series(1, $LEADS) i;
VACUUM ANALYZE lead_crm.lead;
SQL

echo "lead_crm state machine benchmark: $UPDATES status UPDATE transactions per mode, $ROUNDS rounds, $LEADS leads"
psql -qXAt -v ON_ERROR_STOP=1 <<SQL
-- backend CPU time in clock ticks (utime + stime of /proc/self/stat)
CREATE FUNCTION pg_temp.cpu_ticks() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint FROM pg_read_file('/proc/self/stat') s \$\$;
CREATE TEMP TABLE runs (round int, mode text, wall float8, cpu bigint);

CREATE PROCEDURE pg_temp.bench(rounds int, per_round int, leads int)
LANGUAGE plpgsql AS \$\$
DECLARE
	modes text[] := '{without,check,with}';
	triggers text[] := '{lead_20_state,lead_80_state_events,lead_81_state_guards}';
	trg text;
	mode text;
	c0 bigint;
	t0 timestamptz;
	k int := 0;
BEGIN
	FOR r IN 1..rounds LOOP
		FOR j IN 1..3 LOOP
			mode := modes[CASE WHEN r % 2 = 1 THEN j ELSE 4 - j END];
			FOREACH trg IN ARRAY triggers LOOP
				EXECUTE format('ALTER TABLE lead_crm.lead %s TRIGGER %I',
							   CASE mode WHEN 'without' THEN 'DISABLE' ELSE 'ENABLE' END, trg);
			END LOOP;
			UPDATE lead_crm.tenant SET notify_events = (mode = 'with') WHERE tenant_id = 1;
			COMMIT;
			-- warm the caches (workflows, plans) outside the timing
			UPDATE lead_crm.lead SET status = CASE status WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END
			 WHERE tenant_id = 1 AND id = 1;
			COMMIT;
			c0 := pg_temp.cpu_ticks();
			t0 := clock_timestamp();
			FOR i IN 1..per_round LOOP
				k := k + 1;
				UPDATE lead_crm.lead SET status = CASE status WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END
				 WHERE tenant_id = 1 AND id = 1 + (k::bigint * 7919) % leads;
				COMMIT;
			END LOOP;
			INSERT INTO runs VALUES (r, mode, extract(epoch FROM clock_timestamp() - t0), pg_temp.cpu_ticks() - c0);
			COMMIT;
		END LOOP;
	END LOOP;
END \$\$;
CALL pg_temp.bench($ROUNDS, $UPDATES / $ROUNDS, $LEADS);

ALTER TABLE lead_crm.lead ENABLE TRIGGER lead_20_state;
ALTER TABLE lead_crm.lead ENABLE TRIGGER lead_80_state_events;
ALTER TABLE lead_crm.lead ENABLE TRIGGER lead_81_state_guards;
UPDATE lead_crm.tenant SET notify_events = true WHERE tenant_id = 1;

\pset format aligned
\pset tuples_only off
\pset footer off
SELECT mode, sum(wall)::numeric(8,2) AS wall_s, (sum(cpu) / 100.0)::numeric(8,2) AS cpu_s,
	   round(($UPDATES / sum(wall))::numeric) AS updates_per_s
  FROM runs GROUP BY mode ORDER BY min(CASE mode WHEN 'without' THEN 1 WHEN 'check' THEN 2 ELSE 3 END);
WITH per_round AS (
	SELECT round,
		   max(wall) FILTER (WHERE mode = 'with') / max(wall) FILTER (WHERE mode = 'without') AS with_r,
		   max(wall) FILTER (WHERE mode = 'check') / max(wall) FILTER (WHERE mode = 'without') AS check_r
	  FROM runs GROUP BY round
), totals AS (
	SELECT sum(wall) FILTER (WHERE mode = 'with') / sum(wall) FILTER (WHERE mode = 'without') AS with_w,
		   sum(wall) FILTER (WHERE mode = 'check') / sum(wall) FILTER (WHERE mode = 'without') AS check_w,
		   sum(cpu) FILTER (WHERE mode = 'with')::float8 / sum(cpu) FILTER (WHERE mode = 'without') AS with_c,
		   sum(cpu) FILTER (WHERE mode = 'check')::float8 / sum(cpu) FILTER (WHERE mode = 'without') AS check_c
	  FROM runs
)
SELECT c.what, to_char(c.wall_ratio, 'FM0.000') AS wall_ratio, to_char(c.cpu_ratio, 'FM0.000') AS cpu_ratio,
	   to_char(c.median_round_ratio, 'FM0.000') AS median_round_ratio,
	   to_char((c.median_round_ratio - 1) * 100, 'FMS990.0') || '%' AS overhead
  FROM totals t,
	   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY with_r) AS with_m,
			   percentile_cont(0.5) WITHIN GROUP (ORDER BY check_r) AS check_m FROM per_round) m,
	   LATERAL (VALUES ('with triggers (check + events) / without', t.with_w, t.with_c, m.with_m),
					   ('check only (events off) / without', t.check_w, t.check_c, m.check_m))
		   AS c (what, wall_ratio, cpu_ratio, median_round_ratio);
SQL
echo "target: overhead of \"with\" <= 5% (median of the per-round wall-time ratios)"
psql -qX -d postgres -c "DROP DATABASE $db" >/dev/null

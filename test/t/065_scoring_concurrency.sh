#!/usr/bin/env bash
# test/t/065_scoring_concurrency.sh - learning on close never makes sessions wait
# for each other (the counts are delta rows, only inserted), and a
# refresh_win_model() that runs while another session closes leads neither
# loses nor double-counts them.
set -uo pipefail
. "$(dirname "$0")/tap.bash"
db=lead_crm_scoring_conc

qdb() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
wait_for() { # wait_for <app> <sql condition on pg_stat_activity>
	for _ in $(seq 1 100); do
		[ "$(qdb "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND $2")" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}
# the summed counts, then the same after a recount
counts() { qdb "SELECT string_agg(feature || '=' || value || ':' || w || '/' || l, ' ' ORDER BY feature, value)
	FROM (SELECT feature, value, sum(won) w, sum(lost) l FROM lead_crm.win_model_count
		   GROUP BY 1, 2 HAVING sum(won) <> 0 OR sum(lost) <> 0) c"; }

fresh_db "$db"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
qdb "INSERT INTO lead_crm.lead (id, full_name, source, kind) SELECT i, 'Khách ' || i,
	(ARRAY['facebook', 'zalo', 'referral'])[1 + i % 3], 'person' FROM generate_series(1, 40) i"

# 1. A closes leads with the same features and holds its transaction; B closes
#    others meanwhile with a lock timeout: it must not wait for A
PGAPPNAME=close_a psql -qXAt -d "$db" >"$tmp/a.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id IN (1, 4, 7);
SELECT pg_sleep(1.5);
COMMIT;
SQL
a=$!
wait_for close_a "wait_event = 'PgSleep'"
ok $? "session A closed leads and holds its transaction"
PGAPPNAME=close_b PGOPTIONS="$PGOPTIONS -c lock_timeout=500" psql -qXAt -v ON_ERROR_STOP=1 -d "$db" \
	-c "UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id IN (10, 13)" \
	-c "UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao' WHERE id IN (2, 5)" >"$tmp/b.out" 2>&1
ok $? "session B closes leads with the same features without waiting for A $(tr '\n' ' ' <"$tmp/b.out")"
wait $a
is "$(qdb "SELECT sum(won) || '/' || sum(lost) FROM lead_crm.win_model_count WHERE feature = 'total'")" "5/2" \
	"both sessions' closes are counted"

# 2. a refresh while C has closed leads but not committed: C's leads are not in
#    the refresh's snapshot and C's delta rows are not deleted by it
PGAPPNAME=close_c psql -qXAt -d "$db" >"$tmp/c.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id IN (16, 19, 22);
UPDATE lead_crm.lead SET lifecycle = 'unknown' WHERE id = 1;
SELECT pg_sleep(1.5);
COMMIT;
SQL
c=$!
wait_for close_c "wait_event = 'PgSleep'"
ok $? "session C changed closed leads and holds its transaction"
qdb "SELECT lead_crm.refresh_win_model()" >"$tmp/r.out" 2>&1
ok $? "refresh_win_model() runs meanwhile"
wait $c
learned=$(counts)
qdb "SELECT lead_crm.refresh_win_model()" >/dev/null
is "$learned" "$(counts)" "after C commits the counts equal a recount: nothing lost or counted twice"
is "$(qdb "SELECT sum(won) || '/' || sum(lost) FROM lead_crm.win_model_count WHERE feature = 'total'")" "7/2" \
	"7 won (5 + 3 - 1 reopened), 2 lost"

# 3. a long-lived session sees other sessions' closes and settings at once:
#    its cached model and settings are dropped on their signals
out=$(psql -qXAt -d "$db" <<SQL
SELECT won || ' ' || coalesce(round(lead_crm.win_probability(40)::numeric, 6)::text, 'NULL') FROM lead_crm.win_model_status();
\! psql -qXAt -d "$db" -c "UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id IN (25, 28)" >/dev/null
SELECT won || ' ' || coalesce(round(lead_crm.win_probability(40)::numeric, 6)::text, 'NULL') FROM lead_crm.win_model_status();
\! psql -qXAt -d "$db" -c "UPDATE lead_crm.scoring_settings SET win_min_closed = 5 WHERE tenant_id = 1" >/dev/null
SELECT won || ' ' || coalesce(round(lead_crm.win_probability(40)::numeric, 6)::text, 'NULL') FROM lead_crm.win_model_status();
SQL
)
set -- $out
[ "$1" = 7 ] && [ "$2" = NULL ] && [ "$3" = 9 ] && [ "$4" = NULL ] && [ "$5" = 9 ] && [ "$6" != NULL ]
ok $? "a session's model follows other sessions' closes (7 -> 9 won) and settings (ready at 5): $(echo $out)"
done_testing

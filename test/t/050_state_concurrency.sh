#!/usr/bin/env bash
# test/t/050_state_concurrency.sh - two sessions moving the same lead at once: the
# second waits for the first, is then checked against the state the first
# committed, and no transition is lost (lead_history forms one unbroken chain).
# TAP output; needs the cluster of tools/pgenv.sh (PG* set).
set -uo pipefail
. "$(dirname "$0")/tap.bash"

# ok_diag <status> <name> [diagnostics]: ok, and the diagnostics when it failed
ok_diag() {
	ok "$1" "$2"
	[ "$1" -eq 0 ] || [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
}
db=lead_crm_state_conc

qdb() { psql -qXAt -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

# waits until a session with this application_name is in the given wait state
wait_for() { # wait_for <app> <sql condition on pg_stat_activity>
	for _ in $(seq 1 100); do
		[ "$(qdb "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND $2")" = 1 ] && return 0
		sleep 0.05
	done
	return 1
}

fresh_db "$db"
qdb "INSERT INTO lead_crm.lead (id, full_name) VALUES (1, 'Khách A'), (2, 'Khách B'), (3, 'Khách C')"
qdb "UPDATE lead_crm.lead SET status = 'contacting' WHERE id IN (2, 3)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

# 1. plain UPDATEs: A loses lead 1 and holds its row; B wants new -> contacting,
#    which was valid when B started but not from the state A commits
PGAPPNAME=race_a psql -qXAt -d "$db" >"$tmp/a.out" 2>&1 <<'SQL' &
BEGIN;
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'no_need' WHERE id = 1;
SELECT pg_sleep(1.5);
COMMIT;
SQL
a=$!
wait_for race_a "wait_event = 'PgSleep'"
ok_diag $? "session A holds lead 1 after moving it to lost"
PGAPPNAME=race_b psql -qXAt -d "$db" -c "UPDATE lead_crm.lead SET status = 'contacting' WHERE id = 1" >"$tmp/b.out" 2>&1 &
b=$!
wait_for race_b "wait_event_type = 'Lock'"
ok_diag $? "session B waits for A's row lock"
wait $a
wait $b
grep -q 'invalid status transition from "lost" to "contacting"' "$tmp/b.out"
ok_diag $? "B is checked against the state A committed (lost), not the one it saw (new)" "$(cat "$tmp/b.out")"
hist=$(qdb "SELECT string_agg(old_value || '>' || new_value, ' ' ORDER BY id) FROM lead_crm.lead_history WHERE lead_id = 1 AND field = 'status'")
[ "$hist" = "new>lost" ] && [ "$(qdb "SELECT status FROM lead_crm.lead WHERE id = 1")" = lost ]
ok_diag $? "lead 1 is lost with one transition in its history" "history: $hist"

# 2. set_status: A moves lead 2 contacting -> promising; B asks for unreachable
#    meanwhile; B goes after A, from promising, and both moves are recorded
PGAPPNAME=race_c psql -qXAt -d "$db" >"$tmp/c.out" 2>&1 <<'SQL' &
BEGIN;
SELECT lead_crm.set_status(2, 'promising', 'A: khách quan tâm');
SELECT pg_sleep(1.5);
COMMIT;
SQL
a=$!
wait_for race_c "wait_event = 'PgSleep'"
PGAPPNAME=race_d psql -qXAt -d "$db" -c "SELECT lead_crm.set_status(2, 'unreachable', 'B: không nghe máy')" >"$tmp/d.out" 2>&1 &
b=$!
wait_for race_d "wait_event_type = 'Lock'"
ok_diag $? "set_status in session B waits for A's lock before deciding"
wait $a
wait $b
hist=$(qdb "SELECT string_agg(old_value || '>' || new_value || ' (' || reason || ')', ', ' ORDER BY id) FROM lead_crm.lead_history WHERE lead_id = 2 AND field = 'status'")
[ "$hist" = "contacting>promising (A: khách quan tâm), promising>unreachable (B: không nghe máy)" ]
ok_diag $? "both moves are in the history, B's from the state A committed" "history: $hist; B: $(cat "$tmp/d.out")"

# 3. B's move is invalid from A's committed state: set_status fails cleanly
PGAPPNAME=race_e psql -qXAt -d "$db" >"$tmp/e.out" 2>&1 <<'SQL' &
BEGIN;
SELECT lead_crm.mark_lost(3, 'Chọn đối thủ cạnh tranh');
SELECT pg_sleep(1.5);
COMMIT;
SQL
a=$!
wait_for race_e "wait_event = 'PgSleep'"
PGAPPNAME=race_f psql -qXAt -d "$db" -c "SELECT lead_crm.set_status(3, 'promising')" >"$tmp/f.out" 2>&1 &
b=$!
wait_for race_f "wait_event_type = 'Lock'"
wait $a
wait $b
grep -q 'invalid status transition from "lost" to "promising"' "$tmp/f.out" &&
	grep -q 'restore to Đang liên hệ (contacting)' "$tmp/f.out"
ok_diag $? "set_status after a concurrent mark_lost is refused with the restore hint" "$(cat "$tmp/f.out")"

# 3b. under REPEATABLE READ the second session cannot decide on its snapshot: it must retry
qdb "INSERT INTO lead_crm.lead (id, full_name, status) VALUES (6, 'Khách F', 'contacting')"
PGAPPNAME=race_g psql -qXAt -d "$db" >"$tmp/g.out" 2>&1 <<'SQL' &
BEGIN;
SELECT lead_crm.set_status(6, 'promising');
SELECT pg_sleep(1.5);
COMMIT;
SQL
a=$!
wait_for race_g "wait_event = 'PgSleep'"
PGAPPNAME=race_h psql -qXAt -d "$db" >"$tmp/h.out" 2>&1 <<'SQL' &
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT status FROM lead_crm.lead WHERE id = 6;
UPDATE lead_crm.lead SET status = 'unreachable' WHERE id = 6;
COMMIT;
SQL
b=$!
wait $a
wait $b
grep -q 'could not serialize access due to concurrent update' "$tmp/h.out" &&
	[ "$(qdb "SELECT status FROM lead_crm.lead WHERE id = 6")" = promising ]
ok_diag $? "under REPEATABLE READ the second move fails with a serialization error (retry)" "$(cat "$tmp/h.out")"

# 4. many sessions toggle one lead: every committed UPDATE is one history row
#    and the rows form one chain from the first state to the current one
qdb "INSERT INTO lead_crm.lead (id, full_name, status) VALUES (4, 'Khách D', 'contacting'), (5, 'Khách E', 'contacting')"
cat >"$tmp/toggle.sql" <<'SQL'
UPDATE lead_crm.lead SET status = CASE status WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END WHERE tenant_id = 1 AND id = 4;
SQL
pgbench -n -d "$db" -c 4 -j 2 -t 150 -f "$tmp/toggle.sql" >"$tmp/pgbench.out" 2>&1
done_tx=$(awk '/number of transactions actually processed/ { split($NF, a, "/"); print a[1] }' "$tmp/pgbench.out")
[ "$done_tx" = 600 ]
ok_diag $? "600 concurrent UPDATE transactions on one lead all commit" "$(tail -5 "$tmp/pgbench.out")"
chain() { # chain <lead>: "rows breaks first last"
	qdb "SELECT count(*), count(*) FILTER (WHERE old_value IS DISTINCT FROM prev),
			  min(old_value) FILTER (WHERE prev IS NULL), (array_agg(new_value ORDER BY id DESC))[1]
		 FROM (SELECT id, old_value, new_value, lag(new_value) OVER (ORDER BY id) AS prev
				 FROM lead_crm.lead_history WHERE lead_id = $1 AND field = 'status') h" | tr '|' ' '
}
read -r rows breaks first last <<<"$(chain 4)"
[ "$rows" = 600 ] && [ "$breaks" = 1 ] && [ "$first" = contacting ] &&
	[ "$last" = "$(qdb "SELECT status FROM lead_crm.lead WHERE id = 4")" ]
ok_diag $? "600 history rows in one unbroken chain ending in the current status" \
	"rows=$rows breaks(first row counts 1)=$breaks first=$first last=$last"

# the same through set_status, deciding from a possibly stale read
cat >"$tmp/toggle_fn.sql" <<'SQL'
SELECT lead_crm.set_status(5, CASE (SELECT status FROM lead_crm.lead WHERE tenant_id = 1 AND id = 5)
							  WHEN 'contacting' THEN 'unreachable' ELSE 'contacting' END);
SQL
pgbench -n -d "$db" -c 4 -j 2 -t 150 -f "$tmp/toggle_fn.sql" >"$tmp/pgbench_fn.out" 2>&1
done_tx=$(awk '/number of transactions actually processed/ { split($NF, a, "/"); print a[1] }' "$tmp/pgbench_fn.out")
[ "$done_tx" = 600 ]
ok_diag $? "600 concurrent set_status calls on one lead all succeed (a stale target is a no-op)" "$(tail -5 "$tmp/pgbench_fn.out")"
read -r rows breaks first last <<<"$(chain 5)"
[ "$breaks" = 1 ] && [ "$rows" -gt 0 ] && [ "$rows" -le 600 ] &&
	[ "$last" = "$(qdb "SELECT status FROM lead_crm.lead WHERE id = 5")" ]
ok_diag $? "set_status history is one unbroken chain too ($rows moves)" "rows=$rows breaks=$breaks last=$last"
bad=$(qdb "SELECT count(*) FROM lead_crm.lead_history WHERE field = 'status' AND old_value = new_value")
[ "$bad" = 0 ]
ok_diag $? "no history row records a move to the same state"

done_testing

#!/usr/bin/env bash
# test/t/095_capture_idempotency.sh - capture_lead() retried concurrently with
# the same idempotency key never creates two leads: a second session waits on
# the first one's key and returns its lead (or makes the lead itself when the
# first one rolls back); many pgbench clients retrying ten keys make ten leads.
# Needs the cluster up and PG* set (make test).
set -uo pipefail
. "$(dirname "$0")/tap.bash"
db=lead_crm_t_capture
pgbench=${LEAD_CRM_PGBIN:+$LEAD_CRM_PGBIN/}pgbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fresh_db "$db" || { echo "Bail out! cannot create $db"; exit 1; }

capture() { # capture <key> <name>: the SQL of one capture
	echo "SELECT lead_crm.capture_lead('{\"Họ và tên\": \"$2\", \"Số điện thoại\": \"0912 345 678\", \"idempotency_key\": \"$1\"}', 'website')"
}
ms_now() { date +%s%3N; }

# 1: A captures and holds its transaction open; B retries meanwhile
psql -XAtq -d "$db" -c 'BEGIN' -c "$(capture k1 'Nguyễn Văn An')" -c 'SELECT pg_sleep(2)' -c 'COMMIT' \
	>"$tmp/a1" 2>&1 &
a=$!
sleep 0.5
t0=$(ms_now)
b_id=$(q -d "$db" -c "$(capture k1 'Nguyễn Văn An')" 2>&1)
t1=$(ms_now)
wait $a
a_id=$(grep -E '^[0-9]+$' "$tmp/a1" | head -1)
ok $([ -n "$a_id" ] && [ "$a_id" = "$b_id" ]; echo $?) "the retry during the first call returns the first call's lead ($a_id, $b_id)"
ok $([ $((t1 - t0)) -ge 1000 ]; echo $?) "the retry waited for the first transaction ($((t1 - t0)) ms)"
is "$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead WHERE full_name = 'Nguyễn Văn An'")" 1 "one lead"
is "$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead_capture WHERE idempotency_key = 'k1'")" 1 "one capture row for the key"

# 2: A rolls back: B, which waited, creates the lead itself
psql -XAtq -d "$db" -c 'BEGIN' -c "$(capture k2 'Trần Thị Bình')" -c 'SELECT pg_sleep(2)' -c 'ROLLBACK' \
	>"$tmp/a2" 2>&1 &
a=$!
sleep 0.5
b_id=$(q -d "$db" -c "$(capture k2 'Trần Thị Bình')" 2>&1)
wait $a
a_id=$(grep -E '^[0-9]+$' "$tmp/a2" | head -1)
ok $([ -n "$b_id" ] && [ "$a_id" != "$b_id" ]; echo $?) "after a rollback the waiting retry makes the lead ($a_id rolled back, $b_id)"
is "$(q -d "$db" -c "SELECT string_agg(l.id::text, ',') FROM lead_crm.lead l WHERE l.full_name = 'Trần Thị Bình'")" \
	"$b_id" "only the retry's lead exists"
is "$(q -d "$db" -c "SELECT lead_id FROM lead_crm.lead_capture WHERE idempotency_key = 'k2'")" "$b_id" "the key points to it"

# 3: 8 clients x 25 captures with 10 keys, READ COMMITTED and REPEATABLE READ (retried)
cat >"$tmp/rc.sql" <<'SQL'
\set k random(1, 10)
SELECT lead_crm.capture_lead(('{"name": "Khách ' || :k || '", "idempotency_key": "bench-' || :k || '"}')::jsonb, 'website');
SQL
"$pgbench" -n -c 8 -j 2 -t 25 -f "$tmp/rc.sql" "$db" >"$tmp/rc.log" 2>&1
ok $? "8 concurrent clients retrying 10 keys: no errors"
cat >"$tmp/rr.sql" <<'SQL'
\set k random(11, 20)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT lead_crm.capture_lead(('{"name": "Khách ' || :k || '", "idempotency_key": "bench-' || :k || '"}')::jsonb, 'website');
END;
SQL
"$pgbench" -n -c 8 -j 2 -t 25 --max-tries=20 -f "$tmp/rr.sql" "$db" >"$tmp/rr.log" 2>&1
ok $? "the same under REPEATABLE READ, serialization failures retried"
is "$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead WHERE full_name LIKE 'Khách %'")" \
	"$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead_capture WHERE idempotency_key LIKE 'bench-%'")" \
	"one lead per key used"
is "$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead_capture WHERE idempotency_key LIKE 'bench-%'")" 20 \
	"all 20 keys used, each once"
is "$(q -d "$db" -c "SELECT count(*) FROM lead_crm.lead_capture c JOIN lead_crm.lead l ON l.tenant_id = c.tenant_id AND l.id = c.lead_id
					 WHERE c.idempotency_key LIKE 'bench-%' AND l.full_name <> 'Khách ' || substr(c.idempotency_key, 7)")" 0 \
	"every key points to the lead of its own name"

grep -hE "failed|retried" "$tmp/rr.log" | sed 's/^/# repeatable read: /'
[ "$tap_failed" -eq 0 ] || for f in "$tmp"/*; do sed 's/^/# /' "$f"; done
psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
done_testing

#!/usr/bin/env bash
# test/t/030_assign_concurrency.sh - automatic assignment under concurrent inserts.
#
# Many pgbench clients insert leads at once (single rows, multi-row transactions
# that touch two teams in random order, and REPEATABLE READ with retries). Then:
# nobody is over capacity, every lead is either assigned or left unassigned with
# the reason in lead_history, the cached loads equal the counts from the leads,
# and round-robin shares are even. Needs the cluster up and PG* set (make test).
set -uo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
db=lead_crm_t_assign
pgbench=${LEAD_CRM_PGBIN:+$LEAD_CRM_PGBIN/}pgbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$db" "$@"; }
ok() { # ok <description> <got> <expected>
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "#   got:      $2"
		echo "#   expected: $3"
		failed=$((failed + 1))
	fi
}

echo "1..16"
psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null || exit 1
q -c 'CREATE EXTENSION lead_crm CASCADE' 2>/dev/null || exit 1

# Two teams: North (5 people, capacity 20 each = 100), South (3 people, 10 each = 30).
q <<'SQL' >/dev/null || exit 1
INSERT INTO lead_crm.sales_team (id, name) VALUES (1, 'Miền Bắc'), (2, 'Miền Nam');
INSERT INTO lead_crm.salesperson (full_name, team_id, capacity)
SELECT 'Bắc ' || g, 1, 20 FROM generate_series(1, 5) g;
INSERT INTO lead_crm.salesperson (full_name, team_id, capacity)
SELECT 'Nam ' || g, 2, 10 FROM generate_series(1, 3) g;
INSERT INTO lead_crm.assignment_rule (name, priority, provinces, team_id) VALUES
	('Phía Bắc', 10, '{Hà Nội}', 1),
	('Phía Nam', 20, '{Hồ Chí Minh}', 2);
SQL

# 1: 8 clients x 20 single-row inserts into the North team (160 leads, 100 places)
cat >"$tmp/single.sql" <<'SQL'
INSERT INTO lead_crm.lead (full_name, province) VALUES ('Khách ' || :client_id, 'Hà Nội');
SQL
"$pgbench" -n -c 8 -j 2 -t 20 -f "$tmp/single.sql" "$db" >"$tmp/single.log" 2>&1
ok "8 concurrent clients inserting single leads all succeed" "$?" 0

check_capacity() { # check_capacity <team> <label>
	ok "$2: nobody over capacity" \
		"$(q -c "SELECT count(*) FROM lead_crm.salesperson_workload WHERE team_id = $1 AND assigned_in_period > capacity")" 0
}
check_capacity 1 "single inserts"
ok "single inserts: every place filled, 20 each" \
	"$(q -c "SELECT string_agg(assigned_in_period::text, ',' ORDER BY salesperson_id) FROM lead_crm.salesperson_workload WHERE team_id = 1")" \
	"20,20,20,20,20"
ok "single inserts: 60 leads left unassigned" \
	"$(q -c "SELECT count(*) FROM lead_crm.lead WHERE province = 'Hà Nội' AND salesperson_id IS NULL")" 60
ok "every auto-assigned lead has its history row naming the rule" \
	"$(q -c "SELECT count(*) FROM lead_crm.lead l WHERE l.salesperson_id IS NOT NULL AND NOT EXISTS (
		SELECT FROM lead_crm.lead_history h WHERE h.lead_id = l.id AND h.field = 'salesperson_id'
		   AND h.new_value = l.salesperson_id::text AND h.reason LIKE '%quy tắc \"Phía Bắc\" (#1)%')")" 0
ok "every unassigned lead has a history row saying why" \
	"$(q -c "SELECT count(*) FROM lead_crm.lead l WHERE l.salesperson_id IS NULL AND NOT EXISTS (
		SELECT FROM lead_crm.lead_history h WHERE h.lead_id = l.id AND h.field = 'salesperson_id'
		   AND h.new_value IS NULL AND h.reason LIKE 'chưa phân công: không ai nhận thêm lead%')")" 0

# 2: multi-row transactions touching both teams in a random order (deadlock bait)
cat >"$tmp/multi.sql" <<'SQL'
\set first random(1, 2)
BEGIN;
INSERT INTO lead_crm.lead (full_name, province)
VALUES ('Đa ' || :client_id, CASE :first WHEN 1 THEN 'Hồ Chí Minh' ELSE 'Hà Nội' END);
INSERT INTO lead_crm.lead (full_name, province)
VALUES ('Đa ' || :client_id, CASE :first WHEN 1 THEN 'Hà Nội' ELSE 'Hồ Chí Minh' END);
INSERT INTO lead_crm.lead (full_name, province) VALUES ('Đa ' || :client_id, 'TP. Hồ Chí Minh');
END;
SQL
q -c "UPDATE lead_crm.salesperson SET capacity = capacity + 4 WHERE team_id = 1" >/dev/null
"$pgbench" -n -c 6 -j 2 -t 5 -f "$tmp/multi.sql" "$db" >"$tmp/multi.log" 2>&1
ok "6 clients with multi-row transactions over two teams: no deadlock or error" "$?" 0
check_capacity 1 "multi-row, North"
check_capacity 2 "multi-row, South"
ok "multi-row: North took exactly its 20 new places, South its 30" \
	"$(q -c "SELECT sum(assigned_in_period) FILTER (WHERE team_id = 1) || '/' || sum(assigned_in_period) FILTER (WHERE team_id = 2) FROM lead_crm.salesperson_workload")" \
	"120/30"

# 3: REPEATABLE READ: stale loads must fail and be retried, never over-assign
q -c "UPDATE lead_crm.salesperson SET capacity = capacity + 6 WHERE team_id = 2" >/dev/null
cat >"$tmp/rr.sql" <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ;
INSERT INTO lead_crm.lead (full_name, province) VALUES ('RR ' || :client_id, 'Hồ Chí Minh');
END;
SQL
"$pgbench" -n -c 6 -j 2 -t 6 --max-tries=50 -f "$tmp/rr.sql" "$db" >"$tmp/rr.log" 2>&1
ok "repeatable read clients finish (serialization failures retried)" "$?" 0
check_capacity 2 "repeatable read"
ok "repeatable read: South took exactly its 18 new places" \
	"$(q -c "SELECT sum(assigned_in_period) FROM lead_crm.salesperson_workload WHERE team_id = 2")" 48

# 4: unlimited capacity: round-robin shares stay even under concurrency
q -c "UPDATE lead_crm.salesperson SET capacity = NULL WHERE team_id = 1" >/dev/null
before=$(q -c "SELECT string_agg(assigned_in_period::text, ',') FROM lead_crm.salesperson_workload WHERE team_id = 1")
"$pgbench" -n -c 8 -j 2 -t 25 -f "$tmp/single.sql" "$db" >"$tmp/even.log" 2>&1
ok "unlimited: 200 concurrent inserts split evenly, 40 more each (were $before)" \
	"$(q -c "SELECT string_agg(assigned_in_period::text, ',' ORDER BY salesperson_id) FROM lead_crm.salesperson_workload WHERE team_id = 1")" \
	"64,64,64,64,64"

ok "the workload counts add up to the assigned leads" \
	"$(q -c "SELECT (SELECT sum(assigned_in_period) FROM lead_crm.salesperson_workload)
			   = (SELECT count(*) FROM lead_crm.lead WHERE salesperson_id IS NOT NULL)")" t
ok "every lead is assigned or has a reason in lead_history" \
	"$(q -c "SELECT count(*) FROM lead_crm.lead l WHERE NOT EXISTS (
		SELECT FROM lead_crm.lead_history h WHERE h.lead_id = l.id AND h.field = 'salesperson_id')")" 0

grep -hE "retried|failed" "$tmp/rr.log" | sed "s/^/# repeatable read: /"
[ "$failed" -eq 0 ] || { for f in "$tmp"/*.log; do sed 's/^/# /' "$f"; done; }
psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
exit "$failed"

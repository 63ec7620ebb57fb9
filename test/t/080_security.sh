#!/usr/bin/env bash
# Row-level security: each kind of login role tries to read and write across
# tenants and teams, through every table and view of lead_crm and through the
# functions that take a lead; every attempt must fail or see nothing.
. "$(dirname "$0")/tap.bash"
db=lead_crm_security
fresh_db $db
trap 'psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

roles="sec_an sec_binh sec_cuong sec_mai sec_bi sec_dung sec_svc"
for r in $roles; do
	psql -qX -d postgres -c "DROP ROLE IF EXISTS $r" -c "CREATE ROLE $r LOGIN" 2>/dev/null
done

q -d $db <<'SQL' >/dev/null
SELECT lead_crm.create_tenant(1, 'Công ty A'), lead_crm.create_tenant(2, 'Công ty B');
INSERT INTO lead_crm.sales_team (tenant_id, id, name) VALUES (1, 1, 'Miền Bắc'), (1, 2, 'Miền Nam'), (2, 1, 'Hà Nội');
INSERT INTO lead_crm.salesperson (tenant_id, id, full_name, team_id) VALUES
	(1, 1, 'An', 1), (1, 2, 'Bình', 1), (1, 3, 'Cường', 2), (1, 4, 'Mai', 1), (2, 1, 'Dũng', 1);
SELECT lead_crm.grant_access('sec_an', 'salesperson', 1, 1);
SELECT lead_crm.grant_access('sec_binh', 'salesperson', 1, 2);
SELECT lead_crm.grant_access('sec_cuong', 'salesperson', 1, 3);
SELECT lead_crm.grant_access('sec_mai', 'manager', 1, 4);
SELECT lead_crm.grant_access('sec_bi', 'bi', 1);
SELECT lead_crm.grant_access('sec_dung', 'salesperson', 2, 1);
SELECT lead_crm.grant_access('sec_svc', 'service');
SET lead_crm.auto_assign = off;
INSERT INTO lead_crm.lead (tenant_id, id, full_name, phone, salesperson_id, team_id) VALUES
	(1, 11, 'Khách của An', '0912000011', 1, 1),
	(1, 12, 'Khách của Bình', '0912000012', 2, 1),
	(1, 13, 'Khách của Cường', '0912000013', 3, 2),
	(1, 14, 'Khách chưa giao', '0912000014', NULL, NULL),
	(2, 21, 'Khách công ty B', '0912000021', 1, 1);
INSERT INTO lead_crm.activity (tenant_id, lead_id, type, summary) VALUES
	(1, 11, 'call', 'Gọi An'), (1, 13, 'call', 'Gọi Cường'), (2, 21, 'call', 'Gọi Dũng');
INSERT INTO lead_crm.lead_note (tenant_id, lead_id, body) VALUES (1, 13, 'ghi chú'), (2, 21, 'ghi chú');
UPDATE lead_crm.lead SET priority = 1;
SQL
ok $? "two tenants, two teams, seven roles"

as() { local r=$1; shift; psql -qXAt -U "$r" -d $db -v ON_ERROR_STOP=1 "$@" 2>&1; }

# every table and view with a tenant_id column, read by each role: nothing of another tenant
relations=$(q -d $db -c "SELECT c.oid::regclass FROM pg_class c
	WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind IN ('r', 'v', 'm')
	  AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
	ORDER BY 1::text")
is "$(printf '%s\n' "$relations" | wc -l | tr -d ' ')" "$(q -d $db -c "SELECT count(*) FROM pg_class WHERE relnamespace = 'lead_crm'::regnamespace AND relkind IN ('r', 'v', 'm')")" \
	"every table and view of lead_crm carries tenant_id"
for r in $roles; do
	own=$(as $r -c 'SELECT lead_crm.current_tenant()')
	leaks=""
	for rel in $relations; do
		n=$(as $r -c "SELECT count(*) FROM $rel WHERE tenant_id IS DISTINCT FROM lead_crm.current_tenant()")
		[ "$n" = 0 ] || leaks="$leaks $rel:$n"
	done
	is "$leaks" "" "$r (tenant $own) reads no row of another tenant in any of $(printf '%s\n' "$relations" | wc -l) tables and views"
done

is "$(as sec_an -c 'SELECT lead_crm.current_tenant()')" 1 "a bound role gets its own tenant without setting it"
is "$(as sec_dung -c 'SELECT lead_crm.current_tenant()')" 2 "a role of tenant 2 gets tenant 2"
as sec_an -c 'SET lead_crm.tenant = 2' -c 'SELECT count(*) FROM lead_crm.lead' | grep -q 'may not use tenant 2'
ok $? "setting lead_crm.tenant to another tenant is refused (42501)"
as sec_dung -c "SET lead_crm.tenant = 1" -c "SELECT lead_crm.set_status(11, 'contacting')" | grep -q 'may not use tenant 1'
ok $? "and so is every function that works in the session's tenant"
as sec_an -c "SELECT set_config('lead_crm.tenant', '2', false)" -c "SELECT count(*) FROM lead_crm.lead" | grep -q 'may not use tenant 2'
ok $? "set_config() is no way around it"
is "$(as sec_svc -c 'SET lead_crm.tenant = 2' -c 'SELECT count(*) FROM lead_crm.lead')" 1 \
	"an unbound service role chooses the tenant per request"

# team visibility
is "$(as sec_an -c 'SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM lead_crm.lead')" "11,12" "a salesperson sees own and team leads only"
is "$(as sec_cuong -c 'SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM lead_crm.lead')" "13" "the other team's salesperson sees only theirs"
is "$(as sec_mai -c 'SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM lead_crm.lead')" "11,12,13,14" "a manager sees the whole tenant"
is "$(as sec_bi -c 'SELECT count(*) FROM lead_crm.lead')" 4 "a BI role reads the whole tenant"
is "$(as sec_an -c 'SELECT string_agg(summary, $$,$$) FROM lead_crm.activity')" "Gọi An" "activities follow the visibility of their lead"
is "$(as sec_an -c 'SELECT count(*) FROM lead_crm.lead_note')" 0 "notes too"
is "$(as sec_an -c "SELECT string_agg(DISTINCT lead_id::text, ',') FROM lead_crm.lead_history")" "11,12" "and history (the team's leads only)"

# writes across tenants and teams
out=$(as sec_an -c "INSERT INTO lead_crm.lead (tenant_id, full_name, salesperson_id) VALUES (2, 'Chen ngang', 1)")
printf '%s' "$out" | grep -q 'may not use tenant 2'
ok $? "a salesperson cannot insert into another tenant"
is "$(as sec_an -c "UPDATE lead_crm.lead SET priority = 3 WHERE id IN (13, 21) RETURNING id")" "" "nor update another team's or tenant's leads"
as sec_an -c "UPDATE lead_crm.lead SET salesperson_id = 3, team_id = 2 WHERE id = 11" | grep -q 'row-level security'
ok $? "nor hand a lead to another team"
as sec_an -c "DELETE FROM lead_crm.lead WHERE id = 11" | grep -q 'permission denied'
ok $? "nor delete leads"
as sec_an -c "INSERT INTO lead_crm.catalog_item (catalog, code, label_vi, label_en) VALUES ('source', 'x', 'X', 'X')" | grep -q 'row-level security'
ok $? "nor change the tenant's configuration"
as sec_an -c "UPDATE lead_crm.tenant SET strict_catalogues = true" | grep -q 'UPDATE 0\|^$' ; true
is "$(q -d $db -c 'SELECT count(*) FROM lead_crm.tenant WHERE strict_catalogues')" 0 "nor its settings"
as sec_mai -c "INSERT INTO lead_crm.catalog_item (catalog, code, label_vi, label_en) VALUES ('source', 'tiktok', 'TikTok', 'TikTok')"
ok $? "a manager may change the configuration of the tenant"
as sec_bi -c "UPDATE lead_crm.lead SET priority = 2" | grep -q 'permission denied'
ok $? "a BI role cannot write"
as sec_an -c "INSERT INTO lead_crm.activity (lead_id, type, summary) VALUES (13, 'call', 'x')" | grep -q 'row-level security'
ok $? "no activity on another team's lead"
as sec_an -c "SELECT lead_crm.create_tenant(3)" | grep -q 'may not create tenant 3'
ok $? "a bound role cannot create tenants"
as sec_an -c "SELECT lead_crm.grant_access('sec_an', 'manager', 1)" | grep -q 'permission denied'
ok $? "nor grant itself more"

# functions that take a lead: another team's or tenant's lead is out of reach
for l in 13 21; do
	as sec_an -c "SELECT lead_crm.set_status($l, 'contacting')" | grep -qE 'not found|does not exist|no lead'
	ok $? "set_status on lead $l of another team/tenant fails"
	as sec_an -c "SELECT lead_crm.mark_lost($l, 'no_need')" | grep -qE 'not found|does not exist|no lead'
	ok $? "mark_lost on lead $l fails"
done
is "$(as sec_an -c "SELECT count(*) FROM lead_crm.search('Khách')")" 2 "search finds only visible leads"
is "$(as sec_dung -c "SELECT count(*) FROM lead_crm.search('Khách')")" 1 "in the role's own tenant"
is "$(q -d $db -c 'SELECT count(*) FROM lead_crm.lead WHERE status <> $$new$$')" 0 "no state was changed by the attempts"

# a tenant's first find_duplicates() estimates its duplicate parameters, but only for a role
# that may configure the tenant: a salesperson's batch reads with the defaults
q -d $db -c "SET lead_crm.tenant = 2" -c "SET lead_crm.auto_assign = off" -c "
	INSERT INTO lead_crm.lead (tenant_id, id, full_name, phone, salesperson_id, team_id)
	SELECT 2, 1000 + i, 'Khách ' || i, '09' || lpad((i * 7919)::text, 8, '0'), 1, 1
	  FROM generate_series(1, 1100) i" >/dev/null
is "$(as sec_dung -c 'SELECT count(*) FROM lead_crm.lead')" 1101 "the salesperson sees the 1 101 leads of tenant 2"
as sec_dung -c 'SELECT count(*) FROM lead_crm.find_duplicates()' >/dev/null
is "$(q -d $db -c 'SELECT estimated_at IS NULL FROM lead_crm.dedup_setting WHERE tenant_id = 2')" t \
	"a salesperson's first find_duplicates() leaves the tenant's parameters alone"
as sec_svc -c 'SET lead_crm.tenant = 2' -c 'SELECT count(*) FROM lead_crm.find_duplicates()' >/dev/null
is "$(q -d $db -c 'SELECT estimated_at IS NOT NULL FROM lead_crm.dedup_setting WHERE tenant_id = 2')" t \
	"a service role's first find_duplicates() estimates them"

for r in $roles; do psql -qX -d postgres -c "DROP OWNED BY $r" -d $db >/dev/null 2>&1; done
psql -qX -d postgres -c "DROP DATABASE $db" >/dev/null
for r in $roles; do psql -qX -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done
trap - EXIT
done_testing

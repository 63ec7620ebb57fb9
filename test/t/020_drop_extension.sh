#!/usr/bin/env bash
# CREATE EXTENSION lead_crm CASCADE then DROP EXTENSION lead_crm leaves nothing
# behind; creating it again works.
. "$(dirname "$0")/tap.bash"
db=lead_crm_drop
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"

objects() {  # everything named like lead_crm or living in its schema
	q -d $db <<'SQL'
SELECT 'class ' || relname FROM pg_class WHERE relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = 'lead_crm')
UNION ALL SELECT 'proc ' || proname FROM pg_proc WHERE pronamespace IN (SELECT oid FROM pg_namespace WHERE nspname = 'lead_crm')
UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = 'lead_crm')
UNION ALL SELECT 'operator ' || oprname FROM pg_operator WHERE oprnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = 'lead_crm')
UNION ALL SELECT 'opfamily ' || opfname FROM pg_opfamily WHERE opfnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = 'lead_crm')
UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgname LIKE 'lead%' AND NOT tgisinternal
UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger WHERE evtname LIKE 'lead_crm%'
ORDER BY 1;
SQL
}
before=$(objects)
q -d $db -c 'CREATE EXTENSION lead_crm CASCADE' -c "INSERT INTO lead_crm.lead (full_name) VALUES ('Nguyễn Văn An')"
ok $? "CREATE EXTENSION lead_crm CASCADE and a lead"
[ -n "$(objects)" ]
ok $? "the extension created objects"
q -d $db -c 'DROP EXTENSION lead_crm'
ok $? "DROP EXTENSION lead_crm"
is "$(objects)" "$before" "nothing of lead_crm is left in pg_class, pg_proc, pg_type, pg_operator, pg_opfamily, pg_trigger"
# PostgreSQL cannot make the schema a member of the extension it contains
q -d $db -c 'DROP SCHEMA lead_crm'
ok $? "the lead_crm schema is left empty: DROP SCHEMA without CASCADE succeeds"
is "$(q -d $db -c "SELECT extname FROM pg_extension ORDER BY 1" | tr '\n' ' ')" "pg_trgm plpgsql " "only the required pg_trgm stays (CASCADE installed it)"
q -d $db -c 'CREATE EXTENSION lead_crm' -c "INSERT INTO lead_crm.lead (full_name) VALUES ('Trần Thị Bình')"
ok $? "CREATE EXTENSION again in the same database"
psql -qX -d postgres -c "DROP DATABASE $db"
done_testing

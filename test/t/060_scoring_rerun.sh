#!/usr/bin/env bash
# test/t/060_scoring_rerun.sh - sql/80_scoring.sql is safe to run again (upgrade
# scripts are built from the parts, and Citus runs them twice): it is applied
# twice more as extension updates to a database whose tenant changed its
# scoring settings, and nothing changes - settings, levels, completeness
# weights, model counts, scores - nor is anything lost.
set -uo pipefail
. "$(dirname "$0")/tap.bash"
db=lead_crm_scoring_rerun
ext_dir="$("$LEAD_CRM_PGBIN/pg_config" --sharedir)/extension"
version=$(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'lead_crm'")
part=$(cd "$(dirname "$0")/../.." && pwd)/sql/80_scoring.sql

cleanup() {
	rm -f "$ext_dir/lead_crm--$version--rerun1.sql" "$ext_dir/lead_crm--rerun1--rerun2.sql"
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
}
trap cleanup EXIT
cp "$part" "$ext_dir/lead_crm--$version--rerun1.sql"
cp "$part" "$ext_dir/lead_crm--rerun1--rerun2.sql"

fresh_db $db
q -d $db <<'SQL'
INSERT INTO lead_crm.lead (id, full_name, phone, authority, need_level, timeline, budget_amount)
SELECT i, 'Khách ' || i, '09' || lpad(i::text, 8, '0'), 'decision_maker', 'medium', 'within_3_months', i * 1000000
  FROM generate_series(1, 60) i;
UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id % 3 = 0;
UPDATE lead_crm.lead SET status = 'lost', lost_reason = 'Giá quá cao' WHERE id % 3 = 1;
-- the tenant's own choices, which a rerun must keep
UPDATE lead_crm.scoring_settings SET budget_weight = 40, authority_weight = 20, need_weight = 20,
	timeline_weight = 20, hot_within_days = 7 WHERE tenant_id = 1;
DELETE FROM lead_crm.bant_level WHERE tenant_id = 1 AND criterion = 'authority' AND code = 'user';
UPDATE lead_crm.lead_field SET completeness_weight = 50 WHERE tenant_id = 1 AND field = 'phone';
UPDATE lead_crm.custom_field SET completeness_weight = 0 WHERE tenant_id = 1;
SQL
ok $? "a tenant with leads, closed leads and its own scoring settings"

snapshot() {
	q -d $db <<'SQL'
SELECT 'settings ' || s::text FROM lead_crm.scoring_settings s ORDER BY tenant_id;
SELECT 'level ' || b::text FROM lead_crm.bant_level b ORDER BY tenant_id, criterion, code;
SELECT 'field ' || tenant_id || ' ' || field || ' ' || completeness_weight FROM lead_crm.lead_field ORDER BY tenant_id, field;
SELECT 'custom ' || tenant_id || ' ' || name || ' ' || completeness_weight FROM lead_crm.custom_field ORDER BY tenant_id, name;
SELECT 'model ' || feature || ' ' || value || ' ' || sum(won) || ' ' || sum(lost)
  FROM lead_crm.win_model_count GROUP BY tenant_id, feature, value ORDER BY tenant_id, feature, value;
SELECT 'score ' || s::text FROM lead_crm.lead_scores_at('2025-06-01') s ORDER BY lead_id;
SELECT 'trigger ' || tgname FROM pg_trigger WHERE tgrelid = 'lead_crm.lead'::regclass AND NOT tgisinternal ORDER BY 1;
SELECT 'constraint ' || conname FROM pg_constraint WHERE conrelid = 'lead_crm.lead'::regclass ORDER BY 1;
SQL
}
before=$(snapshot)
[ "$(printf '%s\n' "$before" | grep -c '^score ')" = 60 ]
ok $? "snapshot has the scores of 60 leads"

q -d $db -c "ALTER EXTENSION lead_crm UPDATE TO 'rerun1'"
ok $? "sql/80_scoring.sql runs again as an extension update"
is "$(snapshot)" "$before" "settings, levels, weights, model counts, scores, triggers and constraints unchanged"
q -d $db -c "ALTER EXTENSION lead_crm UPDATE TO 'rerun2'"
ok $? "and a third time"
is "$(snapshot)" "$before" "still unchanged"
is "$(q -d $db -c "SELECT count(*) FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
	WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'lead_crm') AND d.deptype = 'e'
	  AND c.relname IN ('scoring_settings', 'bant_level', 'win_model_count', 'lead_scores')")" "4" \
	"the scoring tables and view are still members of the extension"
q -d $db -c "UPDATE lead_crm.lead SET lifecycle = 'customer' WHERE id = 2" \
	-c "SELECT lead_crm.refresh_win_model()" >/dev/null
ok $? "the updated extension keeps learning"
done_testing

#!/usr/bin/env bash
# ALTER EXTENSION lead_crm UPDATE from the previous release keeps every row and
# gives the same schema as a fresh install; and the install parts run twice
# more as updates (Citus runs update scripts twice) change nothing.
. "$(dirname "$0")/tap.bash"
ext_dir="$("$LEAD_CRM_PGBIN/pg_config" --sharedir)/extension"
version=$(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'lead_crm'")
previous=$(sed -n 's/^PREV_VERSION *= *//p' "$(dirname "$0")/../../Makefile")
old=lead_crm_upgrade_old
new=lead_crm_upgrade_new
cleanup() {
	rm -f "$ext_dir/lead_crm--$version--rerun1.sql" "$ext_dir/lead_crm--rerun1--rerun2.sql"
	psql -qX -d postgres -c "DROP DATABASE IF EXISTS $old" -c "DROP DATABASE IF EXISTS $new" >/dev/null 2>&1
}
trap cleanup EXIT

psql -qX -d postgres -c "DROP DATABASE IF EXISTS $old" -c "CREATE DATABASE $old"
q -d $old -c "CREATE EXTENSION lead_crm VERSION '$previous' CASCADE"
ok $? "CREATE EXTENSION lead_crm VERSION '$previous'"
q -d $old <<'SQL' >/dev/null
INSERT INTO lead_crm.sales_team (name) VALUES ('Miền Bắc');
INSERT INTO lead_crm.salesperson (full_name, team_id, capacity) VALUES ('Đỗ Minh Tuấn', 1, 100), ('Ngô Thị Hằng', 1, 100);
INSERT INTO lead_crm.custom_field (name, label_vi, type, allowed_values)
	VALUES ('quy_mo', 'Quy mô', 'choice', '{nhỏ,vừa,lớn}');
INSERT INTO lead_crm.catalog_item (catalog, code, label_vi, label_en) VALUES ('source', 'tiktok', 'TikTok', 'TikTok');
INSERT INTO lead_crm.lead (full_name, phone, email, company_name, province, source, tags, custom)
SELECT 'Khách ' || i, '09' || lpad(i::text, 8, '0'), 'khach' || i || '@gmail.com', 'Cty TNHH Minh Phát ' || i,
	   'TP.HCM', 'Hội chợ', '{Tiêu}', jsonb_build_object('quy_mo', (ARRAY['nhỏ','vừa','lớn'])[1 + i % 3])
  FROM generate_series(1, 300) i;
UPDATE lead_crm.lead SET status = 'contacting', priority = 2 WHERE id % 3 = 0;
UPDATE lead_crm.lead SET lifecycle = 'mql' WHERE id % 5 = 0;
SELECT lead_crm.schedule_activity(id, 'call', 'Gọi lại') FROM lead_crm.lead WHERE id <= 20;
SELECT lead_crm.add_note(1, 'Khách hỏi giá sỉ');
SET lead_crm.tenant = 2;
INSERT INTO lead_crm.lead (full_name, phone) VALUES ('Nguyễn Thị Hoa', '0912345678');
SQL
ok $? "a $previous database with leads, history, activities, notes and two tenants"

# every row of the tables of the old version, by their old columns, kept aside
oldcols=$(q -d $old -c "SELECT c.relname || ' ' || string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind = 'r' GROUP BY c.relname")
q -d $old -c "CREATE TABLE public.upgrade_snapshot (tbl text, r text)"
while read -r t cols; do
	q -d $old -c "INSERT INTO public.upgrade_snapshot SELECT '$t', ROW($cols)::text FROM lead_crm.$t"
done <<<"$oldcols"
missing() {  # rows of the old version no longer found as they were
	while read -r t cols; do
		q -d $old -c "SELECT '$t ' || count(*) FROM (SELECT r FROM public.upgrade_snapshot WHERE tbl = '$t'
			EXCEPT ALL SELECT ROW($cols)::text FROM lead_crm.$t) d"
	done <<<"$oldcols" | grep -v ' 0$'
}
rows=$(q -d $old -c "SELECT count(*) FROM public.upgrade_snapshot")

q -d $old -c "ALTER EXTENSION lead_crm UPDATE"
ok $? "ALTER EXTENSION lead_crm UPDATE to $version"
is "$(q -d $old -c "SELECT extversion FROM pg_extension WHERE extname = 'lead_crm'")" "$version" "the extension is at $version"
is "$(missing)" "" "every one of the $rows rows of $previous is kept as it was"

# the upgraded schema is the fresh schema (view columns are compared as sets: a
# view over lead.* lists the columns an upgrade appended in another order)
schema() {
	q -d "$1" <<'SQL'
SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
	   || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attgenerated::text || a.attidentity::text
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind IN ('r', 'v')
UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
 WHERE c.relnamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
 WHERE connamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = 'lead_crm'::regnamespace AND NOT t.tgisinternal
UNION ALL SELECT 'policy ' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd || ' '
	   || coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'lead_crm'
UNION ALL SELECT 'rls ' || relname || ' ' || relrowsecurity FROM pg_class
 WHERE relnamespace = 'lead_crm'::regnamespace AND relkind = 'r'
UNION ALL SELECT 'function ' || p.oid::regprocedure || ' ' || p.provolatile::text || p.proisstrict::text || p.prosecdef::text
	   || p.proparallel::text || ' ' || pg_get_function_result(p.oid) || ' ' || md5(p.prosrc) || ' '
	   || coalesce(array_to_string(p.proconfig, ','), '') || ' ' || coalesce(obj_description(p.oid, 'pg_proc'), '')
  FROM pg_proc p WHERE p.pronamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'view ' || c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '')
  FROM pg_class c WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind = 'v'
UNION ALL SELECT 'type ' || t.typname FROM pg_type t WHERE t.typnamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'operator ' || o.oid::regoperator FROM pg_operator o WHERE o.oprnamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'opclass ' || opcname FROM pg_opclass WHERE opcnamespace = 'lead_crm'::regnamespace
UNION ALL SELECT 'cast ' || castsource::regtype || ' ' || casttarget::regtype FROM pg_cast
 WHERE castsource IN (SELECT oid FROM pg_type WHERE typnamespace = 'lead_crm'::regnamespace)
UNION ALL SELECT 'member ' || pg_describe_object(classid, objid, objsubid) FROM pg_depend
 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'lead_crm')
UNION ALL SELECT 'config ' || c::regclass || ' ' || f FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, f)
 WHERE e.extname = 'lead_crm'
UNION ALL SELECT 'template ' || c.relname || ' ' || (xpath('/row/n/text()', query_to_xml(format(
	   'SELECT count(*) AS n FROM lead_crm.%I WHERE tenant_id = 0', c.relname), false, true, '')))[1]::text
  FROM pg_class c WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind = 'r'
ORDER BY 1;
SQL
}
fresh_db $new
[ "$(schema $new | wc -l)" -gt 500 ]
ok $? "the schema description is complete ($(schema $new | wc -l) lines)"
diff <(schema $new) <(schema $old) >/tmp/lead_crm_upgrade.diff
ok $? "the upgraded schema equals a fresh $version install (columns, indexes, constraints, triggers, policies, functions, views, types, members, template rows)"
[ -s /tmp/lead_crm_upgrade.diff ] && sed 's/^/#   /' /tmp/lead_crm_upgrade.diff | head -40

# tenants that existed before get the template rows of the new tables
is "$(q -d $old -c "SELECT count(*) FROM lead_crm.workflow WHERE tenant_id = 1")" \
   "$(q -d $old -c "SELECT count(*) FROM lead_crm.workflow WHERE tenant_id = 0")" "existing tenants got the new built-in workflows"
q -d $old -c "SELECT lead_crm.set_status(3, 'promising')" -c "SELECT lead_crm.bant_score(3)" >/dev/null
ok $? "new features work on old leads (state machine, scoring)"

# the whole install script twice more as updates: nothing changes
sql_dir=$(cd "$(dirname "$0")/../../sql" && pwd)
cp "$sql_dir/lead_crm--$version.sql" "$ext_dir/lead_crm--$version--rerun1.sql"
cp "$sql_dir/lead_crm--$version.sql" "$ext_dir/lead_crm--rerun1--rerun2.sql"
schema_before=$(schema $new)
[ -n "$schema_before" ]
ok $? "schema described before the reruns"
q -d $new -c "ALTER EXTENSION lead_crm UPDATE TO 'rerun1'"
ok $? "the install script runs again as an update"
q -d $new -c "ALTER EXTENSION lead_crm UPDATE TO 'rerun2'"
ok $? "and a third time"
diff <(printf '%s\n' "$schema_before") <(schema $new) >/tmp/lead_crm_rerun.diff
ok $? "and the schema is unchanged"
[ -s /tmp/lead_crm_rerun.diff ] && sed 's/^/#   /' /tmp/lead_crm_rerun.diff | head -40

done_testing

-- lead_crm 0.1.0 -> 0.2.0: epilogue. Existing tenants get copies of the
-- template rows of the tables new in 0.2.0 (workflows, scoring settings ...),
-- parents before children, and the settings of the lead columns new in 0.2.0.
-- Rows of tables that existed in 0.1.0 are the tenants' own and stay as they are.
DO $$
DECLARE
	old_tables text[] := pg_catalog.string_to_array(
		pg_catalog.current_setting('lead_crm_upgrade.old_tables', true), ',');
	tbl regclass;
	cols text;
	t integer;
BEGIN
	FOR tbl IN
		WITH RECURSIVE tables AS (
			SELECT c.oid FROM pg_catalog.pg_class c
			  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
			 WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'r'
			   AND c.relname <> ALL (coalesce(old_tables, '{}'))
		), depth (oid, d) AS (
			SELECT oid, 0 FROM tables
			UNION ALL
			SELECT con.conrelid, depth.d + 1 FROM depth
			  JOIN pg_catalog.pg_constraint con ON con.confrelid = depth.oid AND con.contype = 'f'
			 WHERE con.conrelid IN (SELECT oid FROM tables) AND con.conrelid <> depth.oid AND depth.d < 20
		)
		SELECT oid::regclass FROM depth GROUP BY oid ORDER BY max(d), oid::regclass::text
	LOOP
		SELECT pg_catalog.string_agg(pg_catalog.quote_ident(attname), ', ' ORDER BY attnum) INTO cols
		  FROM pg_catalog.pg_attribute
		 WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
		   AND attname <> 'tenant_id';
		FOR t IN SELECT tenant_id FROM @extschema@.tenant WHERE tenant_id > 0 LOOP
			EXECUTE pg_catalog.format('INSERT INTO %s (tenant_id, %s) SELECT $1, %s FROM %s'
									  ' WHERE tenant_id = 0 ON CONFLICT DO NOTHING', tbl, cols, cols, tbl)
			USING t;
		END LOOP;
	END LOOP;
	-- settings of the lead columns new in 0.2.0 (BANT answers ...) for every tenant
	SELECT pg_catalog.string_agg(pg_catalog.quote_ident(attname), ', ' ORDER BY attnum) INTO cols
	  FROM pg_catalog.pg_attribute
	 WHERE attrelid = '@extschema@.lead_field'::regclass AND attnum > 0 AND NOT attisdropped
	   AND attname NOT IN ('tenant_id', 'field');
	EXECUTE pg_catalog.format(
		'INSERT INTO @extschema@.lead_field (tenant_id, field, %s)'
		' SELECT t.tenant_id, f.field, %s FROM @extschema@.lead_field f'
		' CROSS JOIN @extschema@.tenant t'
		' WHERE f.tenant_id = 0 AND t.tenant_id > 0 AND f.field::text <> ALL ($1)'
		' ON CONFLICT DO NOTHING', cols,
		(SELECT pg_catalog.string_agg('f.' || x, ', ') FROM pg_catalog.unnest(pg_catalog.string_to_array(cols, ', ')) x))
	USING pg_catalog.string_to_array(pg_catalog.current_setting('lead_crm_upgrade.old_lead_columns', true), ',');
END;
$$;

-- lead_crm 0.1.0 -> 0.2.0: this prologue, then every install part (each
-- statement is safe to run again), then the epilogue. Citus runs update
-- scripts on the workers before the coordinator: every statement here is
-- idempotent as well.
\echo Use "ALTER EXTENSION lead_crm UPDATE TO '0.2.0'" to load this file. \quit

-- views whose columns changed (tenant_id first) cannot be replaced in place
DROP VIEW IF EXISTS @extschema@.activity_overview;
DROP VIEW IF EXISTS @extschema@.salesperson_workload;

-- the epilogue copies template rows of the tables this update creates into the
-- existing tenants: remember which tables exist now
SELECT pg_catalog.set_config('lead_crm_upgrade.old_tables',
	   coalesce((SELECT pg_catalog.string_agg(c.relname, ',')
				   FROM pg_catalog.pg_class c
				  WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'r'), ''),
	   true);
SELECT pg_catalog.set_config('lead_crm_upgrade.old_lead_columns',
	   coalesce((SELECT pg_catalog.string_agg(a.attname, ',')
				   FROM pg_catalog.pg_attribute a
				  WHERE a.attrelid = pg_catalog.to_regclass('@extschema@.lead') AND a.attnum > 0), ''),
	   true);

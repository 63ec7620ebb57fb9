-- Tenants, per-tenant settings and the machinery every other concern shares:
-- current_tenant(), tenant provisioning from the template tenant 0, and the
-- trigger that tells every backend's C caches that configuration changed.

CREATE OR REPLACE FUNCTION @extschema@.current_tenant() RETURNS integer
AS 'MODULE_PATHNAME', 'lc_current_tenant_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.current_tenant() IS
'tenant of this session, from the setting lead_crm.tenant (default 1)';

CREATE OR REPLACE FUNCTION @extschema@.restoring() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_restoring_sql'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.restoring() IS
'true while a pg_dump script loads data (check_function_bodies is off): triggers skip re-validation and side effects';

-- Tenant 0 is the template: built-in catalogues, fields and workflows are stored
-- under it and copied into each tenant when the tenant is created.
CREATE TABLE IF NOT EXISTS @extschema@.tenant (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant() PRIMARY KEY
		CHECK (tenant_id >= 0),
	name text NOT NULL,
	language text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
	time_zone text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
	currency text NOT NULL DEFAULT 'VND',
	-- values of catalogue columns (source, industry, tags ...) must be known codes or labels
	strict_catalogues boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.tenant IS
'one row per tenant (company) with its settings; tenant 0 is the template copied into new tenants';
COMMENT ON COLUMN @extschema@.tenant.language IS
'language of labels in errors and views: vi or en';
COMMENT ON COLUMN @extschema@.tenant.strict_catalogues IS
'when true, a lead whose source, medium, industry, tags, campaign, lost reason or marital status is not in the catalogue is refused';

INSERT INTO @extschema@.tenant (tenant_id, name) VALUES (0, 'template')
ON CONFLICT DO NOTHING;

-- Sends a relcache invalidation for the changed configuration table, so every
-- backend drops its cached copy of tenant configuration at its next use.
CREATE OR REPLACE FUNCTION @extschema@.config_changed() RETURNS trigger
AS 'MODULE_PATHNAME', 'lc_config_changed'
LANGUAGE C;
COMMENT ON FUNCTION @extschema@.config_changed() IS
'statement trigger on configuration tables: invalidates the per-backend configuration caches';

CREATE OR REPLACE TRIGGER tenant_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.tenant
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

-- Copies every template row (tenant_id = 0) of every lead_crm table into the new
-- tenant, parents before children, so later concerns only add template rows.
-- Internal: create_tenant() runs it with the extension owner's rights (template
-- rows and the tenant table are under row-level security).
CREATE OR REPLACE FUNCTION @extschema@.copy_template_tenant(tenant integer, name text DEFAULT NULL,
												 language text DEFAULT 'vi')
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	tbl regclass;
	cols text;
BEGIN
	IF tenant IS NULL OR tenant <= 0 THEN
		RAISE EXCEPTION 'invalid tenant id %', coalesce(tenant::text, 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'Tenant ids are positive integers; 0 is the built-in template.',
				  HINT = 'Use a positive id, e.g. SELECT lead_crm.create_tenant(2, ''Công ty ABC'').';
	END IF;
	-- an existing tenant is the common case: no insert, so no cache invalidation
	IF EXISTS (SELECT FROM @extschema@.tenant t WHERE t.tenant_id = copy_template_tenant.tenant) THEN
		RETURN tenant;
	END IF;
	INSERT INTO @extschema@.tenant AS t (tenant_id, name, language)
	VALUES (tenant, coalesce(name, 'tenant ' || tenant), coalesce(language, 'vi'))
	ON CONFLICT (tenant_id) DO NOTHING;
	IF NOT FOUND THEN
		RETURN tenant;			-- exists already: nothing to copy
	END IF;
	-- the copy is checked as a whole at commit, not table by table
	SET CONSTRAINTS ALL DEFERRED;
	FOR tbl IN
		WITH RECURSIVE tables AS (
			SELECT c.oid
			  FROM pg_class c
			  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
			 WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('r', 'p')
			   AND c.oid <> '@extschema@.tenant'::regclass
		), depth (oid, d) AS (
			SELECT oid, 0 FROM tables
			UNION ALL
			SELECT con.conrelid, depth.d + 1
			  FROM depth
			  JOIN pg_constraint con ON con.confrelid = depth.oid AND con.contype = 'f'
			 WHERE con.conrelid IN (SELECT oid FROM tables) AND con.conrelid <> depth.oid
			   AND depth.d < 20
		)
		SELECT oid::regclass FROM depth GROUP BY oid ORDER BY max(d), oid::regclass::text
	LOOP
		SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
		  FROM pg_attribute
		 WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped
		   AND attgenerated = '' AND attname <> 'tenant_id';
		EXECUTE format('INSERT INTO %s (tenant_id, %s) SELECT $1, %s FROM %s WHERE tenant_id = 0',
					   tbl, cols, cols, tbl) USING tenant;
	END LOOP;
	RETURN tenant;
END;
$$;
COMMENT ON FUNCTION @extschema@.copy_template_tenant(integer, text, text) IS
'internal: creates a tenant row and copies the template rows; called by create_tenant()';
REVOKE ALL ON FUNCTION @extschema@.copy_template_tenant(integer, text, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.create_tenant(tenant integer, name text DEFAULT NULL,
										  language text DEFAULT 'vi')
RETURNS integer
AS 'MODULE_PATHNAME', 'lc_create_tenant_sql'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION @extschema@.create_tenant(integer, text, text) IS
'creates a tenant with copies of the built-in catalogues, fields and workflows; a no-op when it exists; refused to roles bound to tenants';

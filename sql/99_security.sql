-- Tenants bound to login roles, row-level security on every table, and the
-- grants a DBA gives each kind of user. Kept last: the policies are created for
-- every lead_crm table that exists by then, so later tables are covered too.

CREATE TABLE IF NOT EXISTS @extschema@.tenant_role (
	tenant_id integer NOT NULL DEFAULT @extschema@.current_tenant()
		REFERENCES @extschema@.tenant (tenant_id),
	role_name name NOT NULL,
	access text NOT NULL CHECK (access IN ('manager', 'bi', 'service')),
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (tenant_id, role_name)
);
COMMENT ON TABLE @extschema@.tenant_role IS
'login roles bound to a tenant that are not salespeople: managers, BI readers, services (salespeople are bound by salesperson.login_role)';
COMMENT ON COLUMN @extschema@.tenant_role.access IS
'manager: whole tenant and its configuration; bi: reads the whole tenant; service: an application acting for the tenant';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.tenant_role', '');

-- who is bound to what is configuration: role bindings are cached per backend
CREATE OR REPLACE TRIGGER tenant_role_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.tenant_role
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();
CREATE OR REPLACE TRIGGER salesperson_config_changed
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.salesperson
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.config_changed();

CREATE OR REPLACE FUNCTION @extschema@.sees_all_leads() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_sees_all_leads'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sees_all_leads() IS
'true unless the role is a salesperson, who sees only own and team leads';

CREATE OR REPLACE FUNCTION @extschema@.lead_visible(salesperson_id bigint, team_id bigint)
RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_lead_visible'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lead_visible(bigint, bigint) IS
'row-level security of leads: a salesperson sees leads of their own and of their team; others see the whole tenant';

CREATE OR REPLACE FUNCTION @extschema@.may_configure() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_may_configure'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.may_configure() IS
'true for managers, services and DBAs, who may change the tenant''s configuration tables';

CREATE OR REPLACE FUNCTION @extschema@.bound_role() RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_bound_role'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bound_role() IS
'true when the current role is bound to tenants (salesperson.login_role or tenant_role)';

-- Row-level security on every table. Configuration tables (the ones carrying
-- config_changed()) are written only by those who may configure; leads are
-- filtered by lead_visible(); rows that belong to a lead (lead_id) follow it.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN
		SELECT c.oid::regclass AS tbl, c.relname,
			   EXISTS (SELECT FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
						WHERE g.tgrelid = c.oid AND p.proname = 'config_changed'
						  AND p.pronamespace = c.relnamespace) AS is_config,
			   EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'lead_id'
						  AND NOT a.attisdropped) AS has_lead
		  FROM pg_class c
		 WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind IN ('r', 'p')
		   AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
	LOOP
		EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t.tbl);
		EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', t.tbl);
		EXECUTE format('CREATE POLICY tenant_isolation ON %s'
					   ' USING (tenant_id = @extschema@.current_tenant())'
					   ' WITH CHECK (tenant_id = @extschema@.current_tenant())', t.tbl);
		EXECUTE format('DROP POLICY IF EXISTS configure_insert ON %s', t.tbl);
		EXECUTE format('DROP POLICY IF EXISTS configure_update ON %s', t.tbl);
		EXECUTE format('DROP POLICY IF EXISTS configure_delete ON %s', t.tbl);
		IF t.is_config THEN
			EXECUTE format('CREATE POLICY configure_insert ON %s AS RESTRICTIVE FOR INSERT'
						   ' WITH CHECK (@extschema@.may_configure())', t.tbl);
			EXECUTE format('CREATE POLICY configure_update ON %s AS RESTRICTIVE FOR UPDATE'
						   ' USING (@extschema@.may_configure())', t.tbl);
			EXECUTE format('CREATE POLICY configure_delete ON %s AS RESTRICTIVE FOR DELETE'
						   ' USING (@extschema@.may_configure())', t.tbl);
		END IF;
		EXECUTE format('DROP POLICY IF EXISTS lead_visibility ON %s', t.tbl);
		IF t.relname = 'lead' THEN
			EXECUTE format('CREATE POLICY lead_visibility ON %s AS RESTRICTIVE'
						   ' USING (@extschema@.lead_visible(salesperson_id, team_id))'
						   ' WITH CHECK (@extschema@.lead_visible(salesperson_id, team_id))', t.tbl);
		ELSIF t.has_lead THEN
			EXECUTE format('CREATE POLICY lead_visibility ON %s AS RESTRICTIVE'
						   ' USING (@extschema@.sees_all_leads() OR EXISTS (SELECT FROM @extschema@.lead l'
						   '        WHERE l.tenant_id = %s.tenant_id AND l.id = %s.lead_id))', t.tbl,
						   t.tbl, t.tbl);
		END IF;
	END LOOP;
END;
$$;

-- Views run with the caller's rights, so BI tools get row-level security too.
DO $$
DECLARE
	v regclass;
BEGIN
	IF current_setting('server_version_num')::int >= 150000 THEN
		FOR v IN SELECT c.oid::regclass FROM pg_class c
				  WHERE c.relnamespace = '@extschema@'::regnamespace AND c.relkind = 'v'
		LOOP
			EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', v);
		END LOOP;
	END IF;
END;
$$;

-- Grants for one kind of user, and the binding of the role to the tenant.
CREATE OR REPLACE FUNCTION @extschema@.grant_access(role regrole, access text,
													tenant integer DEFAULT NULL,
													salesperson bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	kinds constant text[] := ARRAY['salesperson', 'manager', 'bi', 'service'];
BEGIN
	IF access IS NULL OR NOT access = ANY (kinds) THEN
		RAISE EXCEPTION 'unknown access "%"', coalesce(access, 'NULL')
			USING ERRCODE = '22023',
				  DETAIL = 'Access is one of salesperson, manager, bi, service.',
				  HINT = 'E.g. SELECT lead_crm.grant_access(''sales_an'', ''salesperson'', 1, 3);';
	END IF;
	IF tenant IS NULL AND access <> 'service' THEN
		RAISE EXCEPTION 'access "%" needs a tenant', access
			USING ERRCODE = '22023',
				  DETAIL = format('Role %s would not be bound to any tenant.', role),
				  HINT = format('Name the tenant: SELECT lead_crm.grant_access(%L, %L, 1);', role, access);
	END IF;
	IF access = 'salesperson' AND salesperson IS NULL THEN
		RAISE EXCEPTION 'access "salesperson" needs the salesperson''s id'
			USING ERRCODE = '22023',
				  DETAIL = format('Role %s must be linked to a row of lead_crm.salesperson.', role),
				  HINT = format('SELECT lead_crm.grant_access(%L, ''salesperson'', %s, <salesperson id>);',
								role, tenant);
	END IF;

	EXECUTE format('GRANT USAGE ON SCHEMA @extschema@ TO %s', role);
	EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA @extschema@ TO %s', role);
	IF access <> 'bi' THEN
		EXECUTE format('GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA @extschema@ TO %s', role);
		EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA @extschema@ TO %s', role);
	END IF;
	IF access IN ('manager', 'service') THEN
		EXECUTE format('GRANT DELETE, TRUNCATE ON ALL TABLES IN SCHEMA @extschema@ TO %s', role);
	END IF;

	IF salesperson IS NOT NULL THEN
		UPDATE @extschema@.salesperson s SET login_role = role::name, is_manager = (access = 'manager')
		 WHERE s.tenant_id = grant_access.tenant AND s.id = grant_access.salesperson;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'salesperson % does not exist in tenant %', salesperson, tenant
				USING ERRCODE = '23503',
					  HINT = 'Create the salesperson first (INSERT INTO lead_crm.salesperson ...).';
		END IF;
	ELSIF tenant IS NOT NULL THEN
		INSERT INTO @extschema@.tenant_role (tenant_id, role_name, access)
		VALUES (tenant, role::name, access)
		ON CONFLICT (tenant_id, role_name) DO UPDATE SET access = EXCLUDED.access;
	END IF;
END;
$$;
COMMENT ON FUNCTION @extschema@.grant_access(regrole, text, integer, bigint) IS
'grants a login role what one kind of user needs (salesperson, manager, bi, service) and binds it to the tenant';
REVOKE ALL ON FUNCTION @extschema@.grant_access(regrole, text, integer, bigint) FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.revoke_access(role regrole)
RETURNS void
LANGUAGE plpgsql STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA @extschema@ FROM %s', role);
	EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA @extschema@ FROM %s', role);
	EXECUTE format('REVOKE USAGE ON SCHEMA @extschema@ FROM %s', role);
	UPDATE @extschema@.salesperson SET login_role = NULL WHERE login_role = role::name;
	DELETE FROM @extschema@.tenant_role WHERE role_name = role::name;
END;
$$;
COMMENT ON FUNCTION @extschema@.revoke_access(regrole) IS
'takes back every grant of lead_crm from a role and unbinds it from its tenants';
REVOKE ALL ON FUNCTION @extschema@.revoke_access(regrole) FROM PUBLIC;

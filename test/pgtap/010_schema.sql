-- Structural rules every lead_crm table keeps, checked over the whole schema so
-- tables added later are held to them too.
BEGIN;
SELECT plan(6);

SELECT is_empty($$
	SELECT c.relname FROM pg_class c
	 WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind IN ('r', 'p')
	   AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
	                     AND a.attname = 'tenant_id' AND a.attnum = 1 AND a.attnotnull)
$$, 'every table starts with tenant_id NOT NULL');

SELECT is_empty($$
	SELECT con.conname FROM pg_constraint con
	  JOIN pg_class c ON c.oid = con.conrelid
	 WHERE c.relnamespace = 'lead_crm'::regnamespace AND con.contype IN ('p', 'u', 'f')
	   AND (SELECT attname FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = con.conkey[1]) <> 'tenant_id'
$$, 'tenant_id leads every primary, unique and foreign key (Citus)');

SELECT is_empty($$
	SELECT con.conname FROM pg_constraint con
	  JOIN pg_class c ON c.oid = con.conrelid
	 WHERE c.relnamespace = 'lead_crm'::regnamespace AND con.contype = 'f'
	   AND (SELECT attname FROM pg_attribute WHERE attrelid = con.confrelid AND attnum = con.confkey[1]) <> 'tenant_id'
$$, 'every foreign key references tenant_id first');

SELECT is_empty($$
	SELECT c.relname FROM pg_class c
	 WHERE c.relnamespace = 'lead_crm'::regnamespace AND c.relkind IN ('r', 'p')
	   AND c.oid <> ALL (SELECT unnest(extconfig) FROM pg_extension WHERE extname = 'lead_crm')
$$, 'every table is registered with pg_extension_config_dump');

SELECT is_empty($$
	SELECT s.relname FROM pg_class s
	  JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
	 WHERE s.relkind = 'S' AND s.relnamespace = 'lead_crm'::regnamespace
	   AND s.oid <> ALL (SELECT unnest(extconfig) FROM pg_extension WHERE extname = 'lead_crm')
$$, 'every sequence of a table is registered with pg_extension_config_dump');

SELECT is_empty($$
	SELECT p.oid::regprocedure FROM pg_proc p
	 WHERE p.pronamespace = 'lead_crm'::regnamespace AND p.prosecdef
	   AND NOT EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
$$, 'every SECURITY DEFINER function pins search_path');

SELECT * FROM finish();
ROLLBACK;

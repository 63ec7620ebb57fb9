-- lead_crm install script, built by concatenating sql/NN_*.sql (see Makefile).
\echo Use "CREATE EXTENSION lead_crm CASCADE" to load this file. \quit

-- The schema comes from the control file (schema = lead_crm). PostgreSQL creates
-- it if needed but cannot make it a member of the extension it contains, so
-- DROP EXTENSION leaves it behind, empty; DROP SCHEMA lead_crm removes it.
COMMENT ON SCHEMA @extschema@ IS 'lead_crm: Vietnamese-aware lead management';

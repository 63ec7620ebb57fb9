-- lead_crm install script, built by concatenating sql/NN_*.sql (see Makefile).
\echo Use "CREATE EXTENSION lead_crm CASCADE" to load this file. \quit

COMMENT ON SCHEMA lead_crm IS 'lead_crm: Vietnamese-aware lead management';

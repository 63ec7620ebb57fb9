-- Normalized columns of a lead, maintained by PostgreSQL beside what the user
-- typed (nothing is lost). A malformed phone or e-mail is kept and flagged, the
-- lead is never refused for it (Rodi's red icon).

ALTER TABLE @extschema@.lead
	ADD COLUMN IF NOT EXISTS phone_e164 @extschema@.phone
		GENERATED ALWAYS AS (@extschema@.phone_or_null(phone)) STORED,
	ADD COLUMN IF NOT EXISTS email_key text
		GENERATED ALWAYS AS (@extschema@.normalize_email(email)) STORED,
	ADD COLUMN IF NOT EXISTS name_fold text
		GENERATED ALWAYS AS (@extschema@.vn_fold(full_name)) STORED,
	ADD COLUMN IF NOT EXISTS company_key text
		GENERATED ALWAYS AS (@extschema@.normalize_company(company_name)) STORED,
	ADD COLUMN IF NOT EXISTS province_canon text
		GENERATED ALWAYS AS (@extschema@.normalize_province(province)) STORED,
	ADD COLUMN IF NOT EXISTS phone_invalid boolean
		GENERATED ALWAYS AS (COALESCE(pg_catalog.btrim(phone, E' \t\r\n') <> ''
									  AND @extschema@.phone_or_null(phone) IS NULL, false)) STORED,
	ADD COLUMN IF NOT EXISTS email_invalid boolean
		GENERATED ALWAYS AS (COALESCE(pg_catalog.btrim(email, E' \t\r\n') <> ''
									  AND @extschema@.normalize_email(email) IS NULL, false)) STORED;

COMMENT ON COLUMN @extschema@.lead.phone_e164 IS 'phone in canonical form (lead_crm.phone), NULL when missing or invalid';
COMMENT ON COLUMN @extschema@.lead.email_key IS 'normalize_email(email): the key duplicates share';
COMMENT ON COLUMN @extschema@.lead.name_fold IS 'vn_fold(full_name): lower case, no diacritics';
COMMENT ON COLUMN @extschema@.lead.company_key IS 'normalize_company(company_name): core name without legal form';
COMMENT ON COLUMN @extschema@.lead.province_canon IS 'normalize_province(province): one of the 34 units of 2025';
COMMENT ON COLUMN @extschema@.lead.phone_invalid IS 'a phone was typed but it is not a valid number';
COMMENT ON COLUMN @extschema@.lead.email_invalid IS 'an e-mail was typed but it is not a valid address';

CREATE INDEX IF NOT EXISTS lead_phone_e164_idx ON @extschema@.lead (tenant_id, phone_e164);
CREATE INDEX IF NOT EXISTS lead_email_key_idx ON @extschema@.lead (tenant_id, email_key);
COMMENT ON INDEX @extschema@.lead_phone_e164_idx IS 'find leads by phone in any format (duplicates, caller lookup)';
COMMENT ON INDEX @extschema@.lead_email_key_idx IS 'find leads by e-mail key (duplicates)';

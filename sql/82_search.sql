-- Vietnamese search (src/search.c, src/core/vn_search.c): one call finds a lead
-- however its name, company, phone or e-mail was typed.
--
-- Retrieval uses four indexes on lead_crm.lead, all on values the database
-- maintains (generated columns name_fold, company_key, phone_e164, email_key):
--   lead_search_keys_idx   GIN on the words and word pairs of name and company
--                          (search_keys): exact words, Telex/VNI decodings and
--                          typo corrections are looked up as pairs, which stay
--                          selective when each word is common (Nguyễn, Văn)
--   lead_search_trgm_idx   pg_trgm GIN on the folded name and company
--                          (search_document): words no syllable explains
--   lead_phone_suffix_idx  btree on the reversed digits of the phone: "345678"
--   lead_phone_typed_idx   btree on the digits of phones as typed: "0894 768" when the
--                          canonical form differs (invalid, or read as an old landline)
--   lead_email_prefix_idx  btree on email_key for its prefixes: "an.nguyen@gm"
-- and the existing lead_phone_e164_idx for phone prefixes ("0912 345": a range).
--
-- Every operator the search filters with is LEAKPROOF (honestly: they cannot
-- fail on their input nor reveal it), so when row-level security is enabled
-- on lead the planner may still use these indexes under the policy: a
-- non-leakproof qual has to wait until the policy has filtered the rows.

CREATE OR REPLACE FUNCTION @extschema@.search_keys(tenant integer, name_fold text, company_key text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'lc_search_keys'
LANGUAGE C IMMUTABLE PARALLEL SAFE LEAKPROOF
COST 100;	-- splits and pairs words (~5-10 us): an index scan beats a call per row
COMMENT ON FUNCTION @extschema@.search_keys(integer, text, text) IS
'index keys of a lead for search: "tenant:word" for every word of its folded name and company key, "tenant:a b" for word pairs (name-name, name-company, neighbouring company words)';

CREATE OR REPLACE FUNCTION @extschema@.search_document(name_fold text, company_key text)
RETURNS text
AS 'MODULE_PATHNAME', 'lc_search_document_fn'
LANGUAGE C IMMUTABLE PARALLEL SAFE LEAKPROOF
COST 5;
COMMENT ON FUNCTION @extschema@.search_document(text, text) IS
'the folded name and company key of a lead, one space between: what the trigram index of search holds';

CREATE OR REPLACE FUNCTION @extschema@.phone_digits(text)
RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_digits_fn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.phone_digits(text) IS
'digits of a typed phone number in national form (+84 and 0084 become the trunk 0), NULL when it has none: how search finds numbers that are no valid ones';

CREATE OR REPLACE FUNCTION @extschema@.phone_suffix_key(@extschema@.phone, text)
RETURNS text
AS 'MODULE_PATHNAME', 'lc_phone_suffix_key'
LANGUAGE C IMMUTABLE PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.phone_suffix_key(@extschema@.phone, text) IS
'digits of a phone, last first (its E.164 form, or the digits typed when it is no valid number): the end of a number becomes a prefix a btree finds';

-- Array containment and overlap for the search keys' operator class, LEAKPROOF
-- (pg_catalog's @> and && are not); overlap with many keys (typo corrections,
-- passed sorted) is a binary search per lead key rather than every pair.
CREATE OR REPLACE FUNCTION @extschema@.search_keys_contain(text[], text[]) RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_search_keys_contain'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.search_keys_contain(text[], text[]) IS
'implementation of @>> for search keys: every key of the right array is in the left one (NULLs are in no array)';
CREATE OR REPLACE FUNCTION @extschema@.search_keys_overlap(text[], text[]) RETURNS boolean
AS 'MODULE_PATHNAME', 'lc_search_keys_overlap'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.search_keys_overlap(text[], text[]) IS
'implementation of &&> for search keys: some key of the right array is in the left one';

DO $$
BEGIN
	IF pg_catalog.to_regoperator('@extschema@.@>>(text[], text[])') IS NULL THEN
		CREATE OPERATOR @extschema@.@>> (
			LEFTARG = text[], RIGHTARG = text[], FUNCTION = @extschema@.search_keys_contain,
			RESTRICT = contsel, JOIN = contjoinsel
		);
	END IF;
END;
$$;
COMMENT ON OPERATOR @extschema@.@>> (text[], text[]) IS
'search keys contain all of these (leakproof @>)';
DO $$
BEGIN
	IF pg_catalog.to_regoperator('@extschema@.&&>(text[], text[])') IS NULL THEN
		CREATE OPERATOR @extschema@.&&> (
			LEFTARG = text[], RIGHTARG = text[], FUNCTION = @extschema@.search_keys_overlap,
			RESTRICT = contsel, JOIN = contjoinsel
		);
	END IF;
END;
$$;
COMMENT ON OPERATOR @extschema@.&&> (text[], text[]) IS
'search keys contain one of these (leakproof &&)';

-- GIN's own array support functions, with the leakproof operators.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_opclass WHERE opcname = 'search_key_ops'
				    AND opcnamespace = '@extschema@'::regnamespace) THEN
		CREATE OPERATOR CLASS @extschema@.search_key_ops FOR TYPE text[] USING gin AS
			OPERATOR 1 @extschema@.&&> (text[], text[]),
			OPERATOR 2 @extschema@.@>> (text[], text[]),
			FUNCTION 1 pg_catalog.bttextcmp(text, text),
			FUNCTION 2 pg_catalog.ginarrayextract(anyarray, internal, internal),
			FUNCTION 3 pg_catalog.ginqueryarrayextract(anyarray, internal, int2, internal, internal,
													   internal, internal),
			FUNCTION 4 pg_catalog.ginarrayconsistent(internal, int2, anyarray, int4, internal, internal,
													 internal, internal),
			FUNCTION 6 pg_catalog.ginarraytriconsistent(internal, int2, anyarray, int4, internal,
														internal, internal),
			STORAGE text;
	END IF;
END;
$$;
COMMENT ON OPERATOR CLASS @extschema@.search_key_ops USING gin IS
'GIN array_ops for search keys with leakproof operators @>> and &&>';

-- pg_trgm's word similarity (doc %> query), from pg_trgm's own library, declared
-- LEAKPROOF; STABLE because it reads pg_trgm.word_similarity_threshold.
CREATE OR REPLACE FUNCTION @extschema@.search_word_match(doc text, query text) RETURNS boolean
AS '$libdir/pg_trgm', 'word_similarity_commutator_op'
LANGUAGE C STABLE STRICT PARALLEL SAFE LEAKPROOF
COST 50;	-- extracts and compares the trigrams of both texts on every call
COMMENT ON FUNCTION @extschema@.search_word_match(text, text) IS
'implementation of %>@: pg_trgm''s doc %> query (word_similarity(query, doc) >= pg_trgm.word_similarity_threshold), leakproof';

DO $$
BEGIN
	IF pg_catalog.to_regoperator('@extschema@.%>@(text, text)') IS NULL THEN
		CREATE OPERATOR @extschema@.%>@ (
			LEFTARG = text, RIGHTARG = text, FUNCTION = @extschema@.search_word_match,
			RESTRICT = contsel, JOIN = contjoinsel
		);
	END IF;
END;
$$;
COMMENT ON OPERATOR @extschema@.%>@ (text, text) IS
'the document has an extent of words similar to the query (pg_trgm''s %>, leakproof)';

-- pg_trgm's GIN support functions (found on the search path CREATE EXTENSION
-- sets: pg_trgm's schema follows ours), strategy 7 = word similarity.
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_opclass WHERE opcname = 'search_trgm_ops'
				    AND opcnamespace = '@extschema@'::regnamespace) THEN
		CREATE OPERATOR CLASS @extschema@.search_trgm_ops FOR TYPE text USING gin AS
			OPERATOR 7 @extschema@.%>@ (text, text),
			FUNCTION 1 pg_catalog.btint4cmp(int4, int4),
			FUNCTION 2 gin_extract_value_trgm(text, internal),
			FUNCTION 3 gin_extract_query_trgm(text, internal, int2, internal, internal, internal, internal),
			FUNCTION 4 gin_trgm_consistent(internal, int2, text, int4, internal, internal, internal, internal),
			FUNCTION 6 gin_trgm_triconsistent(internal, int2, text, int4, internal, internal, internal),
			STORAGE int4;
	END IF;
END;
$$;
COMMENT ON OPERATOR CLASS @extschema@.search_trgm_ops USING gin IS
'pg_trgm''s gin_trgm_ops word similarity with the leakproof operator %>@';

CREATE INDEX IF NOT EXISTS lead_search_keys_idx ON @extschema@.lead
	USING gin (@extschema@.search_keys(tenant_id, name_fold, company_key) @extschema@.search_key_ops);
COMMENT ON INDEX @extschema@.lead_search_keys_idx IS
'search: words and word pairs of name and company (exact, Telex/VNI, typo corrections)';
CREATE INDEX IF NOT EXISTS lead_search_trgm_idx ON @extschema@.lead
	USING gin (@extschema@.search_document(name_fold, company_key) @extschema@.search_trgm_ops);
COMMENT ON INDEX @extschema@.lead_search_trgm_idx IS
'search: trigrams of the folded name and company, for words no syllable explains';
CREATE INDEX IF NOT EXISTS lead_phone_suffix_idx ON @extschema@.lead
	(tenant_id, @extschema@.phone_suffix_key(phone_e164, phone) text_pattern_ops);
COMMENT ON INDEX @extschema@.lead_phone_suffix_idx IS
'search: the last digits of a phone number (345678)';
CREATE INDEX IF NOT EXISTS lead_phone_typed_idx ON @extschema@.lead
	(tenant_id, @extschema@.phone_digits(phone) text_pattern_ops);
COMMENT ON INDEX @extschema@.lead_phone_typed_idx IS
'search: the start of phone numbers as typed, for numbers whose canonical form differs (no valid number; 089x read as an old HCMC landline)';
-- byte order (COLLATE "C") for prefix ranges; equality keeps lead_email_key_idx
CREATE INDEX IF NOT EXISTS lead_email_prefix_idx ON @extschema@.lead (tenant_id, (email_key COLLATE "C"));
COMMENT ON INDEX @extschema@.lead_email_prefix_idx IS
'search: the start of an e-mail key (an.nguyen@gm)';

CREATE OR REPLACE FUNCTION @extschema@.search(query text, max_results integer DEFAULT 20)
RETURNS TABLE (lead_id bigint, score real, full_name text, company_name text, phone text,
			   email text, matched text[])
AS 'MODULE_PATHNAME', 'lc_search'
LANGUAGE C STABLE STRICT PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION @extschema@.search(text, integer) IS
'the current tenant''s leads matching a name, company, phone or e-mail however typed (diacritics or not, NFD, either tone style, Telex/VNI, a typo per word, phone fragments, e-mail prefixes), best first; score 0..1; ties: more fields matched, then recently updated, then id';

CREATE OR REPLACE FUNCTION @extschema@.search_readings(query text, OUT kind text, OUT reading text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'lc_search_readings'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
COMMENT ON FUNCTION @extschema@.search_readings(text) IS
'how search reads a query: words (typed, telex, vni, company), phone (number, prefix or suffix ranges of E.164 digits), email (key or prefix)';

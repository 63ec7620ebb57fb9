-- Vietnamese text: folding and normalization (src/core/vn_text.c).

CREATE OR REPLACE FUNCTION @extschema@.vn_fold(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vn_fold'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vn_fold(text) IS
'fold for matching: lower case, no diacritics, đ to d, NFC and NFD alike, white space collapsed';

CREATE OR REPLACE FUNCTION @extschema@.vn_normalize(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vn_normalize_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vn_normalize(text) IS
'canonical display form: NFC, tone marks in the modern position (hoà, khoẻ, thuỷ), white space collapsed; keeps case and diacritics';

CREATE OR REPLACE FUNCTION @extschema@.telex_to_vn(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_telex_to_vn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.telex_to_vn(text) IS
'decode words typed in Telex without an input method (Nguyeenx -> Nguyễn); other words, e-mails and numbers unchanged; result as vn_normalize';

CREATE OR REPLACE FUNCTION @extschema@.vni_to_vn(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vni_to_vn'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vni_to_vn(text) IS
'decode words typed in VNI without an input method (Nguye6n4 -> Nguyễn); other words, e-mails and numbers unchanged; result as vn_normalize';

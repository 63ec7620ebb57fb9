-- Vietnamese text: folding and normalization (src/core/vn_text.c).

CREATE FUNCTION @extschema@.vn_fold(text) RETURNS text
AS 'MODULE_PATHNAME', 'lc_vn_fold'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.vn_fold(text) IS
'fold for matching: lower case, no diacritics, đ to d, NFC and NFD alike, white space collapsed';

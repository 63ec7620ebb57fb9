/*
 * src/text.c - SQL wrappers of the Vietnamese text core (src/core/vn_text.c,
 * vn_syllable.c, vn_telex.c). NFC comes from PostgreSQL's own Unicode tables
 * (common/unicode_norm.h), the rest from the core.
 */
#include "postgres.h"

#include "common/unicode_norm.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "core/vn_text.h"
#include "lead_crm.h"

/* The core reads UTF-8; text in another server encoding would be mangled. */
static inline void
check_utf8_database(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("database encoding %s is not supported by the Vietnamese text functions",
						GetDatabaseEncodingName()),
				 errdetail("The Vietnamese text functions read and write UTF-8."),
				 errhint("Create the database with ENCODING 'UTF8'.")));
}

/*
 * Is the text NFC whatever its neighbours, judged by its bytes? True when
 * every code point is below U+0300 or in U+1E00..U+1EFF (the Vietnamese
 * letters): each such character is NFC by itself, has combining class 0 and
 * never composes with the one before (tools/gen_vn_letters.py checks this).
 */
static inline bool
surely_nfc(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;

	while (p < end)
	{
		if (*p < 0x80)
			p++;
		else if (*p >= 0xC2 && *p <= 0xCB)	/* U+0080..U+02FF */
			p += 2;
		else if (*p == 0xE1 && p + 1 < end && p[1] >= 0xB8 && p[1] <= 0xBB)	/* U+1E00..U+1EFF */
			p += 3;
		else
			return false;
	}
	return true;
}

/*
 * s[0..len-1] in NFC: the input itself when it already is (surely_nfc, or
 * PostgreSQL's quick check says yes), else a palloc'd copy.
 */
static void
to_nfc(const char **s, size_t *len)
{
	pg_wchar   *w,
			   *nfc;
	char	   *out,
			   *o;
	int			n,
				i;

	if (surely_nfc(*s, *len))
		return;
	w = palloc((*len + 1) * sizeof(pg_wchar));
	n = pg_mb2wchar_with_len(*s, w, (int) *len);
	w[n] = 0;
	if (unicode_is_normalized_quickcheck(UNICODE_NFC, w) == UNICODE_NORM_QC_YES)
	{
		pfree(w);
		return;
	}
	nfc = unicode_normalize(UNICODE_NFC, w);
	for (i = 0; nfc[i]; i++)
		;
	o = out = palloc((size_t) i * 4 + 1);
	for (i = 0; nfc[i]; i++)
	{
		unicode_to_utf8(nfc[i], (unsigned char *) o);
		o += pg_utf_mblen((unsigned char *) o);
	}
	pfree(w);
	pfree(nfc);
	*s = out;
	*len = (size_t) (o - out);
}

/* NFC, then tone placement and white space (lc_vn_normalize) into a palloc'd buffer */
static char *
normalize_nfc(const char *s, size_t len, size_t *outlen)
{
	char	   *out;

	to_nfc(&s, &len);
	out = palloc(lc_vn_normalize_bound(len));
	*outlen = lc_vn_normalize(s, len, out);
	return out;
}

/* vn_fold(text): lower case, no diacritics, white space collapsed */
PG_FUNCTION_INFO_V1(lc_vn_fold);
Datum
lc_vn_fold(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	char	   *out;
	size_t		n;

	check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	out = palloc(lc_fold_bound(len));
	n = lc_fold(s, len, out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

/* vn_normalize(text): NFC, modern tone placement, white space collapsed */
PG_FUNCTION_INFO_V1(lc_vn_normalize_text);
Datum
lc_vn_normalize_text(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				n;
	char	   *out;

	check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	out = normalize_nfc(s, len, &n);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

/* normalized text with its Telex or VNI words decoded */
static text *
decode_typed(const char *s, size_t len, lc_vn_input method)
{
	size_t		n;
	char	   *norm = normalize_nfc(s, len, &n);
	char	   *out = palloc(lc_vn_input_bound(n));

	n = lc_vn_input_decode(method, norm, n, out);
	return cstring_to_text_with_len(out, (int) n);
}

/* telex_to_vn(text): decode words typed in Telex without an input method */
PG_FUNCTION_INFO_V1(lc_telex_to_vn);
Datum
lc_telex_to_vn(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	PG_RETURN_TEXT_P(decode_typed(s, len, LC_VN_TELEX));
}

/* vni_to_vn(text): decode words typed in VNI without an input method */
PG_FUNCTION_INFO_V1(lc_vni_to_vn);
Datum
lc_vni_to_vn(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	PG_RETURN_TEXT_P(decode_typed(s, len, LC_VN_VNI));
}

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
#include "utils/memutils.h"

#include "core/vn_text.h"
#include "lead_crm.h"

/* The core reads UTF-8; text in another server encoding would be mangled. */
void
lc_check_utf8_database(void)
{
	if (GetDatabaseEncoding() != PG_UTF8)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("database encoding %s is not supported by the Vietnamese text functions",
						GetDatabaseEncodingName()),
				 errdetail("The Vietnamese text functions read and write UTF-8."),
				 errhint("Create the database with ENCODING 'UTF8'.")));
}

/* a work buffer size, refused with a clear error past palloc's 1 GB limit */
static size_t
checked_size(size_t bytes)
{
	if (bytes > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("text too long for the Vietnamese text functions"),
				 errdetail("Processing it needs a buffer of %zu bytes; the limit is %zu.",
						   bytes, (size_t) MaxAllocSize),
				 errhint("Split the value into pieces of less than 256 MB.")));
	return bytes;
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
	w = palloc(checked_size((*len + 1) * sizeof(pg_wchar)));
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
	o = out = palloc(checked_size((size_t) i * 4 + 1));
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

/*
 * A text datum the core writes into directly (bound bytes, its NUL included),
 * sparing the copy of cstring_to_text_with_len: one palloc per call.
 */
static inline text *
new_text(size_t bound)
{
	return (text *) palloc(checked_size(VARHDRSZ + bound));
}

static inline text *
text_done(text *t, size_t len)
{
	SET_VARSIZE(t, VARHDRSZ + len);
	return t;
}

/* NFC, then tone placement and white space (lc_vn_normalize) */
static text *
normalize_nfc(const char *s, size_t len)
{
	text	   *out;

	to_nfc(&s, &len);
	out = new_text(lc_vn_normalize_bound(len));
	return text_done(out, lc_vn_normalize(s, len, VARDATA(out)));
}

/* vn_fold(text): lower case, no diacritics, white space collapsed */
PG_FUNCTION_INFO_V1(lc_vn_fold);
Datum
lc_vn_fold(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	text	   *out;

	lc_check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	out = new_text(lc_fold_bound(len));
	PG_RETURN_TEXT_P(text_done(out, lc_fold(s, len, VARDATA(out))));
}

/* vn_normalize(text): NFC, modern tone placement, white space collapsed */
PG_FUNCTION_INFO_V1(lc_vn_normalize_text);
Datum
lc_vn_normalize_text(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	lc_check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	PG_RETURN_TEXT_P(normalize_nfc(s, len));
}

/* normalized text with its Telex or VNI words decoded */
static text *
decode_typed(const char *s, size_t len, lc_vn_input method)
{
	text	   *norm = normalize_nfc(s, len);
	size_t		n = VARSIZE(norm) - VARHDRSZ;
	text	   *out = new_text(lc_vn_input_bound(n));

	return text_done(out, lc_vn_input_decode(method, VARDATA(norm), n, VARDATA(out)));
}

/* telex_to_vn(text): decode words typed in Telex without an input method */
PG_FUNCTION_INFO_V1(lc_telex_to_vn);
Datum
lc_telex_to_vn(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;

	lc_check_utf8_database();
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

	lc_check_utf8_database();
	LC_ARG_TEXT(0, s, len);
	PG_RETURN_TEXT_P(decode_typed(s, len, LC_VN_VNI));
}

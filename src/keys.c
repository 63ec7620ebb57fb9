/*
 * src/keys.c - matching keys of e-mails, companies, provinces and names
 * (cores: src/core/vn_email.c, vn_company.c, vn_province.c, vn_name.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/unicode_norm.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "core/vn_company.h"
#include "core/vn_email.h"
#include "core/vn_name.h"
#include "core/vn_province.h"
#include "lead_crm.h"

/* normalize_email(text): the matching key, NULL when not an address */
PG_FUNCTION_INFO_V1(lc_normalize_email);
Datum
lc_normalize_email(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				n;
	char	   *out;

	LC_ARG_TEXT(0, s, len);
	out = palloc(lc_email_key_bound(len));
	if (!lc_email_key(s, len, out, &n))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

/* is_valid_email(text): does normalize_email find an address in it? */
PG_FUNCTION_INFO_V1(lc_is_valid_email);
Datum
lc_is_valid_email(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				n;

	LC_ARG_TEXT(0, s, len);
	PG_RETURN_BOOL(lc_email_key(s, len, palloc(lc_email_key_bound(len)), &n));
}

/* normalize_company(text): folded core name without legal form, NULL if empty */
PG_FUNCTION_INFO_V1(lc_normalize_company);
Datum
lc_normalize_company(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				n;
	char	   *out;

	LC_ARG_TEXT(0, s, len);
	out = palloc(lc_company_key_bound(len));
	n = lc_company_key(s, len, out);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

/* normalize_province(text): one of the 34 units of 2025, NULL when unknown */
PG_FUNCTION_INFO_V1(lc_normalize_province);
Datum
lc_normalize_province(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	const char *name;

	LC_ARG_TEXT(0, s, len);
	name = lc_province_name(lc_province_lookup(s, len, palloc(lc_province_work_bound(len))));
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* province_aliases(): every spelling normalize_province knows, and its unit */
PG_FUNCTION_INFO_V1(lc_province_aliases);
Datum
lc_province_aliases(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < lc_province_alias_count(); i++)
	{
		const char *alias,
				   *kind;
		int			unit;
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		lc_province_alias_at(i, &alias, &unit, &kind);
		values[0] = CStringGetTextDatum(alias);
		values[1] = CStringGetTextDatum(lc_province_name(unit));
		values[2] = CStringGetTextDatum(kind);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * s in NFC, so that a name typed in NFD keeps its diacritics in the family-name
 * check and comes out composed (PostgreSQL's normalizer; UTF-8 databases only).
 */
static char *
nfc(const char *s, size_t len, size_t *out_len)
{
	pg_wchar   *wide;
	pg_wchar   *norm;
	char	   *out;
	size_t		i,
				n;

	for (i = 0; i < len && !IS_HIGHBIT_SET(s[i]); i++)
		;
	if (i == len || GetDatabaseEncoding() != PG_UTF8)
	{
		*out_len = len;
		return (char *) s;
	}
	wide = palloc((len + 1) * sizeof(pg_wchar));
	n = pg_mb2wchar_with_len(s, wide, (int) len);
	wide[n] = 0;
	norm = unicode_normalize(UNICODE_NFC, wide);
	for (n = 0; norm[n]; n++)
		;
	out = palloc(n * MAX_MULTIBYTE_CHAR_LEN + 1);
	*out_len = (size_t) pg_wchar2mb_with_len(norm, out, (int) n);
	return out;
}

static Datum
part_datum(const char *out, size_t off, size_t len, bool *isnull)
{
	*isnull = (len == 0);
	return len == 0 ? (Datum) 0 : PointerGetDatum(cstring_to_text_with_len(out + off, (int) len));
}

/* parse_name(text): (family, middle, given), title case, diacritics kept */
PG_FUNCTION_INFO_V1(lc_parse_name_fn);
Datum
lc_parse_name_fn(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	TupleDesc	desc;
	lc_name_parts parts;
	char	   *out;
	Datum		values[3];
	bool		nulls[3];

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "parse_name must return a composite type");
	LC_ARG_TEXT(0, s, len);
	s = nfc(s, len, &len);
	out = palloc(lc_name_bound(len));
	lc_parse_name(s, len, out, &parts);
	values[0] = part_datum(out, parts.family_off, parts.family_len, &nulls[0]);
	values[1] = part_datum(out, parts.middle_off, parts.middle_len, &nulls[1]);
	values[2] = part_datum(out, parts.given_off, parts.given_len, &nulls[2]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

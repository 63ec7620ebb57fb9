/*
 * src/phone.c - the lead_crm.phone type and phone functions (core: src/core/vn_phone.c).
 *
 * A phone is its E.164 digits as an int8 (see vn_phone.h), so equality,
 * ordering and hashing are int8's: the operator classes in sql/25_phone.sql
 * use int8's own support functions.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "core/vn_phone.h"
#include "core/vn_province.h"
#include "lead_crm.h"

/* longest part of a bad value quoted in a message: 1 MB of junk is not shown */
#define QUOTE_MAX 100

static const char *
status_detail(lc_phone_status st)
{
	switch (st)
	{
		case LC_PHONE_NO_DIGITS:
			return "contains no digits";
		case LC_PHONE_BAD_CHARACTER:
			return "contains a character that is not a digit, space, dot, dash, slash, parenthesis or leading plus sign";
		case LC_PHONE_MISPLACED_PLUS:
			return "has a plus sign that is not in front of the number";
		case LC_PHONE_TOO_MANY_DIGITS:
			return "has more digits than a phone number can have (two numbers in one field?)";
		case LC_PHONE_BAD_LENGTH:
			return "has too few or too many digits for a Vietnamese number";
		case LC_PHONE_UNASSIGNED:
			return "does not start with a Vietnamese mobile prefix, area code or 1800/1900";
		case LC_PHONE_BAD_COUNTRY:
			return "does not start with a country calling code";
		case LC_PHONE_BAD_FOREIGN_LENGTH:
			return "has too few or too many digits for its country";
		case LC_PHONE_OK:
			break;
	}
	return "is not a phone number";
}

/* s, cut to QUOTE_MAX bytes on a character boundary */
static char *
quoted_value(const char *s, size_t len)
{
	int			keep = pg_mbcliplen(s, (int) Min(len, (size_t) QUOTE_MAX * 2), QUOTE_MAX);

	return psprintf("%.*s%s", keep, s, (size_t) keep < len ? "..." : "");
}

static void
report_invalid_phone(const char *s, size_t len, lc_phone_status st)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type phone"),
			 errdetail("The value \"%s\" %s.", quoted_value(s, len), status_detail(st)),
			 errhint("Write a Vietnamese number as 0912 345 678 or +84 912 345 678, "
					 "or a foreign number with its country code, as +1 650 253 0000.")));
}

/* phone_in(cstring): every common way of writing a number; errors name the fault */
PG_FUNCTION_INFO_V1(lc_phone_in);
Datum
lc_phone_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	int64		v;
	lc_phone_status st = lc_phone_parse(s, len, &v);

	if (st != LC_PHONE_OK)
		report_invalid_phone(s, len, st);
	PG_RETURN_INT64(v);
}

/* phone_out(phone): E.164, "+84912345678" */
PG_FUNCTION_INFO_V1(lc_phone_out);
Datum
lc_phone_out(PG_FUNCTION_ARGS)
{
	char	   *out = palloc(LC_PHONE_TEXT_MAX);

	lc_phone_format_e164(PG_GETARG_INT64(0), out);
	PG_RETURN_CSTRING(out);
}

/* phone_recv(internal): an int8 that must be a canonical number */
PG_FUNCTION_INFO_V1(lc_phone_recv);
Datum
lc_phone_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		v = pq_getmsgint64(buf);

	if (!lc_phone_is_canonical(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type phone"),
				 errdetail("The value " INT64_FORMAT " is not the E.164 digits of a valid phone number.", v),
				 errhint("Send the number as text, or as the int8 of its E.164 digits (84912345678).")));
	PG_RETURN_INT64(v);
}

/* phone_send(phone): the E.164 digits as an int8 */
PG_FUNCTION_INFO_V1(lc_phone_send);
Datum
lc_phone_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, PG_GETARG_INT64(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* normalize_phone(text): E.164 text, NULL when not a valid number; never an error */
PG_FUNCTION_INFO_V1(lc_normalize_phone);
Datum
lc_normalize_phone(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	int64		v;
	char		out[LC_PHONE_TEXT_MAX];

	LC_ARG_TEXT(0, s, len);
	if (lc_phone_parse(s, len, &v) != LC_PHONE_OK)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) lc_phone_format_e164(v, out)));
}

/* phone_or_null(text): the phone, NULL when not a valid number (generated columns) */
PG_FUNCTION_INFO_V1(lc_phone_or_null);
Datum
lc_phone_or_null(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	int64		v;

	LC_ARG_TEXT(0, s, len);
	if (lc_phone_parse(s, len, &v) != LC_PHONE_OK)
		PG_RETURN_NULL();
	PG_RETURN_INT64(v);
}

/* phone_kind(phone): mobile, landline, toll_free, premium, satellite or foreign */
PG_FUNCTION_INFO_V1(lc_phone_kind_fn);
Datum
lc_phone_kind_fn(PG_FUNCTION_ARGS)
{
	const char *name = lc_phone_kind_name(lc_phone_kind_of(PG_GETARG_INT64(0)));

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* phone_carrier(phone): network the mobile prefix was assigned to, or NULL */
PG_FUNCTION_INFO_V1(lc_phone_carrier_fn);
Datum
lc_phone_carrier_fn(PG_FUNCTION_ARGS)
{
	const char *name = lc_phone_carrier(PG_GETARG_INT64(0));

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* phone_province(phone): 2025 province of a landline's area code, or NULL */
PG_FUNCTION_INFO_V1(lc_phone_province);
Datum
lc_phone_province(PG_FUNCTION_ARGS)
{
	const char *name = lc_province_name(lc_phone_province_unit(PG_GETARG_INT64(0)));

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* phone_format(phone): as written in Vietnam, "0912 345 678" */
PG_FUNCTION_INFO_V1(lc_phone_format);
Datum
lc_phone_format(PG_FUNCTION_ARGS)
{
	char		out[LC_PHONE_TEXT_MAX];
	size_t		n = lc_phone_format_national(PG_GETARG_INT64(0), out);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

/* phone_area_codes(): every landline area code, old and new, and its provinces */
PG_FUNCTION_INFO_V1(lc_phone_area_codes);
Datum
lc_phone_area_codes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < lc_area_code_count(); i++)
	{
		int			code = lc_area_code_at(i);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = CStringGetTextDatum(psprintf("0%d", code));
		values[1] = CStringGetTextDatum(psprintf("0%s", lc_area_code_before_2017(code)));
		values[2] = CStringGetTextDatum(lc_area_code_old_province(code));
		values[3] = CStringGetTextDatum(lc_province_name(lc_area_code_unit(code)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * src/custom_field.c - validation of lead.custom (jsonb) against the tenant's
 * custom-field definitions (lead_crm.custom_field).
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "lead_crm.h"

static const char *const custom_type_names[] = {"text", "integer", "number", "boolean",
"date", "choice", "multichoice", "email", "url"};

static const LcCustomField *
find_definition(const LcTenantConfig *cfg, const char *key, int keylen)
{
	int			i;

	for (i = 0; i < cfg->ncustom; i++)
		if ((int) strlen(cfg->custom[i].name) == keylen &&
			memcmp(cfg->custom[i].name, key, keylen) == 0)
			return &cfg->custom[i];
	return NULL;
}

static char *
defined_names(const LcTenantConfig *cfg)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < cfg->ncustom; i++)
		appendStringInfo(&s, "%s%s (%s)", i ? ", " : "", cfg->custom[i].name,
						 custom_type_names[cfg->custom[i].type]);
	return s.len ? s.data : "none";
}

static char *
jsonb_value_text(JsonbValue *v)
{
	if (v->type == jbvString)
		return psprintf("\"%.*s\"", v->val.string.len, v->val.string.val);
	if (v->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	if (v->type == jbvBool)
		return v->val.boolean ? "true" : "false";
	if (v->type == jbvNull)
		return "null";
	return "(a JSON array or object)";
}

static bool
is_allowed(const LcCustomField *def, const char *s, int len)
{
	int			i;

	for (i = 0; i < def->nallowed; i++)
		if ((int) strlen(def->allowed[i]) == len && memcmp(def->allowed[i], s, len) == 0)
			return true;
	return false;
}

static char *
allowed_list(const LcCustomField *def)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < def->nallowed; i++)
		appendStringInfo(&s, "%s\"%s\"", i ? ", " : "", def->allowed[i]);
	return s.data;
}

/* an ISO date YYYY-MM-DD that exists in the calendar */
static bool
is_iso_date(const char *s, int len)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				m,
				d,
				i;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

/* local@domain.tld without spaces: the shape, not deliverability */
static bool
looks_like_email(const char *s, int len)
{
	const char *at = memchr(s, '@', len);
	const char *dot;
	int			i;

	if (at == NULL || at == s || at == s + len - 1)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] == ' ' || (s[i] == '@' && s + i != at))
			return false;
	dot = memchr(at, '.', len - (at - s));
	return dot != NULL && dot > at + 1 && dot < s + len - 1;
}

static void
type_error(const LcCustomField *def, JsonbValue *v, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for custom field \"%s\"", def->label ? def->label : def->name),
			 errdetail("Custom field \"%s\" is of type %s; the lead has %s.",
					   def->name, custom_type_names[def->type], jsonb_value_text(v)),
			 errhint("Give %s.", expected)));
}

static void
check_choice(const LcCustomField *def, JsonbValue *v)
{
	if (v->type != jbvString)
		type_error(def, v, "one of the allowed values as a JSON string");
	if (!is_allowed(def, v->val.string.val, v->val.string.len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value not allowed for custom field \"%s\"",
						def->label ? def->label : def->name),
				 errdetail("Custom field \"%s\" does not allow \"%.*s\".", def->name,
						   v->val.string.len, v->val.string.val),
				 errhint("Allowed values: %s. To allow more, update allowed_values in lead_crm.custom_field.",
						 allowed_list(def))));
}

/* a JSON number without a fractional part (5 and 5.00, not 5.5) */
static bool
is_whole_number(JsonbValue *v)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(v->val.numeric)));
	char	   *dot = strchr(s, '.');

	if (dot == NULL)
		return true;
	for (dot++; *dot; dot++)
		if (*dot != '0')
			return false;
	return true;
}

static void
check_value(const LcCustomField *def, JsonbValue *v)
{
	switch (def->type)
	{
		case LC_CUSTOM_TEXT:
			if (v->type != jbvString)
				type_error(def, v, "a JSON string");
			break;
		case LC_CUSTOM_INTEGER:
			if (v->type != jbvNumeric || !is_whole_number(v))
				type_error(def, v, "a whole number, e.g. 12");
			break;
		case LC_CUSTOM_NUMBER:
			if (v->type != jbvNumeric)
				type_error(def, v, "a JSON number, e.g. 12.5");
			break;
		case LC_CUSTOM_BOOLEAN:
			if (v->type != jbvBool)
				type_error(def, v, "true or false");
			break;
		case LC_CUSTOM_DATE:
			if (v->type != jbvString || !is_iso_date(v->val.string.val, v->val.string.len))
				type_error(def, v, "a date as a string in the form YYYY-MM-DD, e.g. \"2025-07-01\"");
			break;
		case LC_CUSTOM_CHOICE:
			check_choice(def, v);
			break;
		case LC_CUSTOM_MULTICHOICE:
			if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
				type_error(def, v, "a JSON array of allowed values");
			{
				JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
				JsonbValue	elem;
				JsonbIteratorToken tok;

				while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
					if (tok == WJB_ELEM)
						check_choice(def, &elem);
			}
			break;
		case LC_CUSTOM_EMAIL:
			if (v->type != jbvString || !looks_like_email(v->val.string.val, v->val.string.len))
				type_error(def, v, "an email address as a string, e.g. \"an.nguyen@gmail.com\"");
			break;
		case LC_CUSTOM_URL:
			if (v->type != jbvString ||
				!(strncmp(v->val.string.val, "http://", Min(7, v->val.string.len)) == 0 ||
				  strncmp(v->val.string.val, "https://", Min(8, v->val.string.len)) == 0) ||
				v->val.string.len < 9)
				type_error(def, v, "a web address starting with http:// or https://");
			break;
	}
}

/* null, "", [] and {} do not fill a required field */
static bool
is_empty_value(JsonbValue *v)
{
	if (v->type == jbvNull)
		return true;
	if (v->type == jbvString)
	{
		int			i;

		for (i = 0; i < v->val.string.len; i++)
			if (!isspace((unsigned char) v->val.string.val[i]))
				return false;
		return true;
	}
	if (v->type == jbvBinary)
		return JsonContainerSize(v->val.binary.data) == 0;
	return false;
}

/*
 * Checks custom (a jsonb object) against the tenant's definitions: every key
 * defined, every value of its type, every required field present.
 */
void
lc_validate_custom(const LcTenantConfig *cfg, Jsonb *custom, int64 lead_id)
{
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	val;
	JsonbIteratorToken tok;
	int			i;

	if (!JB_ROOT_IS_OBJECT(custom) || JB_ROOT_IS_SCALAR(custom))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("custom fields must be a JSON object"),
				 errdetail("Lead %lld has custom = %s.", (long long) lead_id,
						   JsonbToCString(NULL, &custom->root, VARSIZE(custom))),
				 errhint("Write custom fields as {\"name\": value, ...}.")));

	it = JsonbIteratorInit(&custom->root);
	while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		const LcCustomField *def;

		if (tok != WJB_KEY)
			continue;
		def = find_definition(cfg, key.val.string.val, key.val.string.len);
		tok = JsonbIteratorNext(&it, &val, true);
		if (def == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown custom field \"%.*s\"", key.val.string.len, key.val.string.val),
					 errdetail("Tenant %d defines these custom fields: %s.", cfg->tenant_id,
							   defined_names(cfg)),
					 errhint("Define it first: INSERT INTO lead_crm.custom_field (name, type) VALUES ('%.*s', 'text');",
							 key.val.string.len, key.val.string.val)));
		if (val.type != jbvNull)
			check_value(def, &val);
	}

	for (i = 0; i < cfg->ncustom; i++)
	{
		const LcCustomField *def = &cfg->custom[i];
		JsonbValue *v;

		if (!def->required)
			continue;
		v = getKeyJsonValueFromContainer(&custom->root, def->name, strlen(def->name), NULL);
		if (v == NULL || is_empty_value(v))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("missing required custom field \"%s\"", def->label ? def->label : def->name),
					 errdetail("Tenant %d requires custom field \"%s\" on every lead.",
							   cfg->tenant_id, def->name),
					 errhint("Add \"%s\" to custom, or stop requiring it: UPDATE lead_crm.custom_field SET required = false WHERE tenant_id = %d AND name = '%s';",
							 def->name, cfg->tenant_id, def->name)));
	}
}

/* true when custom (a jsonb object, or NULL) does not fill custom field name */
bool
lc_custom_value_missing(Jsonb *custom, const char *name)
{
	JsonbValue *v;

	if (custom == NULL || !JB_ROOT_IS_OBJECT(custom) || JB_ROOT_IS_SCALAR(custom))
		return true;
	v = getKeyJsonValueFromContainer(&custom->root, name, strlen(name), NULL);
	return v == NULL || is_empty_value(v);
}

/*
 * src/lead.c - the BEFORE INSERT OR UPDATE row trigger of lead_crm.lead:
 * tenant provisioning, catalogue values mapped to codes, required fields,
 * custom fields, updated_at. Everything it needs is in the cached tenant
 * configuration (config.c), so a write costs no extra queries.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "core/vn_text.h"
#include "lead_crm.h"

/* lead columns whose values come from a catalogue (catalog_item.catalog or campaign) */
static const struct
{
	const char *column;
	const char *catalog;
}			catalog_columns[] = {
	{"source", "source"},
	{"medium", "medium"},
	{"industry", "industry"},
	{"lost_reason", "lost_reason"},
	{"marital_status", "marital_status"},
	{"campaign", "campaign"},
	{"tags", "tag"},
};

#define MAX_CHANGED 16

/*
 * One row being written: both versions deformed once (column access by index),
 * and the edits this trigger makes to the new version.
 */
typedef struct LeadRow
{
	TupleDesc	desc;
	HeapTuple	newtup;
	Datum	   *old_values;		/* NULL for INSERT */
	bool	   *old_nulls;
	Datum	   *new_values;
	bool	   *new_nulls;
	int			nedits;
	int			edit_cols[MAX_CHANGED];
	Datum		edit_values[MAX_CHANGED];
	bool		edit_nulls[MAX_CHANGED];
} LeadRow;

/* attribute numbers of the columns this trigger reads, per relation */
static struct
{
	Oid			relid;
	int			tenant_id;
	int			id;
	int			full_name;
	int			custom;
	int			updated_at;
	int			catalog[lengthof(catalog_columns)];
}			cols;

static int
attnum_of(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "lead_crm.lead has no column \"%s\"", name);
	return attnum;
}

static bool
attnum_is(TupleDesc desc, int attnum, const char *name)
{
	return attnum > 0 && attnum <= desc->natts &&
		strcmp(NameStr(TupleDescAttr(desc, attnum - 1)->attname), name) == 0;
}

/* looks the columns up once per relation; ALTER TABLE can move them, so recheck names */
static void
lookup_columns(Relation rel)
{
	TupleDesc	desc = rel->rd_att;
	int			i;
	bool		valid = cols.relid == RelationGetRelid(rel) &&
		attnum_is(desc, cols.tenant_id, "tenant_id") && attnum_is(desc, cols.id, "id") &&
		attnum_is(desc, cols.full_name, "full_name") && attnum_is(desc, cols.custom, "custom") &&
		attnum_is(desc, cols.updated_at, "updated_at");

	for (i = 0; valid && i < (int) lengthof(catalog_columns); i++)
		valid = attnum_is(desc, cols.catalog[i], catalog_columns[i].column);
	if (valid)
		return;
	cols.relid = InvalidOid;
	cols.tenant_id = attnum_of(desc, "tenant_id");
	cols.id = attnum_of(desc, "id");
	cols.full_name = attnum_of(desc, "full_name");
	cols.custom = attnum_of(desc, "custom");
	cols.updated_at = attnum_of(desc, "updated_at");
	for (i = 0; i < (int) lengthof(catalog_columns); i++)
		cols.catalog[i] = attnum_of(desc, catalog_columns[i].column);
	cols.relid = RelationGetRelid(rel);
}

static void
edit_set(LeadRow *row, int attnum, Datum value, bool isnull)
{
	Assert(row->nedits < MAX_CHANGED);
	row->edit_cols[row->nedits] = attnum;
	row->edit_values[row->nedits] = value;
	row->edit_nulls[row->nedits] = isnull;
	row->nedits++;
	/* later checks see the edited value */
	row->new_values[attnum - 1] = value;
	row->new_nulls[attnum - 1] = isnull;
}

/* true when the column differs between old and new (always for INSERT) */
static bool
column_changed(LeadRow *row, int attnum)
{
	Form_pg_attribute att = TupleDescAttr(row->desc, attnum - 1);
	int			i = attnum - 1;

	if (row->old_values == NULL)
		return true;
	if (row->old_nulls[i] || row->new_nulls[i])
		return row->old_nulls[i] != row->new_nulls[i];
	return !datumIsEqual(row->old_values[i], row->new_values[i], att->attbyval, att->attlen);
}

/* a value carries nothing: NULL, only white space, or an empty array */
static bool
is_missing(Datum value, bool isnull, Oid type)
{
	if (isnull)
		return true;
	if (type == TEXTOID)
	{
		text	   *t = DatumGetTextPP(value);
		const char *p = VARDATA_ANY(t);
		int			i,
					len = VARSIZE_ANY_EXHDR(t);

		for (i = 0; i < len; i++)
			if (!isspace((unsigned char) p[i]))
				return false;
		return true;
	}
	if (type == TEXTARRAYOID)
		return ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(value)),
							  ARR_DIMS(DatumGetArrayTypeP(value))) == 0;
	return false;
}

static char *
catalog_codes(const LcTenantConfig *cfg, const char *catalog)
{
	StringInfoData s;
	int			i,
				n = 0;

	initStringInfo(&s);
	for (i = 0; i < cfg->ncatalog; i++)
		if (strcmp(cfg->catalog[i].catalog, catalog) == 0)
			appendStringInfo(&s, "%s%s (%s)", n++ ? ", " : "", cfg->catalog[i].code,
							 cfg->catalog[i].label);
	return n ? s.data : "none";
}

/*
 * The catalogue code for a typed value: the code itself, or a code whose code,
 * Vietnamese or English label folds to the same text ("Hội chợ", "hoi cho",
 * "Trade fair" -> trade_fair). NULL when the catalogue does not know it.
 */
static const char *
catalog_code(const LcTenantConfig *cfg, const char *catalog, const char *value, int len)
{
	char	   *folded;
	int			i;

	/* most values are already codes: compare before folding */
	for (i = 0; i < cfg->ncatalog; i++)
	{
		const LcCatalogItem *c = &cfg->catalog[i];

		if ((int) strlen(c->code) == len && memcmp(c->code, value, len) == 0 &&
			strcmp(c->catalog, catalog) == 0)
			return c->code;
	}
	folded = palloc(lc_fold_bound(len));
	lc_fold(value, len, folded);
	for (i = 0; i < cfg->ncatalog; i++)
	{
		const LcCatalogItem *c = &cfg->catalog[i];

		if (strcmp(c->catalog, catalog) != 0)
			continue;
		if (strcmp(c->code_fold, folded) == 0 ||
			(c->label_vi_fold && strcmp(c->label_vi_fold, folded) == 0) ||
			(c->label_en_fold && strcmp(c->label_en_fold, folded) == 0))
			return c->code;
	}
	return NULL;
}

/* maps one typed value; returns the code, the value itself when unknown and lenient */
static Datum
map_catalog_value(const LcTenantConfig *cfg, const char *column, const char *catalog,
				  Datum value, bool *changed)
{
	text	   *t = DatumGetTextPP(value);
	const char *code = catalog_code(cfg, catalog, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));

	if (code == NULL)
	{
		if (cfg->strict_catalogues)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("value \"%s\" is not in the catalogue of %s (%s)", text_to_cstring(t),
							lc_field_label(cfg, column), column),
					 errdetail("Tenant %d accepts only catalogue values in column %s.",
							   cfg->tenant_id, column),
					 errhint("Use one of: %s; or add it to lead_crm.%s.",
							 catalog_codes(cfg, catalog),
							 strcmp(catalog, "campaign") == 0 ? "campaign" : "catalog_item")));
		return value;
	}
	if (VARSIZE_ANY_EXHDR(t) == (int) strlen(code) &&
		memcmp(VARDATA_ANY(t), code, strlen(code)) == 0)
		return value;
	*changed = true;
	return CStringGetTextDatum(code);
}

static Datum
map_catalog_array(const LcTenantConfig *cfg, int i, Datum value, bool *changed)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				k;
	int			dims[1];
	int			lbs[1] = {1};

	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	for (k = 0; k < n; k++)
		if (!nulls[k] && !is_missing(elems[k], false, TEXTOID))
			elems[k] = map_catalog_value(cfg, catalog_columns[i].column,
										 catalog_columns[i].catalog, elems[k], changed);
	if (!*changed)
		return value;
	dims[0] = n;
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID,
											  -1, false, TYPALIGN_INT));
}

static void
map_catalog_columns(const LcTenantConfig *cfg, LeadRow *row)
{
	int			i;

	for (i = 0; i < (int) lengthof(catalog_columns); i++)
	{
		int			attnum = cols.catalog[i];
		Datum		value = row->new_values[attnum - 1];
		bool		changed = false;

		if (row->new_nulls[attnum - 1] || !column_changed(row, attnum))
			continue;
		if (TupleDescAttr(row->desc, attnum - 1)->atttypid == TEXTARRAYOID)
			value = map_catalog_array(cfg, i, value, &changed);
		else if (!is_missing(value, false, TEXTOID))
			value = map_catalog_value(cfg, catalog_columns[i].column,
									  catalog_columns[i].catalog, value, &changed);
		if (changed)
			edit_set(row, attnum, value, false);
	}
}

static char *
lead_name(LeadRow *row)
{
	int			i = cols.full_name - 1;

	return row->new_nulls[i] ? "(no name)" : TextDatumGetCString(row->new_values[i]);
}

/*
 * Required fields: all of them when a lead is created; on update only those
 * the update touches, so a requirement added later does not block unrelated
 * changes (a status change, a merge) of older leads.
 */
static void
check_required(const LcTenantConfig *cfg, LeadRow *row)
{
	int			i;

	for (i = 0; i < cfg->nfields; i++)
	{
		const LcField *f = &cfg->fields[i];
		int			attnum;

		if (!f->required)
			continue;
		attnum = SPI_fnumber(row->desc, f->field);
		if (attnum <= 0)
			continue;			/* lead_field's trigger keeps names valid */
		if (!column_changed(row, attnum))
			continue;
		if (is_missing(row->new_values[attnum - 1], row->new_nulls[attnum - 1],
					   TupleDescAttr(row->desc, attnum - 1)->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("missing required field \"%s\" (%s)", f->label ? f->label : f->field,
							f->field),
					 errdetail("Tenant %d requires %s on every lead; lead \"%s\" has none.",
							   cfg->tenant_id, f->field, lead_name(row)),
					 errhint("Fill in %s, or stop requiring it: UPDATE lead_crm.lead_field SET required = false WHERE tenant_id = %d AND field = '%s';",
							 f->field, cfg->tenant_id, f->field)));
	}
}

static void
check_custom(const LcTenantConfig *cfg, LeadRow *row)
{
	int			attnum = cols.custom;

	if (!column_changed(row, attnum))
		return;
	if (row->new_nulls[attnum - 1])
		/* "no custom fields" is {}; required custom fields are checked below */
		edit_set(row, attnum, DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")), false);
	lc_validate_custom(cfg, DatumGetJsonbP(row->new_values[attnum - 1]),
					   DatumGetInt64(row->new_values[cols.id - 1]));
}

static void
check_tenant(LeadRow *row, int32 tenant_id, bool isnull)
{
	if (isnull || tenant_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid tenant for a lead"),
				 errdetail("The lead has tenant_id %s.", isnull ? "NULL" : "0 (the template)"),
				 errhint("Leave tenant_id out to use the session's tenant (SET lead_crm.tenant = ...).")));
	if (row->old_values && column_changed(row, cols.tenant_id))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot move a lead to another tenant"),
				 errdetail("Lead %lld belongs to tenant %d.",
						   (long long) DatumGetInt64(row->old_values[cols.id - 1]),
						   DatumGetInt32(row->old_values[cols.tenant_id - 1])),
				 errhint("Insert a copy of the lead in the other tenant instead.")));
}

/* lead_before_write(): BEFORE INSERT OR UPDATE row trigger on lead_crm.lead */
PG_FUNCTION_INFO_V1(lc_lead_before_write);
Datum
lc_lead_before_write(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup;
	const LcTenantConfig *cfg;
	LeadRow		row;
	int32		tenant_id;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "lead_before_write() must be a BEFORE INSERT OR UPDATE row trigger");

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else
		newtup = td->tg_trigtuple;
	if (lc_restoring())
		return PointerGetDatum(newtup);

	desc = td->tg_relation->rd_att;
	lookup_columns(td->tg_relation);
	memset(&row, 0, sizeof(row));
	row.desc = desc;
	row.newtup = newtup;
	row.new_values = palloc(sizeof(Datum) * desc->natts);
	row.new_nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(newtup, desc, row.new_values, row.new_nulls);
	if (oldtup)
	{
		row.old_values = palloc(sizeof(Datum) * desc->natts);
		row.old_nulls = palloc(sizeof(bool) * desc->natts);
		heap_deform_tuple(oldtup, desc, row.old_values, row.old_nulls);
	}

	tenant_id = DatumGetInt32(row.new_values[cols.tenant_id - 1]);
	check_tenant(&row, tenant_id, row.new_nulls[cols.tenant_id - 1]);
	if (oldtup == NULL)
		lc_ensure_tenant(tenant_id);
	cfg = lc_tenant_config(tenant_id);

	map_catalog_columns(cfg, &row);
	check_custom(cfg, &row);
	check_required(cfg, &row);
	/* a no-op UPDATE keeps updated_at, so "changed since" queries stay honest */
	if (oldtup && (row.nedits > 0 || lc_lead_tracked_change(desc, oldtup, newtup)))
		edit_set(&row, cols.updated_at,
				 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);

	if (row.nedits > 0)
		newtup = heap_modify_tuple_by_cols(newtup, desc, row.nedits, row.edit_cols,
										   row.edit_values, row.edit_nulls);
	return PointerGetDatum(newtup);
}

/* the "value carries nothing" rule of required fields, for other concerns' guards */
bool
lc_value_missing(Datum value, bool isnull, Oid type)
{
	return is_missing(value, isnull, type);
}

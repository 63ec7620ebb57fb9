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

typedef struct RowEdit
{
	int			ncols;
	int			cols[MAX_CHANGED];
	Datum		values[MAX_CHANGED];
	bool		nulls[MAX_CHANGED];
} RowEdit;

static void
edit_set(RowEdit *edit, int attnum, Datum value, bool isnull)
{
	Assert(edit->ncols < MAX_CHANGED);
	edit->cols[edit->ncols] = attnum;
	edit->values[edit->ncols] = value;
	edit->nulls[edit->ncols] = isnull;
	edit->ncols++;
}

static int
attnum_of(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "lead_crm.lead has no column \"%s\"", name);
	return attnum;
}

/* true when the column differs between old and new (always for INSERT) */
static bool
column_changed(HeapTuple oldtup, HeapTuple newtup, TupleDesc desc, int attnum)
{
	bool		oldnull,
				newnull;
	Datum		o,
				n;
	Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);

	if (oldtup == NULL)
		return true;
	o = heap_getattr(oldtup, attnum, desc, &oldnull);
	n = heap_getattr(newtup, attnum, desc, &newnull);
	if (oldnull || newnull)
		return oldnull != newnull;
	return !datumIsEqual(o, n, att->attbyval, att->attlen);
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
	char	   *folded = palloc(lc_fold_bound(len));
	int			i;

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

static void
map_catalog_columns(const LcTenantConfig *cfg, HeapTuple oldtup, HeapTuple newtup,
					TupleDesc desc, RowEdit *edit)
{
	int			i;

	for (i = 0; i < (int) lengthof(catalog_columns); i++)
	{
		int			attnum = attnum_of(desc, catalog_columns[i].column);
		bool		isnull;
		Datum		value;
		bool		changed = false;

		if (!column_changed(oldtup, newtup, desc, attnum))
			continue;
		value = heap_getattr(newtup, attnum, desc, &isnull);
		if (isnull)
			continue;
		if (TupleDescAttr(desc, attnum - 1)->atttypid == TEXTARRAYOID)
		{
			Datum	   *elems;
			bool	   *nulls;
			int			n,
						k;

			deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false, TYPALIGN_INT,
							  &elems, &nulls, &n);
			for (k = 0; k < n; k++)
				if (!nulls[k] && !is_missing(elems[k], false, TEXTOID))
					elems[k] = map_catalog_value(cfg, catalog_columns[i].column,
												 catalog_columns[i].catalog, elems[k], &changed);
			if (changed)
			{
				int			dims[1] = {n};
				int			lbs[1] = {1};

				value = PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID,
														   -1, false, TYPALIGN_INT));
			}
		}
		else if (!is_missing(value, false, TEXTOID))
			value = map_catalog_value(cfg, catalog_columns[i].column,
									  catalog_columns[i].catalog, value, &changed);
		if (changed)
			edit_set(edit, attnum, value, false);
	}
}

/* the value a column will have after the edits so far */
static Datum
current_value(HeapTuple tup, TupleDesc desc, RowEdit *edit, int attnum, bool *isnull)
{
	int			i;

	for (i = 0; i < edit->ncols; i++)
		if (edit->cols[i] == attnum)
		{
			*isnull = edit->nulls[i];
			return edit->values[i];
		}
	return heap_getattr(tup, attnum, desc, isnull);
}

static char *
lead_name(HeapTuple tup, TupleDesc desc)
{
	char	   *name = SPI_getvalue(tup, desc, attnum_of(desc, "full_name"));

	return name ? name : "(no name)";
}

/*
 * Required fields: all of them when a lead is created; on update only those
 * the update touches, so a requirement added later does not block unrelated
 * changes (a status change, a merge) of older leads.
 */
static void
check_required(const LcTenantConfig *cfg, HeapTuple oldtup, HeapTuple newtup,
			   TupleDesc desc, RowEdit *edit)
{
	int			i;

	for (i = 0; i < cfg->nfields; i++)
	{
		const LcField *f = &cfg->fields[i];
		int			attnum;
		bool		isnull;
		Datum		value;

		if (!f->required)
			continue;
		attnum = SPI_fnumber(desc, f->field);
		if (attnum <= 0)
			continue;			/* lead_field's trigger keeps names valid */
		if (!column_changed(oldtup, newtup, desc, attnum))
			continue;
		value = current_value(newtup, desc, edit, attnum, &isnull);
		if (is_missing(value, isnull, TupleDescAttr(desc, attnum - 1)->atttypid))
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("missing required field \"%s\" (%s)", f->label ? f->label : f->field,
							f->field),
					 errdetail("Tenant %d requires %s on every lead; lead \"%s\" has none.",
							   cfg->tenant_id, f->field, lead_name(newtup, desc)),
					 errhint("Fill in %s, or stop requiring it: UPDATE lead_crm.lead_field SET required = false WHERE tenant_id = %d AND field = '%s';",
							 f->field, cfg->tenant_id, f->field)));
	}
}

static void
check_custom(const LcTenantConfig *cfg, HeapTuple oldtup, HeapTuple newtup,
			 TupleDesc desc, RowEdit *edit)
{
	int			attnum = attnum_of(desc, "custom");
	bool		isnull;
	Datum		value;
	int64		lead_id;

	if (!column_changed(oldtup, newtup, desc, attnum))
		return;
	value = heap_getattr(newtup, attnum, desc, &isnull);
	if (isnull)
	{
		/* "no custom fields" is {}; required custom fields are checked below */
		value = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
		edit_set(edit, attnum, value, false);
	}
	lead_id = DatumGetInt64(heap_getattr(newtup, attnum_of(desc, "id"), desc, &isnull));
	lc_validate_custom(cfg, DatumGetJsonbP(value), lead_id);
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
	RowEdit		edit;
	int			tenant_attnum;
	bool		isnull;
	int32		tenant_id;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "lead_before_write() must be a BEFORE INSERT OR UPDATE row trigger");

	desc = td->tg_relation->rd_att;
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else
		newtup = td->tg_trigtuple;
	if (lc_restoring())
		return PointerGetDatum(newtup);

	tenant_attnum = attnum_of(desc, "tenant_id");
	tenant_id = DatumGetInt32(heap_getattr(newtup, tenant_attnum, desc, &isnull));
	if (isnull || tenant_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid tenant for a lead"),
				 errdetail("The lead has tenant_id %s.", isnull ? "NULL" : "0 (the template)"),
				 errhint("Leave tenant_id out to use the session's tenant (SET lead_crm.tenant = ...).")));
	if (oldtup && column_changed(oldtup, newtup, desc, tenant_attnum))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot move a lead to another tenant"),
				 errdetail("Lead %s belongs to tenant %d.",
						   SPI_getvalue(oldtup, desc, attnum_of(desc, "id")),
						   DatumGetInt32(heap_getattr(oldtup, tenant_attnum, desc, &isnull))),
				 errhint("Insert a copy of the lead in the other tenant instead.")));

	if (oldtup == NULL)
		lc_ensure_tenant(tenant_id);
	cfg = lc_tenant_config(tenant_id);
	memset(&edit, 0, sizeof(edit));
	map_catalog_columns(cfg, oldtup, newtup, desc, &edit);
	check_custom(cfg, oldtup, newtup, desc, &edit);
	check_required(cfg, oldtup, newtup, desc, &edit);
	/* a no-op UPDATE keeps updated_at, so "changed since" queries stay honest */
	if (oldtup && (edit.ncols > 0 || lc_lead_tracked_change(desc, oldtup, newtup)))
		edit_set(&edit, attnum_of(desc, "updated_at"),
				 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);

	if (edit.ncols > 0)
		newtup = heap_modify_tuple_by_cols(newtup, desc, edit.ncols, edit.cols,
										   edit.values, edit.nulls);
	return PointerGetDatum(newtup);
}

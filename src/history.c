/*
 * src/history.c - lead_record_history(): AFTER UPDATE row trigger writing one
 * lead_history row per changed column (who, when, old, new, reason).
 *
 * All changed columns of a row go to the table in one execution of a saved
 * plan (unnest of three arrays), so an update costs one extra statement.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "lead_crm.h"

static SPIPlanPtr history_plan = NULL;

/* columns whose changes are not history: bookkeeping the row carries anyway */
static bool
is_untracked(Form_pg_attribute att)
{
	return att->attisdropped || att->attgenerated != '\0' ||
		strcmp(NameStr(att->attname), "updated_at") == 0 ||
		strcmp(NameStr(att->attname), "created_at") == 0 ||
		strcmp(NameStr(att->attname), "assigned_at") == 0;	/* follows salesperson_id */
}

static char *
value_text(Datum value, bool isnull, Oid type)
{
	Oid			out;
	bool		varlena;

	if (isnull)
		return NULL;
	getTypeOutputInfo(type, &out, &varlena);
	return OidOutputFunctionCall(out, value);
}

static Datum
text_array(char **items, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int			i;

	for (i = 0; i < n; i++)
	{
		nulls[i] = (items[i] == NULL);
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(items[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID, -1,
											  false, TYPALIGN_INT));
}

static void
insert_history(int32 tenant_id, int64 lead_id, char **fields, char **olds, char **news, int n)
{
	Oid			argtypes[7] = {INT4OID, INT8OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTOID, TEXTOID};
	Datum		args[7];
	char		nulls[7] = "       ";
	const char *actor = lc_actor();
	const char *reason = lc_reason();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (history_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(
									   "INSERT INTO lead_crm.lead_history"
									   " (tenant_id, lead_id, field, old_value, new_value, actor, reason)"
									   " SELECT $1, $2, u.f, u.o, u.n, $6, $7"
									   " FROM ROWS FROM (pg_catalog.unnest($3), pg_catalog.unnest($4),"
									   " pg_catalog.unnest($5)) AS u(f, o, n)",
									   7, argtypes);

		if (plan == NULL)
			elog(ERROR, "cannot prepare the lead history insert: %s",
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		history_plan = plan;
	}
	args[0] = Int32GetDatum(tenant_id);
	args[1] = Int64GetDatum(lead_id);
	args[2] = text_array(fields, n);
	args[3] = text_array(olds, n);
	args[4] = text_array(news, n);
	args[5] = actor ? CStringGetTextDatum(actor) : (Datum) 0;
	args[6] = reason ? CStringGetTextDatum(reason) : (Datum) 0;
	nulls[5] = actor ? ' ' : 'n';
	nulls[6] = reason ? ' ' : 'n';
	if (SPI_execute_plan(history_plan, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot insert lead history");
	SPI_finish();
}

/* lead_record_history(): AFTER UPDATE row trigger on lead_crm.lead */
PG_FUNCTION_INFO_V1(lc_lead_record_history);
Datum
lc_lead_record_history(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup,
				newtup;
	char	  **fields,
			  **olds,
			  **news;
	int			n = 0,
				i;
	bool		isnull;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		elog(ERROR, "lead_record_history() must be an AFTER UPDATE row trigger");
	if (lc_restoring())
		return PointerGetDatum(NULL);

	desc = td->tg_relation->rd_att;
	oldtup = td->tg_trigtuple;
	newtup = td->tg_newtuple;
	fields = palloc(sizeof(char *) * desc->natts);
	olds = palloc(sizeof(char *) * desc->natts);
	news = palloc(sizeof(char *) * desc->natts);

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		oldnull,
					newnull;
		Datum		o,
					v;
		char	   *ot,
				   *nt;

		if (is_untracked(att))
			continue;
		o = heap_getattr(oldtup, i + 1, desc, &oldnull);
		v = heap_getattr(newtup, i + 1, desc, &newnull);
		if (oldnull && newnull)
			continue;
		if (!oldnull && !newnull && datumIsEqual(o, v, att->attbyval, att->attlen))
			continue;
		ot = value_text(o, oldnull, att->atttypid);
		nt = value_text(v, newnull, att->atttypid);
		/* the same value stored differently (e.g. toasted) is no change */
		if (ot && nt && strcmp(ot, nt) == 0)
			continue;
		fields[n] = NameStr(att->attname);
		olds[n] = ot;
		news[n] = nt;
		n++;
	}

	if (n > 0)
		insert_history(DatumGetInt32(heap_getattr(newtup, SPI_fnumber(desc, "tenant_id"), desc, &isnull)),
					   DatumGetInt64(heap_getattr(newtup, SPI_fnumber(desc, "id"), desc, &isnull)),
					   fields, olds, news, n);
	return PointerGetDatum(NULL);
}

/*
 * src/history.c - field-level history of lead_crm.lead: one lead_history row
 * per changed column (who, when, old, new, reason).
 *
 * An UPDATE of many leads would pay an executor start-up per row if each row
 * trigger inserted its own history rows. Instead the AFTER UPDATE row trigger
 * (lead_record_history) appends the changes to a buffer and the AFTER UPDATE
 * statement trigger (lead_flush_history) inserts the whole buffer with one
 * saved-plan INSERT ... SELECT FROM unnest(arrays). Each buffered row
 * remembers its transaction nesting level: a subtransaction that aborts drops
 * its rows, one that commits hands them to its parent, and a flush writes only
 * the rows of the current level, so nothing written survives a rollback of the
 * change it records. A very large statement flushes every HISTORY_FLUSH_ROWS rows.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "lead_crm.h"

#define HISTORY_FLUSH_ROWS 10000

typedef struct HistoryRow
{
	int32		tenant_id;
	int64		lead_id;
	const char *field;
	char	   *old_value;
	char	   *new_value;
	char	   *actor;
	char	   *reason;
	int			nest_level;		/* GetCurrentTransactionNestLevel() when buffered */
} HistoryRow;

/* the buffer lives in a child of TopTransactionContext and dies with the transaction */
static MemoryContext buffer_context = NULL;
static HistoryRow *buffer = NULL;
static int	buffer_len = 0;
static int	buffer_cap = 0;

static SPIPlanPtr flush_plan = NULL;

static void
forget_buffer(void)
{
	buffer_context = NULL;
	buffer = NULL;
	buffer_len = buffer_cap = 0;
}

static void
history_xact_callback(XactEvent event, void *arg)
{
	/* TopTransactionContext is gone after commit or abort */
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
		forget_buffer();
}

/* the buffered rows of the subtransaction ending now are its trailing rows */
static void
history_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();

	if (event == SUBXACT_EVENT_ABORT_SUB)
		while (buffer_len > 0 && buffer[buffer_len - 1].nest_level >= level)
			buffer_len--;
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		int			i;

		for (i = buffer_len - 1; i >= 0 && buffer[i].nest_level >= level; i--)
			buffer[i].nest_level = level - 1;
	}
}

void
lc_history_init(void)
{
	RegisterXactCallback(history_xact_callback, NULL);
	RegisterSubXactCallback(history_subxact_callback, NULL);
}

static char *
copy_or_null(const char *s)
{
	return s ? MemoryContextStrdup(buffer_context, s) : NULL;
}

static void
buffer_append(int32 tenant_id, int64 lead_id, const char *field, char *old_value,
			  char *new_value)
{
	HistoryRow *row;

	if (buffer_context == NULL)
		buffer_context = AllocSetContextCreate(TopTransactionContext, "lead_crm history",
											   ALLOCSET_DEFAULT_SIZES);
	if (buffer_len == buffer_cap)
	{
		buffer_cap = buffer_cap ? buffer_cap * 2 : 256;
		buffer = buffer
			? repalloc(buffer, sizeof(HistoryRow) * buffer_cap)
			: MemoryContextAlloc(buffer_context, sizeof(HistoryRow) * buffer_cap);
	}
	row = &buffer[buffer_len++];
	row->tenant_id = tenant_id;
	row->lead_id = lead_id;
	row->field = MemoryContextStrdup(buffer_context, field);
	row->old_value = copy_or_null(old_value);
	row->new_value = copy_or_null(new_value);
	row->actor = copy_or_null(lc_actor());
	row->reason = copy_or_null(lc_reason());
	row->nest_level = GetCurrentTransactionNestLevel();
}

static Datum
column_array(HistoryRow *rows, int n, Oid type, Datum (*get) (HistoryRow *, bool *))
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int			dims[1] = {n};
	int			lbs[1] = {1};
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = get(&rows[i], &nulls[i]);
	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, type,
											  typlen, typbyval, typalign));
}

static Datum
text_or_null(const char *s, bool *isnull)
{
	*isnull = (s == NULL);
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

static Datum get_tenant(HistoryRow *r, bool *n) { *n = false; return Int32GetDatum(r->tenant_id); }
static Datum get_lead(HistoryRow *r, bool *n) { *n = false; return Int64GetDatum(r->lead_id); }
static Datum get_field(HistoryRow *r, bool *n) { return text_or_null(r->field, n); }
static Datum get_old(HistoryRow *r, bool *n) { return text_or_null(r->old_value, n); }
static Datum get_new(HistoryRow *r, bool *n) { return text_or_null(r->new_value, n); }
static Datum get_actor(HistoryRow *r, bool *n) { return text_or_null(r->actor, n); }
static Datum get_reason(HistoryRow *r, bool *n) { return text_or_null(r->reason, n); }

/*
 * Inserts the buffered rows of the current (sub)transaction level with one
 * statement; rows of outer levels wait for their own statement's flush.
 */
static void
flush_buffer(void)
{
	Oid			argtypes[7] = {INT4ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	Datum		args[7];
	int			level = GetCurrentTransactionNestLevel();
	int			start = buffer_len;
	HistoryRow *rows;
	int			n;

	while (start > 0 && buffer[start - 1].nest_level >= level)
		start--;
	n = buffer_len - start;
	if (n == 0)
		return;
	rows = &buffer[start];
	args[0] = column_array(rows, n, INT4OID, get_tenant);
	args[1] = column_array(rows, n, INT8OID, get_lead);
	args[2] = column_array(rows, n, TEXTOID, get_field);
	args[3] = column_array(rows, n, TEXTOID, get_old);
	args[4] = column_array(rows, n, TEXTOID, get_new);
	args[5] = column_array(rows, n, TEXTOID, get_actor);
	args[6] = column_array(rows, n, TEXTOID, get_reason);
	/* take them out first: the insert must not see these rows again if it recurses */
	buffer_len = start;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (flush_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(
									   "INSERT INTO lead_crm.lead_history"
									   " (tenant_id, lead_id, field, old_value, new_value, actor, reason)"
									   " SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2),"
									   " pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5),"
									   " pg_catalog.unnest($6), pg_catalog.unnest($7))",
									   7, argtypes);

		if (plan == NULL)
			elog(ERROR, "cannot prepare the lead history insert: %s",
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		flush_plan = plan;
	}
	if (SPI_execute_plan(flush_plan, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot insert lead history");
	SPI_finish();
}

/* columns whose changes are not history: bookkeeping the row carries anyway */
static bool
is_untracked(Form_pg_attribute att)
{
	return att->attisdropped || att->attgenerated != '\0' ||
		strcmp(NameStr(att->attname), "updated_at") == 0 ||
		strcmp(NameStr(att->attname), "created_at") == 0 ||
		strcmp(NameStr(att->attname), "assigned_at") == 0;	/* follows salesperson_id */
}

/* true when a column the history tracks differs between the two row versions */
bool
lc_lead_tracked_change(TupleDesc desc, HeapTuple oldtup, HeapTuple newtup)
{
	int			i;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		bool		oldnull,
					newnull;
		Datum		o,
					v;

		if (is_untracked(att))
			continue;
		o = heap_getattr(oldtup, i + 1, desc, &oldnull);
		v = heap_getattr(newtup, i + 1, desc, &newnull);
		if (oldnull != newnull ||
			(!oldnull && !datumIsEqual(o, v, att->attbyval, att->attlen)))
			return true;
	}
	return false;
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

/* lead_record_history(): AFTER UPDATE row trigger on lead_crm.lead */
PG_FUNCTION_INFO_V1(lc_lead_record_history);
Datum
lc_lead_record_history(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup,
				newtup;
	int32		tenant_id;
	int64		lead_id;
	bool		isnull;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		elog(ERROR, "lead_record_history() must be an AFTER UPDATE row trigger");
	if (lc_restoring())
		return PointerGetDatum(NULL);

	desc = td->tg_relation->rd_att;
	oldtup = td->tg_trigtuple;
	newtup = td->tg_newtuple;
	tenant_id = DatumGetInt32(heap_getattr(newtup, SPI_fnumber(desc, "tenant_id"), desc, &isnull));
	lead_id = DatumGetInt64(heap_getattr(newtup, SPI_fnumber(desc, "id"), desc, &isnull));

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
		buffer_append(tenant_id, lead_id, NameStr(att->attname), ot, nt);
	}
	if (buffer_len >= HISTORY_FLUSH_ROWS)
		flush_buffer();
	return PointerGetDatum(NULL);
}

/* lead_flush_history(): AFTER UPDATE statement trigger writing the buffered rows */
PG_FUNCTION_INFO_V1(lc_lead_flush_history);
Datum
lc_lead_flush_history(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "lead_flush_history() must be an AFTER statement trigger");
	flush_buffer();
	return PointerGetDatum(NULL);
}

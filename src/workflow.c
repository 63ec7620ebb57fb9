/*
 * src/workflow.c - workflow_check(): the deferred constraint trigger of the
 * workflow tables and tenant, running check_workflow_use() (sql/40_state.sql).
 *
 * It fires once per changed row, but a new tenant alone copies about a
 * hundred workflow rows, so each tenant and workflow is checked once for all
 * rows written before the check: a row is covered when the command that wrote
 * it precedes the command id the check ran with (its snapshot saw the row).
 */
#include "postgres.h"

#include "access/htup.h"
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "lead_crm.h"

typedef struct CheckDone
{
	int32		tenant_id;
	char	   *workflow;		/* NULL: every workflow the tenant uses */
	bool		check_leads;
	CommandId	checked_cid;	/* the check saw every write of a command before it */
} CheckDone;

/* checks done in the current transaction, in TopTransactionContext */
static List *checks_done = NIL;
static TransactionId checks_xid = InvalidTransactionId;

static bool
already_checked(int32 tenant_id, const char *workflow, bool check_leads, CommandId written)
{
	ListCell   *lc;

	if (checks_xid != GetTopTransactionIdIfAny())
	{
		checks_done = NIL;		/* memory of an ended transaction is gone */
		checks_xid = GetTopTransactionIdIfAny();
	}
	foreach(lc, checks_done)
	{
		CheckDone  *c = lfirst(lc);

		if (c->tenant_id == tenant_id && written < c->checked_cid &&
			(c->check_leads || !check_leads) &&
			(c->workflow == NULL || (workflow && strcmp(c->workflow, workflow) == 0)))
			return true;
	}
	return false;
}

static void
run_check(int32 tenant_id, const char *workflow, bool check_leads, CommandId written)
{
	Oid			argtypes[3] = {INT4OID, TEXTOID, BOOLOID};
	Datum		args[3];
	char		nulls[3] = "   ";
	MemoryContext old;
	CheckDone  *done;

	if (already_checked(tenant_id, workflow, check_leads, written))
		return;
	args[0] = Int32GetDatum(tenant_id);
	args[1] = workflow ? CStringGetTextDatum(workflow) : (Datum) 0;
	nulls[1] = workflow ? ' ' : 'n';
	args[2] = BoolGetDatum(check_leads);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* not read-only: a fresh snapshot that sees this statement's rows */
	if (SPI_execute_with_args("SELECT lead_crm.check_workflow_use($1, $2, $3)",
							  3, argtypes, args, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot check the workflows of tenant %d", tenant_id);
	SPI_finish();

	old = MemoryContextSwitchTo(TopTransactionContext);
	done = palloc(sizeof(CheckDone));
	done->tenant_id = tenant_id;
	done->workflow = workflow ? pstrdup(workflow) : NULL;
	done->check_leads = check_leads;
	done->checked_cid = GetCurrentCommandId(false);
	checks_done = lappend(checks_done, done);
	MemoryContextSwitchTo(old);
}

static char *
text_column(HeapTuple tup, TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "workflow_check() does not know table column \"%s\"", name);
	return SPI_getvalue(tup, desc, attnum);
}

static int32
tenant_of(HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, SPI_fnumber(desc, "tenant_id"), desc, &isnull);

	return isnull ? -1 : DatumGetInt32(d);
}

/* workflow_check(): deferred AFTER row constraint trigger */
PG_FUNCTION_INFO_V1(lc_workflow_check);
Datum
lc_workflow_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	const char *table;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup = NULL;
	const char *column;
	bool		check_leads = false;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "workflow_check() must be an AFTER row trigger");
	if (lc_restoring())
		return PointerGetDatum(NULL);	/* a dump was checked when it was written */

	table = RelationGetRelationName(td->tg_relation);
	desc = RelationGetDescr(td->tg_relation);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		newtup = td->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else
		oldtup = td->tg_trigtuple;

	if (strcmp(table, "tenant") == 0)
	{
		if (newtup)
			run_check(tenant_of(newtup, desc), NULL, true,
					  HeapTupleHeaderGetCmin(newtup->t_data));
		return PointerGetDatum(NULL);
	}

	column = strcmp(table, "workflow") == 0 ? "code" : "workflow";
	/* a state removed or renamed may strand leads */
	if (strcmp(table, "workflow_state") == 0 && oldtup)
		check_leads = newtup == NULL ||
			strcmp(text_column(oldtup, desc, "code"), text_column(newtup, desc, "code")) != 0 ||
			strcmp(text_column(oldtup, desc, "workflow"), text_column(newtup, desc, "workflow")) != 0;

	if (oldtup)
		run_check(tenant_of(oldtup, desc), text_column(oldtup, desc, column), check_leads,
				  newtup ? HeapTupleHeaderGetCmin(newtup->t_data)
				  : HeapTupleHeaderGetCmax(oldtup->t_data));
	if (newtup)
		run_check(tenant_of(newtup, desc), text_column(newtup, desc, column), check_leads,
				  HeapTupleHeaderGetCmin(newtup->t_data));
	return PointerGetDatum(NULL);
}

/*
 * src/state.c - lead state machines: lead_state_check(), the BEFORE trigger
 * checking every write of lead.status and lead.lifecycle against the tenant's
 * workflows and queueing NOTIFY lead_crm_events for each move, and
 * lead_state_events(), the AFTER trigger announcing new leads, applying the
 * BANT guard and recording guard overrides.
 *
 * Workflows are cached per backend and tenant as a state x state matrix of
 * moves. The cache is dropped when lc_config_generation() moves (the workflow
 * tables and tenant carry config_changed()), so the common case - an allowed
 * move without guards - costs a hash lookup and a few memcmp, no query.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "core/vn_text.h"
#include "lead_crm.h"

/* SQLSTATEs of the state machines (README, section State machines) */
#define ERRCODE_LC_INVALID_TRANSITION	MAKE_SQLSTATE('L','C','0','0','1')
#define ERRCODE_LC_GUARD_FAILED			MAKE_SQLSTATE('L','C','0','0','2')
#define ERRCODE_LC_UNKNOWN_STATE		MAKE_SQLSTATE('L','C','0','0','3')
#define ERRCODE_LC_INVALID_WORKFLOW		MAKE_SQLSTATE('L','C','0','0','4')

/* NOTIFY collapses equal payloads and keeps all of them in memory until commit */
#define EVENT_CHANNEL		"lead_crm_events"
#define MAX_EVENTS_PER_XACT	10000

/* the two governed lead columns */
#define F_STATUS	0
#define F_LIFECYCLE	1
static const char *const field_names[2] = {"status", "lifecycle"};

typedef struct WfState
{
	char	   *code;
	int			codelen;
	char	   *label;			/* in the tenant's language */
	char	   *code_fold;
	char	   *label_vi_fold;
	char	   *label_en_fold;
	bool		initial;
	bool		lost;
} WfState;

typedef struct WfMove
{
	bool		allowed;
	bool		restore;		/* only back to the state the lead left */
	bool		reason_required;
	bool		requires_bant;
	bool		guarded;		/* any guard at all: the slow path */
	int			nfields;
	char	  **fields;			/* lead columns or custom.<name> */
} WfMove;

typedef struct Workflow
{
	char	   *code;
	int			nstates;
	WfState    *states;
	int			initial;		/* index, -1 when the definition has none */
	WfMove	   *moves;			/* nstates * nstates, [from * nstates + to] */
} Workflow;

typedef struct TenantWorkflows
{
	int32		tenant_id;		/* hash key */
	bool		english;
	int32		min_bant_score;
	bool		notify_events;
	Workflow   *wf[2];			/* F_STATUS, F_LIFECYCLE */
} TenantWorkflows;

static MemoryContext wf_context = NULL;
static HTAB *wf_hash = NULL;
static uint64 wf_generation = 0;

/* attribute numbers of lead_crm.lead, stable for the life of the table */
typedef struct LeadCols
{
	Oid			relid;
	AttrNumber	tenant_id;
	AttrNumber	id;
	AttrNumber	field[2];
	AttrNumber	custom;
} LeadCols;

static LeadCols lead_cols;

static int	events_in_xact = 0;
static bool xact_callback_registered = false;
static SPIPlanPtr override_plan = NULL;

/*
 * Rows whose state change needs work after the write (the BANT guard reads
 * the stored row; guard overrides are recorded): the AFTER UPDATE trigger
 * fires only for them, through its WHEN clause state_after_pending().
 */
typedef struct PendingRow
{
	int32		tenant_id;
	int64		lead_id;
} PendingRow;

static List *pending_rows = NIL;	/* in TopTransactionContext */

static void events_xact_callback(XactEvent event, void *arg);
static bool take_pending(int32 tenant_id, int64 lead_id);
static void send_event(int32 tenant_id, int64 lead_id, const char *event,
					   text *from, text *to);

/* ---------------------------------------------------------------- cache */

static char *
fold_copy(const char *s)
{
	char	   *out = MemoryContextAlloc(wf_context, lc_fold_bound(strlen(s)));

	lc_fold(s, strlen(s), out);
	return out;
}

static char *
spi_copy(HeapTuple tuple, int n)
{
	char	   *v = SPI_getvalue(tuple, SPI_tuptable->tupdesc, n);

	return v ? MemoryContextStrdup(wf_context, v) : NULL;
}

static bool
spi_bool(HeapTuple tuple, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, SPI_tuptable->tupdesc, n, &isnull);

	return !isnull && DatumGetBool(d);
}

static int
find_code(const Workflow *wf, const char *code)
{
	int			i;

	for (i = 0; i < wf->nstates; i++)
		if (strcmp(wf->states[i].code, code) == 0)
			return i;
	return -1;
}

/* Loads one workflow of a tenant; caller has SPI connected. */
static Workflow *
load_workflow(int32 tenant_id, const char *code, bool english)
{
	Oid			argtypes[2] = {INT4OID, TEXTOID};
	Datum		args[2] = {Int32GetDatum(tenant_id), CStringGetTextDatum(code)};
	Workflow   *wf = MemoryContextAllocZero(wf_context, sizeof(Workflow));
	uint64		i;

	wf->code = MemoryContextStrdup(wf_context, code);
	wf->initial = -1;
	if (SPI_execute_with_args("SELECT code, label_vi, label_en, initial, lost"
							  " FROM lead_crm.workflow_state WHERE tenant_id = $1 AND workflow = $2"
							  " ORDER BY position, code",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read the states of workflow \"%s\"", code);
	wf->nstates = (int) SPI_processed;
	wf->states = MemoryContextAllocZero(wf_context, sizeof(WfState) * (wf->nstates + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		WfState    *s = &wf->states[i];
		char	   *vi = spi_copy(t, 2);
		char	   *en = spi_copy(t, 3);

		s->code = spi_copy(t, 1);
		s->codelen = strlen(s->code);
		s->label = english ? en : vi;
		s->code_fold = fold_copy(s->code);
		s->label_vi_fold = fold_copy(vi);
		s->label_en_fold = fold_copy(en);
		s->initial = spi_bool(t, 4);
		s->lost = spi_bool(t, 5);
		if (s->initial)
			wf->initial = (int) i;
	}
	wf->moves = MemoryContextAllocZero(wf_context,
									   sizeof(WfMove) * (wf->nstates * wf->nstates + 1));

	if (SPI_execute_with_args("SELECT from_state, to_state, required_fields,"
							  " requires_bant_score, reason_required, restore"
							  " FROM lead_crm.workflow_transition WHERE tenant_id = $1 AND workflow = $2",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read the transitions of workflow \"%s\"", code);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		int			from = find_code(wf, SPI_getvalue(t, SPI_tuptable->tupdesc, 1));
		int			to = find_code(wf, SPI_getvalue(t, SPI_tuptable->tupdesc, 2));
		WfMove	   *m;
		bool		isnull;
		Datum		fields;

		if (from < 0 || to < 0)
			continue;			/* foreign keys prevent it */
		m = &wf->moves[from * wf->nstates + to];
		m->allowed = true;
		m->requires_bant = spi_bool(t, 4);
		m->reason_required = spi_bool(t, 5);
		m->restore = spi_bool(t, 6);
		fields = SPI_getbinval(t, SPI_tuptable->tupdesc, 3, &isnull);
		if (!isnull)
		{
			Datum	   *elems;
			bool	   *nulls;
			int			n,
						k;

			deconstruct_array(DatumGetArrayTypeP(fields), TEXTOID, -1, false, TYPALIGN_INT,
							  &elems, &nulls, &n);
			m->fields = MemoryContextAllocZero(wf_context, sizeof(char *) * (n + 1));
			for (k = 0; k < n; k++)
				if (!nulls[k])
					m->fields[m->nfields++] = MemoryContextStrdup(wf_context,
																  TextDatumGetCString(elems[k]));
		}
		m->guarded = m->nfields > 0 || m->reason_required || m->requires_bant || m->restore;
	}
	return wf;
}

static void
reset_cache_if_stale(void)
{
	uint64		gen = lc_config_generation();
	HASHCTL		ctl;

	if (wf_hash && gen == wf_generation)
		return;
	if (wf_context == NULL)
		wf_context = AllocSetContextCreate(CacheMemoryContext, "lead_crm workflows",
										   ALLOCSET_SMALL_SIZES);
	MemoryContextReset(wf_context);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int32);
	ctl.entrysize = sizeof(TenantWorkflows);
	ctl.hcxt = wf_context;
	wf_hash = hash_create("lead_crm workflows", 16, &ctl,
						  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	wf_generation = gen;
}

/* The workflows governing status and lifecycle in a tenant, loaded on first use. */
static const TenantWorkflows *
tenant_workflows(int32 tenant_id)
{
	TenantWorkflows *tw;
	TenantWorkflows loaded;
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tenant_id)};
	char	   *codes[2];
	bool		isnull;
	int			f;

	reset_cache_if_stale();
	tw = hash_search(wf_hash, &tenant_id, HASH_FIND, NULL);
	if (tw)
		return tw;

	memset(&loaded, 0, sizeof(loaded));
	loaded.tenant_id = tenant_id;
	/* not read-only: see a tenant created earlier in this statement (lc_ensure_tenant) */
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT language = 'en', status_workflow, lifecycle_workflow,"
							  " min_bant_score, notify_events FROM lead_crm.tenant WHERE tenant_id = $1",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read tenant %d", tenant_id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant %d does not exist", tenant_id),
				 errhint("Create it with SELECT lead_crm.create_tenant(%d, 'name');", tenant_id)));
	loaded.english = spi_bool(SPI_tuptable->vals[0], 1);
	codes[F_STATUS] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	codes[F_LIFECYCLE] = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	loaded.min_bant_score = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
														SPI_tuptable->tupdesc, 4, &isnull));
	loaded.notify_events = spi_bool(SPI_tuptable->vals[0], 5);
	for (f = 0; f < 2; f++)
	{
		if (f == F_LIFECYCLE && strcmp(codes[F_LIFECYCLE], codes[F_STATUS]) == 0)
			loaded.wf[f] = loaded.wf[F_STATUS];
		else
			loaded.wf[f] = load_workflow(tenant_id, codes[f], loaded.english);
	}
	SPI_finish();

	tw = hash_search(wf_hash, &tenant_id, HASH_ENTER, NULL);
	*tw = loaded;
	return tw;
}

static const LeadCols *
lead_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			f;

	if (lead_cols.relid == RelationGetRelid(rel))
		return &lead_cols;
	lead_cols.tenant_id = SPI_fnumber(desc, "tenant_id");
	lead_cols.id = SPI_fnumber(desc, "id");
	for (f = 0; f < 2; f++)
		lead_cols.field[f] = SPI_fnumber(desc, field_names[f]);
	lead_cols.custom = SPI_fnumber(desc, "custom");
	if (lead_cols.tenant_id <= 0 || lead_cols.id <= 0 || lead_cols.field[0] <= 0 ||
		lead_cols.field[1] <= 0 || lead_cols.custom <= 0)
		elog(ERROR, "lead_state_check() is meant for lead_crm.lead");
	lead_cols.relid = RelationGetRelid(rel);
	return &lead_cols;
}

/* ------------------------------------------------------------- lookups */

static int
state_of(const Workflow *wf, Datum value)
{
	text	   *t = DatumGetTextPP(value);
	const char *p = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			i;

	for (i = 0; i < wf->nstates; i++)
		if (wf->states[i].codelen == len && memcmp(wf->states[i].code, p, len) == 0)
			return i;
	return -1;
}

/* a state written by its label ("Đang liên hệ", "dang lien he", "Contacting") */
static int
state_by_label(const Workflow *wf, Datum value)
{
	text	   *t = DatumGetTextPP(value);
	char	   *folded = palloc(lc_fold_bound(VARSIZE_ANY_EXHDR(t)));
	int			i;

	lc_fold(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), folded);
	for (i = 0; i < wf->nstates; i++)
		if (strcmp(wf->states[i].code_fold, folded) == 0 ||
			strcmp(wf->states[i].label_vi_fold, folded) == 0 ||
			strcmp(wf->states[i].label_en_fold, folded) == 0)
			return i;
	return -1;
}

static const char *
state_name(const Workflow *wf, int i)
{
	return psprintf("%s (%s)", wf->states[i].label, wf->states[i].code);
}

static bool
same_datum(Datum a, bool anull, Datum b, bool bnull)
{
	text	   *ta,
			   *tb;

	if (anull || bnull)
		return anull == bnull;
	ta = DatumGetTextPP(a);
	tb = DatumGetTextPP(b);
	return VARSIZE_ANY_EXHDR(ta) == VARSIZE_ANY_EXHDR(tb) &&
		memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(ta)) == 0;
}

/*
 * The state a lead left to enter its current state, from its last history row
 * of the field; -1 when the history does not tell (imported in that state).
 */
static int
state_left(const Workflow *wf, int32 tenant_id, int64 lead_id, int f, int current)
{
	Oid			argtypes[3] = {INT4OID, INT8OID, TEXTOID};
	Datum		args[3] = {Int32GetDatum(tenant_id), Int64GetDatum(lead_id),
	CStringGetTextDatum(field_names[f])};
	int			left = -1;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/*
	 * Not read-only: a fresh snapshot. After waiting for a concurrent move of
	 * this row, the statement's own snapshot misses the history row of it.
	 */
	if (SPI_execute_with_args("SELECT old_value, new_value FROM lead_crm.lead_history"
							  " WHERE tenant_id = $1 AND lead_id = $2 AND field = $3"
							  " ORDER BY id DESC LIMIT 1",
							  3, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "cannot read the history of lead %lld", (long long) lead_id);
	if (SPI_processed == 1)
	{
		char	   *old = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *new = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		if (old && new && strcmp(new, wf->states[current].code) == 0)
			left = find_code(wf, old);
	}
	SPI_finish();
	return left;
}

/* "Đang liên hệ (contacting), Khả quan (promising)" - the moves from a state */
static char *
allowed_next(const Workflow *wf, int from, int restore_to)
{
	StringInfoData s;
	int			to;

	initStringInfo(&s);
	for (to = 0; to < wf->nstates; to++)
	{
		const WfMove *m = &wf->moves[from * wf->nstates + to];

		if (!m->allowed || (m->restore && restore_to >= 0 && to != restore_to))
			continue;
		appendStringInfo(&s, "%s%s%s", s.len ? ", " : "", m->restore ? "restore to " : "",
						 state_name(wf, to));
	}
	return s.len ? s.data : NULL;
}

static char *
all_states(const Workflow *wf)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < wf->nstates; i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", state_name(wf, i));
	return s.len ? s.data : "none";
}

/* ---------------------------------------------------------------- guards */

/* the guards of a move, except the BANT score, that the row does not meet */
static List *
unmet_guards(const WfMove *m, HeapTuple tup, TupleDesc desc, const LeadCols *cols)
{
	List	   *unmet = NIL;
	int			i;

	for (i = 0; i < m->nfields; i++)
	{
		const char *name = m->fields[i];
		bool		isnull;
		Datum		value;

		if (strncmp(name, "custom.", 7) == 0)
		{
			value = heap_getattr(tup, cols->custom, desc, &isnull);
			if (lc_custom_value_missing(isnull ? NULL : DatumGetJsonbP(value), name + 7))
				unmet = lappend(unmet, (char *) name);
		}
		else
		{
			int			attnum = SPI_fnumber(desc, name);

			if (attnum <= 0)
				unmet = lappend(unmet, (char *) name);	/* validate_workflow reports it */
			else
			{
				value = heap_getattr(tup, attnum, desc, &isnull);
				if (lc_value_missing(value, isnull, TupleDescAttr(desc, attnum - 1)->atttypid))
					unmet = lappend(unmet, (char *) name);
			}
		}
	}
	if (m->reason_required && lc_reason() == NULL)
		unmet = lappend(unmet, "reason");
	return unmet;
}

/* "Lý do thất bại (lost_reason) and a reason" */
static char *
describe_unmet(int32 tenant_id, List *unmet)
{
	const LcTenantConfig *cfg = lc_tenant_config(tenant_id);
	StringInfoData s;
	ListCell   *lc;
	int			i = 0;

	initStringInfo(&s);
	foreach(lc, unmet)
	{
		const char *g = lfirst(lc);

		if (i++ > 0)
			appendStringInfoString(&s, i == list_length(unmet) ? " and " : ", ");
		if (strcmp(g, "reason") == 0)
			appendStringInfoString(&s, "a reason");
		else if (strncmp(g, "bant_score", 10) == 0)
			appendStringInfo(&s, "a BANT score of at least %s", g + 11);
		else if (strncmp(g, "custom.", 7) == 0)
			appendStringInfo(&s, "custom field %s", g + 7);
		else
			appendStringInfo(&s, "%s (%s)", lc_field_label(cfg, g), g);
	}
	return s.data;
}

/* what to do about unmet guards: fill fields, give a reason, raise the score, or override */
static char *
guard_hint(const Workflow *wf, int f, int64 lead_id, int to, List *unmet)
{
	StringInfoData s;
	StringInfoData fields;
	ListCell   *lc;
	bool		reason = false;
	bool		bant = false;
	const char *code = wf->states[to].code;

	initStringInfo(&s);
	initStringInfo(&fields);
	foreach(lc, unmet)
	{
		const char *g = lfirst(lc);

		if (strcmp(g, "reason") == 0)
			reason = true;
		else if (strncmp(g, "bant_score", 10) == 0)
			bant = true;
		else
			appendStringInfo(&fields, "%s%s", fields.len ? ", " : "", g);
	}
	if (f == F_STATUS && wf->states[to].lost && list_length(unmet) == 1 &&
		strcmp(fields.data, "lost_reason") == 0)
		appendStringInfo(&s, "Use SELECT lead_crm.mark_lost(%lld, 'lý do'); or fill in lost_reason in the same UPDATE",
						 (long long) lead_id);
	else if (fields.len)
		appendStringInfo(&s, "Fill in %s in the same UPDATE", fields.data);
	if (reason)
		appendStringInfo(&s, "%s: SELECT lead_crm.set_%s(%lld, '%s', 'why')",
						 s.len ? "; give a reason" : "Give a reason", field_names[f],
						 (long long) lead_id, code);
	if (bant)
		appendStringInfo(&s, "%s the lead's BANT data first", s.len ? "; complete" : "Complete");
	appendStringInfo(&s, "; or skip the guard with a recorded reason: SELECT lead_crm.override_%s(%lld, '%s', 'why');",
					 field_names[f], (long long) lead_id, code);
	return s.data;
}

static void
guard_error(const TenantWorkflows *tw, int f, int64 lead_id, int from, int to, List *unmet)
{
	const Workflow *wf = tw->wf[f];

	ereport(ERROR,
			(errcode(ERRCODE_LC_GUARD_FAILED),
			 errmsg("%s transition from \"%s\" to \"%s\" needs %s", field_names[f],
					wf->states[from].code, wf->states[to].code,
					describe_unmet(tw->tenant_id, unmet)),
			 errdetail("Lead %lld cannot move from %s to %s in workflow \"%s\" until the guard holds.",
					   (long long) lead_id, state_name(wf, from), state_name(wf, to), wf->code),
			 errhint("%s", guard_hint(wf, f, lead_id, to, unmet))));
}

/* ------------------------------------------------------- BEFORE trigger */

typedef struct Edit
{
	int			n;
	int			cols[2];
	Datum		values[2];
	bool		nulls[2];
} Edit;

/* a written value for a message: at most about 100 bytes, cut between characters */
static char *
value_for_message(Datum value)
{
	text	   *t = DatumGetTextPP(value);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len <= 100)
		return text_to_cstring(t);
	return psprintf("%.*s...", pg_mbcliplen(VARDATA_ANY(t), len, 100), VARDATA_ANY(t));
}

static void
unknown_state_error(const TenantWorkflows *tw, int f, int64 lead_id, Datum value)
{
	const Workflow *wf = tw->wf[f];

	if (wf->nstates == 0)
		ereport(ERROR,
				(errcode(ERRCODE_LC_INVALID_WORKFLOW),
				 errmsg("workflow \"%s\" governing %s has no states", wf->code, field_names[f]),
				 errdetail("Tenant %d uses workflow \"%s\" for lead.%s.", tw->tenant_id, wf->code,
						   field_names[f]),
				 errhint("Define its states in lead_crm.workflow_state, or choose another workflow with lead_crm.set_%s_workflow().",
						 field_names[f])));
	ereport(ERROR,
			(errcode(ERRCODE_LC_UNKNOWN_STATE),
			 errmsg("\"%s\" is not a state of workflow \"%s\"", value_for_message(value), wf->code),
			 errdetail("Lead %lld: %s is governed by workflow \"%s\" in tenant %d.",
					   (long long) lead_id, field_names[f], wf->code, tw->tenant_id),
			 errhint("Use one of: %s.", all_states(wf))));
}

/*
 * Checks one governed column of an inserted or updated row. Fills in the
 * initial state when an INSERT has none and maps a label to its code.
 */
static void
check_field(const TenantWorkflows *tw, int f, HeapTuple oldtup, HeapTuple newtup,
			TupleDesc desc, const LeadCols *cols, int64 lead_id, Datum oldval, bool oldnull,
			Datum *newval_p, bool newnull, Edit *edit, bool *after_needed)
{
	const Workflow *wf = tw->wf[f];
	AttrNumber	attnum = cols->field[f];
	Datum		newval = *newval_p;
	int			from,
				to;
	const WfMove *m;

	if (oldtup)
	{
		if (same_datum(oldval, oldnull, newval, newnull))
			return;
		if (newnull)
			return;				/* the NOT NULL constraint refuses it */
	}
	else if (newnull)
	{
		/* no value: the initial state */
		if (wf->initial < 0)
			ereport(ERROR,
					(errcode(ERRCODE_LC_INVALID_WORKFLOW),
					 errmsg("workflow \"%s\" governing %s has no initial state", wf->code,
							field_names[f]),
					 errdetail("Tenant %d uses workflow \"%s\" for lead.%s.", tw->tenant_id,
							   wf->code, field_names[f]),
					 errhint("Mark one state initial, or give the lead a %s.", field_names[f])));
		edit->cols[edit->n] = attnum;
		edit->values[edit->n] = *newval_p = CStringGetTextDatum(wf->states[wf->initial].code);
		edit->nulls[edit->n++] = false;
		return;
	}

	to = state_of(wf, newval);
	if (to < 0)
	{
		to = state_by_label(wf, newval);
		if (to < 0)
			unknown_state_error(tw, f, lead_id, newval);
		edit->cols[edit->n] = attnum;
		edit->values[edit->n] = *newval_p = CStringGetTextDatum(wf->states[to].code);
		edit->nulls[edit->n++] = false;
	}
	if (oldtup == NULL)
		return;					/* imports may start in any state (README) */

	from = oldnull ? -1 : state_of(wf, oldval);
	if (from < 0 || from == to)
		return;					/* moving into a newly chosen workflow, or a label of the same state */
	m = &wf->moves[from * wf->nstates + to];
	if (m->allowed && !m->guarded)
		return;					/* the common case */
	if (m->requires_bant)
		*after_needed = true;

	if (!m->allowed || m->restore)
	{
		int			left = -1;
		bool		has_restore = false;
		int			k;

		for (k = 0; k < wf->nstates; k++)
			has_restore |= wf->moves[from * wf->nstates + k].restore;
		if (has_restore)
			left = state_left(wf, tw->tenant_id, lead_id, f, from);
		if (!m->allowed || (left >= 0 && left != to))
		{
			char	   *next = allowed_next(wf, from, left);

			ereport(ERROR,
					(errcode(ERRCODE_LC_INVALID_TRANSITION),
					 errmsg("invalid %s transition from \"%s\" to \"%s\"", field_names[f],
							wf->states[from].code, wf->states[to].code),
					 m->allowed
					 ? errdetail("Lead %lld left %s for %s; a restore goes back there, not to %s.",
								 (long long) lead_id, state_name(wf, left), state_name(wf, from),
								 state_name(wf, to))
					 : errdetail("Lead %lld cannot move from %s to %s in workflow \"%s\".",
								 (long long) lead_id, state_name(wf, from), state_name(wf, to),
								 wf->code),
					 next
					 ? errhint("Allowed next states from %s: %s.", wf->states[from].label, next)
					 : errhint("%s is a final state of workflow \"%s\"; add a transition to lead_crm.workflow_transition to leave it.",
							   wf->states[from].label, wf->code)));
		}
	}

	{
		List	   *unmet = unmet_guards(m, newtup, desc, cols);

		if (unmet == NIL)
			return;
		if (!lc_override_guards())
			guard_error(tw, f, lead_id, from, to, unmet);
		if (lc_reason() == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_LC_GUARD_FAILED),
					 errmsg("overriding a guard needs a reason"),
					 errdetail("Lead %lld moves from %s to %s without %s.", (long long) lead_id,
							   state_name(wf, from), state_name(wf, to),
							   describe_unmet(tw->tenant_id, unmet)),
					 errhint("SELECT lead_crm.override_%s(%lld, '%s', 'why'); or SET LOCAL lead_crm.reason = 'why' before the UPDATE.",
							 field_names[f], (long long) lead_id, wf->states[to].code)));
		*after_needed = true;	/* lead_state_events() records the override */
	}
}

/* lead_state_check(): BEFORE INSERT OR UPDATE OF status, lifecycle row trigger on lead */
PG_FUNCTION_INFO_V1(lc_lead_state_check);
Datum
lc_lead_state_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	const LeadCols *cols;
	const TenantWorkflows *tw;
	HeapTuple	oldtup = NULL;
	HeapTuple	newtup;
	Edit		edit;
	bool		isnull;
	bool		after_needed = false;
	int64		lead_id;
	int			f;
	Datum		oldval[2] = {0, 0};
	Datum		newval[2];
	bool		oldnull[2] = {true, true};
	bool		newnull[2];

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "lead_state_check() must be a BEFORE INSERT OR UPDATE row trigger");
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else
		newtup = td->tg_trigtuple;
	if (lc_restoring())
		return PointerGetDatum(newtup);

	if (!xact_callback_registered)
	{
		RegisterXactCallback(events_xact_callback, NULL);
		xact_callback_registered = true;
	}
	desc = RelationGetDescr(td->tg_relation);
	cols = lead_columns(td->tg_relation);
	/* each value once: status and lifecycle sit late in a wide row */
	for (f = 0; f < 2; f++)
	{
		newval[f] = heap_getattr(newtup, cols->field[f], desc, &newnull[f]);
		if (oldtup)
			oldval[f] = heap_getattr(oldtup, cols->field[f], desc, &oldnull[f]);
	}
	if (oldtup && same_datum(oldval[0], oldnull[0], newval[0], newnull[0]) &&
		same_datum(oldval[1], oldnull[1], newval[1], newnull[1]))
		return PointerGetDatum(newtup); /* SET status = status */

	tw = tenant_workflows(DatumGetInt32(heap_getattr(newtup, cols->tenant_id, desc, &isnull)));
	lead_id = DatumGetInt64(heap_getattr(newtup, cols->id, desc, &isnull));

	edit.n = 0;
	for (f = 0; f < 2; f++)
		check_field(tw, f, oldtup, newtup, desc, cols, lead_id, oldval[f], oldnull[f],
					&newval[f], newnull[f], &edit, &after_needed);
	if (edit.n > 0)
		newtup = heap_modify_tuple_by_cols(newtup, desc, edit.n, edit.cols, edit.values,
										   edit.nulls);
	if (oldtup == NULL)
		return PointerGetDatum(newtup);	/* "created" is sent after the insert */

	if (after_needed)
	{
		MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
		PendingRow *p = palloc(sizeof(PendingRow));

		p->tenant_id = tw->tenant_id;
		p->lead_id = lead_id;
		pending_rows = lappend(pending_rows, p);
		MemoryContextSwitchTo(old);
	}

	/*
	 * Events of an update are queued here, which saves an AFTER trigger on
	 * every move: once the BEFORE UPDATE triggers have run the row is
	 * written, or the statement fails and its queued events go with it.
	 */
	if (tw->notify_events)
		for (f = 0; f < 2; f++)
			if (!oldnull[f] && !newnull[f] &&
				!same_datum(oldval[f], false, newval[f], false))
				send_event(tw->tenant_id, lead_id, field_names[f],
						   DatumGetTextPP(oldval[f]), DatumGetTextPP(newval[f]));
	return PointerGetDatum(newtup);
}

/* -------------------------------------------------------- AFTER trigger */

static void
events_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PREPARE || event == XACT_EVENT_PARALLEL_COMMIT ||
		event == XACT_EVENT_PARALLEL_ABORT)
	{
		events_in_xact = 0;
		pending_rows = NIL;		/* its memory went with TopTransactionContext */
	}
}

/* ,"key":"value" (null for NULL); escaping only what needs it, cheaply */
static void
json_text(StringInfo s, const char *key, const char *p, int len)
{
	int			i;

	appendStringInfoString(s, key);
	if (p == NULL)
	{
		appendStringInfoString(s, "null");
		return;
	}
	for (i = 0; i < len; i++)
	{
		char		c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			  (c >= 'A' && c <= 'Z') || c == ' ' || c == '-'))
			break;
	}
	if (i < len)
	{
		escape_json(s, pnstrdup(p, len));
		return;
	}
	appendStringInfoChar(s, '"');
	appendBinaryStringInfo(s, p, len);
	appendStringInfoChar(s, '"');
}

static void
json_int(StringInfo s, const char *key, int64 value)
{
	char		buf[MAXINT8LEN + 1];

	pg_lltoa(value, buf);
	appendStringInfoString(s, key);
	appendStringInfoString(s, buf);
}

/*
 * Queues {"tenant":1,"lead":42,"event":"status","from":"new","to":"contacting","seq":3}
 * for commit. seq numbers the events of the transaction: NOTIFY would merge
 * two equal payloads, e.g. a lead moved back and forth.
 */
static void
send_event(int32 tenant_id, int64 lead_id, const char *event, text *from, text *to)
{
	StringInfoData s;

	if (!xact_callback_registered)
	{
		RegisterXactCallback(events_xact_callback, NULL);
		xact_callback_registered = true;
	}
	if (events_in_xact > MAX_EVENTS_PER_XACT)
		return;
	initStringInfo(&s);
	events_in_xact++;
	if (events_in_xact > MAX_EVENTS_PER_XACT)
	{
		/* one marker instead of a flood (bulk imports): listeners re-read */
		appendStringInfo(&s, "{\"tenant\":%d,\"lead\":null,\"event\":\"overflow\","
						 "\"from\":null,\"to\":null,\"seq\":%d}", tenant_id, events_in_xact);
		Async_Notify(EVENT_CHANNEL, s.data);
		return;
	}
	json_int(&s, "{\"tenant\":", tenant_id);
	json_int(&s, ",\"lead\":", lead_id);
	json_text(&s, ",\"event\":", event, strlen(event));
	json_text(&s, ",\"from\":", from ? VARDATA_ANY(from) : NULL, from ? VARSIZE_ANY_EXHDR(from) : 0);
	json_text(&s, ",\"to\":", to ? VARDATA_ANY(to) : NULL, to ? VARSIZE_ANY_EXHDR(to) : 0);
	json_int(&s, ",\"seq\":", events_in_xact);
	appendStringInfoChar(&s, '}');
	Async_Notify(EVENT_CHANNEL, s.data);
}

/* lead_crm.bant_score(lead) when the scoring concern has defined it; false otherwise */
static bool
bant_score(int64 lead_id, int32 *score)
{
	Oid			argtypes[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(lead_id)};
	List	   *name = list_make2(makeString("lead_crm"), makeString("bant_score"));
	bool		isnull;
	Datum		d;

	if (!OidIsValid(LookupFuncName(name, 1, argtypes, true)))
		return false;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* not read-only: the score must see the row this statement wrote */
	if (SPI_execute_with_args("SELECT lead_crm.bant_score($1)::integer", 1, argtypes, args,
							  NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cannot compute the BANT score of lead %lld", (long long) lead_id);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	*score = isnull ? 0 : DatumGetInt32(d);
	SPI_finish();
	return true;
}

static void
record_override(int32 tenant_id, int64 lead_id, int f, const char *from, const char *to,
				List *unmet)
{
	Oid			argtypes[8] = {INT4OID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID,
	TEXTOID, TEXTOID};
	Datum		args[8];
	char		nulls[8] = "        ";
	Datum	   *elems = palloc(sizeof(Datum) * list_length(unmet));
	ListCell   *lc;
	int			n = 0;
	const char *actor = lc_actor();

	foreach(lc, unmet)
		elems[n++] = CStringGetTextDatum((char *) lfirst(lc));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (override_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare("INSERT INTO lead_crm.guard_override"
									   " (tenant_id, lead_id, field, from_state, to_state, missing,"
									   " reason, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
									   8, argtypes);

		if (plan == NULL)
			elog(ERROR, "cannot prepare the guard override insert: %s",
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		override_plan = plan;
	}
	args[0] = Int32GetDatum(tenant_id);
	args[1] = Int64GetDatum(lead_id);
	args[2] = CStringGetTextDatum(field_names[f]);
	args[3] = CStringGetTextDatum(from);
	args[4] = CStringGetTextDatum(to);
	args[5] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[6] = CStringGetTextDatum(lc_reason());
	args[7] = actor ? CStringGetTextDatum(actor) : (Datum) 0;
	nulls[7] = actor ? ' ' : 'n';
	if (SPI_execute_plan(override_plan, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot record a guard override");
	SPI_finish();
}

/* BANT guard and override record of one changed column of an updated row */
static void
after_move(const TenantWorkflows *tw, int f, HeapTuple newtup, TupleDesc desc,
		   const LeadCols *cols, int64 lead_id, int from, int to)
{
	const Workflow *wf = tw->wf[f];
	const WfMove *m = &wf->moves[from * wf->nstates + to];
	List	   *unmet = NIL;
	int32		score;

	if (!m->allowed || !m->guarded)
		return;
	if (m->requires_bant && bant_score(lead_id, &score) && score < tw->min_bant_score)
		unmet = lappend(unmet, psprintf("bant_score %d (the lead has %d)",
										tw->min_bant_score, score));
	if (!lc_override_guards())
	{
		if (unmet != NIL)
			guard_error(tw, f, lead_id, from, to, unmet);
		return;
	}
	unmet = list_concat(unmet_guards(m, newtup, desc, cols), unmet);
	if (unmet == NIL)
		return;
	if (lc_reason() == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_LC_GUARD_FAILED),
				 errmsg("overriding a guard needs a reason"),
				 errdetail("Lead %lld moves from %s to %s without %s.", (long long) lead_id,
						   state_name(wf, from), state_name(wf, to),
						   describe_unmet(tw->tenant_id, unmet)),
				 errhint("SELECT lead_crm.override_%s(%lld, '%s', 'why');",
						 field_names[f], (long long) lead_id, wf->states[to].code)));
	record_override(tw->tenant_id, lead_id, f, wf->states[from].code, wf->states[to].code,
					unmet);
}

/*
 * lead_state_events(): AFTER INSERT row trigger on lead ("created" events),
 * and AFTER UPDATE OF status, lifecycle for the rows state_after_pending()
 * names (BANT guard, override records).
 */
PG_FUNCTION_INFO_V1(lc_lead_state_events);
Datum
lc_lead_state_events(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	const LeadCols *cols;
	const TenantWorkflows *tw;
	HeapTuple	newtup;
	bool		isnull;
	int32		tenant_id;
	int64		lead_id;
	int			f;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "lead_state_events() must be an AFTER INSERT OR UPDATE row trigger");
	if (lc_restoring())
		return PointerGetDatum(NULL);

	desc = RelationGetDescr(td->tg_relation);
	cols = lead_columns(td->tg_relation);
	newtup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	tenant_id = DatumGetInt32(heap_getattr(newtup, cols->tenant_id, desc, &isnull));
	lead_id = DatumGetInt64(heap_getattr(newtup, cols->id, desc, &isnull));

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && !take_pending(tenant_id, lead_id))
		return PointerGetDatum(NULL);	/* another row of a statement with pending ones */
	tw = tenant_workflows(tenant_id);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		if (tw->notify_events)
			send_event(tenant_id, lead_id, "created", NULL,
					   DatumGetTextPP(heap_getattr(newtup, cols->field[F_STATUS], desc, &isnull)));
		return PointerGetDatum(NULL);
	}

	for (f = 0; f < 2; f++)
	{
		bool		oldnull,
					newnull;
		Datum		o = heap_getattr(td->tg_trigtuple, cols->field[f], desc, &oldnull);
		Datum		n = heap_getattr(newtup, cols->field[f], desc, &newnull);
		int			from,
					to;

		if (same_datum(o, oldnull, n, newnull) || oldnull || newnull)
			continue;
		from = state_of(tw->wf[f], o);
		to = state_of(tw->wf[f], n);
		if (from >= 0 && to >= 0)
			after_move(tw, f, newtup, desc, cols, lead_id, from, to);
	}
	return PointerGetDatum(NULL);
}

/*
 * state_after_pending(): WHEN clause of the AFTER UPDATE trigger. Without
 * arguments, because the executor parses a WHEN clause for every statement;
 * the trigger itself then looks for its row in the list.
 */
PG_FUNCTION_INFO_V1(lc_state_after_pending);
Datum
lc_state_after_pending(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(pending_rows != NIL);
}

/* true once for a row the BEFORE trigger put on the list */
static bool
take_pending(int32 tenant_id, int64 lead_id)
{
	ListCell   *lc;

	foreach(lc, pending_rows)
	{
		PendingRow *p = lfirst(lc);

		if (p->tenant_id == tenant_id && p->lead_id == lead_id)
		{
			pending_rows = foreach_delete_current(pending_rows, lc);
			return true;
		}
	}
	return false;
}

/* notify_event(tenant, lead, event, from, to): an event from SQL (conversions) */
PG_FUNCTION_INFO_V1(lc_notify_event);
Datum
lc_notify_event(PG_FUNCTION_ARGS)
{
	int32		tenant_id;
	const TenantWorkflows *tw;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an event needs a tenant, a lead and a name")));
	tenant_id = PG_GETARG_INT32(0);
	tw = tenant_workflows(tenant_id);
	if (tw->notify_events)
		send_event(tenant_id, PG_GETARG_INT64(1), text_to_cstring(PG_GETARG_TEXT_PP(2)),
				   PG_ARGISNULL(3) ? NULL : PG_GETARG_TEXT_PP(3),
				   PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4));
	PG_RETURN_VOID();
}

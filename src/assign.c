/*
 * src/assign.c - automatic assignment of new leads (phân công tự động) and the
 * bookkeeping of each salesperson's load in the current capacity period.
 *
 * lead_assign() is the BEFORE INSERT/UPDATE/DELETE row trigger of lead. A new
 * lead without a salesperson, in a tenant with active rules, goes through the
 * rules by priority (or straight to its own team when it names one); the first
 * target with someone under capacity gets it: the member with the fewest leads
 * this period, then the one assigned least recently, then the lowest id.
 *
 * Loads are counted from the leads (salesperson_id, assigned_at since the
 * period start) the first time a transaction needs a salesperson's, then kept
 * in memory for the rest of the transaction and adjusted by these triggers,
 * so a bulk load counts once, not per row, and no counter row is written.
 *
 * Concurrency: with rules, every transaction that reads or changes a
 * tenant's loads first updates the tenant's row in lead_crm.assignment_lock,
 * once per transaction. The row lock makes such transactions run one at a
 * time until commit (so the counts a transaction read stay exact until it
 * ends, and READ COMMITTED queries after the lock see what the previous
 * holder committed); under REPEATABLE READ a snapshot older than the previous
 * holder's commit makes that update fail with a serialization error, to be
 * retried, instead of counting stale data. One lock per tenant: writers
 * cannot deadlock on salesperson rows taken in different orders.
 *
 * Rules, teams and eligible salespeople are cached per backend and dropped when
 * a configuration table changes (they carry config_changed(), see config.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "core/vn_text.h"
#include "lead_crm.h"

typedef struct AssignRule
{
	int64		id;
	char	   *name;
	int			nprovinces;
	char	  **provinces;		/* province_key() of each */
	int			nsources;
	char	  **sources;
	int			ntags;
	char	  **tags;
	int			nindustries;
	char	  **industries;
	int64		team_id;		/* 0 when the target is one salesperson */
	int64		salesperson_id;
} AssignRule;

typedef struct AssignMember
{
	int64		id;
	int64		team_id;		/* 0: no team */
	int32		capacity;		/* -1: no limit */
	char	   *name;
} AssignMember;

typedef struct AssignTeam
{
	int64		id;
	char	   *name;
} AssignTeam;

typedef struct AssignConfig
{
	int32		tenant_id;		/* hash key */
	bool		english;
	char	   *period;			/* day, week or month */
	int			nrules;
	AssignRule *rules;
	int			nmembers;		/* salespeople who take automatic leads, by id */
	AssignMember *members;
	int			nteams;
	AssignTeam *teams;
	/* start of the current period, for the transaction start time it was computed at */
	bool		period_known;
	TimestampTz period_for;
	TimestampTz period_start;
} AssignConfig;

typedef struct LeadFacts
{
	int32		tenant_id;
	int64		id;
	char	   *province;		/* province_key(), NULL when empty */
	char	   *source;
	char	   *industry;
	int			ntags;
	char	  **tags;
	int64		team_id;		/* 0: none */
} LeadFacts;

/* a salesperson's load in this transaction's current period */
typedef struct LoadKey
{
	int64		salesperson_id;
	int32		tenant_id;
	int32		padding;		/* zeroed: the key is hashed as bytes */
} LoadKey;

typedef struct Load
{
	LoadKey		key;
	int32		assigned;
	bool		has_last;
	TimestampTz last;			/* last assignment, for the round-robin tie-break */
} Load;

typedef struct Choice
{
	int64		salesperson_id; /* 0: nobody */
	int64		team_id;
	char	   *explanation;	/* in the caller's memory context */
} Choice;

static MemoryContext assign_context = NULL;
static HTAB *assign_hash = NULL;
static uint64 assign_generation = 0;

static SPIPlanPtr count_plan = NULL;
static SPIPlanPtr lock_plan = NULL;
static SPIPlanPtr history_plan = NULL;
static SPIPlanPtr period_plan = NULL;

/* loads of this transaction (see the top of the file), in a child of TopTransactionContext */
static MemoryContext xact_load_context = NULL;
static HTAB *xact_loads = NULL;
static bool load_callbacks_registered = false;

static SPIPlanPtr
plan_once(SPIPlanPtr *plan, const char *sql, int nargs, Oid *types)
{
	if (*plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare(sql, nargs, types);

		if (p == NULL)
			elog(ERROR, "cannot prepare \"%s\": %s", sql, SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		*plan = p;
	}
	return *plan;
}

/*
 * Province names compare folded and without the unit prefix, so a rule for
 * "Hà Nội" matches "Thành phố Hà Nội", "TP. Hà Nội" and "ha noi".
 */
static char *
province_key(const char *s, size_t len)
{
	static const char *const prefixes[] = {"thanh pho ", "tinh ", "tp. ", "tp.", "tp "};
	char	   *folded = palloc(lc_fold_bound(len));
	size_t		n = lc_fold(s, len, folded);
	int			i;

	for (i = 0; i < (int) lengthof(prefixes); i++)
	{
		size_t		plen = strlen(prefixes[i]);

		if (n > plen && strncmp(folded, prefixes[i], plen) == 0)
			return folded + plen;
	}
	return n > 0 ? folded : NULL;
}

/* ---------------------------------------------------------------- cache */

static char *
cache_text(HeapTuple tuple, TupleDesc desc, int n)
{
	char	   *v = SPI_getvalue(tuple, desc, n);

	return v ? MemoryContextStrdup(assign_context, v) : NULL;
}

static int64
spi_int8(HeapTuple tuple, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, n, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* text[] column into the cache; province lists are stored as province_key()s */
static char **
cache_text_array(HeapTuple tuple, TupleDesc desc, int n, bool provinces, int *count)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, n, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				i,
				k = 0;
	char	  **out;

	*count = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	out = MemoryContextAlloc(assign_context, sizeof(char *) * (nelems + 1));
	for (i = 0; i < nelems; i++)
	{
		char	   *v;

		if (nulls[i])
			continue;
		v = TextDatumGetCString(elems[i]);
		if (provinces)
			v = province_key(v, strlen(v));
		if (v)
			out[k++] = MemoryContextStrdup(assign_context, v);
	}
	*count = k;
	return out;
}

static void
cache_query(const char *sql, int32 tenant_id)
{
	Oid			types[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tenant_id)};

	if (SPI_execute_with_args(sql, 1, types, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "lead_crm assignment configuration query failed: %s", sql);
}

static void
load_assign_config(AssignConfig *cfg, int32 tenant_id)
{
	uint64		i;
	TupleDesc	desc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	cfg->tenant_id = tenant_id;

	cache_query("SELECT language = 'en', assignment_period FROM lead_crm.tenant"
				" WHERE tenant_id = $1", tenant_id);
	if (SPI_processed == 1)
	{
		bool		isnull;

		cfg->english = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1, &isnull));
		cfg->period = cache_text(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	}
	else
		cfg->period = MemoryContextStrdup(assign_context, "day");

	cache_query("SELECT id, name, provinces, sources, tags, industries,"
				" coalesce(team_id, 0), coalesce(salesperson_id, 0)"
				" FROM lead_crm.assignment_rule WHERE tenant_id = $1 AND active"
				" ORDER BY priority, id", tenant_id);
	desc = SPI_tuptable->tupdesc;
	cfg->nrules = (int) SPI_processed;
	cfg->rules = MemoryContextAllocZero(assign_context, sizeof(AssignRule) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		AssignRule *r = &cfg->rules[i];

		r->id = spi_int8(t, desc, 1);
		r->name = cache_text(t, desc, 2);
		r->provinces = cache_text_array(t, desc, 3, true, &r->nprovinces);
		r->sources = cache_text_array(t, desc, 4, false, &r->nsources);
		r->tags = cache_text_array(t, desc, 5, false, &r->ntags);
		r->industries = cache_text_array(t, desc, 6, false, &r->nindustries);
		r->team_id = spi_int8(t, desc, 7);
		r->salesperson_id = spi_int8(t, desc, 8);
	}

	cache_query("SELECT s.id, coalesce(s.team_id, 0), coalesce(s.capacity, -1), s.full_name"
				" FROM lead_crm.salesperson s"
				" LEFT JOIN lead_crm.sales_team t ON t.tenant_id = s.tenant_id AND t.id = s.team_id"
				" WHERE s.tenant_id = $1 AND s.active AND s.auto_assign AND coalesce(t.active, true)"
				" ORDER BY s.id", tenant_id);
	desc = SPI_tuptable->tupdesc;
	cfg->nmembers = (int) SPI_processed;
	cfg->members = MemoryContextAllocZero(assign_context,
										  sizeof(AssignMember) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		AssignMember *m = &cfg->members[i];
		bool		isnull;

		m->id = spi_int8(t, desc, 1);
		m->team_id = spi_int8(t, desc, 2);
		m->capacity = DatumGetInt32(SPI_getbinval(t, desc, 3, &isnull));
		m->name = cache_text(t, desc, 4);
	}

	cache_query("SELECT id, name FROM lead_crm.sales_team WHERE tenant_id = $1", tenant_id);
	desc = SPI_tuptable->tupdesc;
	cfg->nteams = (int) SPI_processed;
	cfg->teams = MemoryContextAllocZero(assign_context, sizeof(AssignTeam) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		cfg->teams[i].id = spi_int8(SPI_tuptable->vals[i], desc, 1);
		cfg->teams[i].name = cache_text(SPI_tuptable->vals[i], desc, 2);
	}
	SPI_finish();
}

static AssignConfig *
assign_config(int32 tenant_id)
{
	uint64		gen = lc_config_generation();
	AssignConfig *cfg;
	AssignConfig loaded;
	bool		found;

	if (assign_hash == NULL || gen != assign_generation)
	{
		HASHCTL		ctl;

		if (assign_context == NULL)
			assign_context = AllocSetContextCreate(CacheMemoryContext, "lead_crm assignment config",
												   ALLOCSET_DEFAULT_SIZES);
		MemoryContextReset(assign_context);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(int32);
		ctl.entrysize = sizeof(AssignConfig);
		ctl.hcxt = assign_context;
		assign_hash = hash_create("lead_crm assignment config", 16, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		assign_generation = gen;
	}
	cfg = hash_search(assign_hash, &tenant_id, HASH_FIND, NULL);
	if (cfg)
		return cfg;
	memset(&loaded, 0, sizeof(loaded));
	load_assign_config(&loaded, tenant_id);
	cfg = hash_search(assign_hash, &tenant_id, HASH_ENTER, &found);
	*cfg = loaded;
	return cfg;
}

static const char *
team_name(const AssignConfig *cfg, int64 team_id)
{
	int			i;

	for (i = 0; i < cfg->nteams; i++)
		if (cfg->teams[i].id == team_id)
			return cfg->teams[i].name;
	return NULL;
}

/* ------------------------------------------------------ loads and locks */

/* start of the current capacity period; now() is fixed for the transaction. SPI connected. */
static TimestampTz
period_start(AssignConfig *cfg)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	Oid			types[2] = {INT4OID, TIMESTAMPTZOID};
	Datum		args[2];
	bool		isnull;

	if (cfg->period_known && cfg->period_for == now)
		return cfg->period_start;
	args[0] = Int32GetDatum(cfg->tenant_id);
	args[1] = TimestampTzGetDatum(now);
	if (SPI_execute_plan(plan_once(&period_plan,
								   "SELECT lead_crm.assignment_period_start($1, $2)", 2, types),
						 args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cannot compute the assignment period of tenant %d", cfg->tenant_id);
	cfg->period_start = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0],
														  SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		elog(ERROR, "tenant %d has no assignment period", cfg->tenant_id);
	cfg->period_for = now;
	cfg->period_known = true;
	return cfg->period_start;
}

static Datum
int8_array(const int64 *ids, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n + 1));
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = Int64GetDatum(ids[i]);
	return PointerGetDatum(construct_array(elems, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
										   TYPALIGN_DOUBLE));
}

/* the transaction's loads die with it; a rolled back savepoint undid lead changes */
static void
load_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PREPARE || event == XACT_EVENT_PARALLEL_COMMIT ||
		event == XACT_EVENT_PARALLEL_ABORT)
	{
		xact_loads = NULL;		/* freed with TopTransactionContext */
		xact_load_context = NULL;
	}
}

static void
load_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && xact_load_context != NULL)
	{
		MemoryContextDelete(xact_load_context);
		xact_loads = NULL;
		xact_load_context = NULL;
	}
}

static Load *
find_load(int32 tenant_id, int64 salesperson_id, bool create, bool *found)
{
	LoadKey		key;

	if (xact_loads == NULL)
	{
		HASHCTL		ctl;

		if (!create)
			return NULL;
		if (!load_callbacks_registered)
		{
			RegisterXactCallback(load_xact_callback, NULL);
			RegisterSubXactCallback(load_subxact_callback, NULL);
			load_callbacks_registered = true;
		}
		xact_load_context = AllocSetContextCreate(TopTransactionContext, "lead_crm loads",
												  ALLOCSET_SMALL_SIZES);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(LoadKey);
		ctl.entrysize = sizeof(Load);
		ctl.hcxt = xact_load_context;
		xact_loads = hash_create("lead_crm loads", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	memset(&key, 0, sizeof(key));
	key.tenant_id = tenant_id;
	key.salesperson_id = salesperson_id;
	return hash_search(xact_loads, &key, create ? HASH_ENTER : HASH_FIND, found);
}

/*
 * Loads of members[0..n) into out[], counting from the leads those this
 * transaction has not counted yet. SPI connected, tenant lock held.
 */
static void
get_loads(int32 tenant_id, AssignMember **members, int n, TimestampTz start, Load **out)
{
	int64	   *missing = palloc(sizeof(int64) * (n + 1));
	int			nmissing = 0;
	int			i;
	uint64		r;
	Oid			types[3] = {INT4OID, INT8ARRAYOID, TIMESTAMPTZOID};
	Datum		args[3];

	for (i = 0; i < n; i++)
	{
		out[i] = find_load(tenant_id, members[i]->id, false, NULL);
		if (out[i] == NULL)
			missing[nmissing++] = members[i]->id;
	}
	if (nmissing == 0)
		return;
	args[0] = Int32GetDatum(tenant_id);
	args[1] = int8_array(missing, nmissing);
	args[2] = TimestampTzGetDatum(start);
	if (SPI_execute_plan(plan_once(&count_plan,
								   "SELECT s.id,"
								   " (SELECT count(*) FROM lead_crm.lead l WHERE l.tenant_id = $1"
								   " AND l.salesperson_id = s.id AND l.assigned_at >= $3)::integer,"
								   " (SELECT max(l.assigned_at) FROM lead_crm.lead l WHERE l.tenant_id = $1"
								   " AND l.salesperson_id = s.id)"
								   " FROM pg_catalog.unnest($2) AS s(id)", 3, types),
						 args, NULL, false, 0) != SPI_OK_SELECT || SPI_processed != (uint64) nmissing)
		elog(ERROR, "cannot count the leads of the salespeople of tenant %d", tenant_id);
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple	t = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		bool		found;
		Load	   *l = find_load(tenant_id, DatumGetInt64(SPI_getbinval(t, desc, 1, &isnull)),
								  true, &found);

		l->assigned = DatumGetInt32(SPI_getbinval(t, desc, 2, &isnull));
		l->last = DatumGetTimestampTz(SPI_getbinval(t, desc, 3, &isnull));
		l->has_last = !isnull;
	}
	for (i = 0; i < n; i++)
		if (out[i] == NULL)
			out[i] = find_load(tenant_id, members[i]->id, false, NULL);
}

/*
 * A lead row starts or stops counting for a salesperson. Only loads this
 * transaction has counted need it: a later count reads the row itself.
 */
static void
adjust_load(int32 tenant_id, int64 salesperson_id, int delta)
{
	Load	   *l = find_load(tenant_id, salesperson_id, false, NULL);

	if (l == NULL)
		return;
	l->assigned += delta;
	if (delta > 0)
	{
		l->last = GetCurrentTimestamp();
		l->has_last = true;
	}
}

/*
 * Takes the tenant's assignment lock for the rest of the transaction (see the
 * top of the file). Remembered as a load entry of salesperson 0, so a rolled
 * back savepoint, which releases the row lock, forgets it too. SPI connected.
 */
static void
lock_tenant(int32 tenant_id)
{
	bool		found;
	Oid			types[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tenant_id)};

	find_load(tenant_id, 0, true, &found);
	if (found)
		return;
	if (SPI_execute_plan(plan_once(&lock_plan,
								   "INSERT INTO lead_crm.assignment_lock AS k (tenant_id, locked_at)"
								   " VALUES ($1, pg_catalog.now())"
								   " ON CONFLICT (tenant_id) DO UPDATE SET locked_at = pg_catalog.now()",
								   1, types),
						 args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot take the assignment lock of tenant %d", tenant_id);
}

/* has this transaction locked the tenant and computed its period already? */
static bool
tenant_ready(const AssignConfig *cfg)
{
	return cfg->period_known && cfg->period_for == GetCurrentTransactionStartTimestamp() &&
		find_load(cfg->tenant_id, 0, false, NULL) != NULL;
}

/* ------------------------------------------------------------ choosing */

static bool
list_has(char **list, int n, const char *value)
{
	int			i;

	if (value == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(list[i], value) == 0)
			return true;
	return false;
}

static bool
rule_matches(const AssignRule *r, const LeadFacts *f)
{
	int			i;

	if (r->nprovinces > 0 && !list_has(r->provinces, r->nprovinces, f->province))
		return false;
	if (r->nsources > 0 && !list_has(r->sources, r->nsources, f->source))
		return false;
	if (r->nindustries > 0 && !list_has(r->industries, r->nindustries, f->industry))
		return false;
	if (r->ntags > 0)
	{
		for (i = 0; i < f->ntags; i++)
			if (list_has(r->tags, r->ntags, f->tags[i]))
				break;
		if (i == f->ntags)
			return false;
	}
	return true;
}

/*
 * The fairest member of ids[0..n) with capacity left: fewest leads this
 * period, then assigned least recently (never first), then lowest id.
 * Returns the index or -1.
 */
static int
pick_member(const AssignConfig *cfg, AssignMember **members, int n, TimestampTz start,
			Load **loads)
{
	int			best = -1,
				i;

	if (n == 0)
		return -1;
	get_loads(cfg->tenant_id, members, n, start, loads);
	for (i = 0; i < n; i++)
	{
		const Load *l = loads[i];
		const Load *b;

		if (members[i]->capacity >= 0 && l->assigned >= members[i]->capacity)
			continue;
		if (best < 0)
		{
			best = i;
			continue;
		}
		b = loads[best];
		if (l->assigned != b->assigned)
		{
			if (l->assigned < b->assigned)
				best = i;
			continue;
		}
		if (l->has_last != b->has_last)
		{
			if (!l->has_last)
				best = i;
			continue;
		}
		if (l->has_last && l->last != b->last)
		{
			if (l->last < b->last)
				best = i;
			continue;
		}
		if (members[i]->id < members[best]->id)
			best = i;
	}
	return best;
}

static const char *
period_word(const AssignConfig *cfg)
{
	if (strcmp(cfg->period, "week") == 0)
		return cfg->english ? "week" : "tuần";
	if (strcmp(cfg->period, "month") == 0)
		return cfg->english ? "month" : "tháng";
	return cfg->english ? "day" : "ngày";
}

/* "lead 4 of 20 this day" / "lead thứ 4/20 trong ngày" */
static void
append_count(StringInfo s, const AssignConfig *cfg, const AssignMember *m, int count)
{
	if (cfg->english)
	{
		if (m->capacity >= 0)
			appendStringInfo(s, "lead %d of %d this %s", count, m->capacity, period_word(cfg));
		else
			appendStringInfo(s, "lead %d this %s (no limit)", count, period_word(cfg));
	}
	else
	{
		if (m->capacity >= 0)
			appendStringInfo(s, "lead thứ %d/%d trong %s", count, m->capacity, period_word(cfg));
		else
			appendStringInfo(s, "lead thứ %d trong %s (không giới hạn)", count, period_word(cfg));
	}
}

static void
append_member(StringInfo s, const AssignConfig *cfg, const AssignMember *m)
{
	const char *team = m->team_id ? team_name(cfg, m->team_id) : NULL;

	appendStringInfoString(s, m->name);
	if (team)
		appendStringInfo(s, cfg->english ? " (team %s)" : " (đội %s)", team);
	appendStringInfoString(s, ", ");
}

/* members of a team, or the one salesperson, who take automatic leads */
static int
target_members(const AssignConfig *cfg, int64 team_id, int64 salesperson_id,
			   AssignMember **out)
{
	int			i,
				n = 0;

	for (i = 0; i < cfg->nmembers; i++)
		if (team_id ? cfg->members[i].team_id == team_id : cfg->members[i].id == salesperson_id)
			out[n++] = &cfg->members[i];
	return n;
}

/*
 * Chooses the salesperson for a lead under the tenant's assignment lock. The
 * chosen load is not incremented here: the lead trigger does that for the
 * row actually written. SPI connected; explanation allocated in outer.
 */
static void
choose(AssignConfig *cfg, const LeadFacts *f, MemoryContext outer, Choice *c)
{
	AssignMember **members = palloc(sizeof(AssignMember *) * (cfg->nmembers + 1));
	Load	  **loads = palloc0(sizeof(Load *) * (cfg->nmembers + 1));
	TimestampTz start;
	StringInfoData tried;
	StringInfoData s;
	int			nmatched = 0;
	int			i,
				n,
				best;
	MemoryContext old;

	lock_tenant(cfg->tenant_id);
	start = period_start(cfg);
	memset(c, 0, sizeof(*c));
	initStringInfo(&tried);
	old = MemoryContextSwitchTo(outer);
	initStringInfo(&s);
	MemoryContextSwitchTo(old);

	if (f->team_id)
	{
		const char *team = team_name(cfg, f->team_id);

		n = target_members(cfg, f->team_id, 0, members);
		best = pick_member(cfg, members, n, start, loads);
		if (best >= 0)
		{
			c->salesperson_id = members[best]->id;
			c->team_id = f->team_id;
			appendStringInfo(&s, cfg->english ? "auto-assigned within the lead's team %s to "
							 : "tự động phân công trong đội %s của lead cho ", team ? team : "?");
			appendStringInfo(&s, "%s, ", members[best]->name);
			append_count(&s, cfg, members[best], loads[best]->assigned + 1);
		}
		else
			appendStringInfo(&s, cfg->english
							 ? "not assigned: nobody in the lead's team %s takes more leads this %s"
							 : "chưa phân công: không ai trong đội %s của lead nhận thêm lead trong %s",
							 team ? team : "?", period_word(cfg));
		c->explanation = s.data;
		return;
	}

	for (i = 0; i < cfg->nrules; i++)
	{
		const AssignRule *r = &cfg->rules[i];

		if (!rule_matches(r, f))
			continue;
		nmatched++;
		appendStringInfo(&tried, "%s\"%s\" (#%lld)", tried.len ? ", " : "", r->name,
						 (long long) r->id);
		n = target_members(cfg, r->team_id, r->salesperson_id, members);
		best = pick_member(cfg, members, n, start, loads);
		if (best < 0)
			continue;			/* everyone full: the next matching rule may have room */
		c->salesperson_id = members[best]->id;
		c->team_id = r->team_id ? r->team_id : members[best]->team_id;
		appendStringInfo(&s, cfg->english ? "auto-assigned by rule \"%s\" (#%lld) to "
						 : "tự động phân công theo quy tắc \"%s\" (#%lld) cho ",
						 r->name, (long long) r->id);
		append_member(&s, cfg, members[best]);
		append_count(&s, cfg, members[best], loads[best]->assigned + 1);
		c->explanation = s.data;
		return;
	}
	if (nmatched == 0)
		appendStringInfoString(&s, cfg->english
							   ? "not assigned: no assignment rule matches this lead"
							   : "chưa phân công: không có quy tắc phân công nào khớp với lead");
	else
		appendStringInfo(&s, cfg->english
						 ? "not assigned: nobody takes more leads this %s under rule %s"
						 : "chưa phân công: không ai nhận thêm lead trong %s theo quy tắc %s",
						 period_word(cfg), tried.data);
	c->explanation = s.data;
}

/* ------------------------------------------------------- lead rows */

static int
attnum_of(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "lead_crm.lead has no column \"%s\"", name);
	return attnum;
}

static int64
tuple_int8(HeapTuple tup, TupleDesc desc, const char *name)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum_of(desc, name), desc, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

static char *
tuple_text(HeapTuple tup, TupleDesc desc, const char *name)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum_of(desc, name), desc, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

static void
lead_facts(HeapTuple tup, TupleDesc desc, LeadFacts *f)
{
	bool		isnull;
	Datum		d;
	char	   *province;

	memset(f, 0, sizeof(*f));
	f->tenant_id = DatumGetInt32(heap_getattr(tup, attnum_of(desc, "tenant_id"), desc, &isnull));
	f->id = tuple_int8(tup, desc, "id");
	f->team_id = tuple_int8(tup, desc, "team_id");
	province = tuple_text(tup, desc, "province");
	f->province = province ? province_key(province, strlen(province)) : NULL;
	f->source = tuple_text(tup, desc, "source");
	f->industry = tuple_text(tup, desc, "industry");
	d = heap_getattr(tup, attnum_of(desc, "tags"), desc, &isnull);
	if (!isnull)
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i;

		deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		f->tags = palloc(sizeof(char *) * (n + 1));
		for (i = 0; i < n; i++)
			if (!nulls[i])
				f->tags[f->ntags++] = TextDatumGetCString(elems[i]);
	}
}

/* the assignment (or why there is none) of a new lead, as a lead_history row */
static void
record_assignment(const LeadFacts *f, const Choice *c)
{
	Oid			types[5] = {INT4OID, INT8OID, TEXTOID, TEXTOID, TEXTOID};
	Datum		args[5];
	char		nulls[5] = "     ";
	const char *actor = lc_actor();
	const char *reason = lc_reason();
	char	   *text = reason ? psprintf("%s: %s", c->explanation, reason) : c->explanation;

	args[0] = Int32GetDatum(f->tenant_id);
	args[1] = Int64GetDatum(f->id);
	if (c->salesperson_id)
		args[2] = CStringGetTextDatum(psprintf("%lld", (long long) c->salesperson_id));
	else
		nulls[2] = 'n';
	if (actor)
		args[3] = CStringGetTextDatum(actor);
	else
		nulls[3] = 'n';
	args[4] = CStringGetTextDatum(text);
	if (SPI_execute_plan(plan_once(&history_plan,
								   "INSERT INTO lead_crm.lead_history"
								   " (tenant_id, lead_id, field, old_value, new_value, actor, reason)"
								   " VALUES ($1, $2, 'salesperson_id', NULL, $3, $4, $5)",
								   5, types),
						 args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot record the assignment of lead %lld", (long long) f->id);
}

/* does this row count towards its salesperson's load of the period starting at start? */
static bool
counts_in_period(HeapTuple tup, TupleDesc desc, TimestampTz start, int64 *salesperson_id)
{
	bool		isnull;
	Datum		at;

	*salesperson_id = tuple_int8(tup, desc, "salesperson_id");
	if (*salesperson_id == 0)
		return false;
	at = heap_getattr(tup, attnum_of(desc, "assigned_at"), desc, &isnull);
	return !isnull && DatumGetTimestampTz(at) >= start;
}

/*
 * Load bookkeeping for a row going from oldtup to newtup (either may be NULL),
 * only while the tenant has rules: nothing else reads the loads.
 */
static void
maintain_loads(AssignConfig *cfg, TupleDesc desc, HeapTuple oldtup, HeapTuple newtup)
{
	TimestampTz start;
	int64		old_sp = 0,
				new_sp = 0;
	bool		old_counts,
				new_counts;

	lock_tenant(cfg->tenant_id);
	start = period_start(cfg);
	old_counts = oldtup && counts_in_period(oldtup, desc, start, &old_sp);
	new_counts = newtup && counts_in_period(newtup, desc, start, &new_sp);
	if (old_counts && new_counts && old_sp == new_sp)
		return;
	if (old_counts)
		adjust_load(cfg->tenant_id, old_sp, -1);
	if (new_counts)
		adjust_load(cfg->tenant_id, new_sp, +1);
}

/* lead_assign(): BEFORE INSERT, UPDATE or DELETE row trigger on lead_crm.lead */
PG_FUNCTION_INFO_V1(lc_lead_assign);
Datum
lc_lead_assign(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL,
				newtup = NULL;
	AssignConfig *cfg;
	int32		tenant_id;
	bool		isnull;
	int			cols[3];
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			ncols = 0;
	int			sp_att,
				at_att;
	bool		use_spi;
	MemoryContext outer = CurrentMemoryContext;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "lead_assign() must be a BEFORE row trigger");
	desc = td->tg_relation->rd_att;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		newtup = td->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
	}
	else
		oldtup = td->tg_trigtuple;
	if (lc_restoring())
		return PointerGetDatum(newtup ? newtup : oldtup);

	sp_att = attnum_of(desc, "salesperson_id");
	at_att = attnum_of(desc, "assigned_at");
	tenant_id = DatumGetInt32(heap_getattr(newtup ? newtup : oldtup,
										   attnum_of(desc, "tenant_id"), desc, &isnull));
	if (isnull || tenant_id <= 0)
		return PointerGetDatum(newtup ? newtup : oldtup);	/* lead_10_before_write refuses it */
	cfg = assign_config(tenant_id);

	/*
	 * Without rules nothing is chosen and no load is kept: no queries at all.
	 * With rules, bookkeeping needs queries only for the first row of a
	 * transaction (lock, period); choosing needs them for every row.
	 */
	use_spi = cfg->nrules > 0 &&
		((newtup && !oldtup && heap_attisnull(newtup, sp_att, desc) && lc_auto_assign()) ||
		 !tenant_ready(cfg));
	if (use_spi && SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	if (newtup && !oldtup)
	{
		bool		has_sp = !heap_attisnull(newtup, sp_att, desc);

		if (!has_sp && cfg->nrules > 0 && lc_auto_assign())
		{
			LeadFacts	f;
			Choice		c;

			lead_facts(newtup, desc, &f);
			choose(cfg, &f, outer, &c);
			record_assignment(&f, &c);
			if (c.salesperson_id)
			{
				has_sp = true;
				cols[ncols] = sp_att;
				values[ncols++] = Int64GetDatum(c.salesperson_id);
				cols[ncols] = at_att;
				values[ncols++] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
				if (f.team_id == 0 && c.team_id != 0)
				{
					cols[ncols] = attnum_of(desc, "team_id");
					values[ncols++] = Int64GetDatum(c.team_id);
				}
			}
		}
		else if (has_sp && heap_attisnull(newtup, at_att, desc))
		{
			/* created with a salesperson: assigned when created */
			cols[ncols] = at_att;
			values[ncols] = heap_getattr(newtup, attnum_of(desc, "created_at"), desc, &isnull);
			nulls[ncols++] = isnull;
		}
	}
	else if (newtup)
	{
		/* a new salesperson: assigned now, unless the update sets assigned_at itself */
		int64		new_sp = tuple_int8(newtup, desc, "salesperson_id");
		bool		sp_changed = tuple_int8(oldtup, desc, "salesperson_id") != new_sp;
		bool		at_old_null,
					at_new_null;
		Datum		at_old = heap_getattr(oldtup, at_att, desc, &at_old_null);
		Datum		at_new = heap_getattr(newtup, at_att, desc, &at_new_null);

		if (sp_changed && at_old_null == at_new_null &&
			(at_old_null || DatumGetTimestampTz(at_old) == DatumGetTimestampTz(at_new)))
		{
			cols[ncols] = at_att;
			nulls[ncols] = new_sp == 0;
			values[ncols++] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
		}
	}

	if (ncols > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(outer);

		newtup = heap_modify_tuple_by_cols(newtup, desc, ncols, cols, values, nulls);
		MemoryContextSwitchTo(old);
	}
	if (cfg->nrules > 0)
		maintain_loads(cfg, desc, oldtup, newtup);
	if (use_spi)
		SPI_finish();
	return PointerGetDatum(newtup ? newtup : oldtup);
}

/* choose_salesperson(lead): who the rules would give this lead now, and why */
PG_FUNCTION_INFO_V1(lc_choose_salesperson);
Datum
lc_choose_salesperson(PG_FUNCTION_ARGS)
{
	HeapTupleHeader th = PG_GETARG_HEAPTUPLEHEADER(0);
	HeapTupleData tup;
	TupleDesc	desc;
	TupleDesc	result_desc;
	LeadFacts	f;
	Choice		c;
	AssignConfig *cfg;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext outer = CurrentMemoryContext;

	if (get_call_result_type(fcinfo, NULL, &result_desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "choose_salesperson() must return a record");
	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	tup.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tup.t_self);
	tup.t_tableOid = InvalidOid;
	tup.t_data = th;
	lead_facts(&tup, desc, &f);
	ReleaseTupleDesc(desc);
	if (f.tenant_id <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid tenant for a lead"),
				 errdetail("The lead has tenant_id %d.", f.tenant_id),
				 errhint("Pass a row of lead_crm.lead.")));
	cfg = assign_config(f.tenant_id);
	if (cfg->nrules == 0)
	{
		memset(&c, 0, sizeof(c));
		c.explanation = cfg->english
			? "not assigned: the tenant has no active assignment rule"
			: "chưa phân công: công ty chưa có quy tắc phân công nào đang bật";
	}
	else
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		choose(cfg, &f, outer, &c);
		SPI_finish();
	}
	values[0] = Int64GetDatum(c.salesperson_id);
	nulls[0] = c.salesperson_id == 0;
	values[1] = Int64GetDatum(c.team_id);
	nulls[1] = c.team_id == 0;
	values[2] = CStringGetTextDatum(c.explanation);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(result_desc), values, nulls)));
}

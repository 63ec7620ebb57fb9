/*
 * src/scoring.c - lead scoring glue: the per-tenant scoring cache (BANT
 * weights and levels, temperature thresholds, won/lost states, completeness
 * weights, win model settings), the per-row C functions behind
 * lead_crm.lead_scores (bant_points, temperature_of, completeness_of), the
 * explanations (bant_breakdown_of, completeness_breakdown_of) and the BEFORE
 * trigger that maps BANT labels to level codes and refuses bad answers.
 *
 * The cache is rebuilt when lc_config_generation() moves: scoring_settings,
 * bant_level, lead_field, custom_field, workflow_state and tenant carry
 * config_changed(); win models are re-read on their own signal (win_model.c).
 * Scoring a row runs no query.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "core/vn_text.h"
#include "lead_crm.h"
#include "scoring.h"

static const char *const criterion_names[LC_BANT_CRITERIA] = {"budget", "authority", "need", "timeline"};
static const char *const criterion_vi[LC_BANT_CRITERIA] = {"ngân sách", "thẩm quyền", "nhu cầu", "thời gian quyết định"};
static const char *const level_columns[LC_BANT_CRITERIA] = {"budget_level", "authority", "need_level", "timeline"};

/* what to ask when a criterion has no answer */
static const char *const ask_en[LC_BANT_CRITERIA] = {
	"ask about the budget", "ask who decides", "assess the need", "ask when they will decide"
};
static const char *const ask_vi[LC_BANT_CRITERIA] = {
	"hỏi khách về ngân sách", "hỏi ai là người quyết định", "đánh giá mức nhu cầu",
	"hỏi khi nào khách quyết định"
};

/* folded words that mean "unknown" in a level column */
static const char *const unknown_words[] = {
	"unknown", "chua ro", "khong ro", "khong xac dinh", "chua biet", "khong biet"
};

static MemoryContext scoring_context = NULL;
static HTAB *scoring_hash = NULL;
static uint64 scoring_generation = 0;

MemoryContext
lc_scoring_context(void)
{
	return scoring_context;
}

/* ---------------------------------------------------------------- cache */

static char *
cache_strdup(const char *s)
{
	return s ? MemoryContextStrdup(scoring_context, s) : NULL;
}

static char *
cache_fold(const char *s)
{
	char	   *out;

	if (s == NULL)
		return NULL;
	out = MemoryContextAlloc(scoring_context, lc_fold_bound(strlen(s)));
	lc_fold(s, strlen(s), out);
	return out;
}

static char *
spi_text(HeapTuple t, int n)
{
	return SPI_getvalue(t, SPI_tuptable->tupdesc, n);
}

static int
spi_int(HeapTuple t, int n, int if_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(t, SPI_tuptable->tupdesc, n, &isnull);

	return isnull ? if_null : DatumGetInt32(d);
}

static bool
spi_bool(HeapTuple t, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(t, SPI_tuptable->tupdesc, n, &isnull);

	return !isnull && DatumGetBool(d);
}

static void
spi_query(const char *sql, int32 tenant_id)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(tenant_id)};

	/* not read-only: see a tenant created earlier in this statement */
	if (SPI_execute_with_args(sql, 1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "lead_crm scoring query failed: %s", sql);
}

static int
criterion_index(const char *name)
{
	int			c;

	for (c = 0; c < LC_BANT_CRITERIA; c++)
		if (strcmp(name, criterion_names[c]) == 0)
			return c;
	return -1;
}

static void
load_settings(TenantScoring *ts, int32 tenant_id)
{
	HeapTuple	t;
	bool		isnull;
	Datum		d;
	int			c;

	/* a tenant whose row was deleted scores with the template's settings */
	spi_query("SELECT budget_weight, authority_weight, need_weight, timeline_weight,"
			  " hot_min_score, hot_within_days, warm_min_score, warm_within_days,"
			  " win_features, win_min_closed, win_smoothing"
			  " FROM lead_crm.scoring_settings WHERE tenant_id IN ($1, 0)"
			  " ORDER BY tenant_id DESC LIMIT 1", tenant_id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant %d has no scoring settings", tenant_id),
				 errdetail("Neither the tenant nor the template (tenant 0) has a row in lead_crm.scoring_settings."),
				 errhint("Add one: INSERT INTO lead_crm.scoring_settings (tenant_id) VALUES (%d);", tenant_id)));
	t = SPI_tuptable->vals[0];
	for (c = 0; c < LC_BANT_CRITERIA; c++)
		ts->weights[c] = spi_int(t, c + 1, 0);
	ts->rule.hot_min_score = spi_int(t, 5, 0);
	ts->rule.hot_within_days = spi_int(t, 6, 0);
	ts->rule.warm_min_score = spi_int(t, 7, 0);
	ts->rule.warm_within_days = spi_int(t, 8, 0);
	ts->win_features = 0;
	d = SPI_getbinval(t, SPI_tuptable->tupdesc, 9, &isnull);
	if (!isnull)
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i,
					f;

		deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		for (i = 0; i < n; i++)
			for (f = 0; !nulls[i] && f < WIN_FEATURES; f++)
				if (strcmp(TextDatumGetCString(elems[i]), lc_win_feature_names[f]) == 0)
					ts->win_features |= 1u << f;
	}
	ts->win_min_closed = spi_int(t, 10, 100);
	d = SPI_getbinval(t, SPI_tuptable->tupdesc, 11, &isnull);
	ts->win_smoothing = isnull ? 1.0 : DatumGetFloat8(d);
}

static void
load_levels(TenantScoring *ts, int32 tenant_id)
{
	uint64		i;
	int			c,
				counts[LC_BANT_CRITERIA] = {0, 0, 0, 0};

	spi_query("SELECT criterion, code, label_vi, label_en, points, min_amount, max_days"
			  " FROM lead_crm.bant_level WHERE tenant_id = $1"
			  " ORDER BY criterion, min_amount NULLS LAST, position, code", tenant_id);
	for (i = 0; i < SPI_processed; i++)
	{
		c = criterion_index(spi_text(SPI_tuptable->vals[i], 1));
		if (c >= 0)
			ts->nlevels[c]++;
	}
	for (c = 0; c < LC_BANT_CRITERIA; c++)
		ts->levels[c] = MemoryContextAllocZero(scoring_context, sizeof(BantLevel) * (ts->nlevels[c] + 1));
	ts->timeline_max_days = MemoryContextAllocZero(scoring_context,
												   sizeof(int) * (ts->nlevels[LC_BANT_TIMELINE] + 1));
	ts->budget_amount = MemoryContextAllocZero(scoring_context,
											   sizeof(int) * (ts->nlevels[LC_BANT_BUDGET] + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		BantLevel  *l;
		char	   *vi = spi_text(t, 3);
		char	   *en = spi_text(t, 4);
		bool		isnull;
		Datum		amount;

		c = criterion_index(spi_text(t, 1));
		if (c < 0)
			continue;			/* the CHECK constraint prevents it */
		l = &ts->levels[c][counts[c]];
		l->code = cache_strdup(spi_text(t, 2));
		l->label = cache_strdup(ts->english ? en : vi);
		l->code_fold = cache_fold(l->code);
		l->label_vi_fold = cache_fold(vi);
		l->label_en_fold = cache_fold(en);
		l->points = spi_int(t, 5, 0);
		l->max_days = spi_int(t, 7, -1);
		amount = SPI_getbinval(t, SPI_tuptable->tupdesc, 6, &isnull);
		if (!isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(scoring_context);

			l->min_amount = DatumGetNumericCopy(amount);
			MemoryContextSwitchTo(old);
			/* rows come ordered by min_amount: this list is ascending */
			ts->budget_amount[ts->nbudget_amount++] = counts[c];
		}
		if (c == LC_BANT_TIMELINE)
			ts->timeline_max_days[counts[c]] = l->max_days;
		counts[c]++;
	}
}

static void
load_outcomes(TenantScoring *ts, int32 tenant_id)
{
	uint64		i;

	spi_query("SELECT f.lifecycle, s.code, s.won"
			  " FROM lead_crm.tenant x"
			  " CROSS JOIN LATERAL (VALUES (false, x.status_workflow), (true, x.lifecycle_workflow)) f (lifecycle, workflow)"
			  " JOIN lead_crm.workflow_state s ON s.tenant_id = x.tenant_id AND s.workflow = f.workflow"
			  " WHERE x.tenant_id = $1 AND (s.won OR s.lost)", tenant_id);
	ts->noutcomes = (int) SPI_processed;
	ts->outcomes = MemoryContextAllocZero(scoring_context, sizeof(OutcomeState) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		OutcomeState *o = &ts->outcomes[i];

		o->lifecycle = spi_bool(t, 1);
		o->code = cache_strdup(spi_text(t, 2));
		o->codelen = strlen(o->code);
		o->outcome = spi_bool(t, 3) ? 1 : -1;
	}
}

static void
load_completeness(TenantScoring *ts, int32 tenant_id)
{
	uint64		i;

	spi_query(ts->english
			  ? "SELECT false, field::text, label_en, completeness_weight FROM lead_crm.lead_field"
			  " WHERE tenant_id = $1 AND completeness_weight > 0"
			  " UNION ALL"
			  " SELECT true, name, coalesce(label_en, label_vi, name), completeness_weight FROM lead_crm.custom_field"
			  " WHERE tenant_id = $1 AND completeness_weight > 0 ORDER BY 1, 2"
			  : "SELECT false, field::text, label_vi, completeness_weight FROM lead_crm.lead_field"
			  " WHERE tenant_id = $1 AND completeness_weight > 0"
			  " UNION ALL"
			  " SELECT true, name, coalesce(label_vi, label_en, name), completeness_weight FROM lead_crm.custom_field"
			  " WHERE tenant_id = $1 AND completeness_weight > 0 ORDER BY 1, 2",
			  tenant_id);
	ts->nfields = (int) SPI_processed;
	ts->fields = MemoryContextAllocZero(scoring_context, sizeof(CompletenessField) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		CompletenessField *f = &ts->fields[i];

		f->custom = spi_bool(t, 1);
		f->name = cache_strdup(spi_text(t, 2));
		f->label = cache_strdup(spi_text(t, 3));
		f->weight = spi_int(t, 4, 0);
	}
}

static void
load_tenant_scoring(TenantScoring *ts, int32 tenant_id)
{
	char	   *zone;

	spi_query("SELECT language = 'en', time_zone FROM lead_crm.tenant WHERE tenant_id = $1", tenant_id);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant %d does not exist", tenant_id),
				 errhint("Create it with SELECT lead_crm.create_tenant(%d, 'name');", tenant_id)));
	ts->tenant_id = tenant_id;
	ts->english = spi_bool(SPI_tuptable->vals[0], 1);
	zone = spi_text(SPI_tuptable->vals[0], 2);
	ts->tz = zone ? pg_tzset(zone) : NULL;
	if (ts->tz == NULL)
		ts->tz = session_timezone;
	load_settings(ts, tenant_id);
	load_levels(ts, tenant_id);
	load_outcomes(ts, tenant_id);
	load_completeness(ts, tenant_id);
}

static void
reset_cache_if_stale(void)
{
	uint64		gen = lc_config_generation();
	HASHCTL		ctl;

	if (scoring_hash && gen == scoring_generation)
		return;
	if (scoring_context == NULL)
		scoring_context = AllocSetContextCreate(CacheMemoryContext, "lead_crm scoring",
												ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(scoring_context);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int32);
	ctl.entrysize = sizeof(TenantScoring);
	ctl.hcxt = scoring_context;
	scoring_hash = hash_create("lead_crm scoring", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	scoring_generation = gen;
}

/* The scoring configuration of an existing tenant, loaded on first use. */
TenantScoring *
lc_tenant_scoring(int32 tenant_id)
{
	TenantScoring *ts;
	TenantScoring loaded;

	reset_cache_if_stale();
	ts = hash_search(scoring_hash, &tenant_id, HASH_FIND, NULL);
	if (ts)
		return ts;
	memset(&loaded, 0, sizeof(loaded));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	load_tenant_scoring(&loaded, tenant_id);
	SPI_finish();
	ts = hash_search(scoring_hash, &tenant_id, HASH_ENTER, NULL);
	*ts = loaded;
	return ts;
}

/* ---------------------------------------------------------------- outcomes */

static bool
text_is(text *t, const char *s, int len)
{
	return VARSIZE_ANY_EXHDR(t) == (Size) len && memcmp(VARDATA_ANY(t), s, len) == 0;
}

int
lc_lead_outcome(const TenantScoring *ts, text *status, text *lifecycle)
{
	int			i;
	int			outcome = 0;

	for (i = 0; i < ts->noutcomes; i++)
	{
		const OutcomeState *o = &ts->outcomes[i];
		text	   *v = o->lifecycle ? lifecycle : status;

		if (v && text_is(v, o->code, o->codelen))
		{
			if (o->outcome > 0)
				return 1;
			outcome = -1;
		}
	}
	return outcome;
}

/* lead_outcome(tenant, status, lifecycle): 'won', 'lost' or NULL (open; and while restoring) */
PG_FUNCTION_INFO_V1(lc_lead_outcome_sql);
Datum
lc_lead_outcome_sql(PG_FUNCTION_ARGS)
{
	TenantScoring *ts;
	int			outcome;

	/* in a trigger's WHEN during a restore the tenant may not be loaded yet */
	if (PG_ARGISNULL(0) || lc_restoring())
		PG_RETURN_NULL();
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	outcome = lc_lead_outcome(ts, PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
							  PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2));
	if (outcome == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(outcome > 0 ? "won" : "lost"));
}

/* ---------------------------------------------------------------- BANT */

/* how a criterion's answer was found */
typedef enum AnswerKind
{
	ANSWER_NONE,				/* nothing given */
	ANSWER_UNKNOWN,				/* "unknown" given */
	ANSWER_LEVEL,				/* a level code */
	ANSWER_AMOUNT,				/* budget level from the amount */
	ANSWER_DATE,				/* timeline level from the decision date */
	ANSWER_DATE_PASSED,			/* the decision date is in the past */
	ANSWER_DATE_TOO_FAR,		/* no timeline level reaches the date */
	ANSWER_AMOUNT_NO_LEVEL,		/* no budget level takes the amount */
	ANSWER_UNDEFINED			/* a value that is not (any more) a level */
} AnswerKind;

typedef struct BantAnswer
{
	AnswerKind	kind;
	int			level;			/* index into ts->levels[c], or -1 */
	int			points;			/* level points, or LC_BANT_UNKNOWN */
	int64		days_until;		/* ANSWER_DATE*: days from today to the decision date */
} BantAnswer;

typedef struct BantInput
{
	Numeric		amount;			/* NULL when not given */
	text	   *level[LC_BANT_CRITERIA];	/* level columns, NULL when not given */
	bool		has_date;
	DateADT		decision_date;
	TimestampTz as_of;
} BantInput;

static bool
is_blank(const char *s, int len)
{
	int			i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) s[i]))
			return false;
	return true;
}

static bool
is_unknown_word(const char *folded)
{
	int			i;

	for (i = 0; i < (int) lengthof(unknown_words); i++)
		if (strcmp(folded, unknown_words[i]) == 0)
			return true;
	return false;
}

/*
 * The level a value names: its code (exact), or with by_label its code or a
 * label in any case and with or without diacritics. -1: "unknown" (or a
 * word meaning it), -2: not a level.
 */
static int
find_level(const TenantScoring *ts, int c, const char *s, int len, bool by_label)
{
	int			i;
	char	   *folded;

	for (i = 0; i < ts->nlevels[c]; i++)
		if ((int) strlen(ts->levels[c][i].code) == len && memcmp(ts->levels[c][i].code, s, len) == 0)
			return i;
	if (len == 7 && memcmp(s, "unknown", 7) == 0)
		return -1;
	if (!by_label)
		return -2;
	folded = palloc(lc_fold_bound(len));
	lc_fold(s, len, folded);
	if (is_unknown_word(folded))
		return -1;
	for (i = 0; i < ts->nlevels[c]; i++)
	{
		const BantLevel *l = &ts->levels[c][i];

		if (strcmp(folded, l->code_fold) == 0 || strcmp(folded, l->label_vi_fold) == 0 ||
			strcmp(folded, l->label_en_fold) == 0)
			return i;
	}
	return -2;
}

/* the calendar date of t in a time zone, as days since 2000-01-01 */
static int64
local_date(pg_tz *tz, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;

	if (TIMESTAMP_IS_NOBEGIN(t))
		return PG_INT32_MIN;
	if (TIMESTAMP_IS_NOEND(t))
		return PG_INT32_MAX;
	if (timestamp2tm(t, &offset, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

/* the tenant's date at as_of (the same for every row of a query, so kept) */
static int64
tenant_today(TenantScoring *ts, TimestampTz as_of)
{
	if (!ts->today_valid || ts->today_as_of != as_of)
	{
		ts->today = local_date(ts->tz, as_of);
		ts->today_as_of = as_of;
		ts->today_valid = true;
	}
	return ts->today;
}

static void
answer_criterion(TenantScoring *ts, int c, const BantInput *in, BantAnswer *a)
{
	text	   *v = in->level[c];

	a->kind = ANSWER_NONE;
	a->level = -1;
	a->points = LC_BANT_UNKNOWN;
	a->days_until = 0;

	/* an explicit level answers; the timeline date is more precise than its bucket */
	if (c == LC_BANT_TIMELINE && in->has_date)
	{
		int			k;

		a->days_until = (int64) in->decision_date - tenant_today(ts, in->as_of);
		k = lc_timeline_level(a->days_until, ts->timeline_max_days, ts->nlevels[c]);
		if (k == LC_TIMELINE_PASSED)
			a->kind = ANSWER_DATE_PASSED;
		else if (k == LC_TIMELINE_NONE)
			a->kind = ANSWER_DATE_TOO_FAR;
		else
		{
			a->kind = ANSWER_DATE;
			a->level = k;
		}
	}
	else if (v && !is_blank(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)))
	{
		int			k = find_level(ts, c, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), true);

		if (k == -1)
			a->kind = ANSWER_UNKNOWN;
		else if (k == -2)
			a->kind = ANSWER_UNDEFINED;
		else
		{
			a->kind = ANSWER_LEVEL;
			a->level = k;
		}
	}
	else if (c == LC_BANT_BUDGET && in->amount && !numeric_is_nan(in->amount))
	{
		int			k;

		/* the level with the greatest min_amount the amount reaches */
		a->kind = ANSWER_AMOUNT_NO_LEVEL;
		for (k = 0; k < ts->nbudget_amount; k++)
		{
			const BantLevel *l = &ts->levels[c][ts->budget_amount[k]];

			if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(in->amount),
												  NumericGetDatum(l->min_amount))) >= 0)
			{
				a->kind = ANSWER_AMOUNT;
				a->level = ts->budget_amount[k];
			}
		}
	}
	if (a->level >= 0)
		a->points = ts->levels[c][a->level].points;
}

/* answers and score of one lead */
static void
score_bant(TenantScoring *ts, const BantInput *in, BantAnswer answers[LC_BANT_CRITERIA],
		   int parts[LC_BANT_CRITERIA], int *score)
{
	int			points[LC_BANT_CRITERIA];
	int			c;
	LcScoreStatus st;

	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		answer_criterion(ts, c, in, &answers[c]);
		points[c] = answers[c].points;
	}
	st = lc_bant_score(ts->weights, points, parts, score);
	if (st != LC_SCORE_OK)
	{
		int			sum;

		lc_bant_check_weights(ts->weights, &sum);
		/* the settings trigger prevents it; a restore with triggers off could not */
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("BANT settings of tenant %d are invalid", ts->tenant_id),
				 errdetail("Weights add up to %d (budget %d, authority %d, need %d, timeline %d); level points must be 0..100.",
						   sum, ts->weights[0], ts->weights[1], ts->weights[2], ts->weights[3]),
				 errhint("Fix them: UPDATE lead_crm.scoring_settings SET budget_weight = ..., authority_weight = ..., need_weight = ..., timeline_weight = ... WHERE tenant_id = %d;",
						 ts->tenant_id)));
	}
}

/* reads BANT arguments starting at argument `first`: amount, 4 levels, date, as_of */
static void
bant_input(FunctionCallInfo fcinfo, int first, BantInput *in)
{
	int			c;

	in->amount = PG_ARGISNULL(first) ? NULL : PG_GETARG_NUMERIC(first);
	for (c = 0; c < LC_BANT_CRITERIA; c++)
		in->level[c] = PG_ARGISNULL(first + 1 + c) ? NULL : PG_GETARG_TEXT_PP(first + 1 + c);
	in->has_date = !PG_ARGISNULL(first + 5);
	in->decision_date = in->has_date ? PG_GETARG_DATEADT(first + 5) : 0;
	in->as_of = PG_ARGISNULL(first + 6) ? GetCurrentTransactionStartTimestamp()
		: PG_GETARG_TIMESTAMPTZ(first + 6);
}

/*
 * bant_points(tenant, budget_amount, budget_level, authority, need_level,
 * timeline, decision_date, as_of): the BANT score 0..100 of those answers
 */
PG_FUNCTION_INFO_V1(lc_bant_points);
Datum
lc_bant_points(PG_FUNCTION_ARGS)
{
	TenantScoring *ts;
	BantInput	in;
	BantAnswer	answers[LC_BANT_CRITERIA];
	int			parts[LC_BANT_CRITERIA];
	int			score;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	bant_input(fcinfo, 1, &in);
	score_bant(ts, &in, answers, parts, &score);
	PG_RETURN_INT32(score);
}

static char *
iso_date(int64 days)
{
	int			y,
				m,
				d;

	if (days <= PG_INT32_MIN || days >= PG_INT32_MAX)
		return pstrdup(days < 0 ? "-infinity" : "infinity");
	j2date((int) days + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return psprintf("%04d-%02d-%02d", y, m, d);
}

/* a value for a message, cut at 60 bytes on a character boundary */
static char *
clip(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len <= 60)
		return pnstrdup(s, len);
	return psprintf("%s...", pnstrdup(s, pg_mbcliplen(s, len, 57)));
}

/* "Người quyết định (decision_maker): 100% of 25 points" */
static void
describe_level(StringInfo s, const TenantScoring *ts, int c, int level)
{
	const BantLevel *l = &ts->levels[c][level];

	appendStringInfo(s, ts->english ? "%s (%s): %d%% of %d points" : "%s (%s): %d%% của %d điểm",
					 l->label, l->code, l->points, ts->weights[c]);
}

static char *
explain(const TenantScoring *ts, int c, const BantInput *in, const BantAnswer *a, text *need)
{
	StringInfoData s;
	bool		en = ts->english;

	initStringInfo(&s);
	switch (a->kind)
	{
		case ANSWER_NONE:
			if (c == LC_BANT_NEED && need && !is_blank(VARDATA_ANY(need), VARSIZE_ANY_EXHDR(need)))
				appendStringInfo(&s, en ? "the need is described (\"%s\") but its level is not assessed: set need_level"
								 : "đã mô tả nhu cầu (\"%s\") nhưng chưa đánh giá mức độ: điền need_level",
								 clip(need));
			else
				appendStringInfo(&s, en ? "not answered: %s" : "chưa có câu trả lời: %s",
								 en ? ask_en[c] : ask_vi[c]);
			break;
		case ANSWER_UNKNOWN:
			appendStringInfo(&s, en ? "answered unknown: %s" : "trả lời chưa rõ: %s",
							 en ? ask_en[c] : ask_vi[c]);
			break;
		case ANSWER_LEVEL:
			describe_level(&s, ts, c, a->level);
			break;
		case ANSWER_AMOUNT:
			appendStringInfo(&s, en ? "amount %s is at least %s: " : "số tiền %s từ %s trở lên: ",
							 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(in->amount))),
							 DatumGetCString(DirectFunctionCall1(numeric_out,
																 NumericGetDatum(ts->levels[c][a->level].min_amount))));
			describe_level(&s, ts, c, a->level);
			break;
		case ANSWER_AMOUNT_NO_LEVEL:
			appendStringInfo(&s, en ? "amount %s is below every budget level: %s" : "số tiền %s thấp hơn mọi mức ngân sách: %s",
							 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(in->amount))),
							 en ? ask_en[c] : ask_vi[c]);
			break;
		case ANSWER_DATE:
			appendStringInfo(&s, en ? "decision expected on %s, in %lld days: " : "dự kiến quyết định ngày %s, còn %lld ngày: ",
							 iso_date(in->decision_date), (long long) a->days_until);
			describe_level(&s, ts, c, a->level);
			break;
		case ANSWER_DATE_PASSED:
			appendStringInfo(&s, en ? "the expected decision date %s has passed: ask again"
							 : "ngày quyết định dự kiến %s đã qua: hỏi lại khách",
							 iso_date(in->decision_date));
			break;
		case ANSWER_DATE_TOO_FAR:
			appendStringInfo(&s, en ? "decision expected on %s, further away than every timeline level"
							 : "dự kiến quyết định ngày %s, xa hơn mọi mức thời gian",
							 iso_date(in->decision_date));
			break;
		case ANSWER_UNDEFINED:
			appendStringInfo(&s, en ? "\"%s\" is not a level of %s: choose one in lead_crm.bant_level"
							 : "\"%s\" không phải là một mức của %s: chọn một mức trong lead_crm.bant_level",
							 clip(in->level[c]), en ? criterion_names[c] : criterion_vi[c]);
			break;
	}
	return s.data;
}

/*
 * bant_breakdown_of(tenant, budget_amount, budget_level, authority,
 * need_level, timeline, decision_date, as_of, need): one row per criterion
 */
PG_FUNCTION_INFO_V1(lc_bant_breakdown_of);
Datum
lc_bant_breakdown_of(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TenantScoring *ts;
	BantInput	in;
	BantAnswer	answers[LC_BANT_CRITERIA];
	int			parts[LC_BANT_CRITERIA];
	int			score;
	int			c;
	text	   *need;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	bant_input(fcinfo, 1, &in);
	need = PG_ARGISNULL(8) ? NULL : PG_GETARG_TEXT_PP(8);
	score_bant(ts, &in, answers, parts, &score);
	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};
		const BantAnswer *a = &answers[c];

		values[0] = CStringGetTextDatum(criterion_names[c]);
		if (a->level >= 0)
		{
			values[1] = CStringGetTextDatum(ts->levels[c][a->level].code);
			values[2] = CStringGetTextDatum(ts->levels[c][a->level].label);
		}
		else if (a->kind == ANSWER_UNKNOWN)
		{
			values[1] = CStringGetTextDatum("unknown");
			values[2] = CStringGetTextDatum(ts->english ? "Unknown" : "Chưa rõ");
		}
		else
			nulls[1] = nulls[2] = true;
		values[3] = NumericGetDatum(int64_div_fast_to_numeric(parts[c], 2));
		values[4] = Int32GetDatum(ts->weights[c]);
		values[5] = BoolGetDatum(a->level < 0);
		values[6] = CStringGetTextDatum(explain(ts, c, &in, a, need));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- temperature */

/*
 * temperature_of(tenant, budget_amount, budget_level, authority, need_level,
 * timeline, decision_date, as_of, last_activity_at, status, lifecycle):
 * hot, warm or cold. A lost lead is cold.
 */
PG_FUNCTION_INFO_V1(lc_temperature_of);
Datum
lc_temperature_of(PG_FUNCTION_ARGS)
{
	static const char *const names[3] = {"cold", "warm", "hot"};
	TenantScoring *ts;
	BantInput	in;
	BantAnswer	answers[LC_BANT_CRITERIA];
	int			parts[LC_BANT_CRITERIA];
	int			score;
	double		days = 0;
	bool		contacted = !PG_ARGISNULL(8);
	LcTemperature t;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	if (lc_lead_outcome(ts, PG_ARGISNULL(9) ? NULL : PG_GETARG_TEXT_PP(9),
						PG_ARGISNULL(10) ? NULL : PG_GETARG_TEXT_PP(10)) < 0)
		PG_RETURN_TEXT_P(cstring_to_text(names[LC_COLD]));
	bant_input(fcinfo, 1, &in);
	score_bant(ts, &in, answers, parts, &score);
	/* calendar days in the tenant's time zone: "called 14 days ago", whatever the hour */
	if (contacted)
		days = (double) (tenant_today(ts, in.as_of) - local_date(ts->tz, PG_GETARG_TIMESTAMPTZ(8)));
	t = lc_temperature(score, contacted, days, &ts->rule);
	PG_RETURN_TEXT_P(cstring_to_text(names[t]));
}

/* ---------------------------------------------------------------- completeness */

/* column numbers of the weighted fields in the row type of this lead row */
static void
resolve_fields(TenantScoring *ts, TupleDesc desc, uint64 rowtype_id)
{
	int			i,
				k;

	if (ts->fields_rowtype == rowtype_id && rowtype_id != 0)
		return;
	ts->tenant_attnum = ts->custom_attnum = 0;
	for (k = 0; k < desc->natts; k++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, k);

		if (att->attisdropped)
			continue;
		if (strcmp(NameStr(att->attname), "tenant_id") == 0)
			ts->tenant_attnum = k + 1;
		else if (strcmp(NameStr(att->attname), "custom") == 0 && att->atttypid == JSONBOID)
			ts->custom_attnum = k + 1;
	}
	for (i = 0; i < ts->nfields; i++)
	{
		CompletenessField *f = &ts->fields[i];

		f->attnum = 0;
		for (k = 0; !f->custom && k < desc->natts; k++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, k);

			if (!att->attisdropped && strcmp(NameStr(att->attname), f->name) == 0)
			{
				f->attnum = k + 1;
				f->atttypid = att->atttypid;
			}
		}
	}
	ts->fields_rowtype = rowtype_id;
}

typedef struct LeadRowValues
{
	TenantScoring *ts;
	Datum	   *values;
	bool	   *nulls;
	Jsonb	   *custom;
} LeadRowValues;

/* deforms a lead row and finds its tenant's scoring; false when it has no tenant */
static bool
lead_row(HeapTupleHeader rec, LeadRowValues *row)
{
	Oid			type = HeapTupleHeaderGetTypeId(rec);
	int32		typmod = HeapTupleHeaderGetTypMod(rec);
	TupleDesc	desc = lookup_rowtype_tupdesc(type, typmod);
	TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_TUPDESC);
	HeapTupleData tuple;
	static uint64 tenant_rowtype = 0;
	static AttrNumber tenant_attnum = 0;
	int			k;

	tuple.t_len = HeapTupleHeaderGetDatumLength(rec);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = rec;
	row->values = palloc(sizeof(Datum) * desc->natts);
	row->nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(&tuple, desc, row->values, row->nulls);

	if (tenant_rowtype == 0 || tenant_rowtype != tc->tupDesc_identifier)
	{
		tenant_attnum = 0;
		for (k = 0; k < desc->natts; k++)
			if (!TupleDescAttr(desc, k)->attisdropped &&
				strcmp(NameStr(TupleDescAttr(desc, k)->attname), "tenant_id") == 0)
				tenant_attnum = k + 1;
		tenant_rowtype = tc->tupDesc_identifier;
	}
	if (tenant_attnum == 0 || row->nulls[tenant_attnum - 1])
	{
		ReleaseTupleDesc(desc);
		return false;
	}
	row->ts = lc_tenant_scoring(DatumGetInt32(row->values[tenant_attnum - 1]));
	resolve_fields(row->ts, desc, tc->tupDesc_identifier);
	row->custom = (row->ts->custom_attnum && !row->nulls[row->ts->custom_attnum - 1])
		? DatumGetJsonbP(row->values[row->ts->custom_attnum - 1]) : NULL;
	ReleaseTupleDesc(desc);
	return true;
}

static bool
field_filled(const LeadRowValues *row, const CompletenessField *f)
{
	if (f->custom)
		return !lc_custom_value_missing(row->custom, f->name);
	if (f->attnum == 0)
		return false;
	return !lc_value_missing(row->values[f->attnum - 1], row->nulls[f->attnum - 1], f->atttypid);
}

/* completeness_of(lead): weight of the filled fields in percent; NULL when nothing is weighted */
PG_FUNCTION_INFO_V1(lc_completeness_of);
Datum
lc_completeness_of(PG_FUNCTION_ARGS)
{
	LeadRowValues row;
	int		   *weights;
	unsigned char *filled;
	int			i,
				n = 0,
				pct;

	if (!lead_row(PG_GETARG_HEAPTUPLEHEADER(0), &row))
		PG_RETURN_NULL();
	weights = palloc(sizeof(int) * (row.ts->nfields + 1));
	filled = palloc(row.ts->nfields + 1);
	for (i = 0; i < row.ts->nfields; i++)
	{
		const CompletenessField *f = &row.ts->fields[i];

		if (!f->custom && f->attnum == 0)
			continue;			/* names a column the row does not have: not counted */
		weights[n] = f->weight;
		filled[n++] = field_filled(&row, f);
	}
	pct = lc_completeness(weights, filled, n);
	if (pct < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(pct);
}

/* completeness_breakdown_of(lead): (field, label, weight, filled) of every weighted field */
PG_FUNCTION_INFO_V1(lc_completeness_breakdown_of);
Datum
lc_completeness_breakdown_of(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LeadRowValues row;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (!lead_row(PG_GETARG_HEAPTUPLEHEADER(0), &row))
		return (Datum) 0;
	for (i = 0; i < row.ts->nfields; i++)
	{
		const CompletenessField *f = &row.ts->fields[i];
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if (!f->custom && f->attnum == 0)
			continue;
		values[0] = CStringGetTextDatum(f->custom ? psprintf("custom.%s", f->name) : f->name);
		values[1] = CStringGetTextDatum(f->label ? f->label : f->name);
		values[2] = Int32GetDatum(f->weight);
		values[3] = BoolGetDatum(field_filled(&row, f));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- BANT trigger */

static struct
{
	Oid			relid;
	AttrNumber	tenant_id;
	AttrNumber	id;
	AttrNumber	amount;
	AttrNumber	level[LC_BANT_CRITERIA];
}			bant_cols;

static AttrNumber
column_of(TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	if (attnum <= 0)
		elog(ERROR, "lead_crm.lead has no column \"%s\"", name);
	return attnum;
}

static bool
column_is(TupleDesc desc, AttrNumber attnum, const char *name)
{
	return attnum > 0 && attnum <= desc->natts &&
		strcmp(NameStr(TupleDescAttr(desc, attnum - 1)->attname), name) == 0;
}

/* looks the columns up once per relation; ALTER TABLE can drop and re-add one, so recheck names */
static void
lookup_bant_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			c;
	bool		valid = bant_cols.relid == RelationGetRelid(rel) &&
		column_is(desc, bant_cols.tenant_id, "tenant_id") && column_is(desc, bant_cols.id, "id") &&
		column_is(desc, bant_cols.amount, "budget_amount");

	for (c = 0; valid && c < LC_BANT_CRITERIA; c++)
		valid = column_is(desc, bant_cols.level[c], level_columns[c]);
	if (valid)
		return;
	bant_cols.tenant_id = column_of(desc, "tenant_id");
	bant_cols.id = column_of(desc, "id");
	bant_cols.amount = column_of(desc, "budget_amount");
	for (c = 0; c < LC_BANT_CRITERIA; c++)
		bant_cols.level[c] = column_of(desc, level_columns[c]);
	bant_cols.relid = RelationGetRelid(rel);
}

static char *
level_list(const TenantScoring *ts, int c)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < ts->nlevels[c]; i++)
		appendStringInfo(&s, "%s (%s), ", ts->levels[c][i].code, ts->levels[c][i].label);
	appendStringInfoString(&s, "unknown");
	return s.data;
}

/*
 * lead_bant_check(): BEFORE INSERT OR UPDATE row trigger on lead. Level
 * columns take a code, a label (any case, with or without diacritics) or
 * "unknown"; labels are stored as codes. A negative, NaN or infinite budget
 * is refused.
 */
PG_FUNCTION_INFO_V1(lc_lead_bant_check);
Datum
lc_lead_bant_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	newtup;
	TenantScoring *ts;
	bool		isnull;
	int64		lead_id;
	int			c;
	int			ncols = 0;
	int			cols[LC_BANT_CRITERIA];
	Datum		values[LC_BANT_CRITERIA];
	bool		nulls[LC_BANT_CRITERIA];
	Datum		d;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || TRIGGER_FIRED_BY_DELETE(td->tg_event))
		elog(ERROR, "lead_bant_check() must be a BEFORE INSERT OR UPDATE row trigger");
	newtup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	if (lc_restoring())
		return PointerGetDatum(newtup);

	desc = RelationGetDescr(td->tg_relation);
	lookup_bant_columns(td->tg_relation);
	d = heap_getattr(newtup, bant_cols.tenant_id, desc, &isnull);
	if (isnull)
		return PointerGetDatum(newtup);
	ts = lc_tenant_scoring(DatumGetInt32(d));
	lead_id = DatumGetInt64(heap_getattr(newtup, bant_cols.id, desc, &isnull));

	d = heap_getattr(newtup, bant_cols.amount, desc, &isnull);
	if (!isnull)
	{
		Numeric		amount = DatumGetNumeric(d);
		char	   *shown = DatumGetCString(DirectFunctionCall1(numeric_out, d));

		if (numeric_is_nan(amount) || numeric_is_inf(amount))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("budget must be a finite amount"),
					 errdetail("Lead %lld has budget_amount %s.", (long long) lead_id, shown),
					 errhint("Give the budget in the tenant's currency, or leave budget_amount empty when it is not known.")));
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, d,
											  NumericGetDatum(int64_to_numeric(0)))) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("budget cannot be negative"),
					 errdetail("Lead %lld has budget_amount %s.", (long long) lead_id, shown),
					 errhint("Give the budget as an amount of 0 or more in the tenant's currency, or leave budget_amount empty when it is not known.")));
	}

	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		text	   *v;
		int			k;

		d = heap_getattr(newtup, bant_cols.level[c], desc, &isnull);
		if (isnull)
			continue;
		v = DatumGetTextPP(d);
		if (is_blank(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)))
			continue;			/* empty is no answer, kept as typed */
		k = find_level(ts, c, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), false);
		if (k != -2)
			continue;			/* already a code, or "unknown" */
		k = find_level(ts, c, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), true);
		if (k == -2)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown %s level \"%s\"", criterion_names[c], clip(v)),
					 errdetail("Lead %lld: %s takes a level of lead_crm.bant_level (criterion %s) of tenant %d.",
							   (long long) lead_id, level_columns[c], criterion_names[c], ts->tenant_id),
					 errhint("Use one of: %s; or add a level: INSERT INTO lead_crm.bant_level (criterion, code, label_vi, label_en, points) VALUES ('%s', ...);",
							 level_list(ts, c), criterion_names[c])));
		cols[ncols] = bant_cols.level[c];
		values[ncols] = CStringGetTextDatum(k == -1 ? "unknown" : ts->levels[c][k].code);
		nulls[ncols++] = false;
	}
	if (ncols > 0)
		newtup = heap_modify_tuple_by_cols(newtup, desc, ncols, cols, values, nulls);
	return PointerGetDatum(newtup);
}

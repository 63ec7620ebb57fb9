/*
 * src/win_model.c - the win probability of a lead: a naive Bayes model over
 * the tenant's closed (won or lost) leads, Laplace-smoothed, kept as counts
 * in lead_crm.win_model_count.
 *
 * Learning is incremental: AFTER row triggers on lead (their WHEN clause
 * calls lead_outcome(), so open leads cost one cached lookup) buffer the
 * changes a closed lead brings to the counts - +1 per feature value when a
 * lead is closed, -1 when it is reopened, deleted, or a closed lead's value
 * changes - and the AFTER statement trigger inserts them, summed, as delta
 * rows. Delta rows are only ever inserted, so concurrent closes never wait
 * for each other; refresh_win_model() recounts from the leads and compacts.
 * The buffer follows the (sub)transaction nesting as src/history.c does.
 *
 * The model is read per backend and tenant into the scoring cache (scoring.c)
 * and read again after the counts change (model_relcache_callback below).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "lead_crm.h"
#include "scoring.h"

#define F_SOURCE		0
#define F_CAMPAIGN		1
#define F_PROVINCE		2
#define F_INDUSTRY		3
#define F_KIND			4
#define F_HAS_EMAIL		5
#define F_HAS_COMPANY	6
#define F_SALESPERSON	7
#define F_TAGS			8
#define F_TOTAL			WIN_FEATURES	/* pseudo-feature: the class totals */

const char *const lc_win_feature_names[WIN_FEATURES] = {
	"source", "campaign", "province", "industry", "kind", "has_email", "has_company",
	"salesperson", "tags"
};

#define TOTAL_NAME "total"
#define BUFFER_FLUSH_ENTRIES 50000

/* the lead values the features come from (NULL: not given) */
typedef struct FeatureInput
{
	text	   *source;
	text	   *campaign;
	text	   *province;		/* province_canon */
	text	   *industry;
	text	   *kind;
	text	   *email_key;		/* a valid e-mail address */
	text	   *company_name;
	bool		has_salesperson;
	int64		salesperson_id;
	ArrayType  *tags;
} FeatureInput;

/* one feature value of a lead */
typedef struct FeatureValue
{
	int			feature;
	const char *value;
	int			len;
} FeatureValue;

typedef struct WinValue
{
	char	   *value;
	int			len;
	int64		won;
	int64		lost;
	double		log_odds;
} WinValue;

struct WinModel
{
	MemoryContext cxt;			/* holds the model; a child of the scoring cache */
	uint64		generation;		/* model_generation when read */
	int64		won;
	int64		lost;
	bool		ready;
	char	   *reason;			/* why not ready, in the tenant's language */
	double		prior;
	int			nvalues[WIN_FEATURES];
	WinValue   *values[WIN_FEATURES];
};

/* ---------------------------------------------------------------- features */

static bool
blank(text *t)
{
	const char *p;
	int			i,
				len;

	if (t == NULL)
		return true;
	p = VARDATA_ANY(t);
	len = VARSIZE_ANY_EXHDR(t);
	for (i = 0; i < len; i++)
		if (!isspace((unsigned char) p[i]))
			return false;
	return true;
}

/*
 * The feature values of one lead: on the stack for the common case (the
 * per-row functions run a million times in lead_scores), in palloc'd memory
 * when a lead has many tags.
 */
#define FEATURES_INLINE 24

typedef struct FeatureList
{
	int			n;
	int			cap;
	FeatureValue *v;
	FeatureValue inline_values[FEATURES_INLINE];
	char		salesperson[MAXINT8LEN + 1];
} FeatureList;

static void
add_value(FeatureList *out, int feature, const char *value, int len)
{
	if (out->n == out->cap)
	{
		FeatureValue *more = palloc(sizeof(FeatureValue) * out->cap * 2);

		memcpy(more, out->v, sizeof(FeatureValue) * out->n);
		out->v = more;
		out->cap *= 2;
	}
	out->v[out->n].feature = feature;
	out->v[out->n].value = value;
	out->v[out->n].len = len;
	out->n++;
}

static void
add_text(FeatureList *out, int feature, text *t)
{
	if (blank(t))
		add_value(out, feature, "", 0);
	else
		add_value(out, feature, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/*
 * The feature values of a lead, the class total first: one value per
 * single-valued feature ("" when missing), one per distinct tag. Values
 * point into the input (or into out).
 */
static void
lead_features(const FeatureInput *in, FeatureList *out)
{
	out->n = 0;
	out->cap = FEATURES_INLINE;
	out->v = out->inline_values;
	add_value(out, F_TOTAL, "", 0);
	add_text(out, F_SOURCE, in->source);
	add_text(out, F_CAMPAIGN, in->campaign);
	add_text(out, F_PROVINCE, in->province);
	add_text(out, F_INDUSTRY, in->industry);
	add_text(out, F_KIND, in->kind);
	add_value(out, F_HAS_EMAIL, in->email_key ? "yes" : "no", in->email_key ? 3 : 2);
	add_value(out, F_HAS_COMPANY, blank(in->company_name) ? "no" : "yes", blank(in->company_name) ? 2 : 3);
	if (in->has_salesperson)
		add_value(out, F_SALESPERSON, out->salesperson, pg_lltoa(in->salesperson_id, out->salesperson));
	else
		add_value(out, F_SALESPERSON, "", 0);
	if (in->tags && ArrayGetNItems(ARR_NDIM(in->tags), ARR_DIMS(in->tags)) > 0)
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n,
					i,
					k;

		deconstruct_array(in->tags, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (i = 0; i < n; i++)
		{
			text	   *t = nulls[i] ? NULL : DatumGetTextPP(elems[i]);
			bool		seen = false;

			if (blank(t))
				continue;
			for (k = out->n - 1; k >= 0 && out->v[k].feature == F_TAGS && !seen; k--)
				seen = out->v[k].len == (int) VARSIZE_ANY_EXHDR(t) &&
					memcmp(out->v[k].value, VARDATA_ANY(t), out->v[k].len) == 0;
			if (!seen)
				add_value(out, F_TAGS, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	}
}

static const char *
feature_name(int f)
{
	return f == F_TOTAL ? TOTAL_NAME : lc_win_feature_names[f];
}

static int
feature_index(const char *name)
{
	int			f;

	if (strcmp(name, TOTAL_NAME) == 0)
		return F_TOTAL;
	for (f = 0; f < WIN_FEATURES; f++)
		if (strcmp(name, lc_win_feature_names[f]) == 0)
			return f;
	return -1;
}

/* feature inputs from SQL arguments starting at `first` */
static void
feature_args(FunctionCallInfo fcinfo, int first, FeatureInput *in)
{
	text	  **texts[7] = {&in->source, &in->campaign, &in->province, &in->industry, &in->kind,
	&in->email_key, &in->company_name};
	int			i;

	for (i = 0; i < 7; i++)
		*texts[i] = PG_ARGISNULL(first + i) ? NULL : PG_GETARG_TEXT_PP(first + i);
	in->has_salesperson = !PG_ARGISNULL(first + 7);
	in->salesperson_id = in->has_salesperson ? PG_GETARG_INT64(first + 7) : 0;
	in->tags = PG_ARGISNULL(first + 8) ? NULL : PG_GETARG_ARRAYTYPE_P(first + 8);
}

/*
 * win_features(source, campaign, province_canon, industry, kind, email_key,
 * company_name, salesperson_id, tags): (feature, value) rows a closed lead
 * adds to the counts; refresh_win_model() and the triggers use the same code.
 * Value per call, so that refresh_win_model() calls it in a target list
 * without a tuplestore per lead.
 */
typedef struct FeatureRows
{
	int			n;
	Datum	   *feature;
	Datum	   *value;
} FeatureRows;

PG_FUNCTION_INFO_V1(lc_win_features);
Datum
lc_win_features(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;
	FeatureRows *rows;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;
		FeatureInput in;
		FeatureList list;
		int			i;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "win_features() must return a record");
		fctx->tuple_desc = BlessTupleDesc(desc);
		feature_args(fcinfo, 0, &in);
		lead_features(&in, &list);
		rows = palloc(sizeof(FeatureRows));
		rows->n = list.n;
		rows->feature = palloc(sizeof(Datum) * list.n);
		rows->value = palloc(sizeof(Datum) * list.n);
		for (i = 0; i < list.n; i++)
		{
			rows->feature[i] = CStringGetTextDatum(feature_name(list.v[i].feature));
			rows->value[i] = PointerGetDatum(cstring_to_text_with_len(list.v[i].value, list.v[i].len));
		}
		fctx->user_fctx = rows;
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	rows = fctx->user_fctx;
	if (fctx->call_cntr < (uint64) rows->n)
	{
		Datum		values[2] = {rows->feature[fctx->call_cntr], rows->value[fctx->call_cntr]};
		bool		nulls[2] = {false, false};

		SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(heap_form_tuple(fctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(fctx);
}

/* ---------------------------------------------------------------- the model */

static int
value_cmp(const char *a, int alen, const char *b, int blen)
{
	int			r = memcmp(a, b, Min(alen, blen));

	return r != 0 ? r : alen - blen;
}

static const WinValue *
find_value(const WinModel *m, int f, const char *s, int len)
{
	int			lo = 0,
				hi = m->nvalues[f] - 1;

	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			r = value_cmp(m->values[f][mid].value, m->values[f][mid].len, s, len);

		if (r == 0)
			return &m->values[f][mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

#define INCONSISTENT_EN "the model's counts are inconsistent: run SELECT lead_crm.refresh_win_model();"
#define INCONSISTENT_VI "số liệu của mô hình không nhất quán: chạy SELECT lead_crm.refresh_win_model();"

/*
 * Checks the counts and settings, then computes each value's log-odds.
 * Returns NULL when the model is ready, else why not (English, Vietnamese).
 */
static const char *
prepare_model(WinModel *m, const TenantScoring *ts, const char **vi)
{
	int64		closed = m->won + m->lost;
	int			f,
				i;

	*vi = INCONSISTENT_VI;
	if (m->won < 0 || m->lost < 0)
		return INCONSISTENT_EN;
	for (f = 0; f < WIN_FEATURES; f++)
		for (i = 0; i < m->nvalues[f]; i++)
			if (m->values[f][i].won < 0 || m->values[f][i].lost < 0 ||
				m->values[f][i].won > m->won || m->values[f][i].lost > m->lost)
				return INCONSISTENT_EN;
	if (ts->win_features == 0)
	{
		*vi = "chưa chọn đặc trưng nào: điền scoring_settings.win_features";
		return "no feature is enabled: list some in scoring_settings.win_features";
	}
	if (closed == 0)
	{
		*vi = "chưa có lead nào kết thúc: mô hình học từ các lead thành công và thất bại";
		return "no closed lead yet: the model learns from won and lost leads";
	}
	if (closed < ts->win_min_closed)
	{
		*vi = psprintf("mới có " INT64_FORMAT " lead kết thúc; mô hình cần ít nhất %d (scoring_settings.win_min_closed)",
					   closed, ts->win_min_closed);
		return psprintf("only " INT64_FORMAT " closed leads; the model needs at least %d (scoring_settings.win_min_closed)",
						closed, ts->win_min_closed);
	}
	if (m->won == 0 || m->lost == 0)
	{
		*vi = psprintf("chưa có lead %s nào trong " INT64_FORMAT " lead kết thúc: mô hình cần cả hai kết quả",
					   m->won == 0 ? "thành công" : "thất bại", closed);
		return psprintf("no %s lead among " INT64_FORMAT " closed leads: the model needs both outcomes",
						m->won == 0 ? "won" : "lost", closed);
	}
	if (lc_nb_prior(m->won, m->lost, ts->win_smoothing, &m->prior) != LC_SCORE_OK)
	{
		*vi = "scoring_settings.win_smoothing phải là một số dương";
		return "scoring_settings.win_smoothing is not a positive number";
	}
	for (f = 0; f < WIN_FEATURES; f++)
		for (i = 0; i < m->nvalues[f]; i++)
		{
			WinValue   *v = &m->values[f][i];

			/* tags are present or absent; the others take one of their values */
			if (lc_nb_value(v->won, v->lost, m->won, m->lost,
							f == F_TAGS ? 2 : m->nvalues[f], ts->win_smoothing,
							&v->log_odds) != LC_SCORE_OK)
				return INCONSISTENT_EN;
		}
	return NULL;
}

/*
 * Counts change with every close. They are not configuration: a close must not
 * make every backend reload every tenant's settings, only the models, and it
 * must not invalidate the cached plan that writes the counts. So the
 * statement trigger on win_model_count (win_model_changed() below) sends a
 * relcache invalidation for the view lead_crm.win_model, which stands for the
 * models, and this callback bumps the generation models are checked against.
 */
static uint64 model_generation = 1;
static Oid	model_relid = InvalidOid;
static bool model_callback_registered = false;

static void
model_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == model_relid)
		model_generation++;
}

static Oid
model_view_relid(void)
{
	Oid			relid = get_relname_relid("win_model", get_namespace_oid("lead_crm", false));

	if (!OidIsValid(relid))
		elog(ERROR, "lead_crm.win_model does not exist");
	return relid;
}

/* win_model_changed(): statement trigger on win_model_count */
PG_FUNCTION_INFO_V1(lc_win_model_changed);
Datum
lc_win_model_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "win_model_changed() must be called as a trigger");
	CacheInvalidateRelcacheByRelid(model_view_relid());
	return PointerGetDatum(NULL);
}

/* the tenant's model, read from win_model_count on first use after a change */
static WinModel *
tenant_model(TenantScoring *ts)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(ts->tenant_id)};
	MemoryContext cxt;
	WinModel   *m;
	uint64		i;
	int			f,
				counts[WIN_FEATURES] = {0};

	if (!model_callback_registered)
	{
		CacheRegisterRelcacheCallback(model_relcache_callback, (Datum) 0);
		model_callback_registered = true;
	}
	if (ts->model && ts->model->generation == model_generation)
		return ts->model;
	/* looked up at each read: DROP and CREATE EXTENSION give the view a new oid */
	if (model_relid != model_view_relid())
	{
		model_relid = model_view_relid();
		model_generation++;		/* anything read before the relid was known is suspect */
	}
	if (ts->model)
		MemoryContextDelete(ts->model->cxt);
	ts->model = NULL;
	cxt = AllocSetContextCreate(lc_scoring_context(), "lead_crm win model", ALLOCSET_SMALL_SIZES);
	m = MemoryContextAllocZero(cxt, sizeof(WinModel));
	m->cxt = cxt;
	/* before reading: a change that arrives while reading makes the next call read again */
	m->generation = model_generation;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* values in byte order, as find_value() searches them */
	if (SPI_execute_with_args("SELECT feature, value COLLATE \"C\", sum(won)::bigint, sum(lost)::bigint"
							  " FROM lead_crm.win_model_count WHERE tenant_id = $1"
							  " GROUP BY 1, 2 HAVING sum(won) <> 0 OR sum(lost) <> 0"
							  " ORDER BY 1, 2", 1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read the win model of tenant %d", ts->tenant_id);
	for (i = 0; i < SPI_processed; i++)
	{
		f = feature_index(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		if (f >= 0 && f < WIN_FEATURES)
			m->nvalues[f]++;
	}
	for (f = 0; f < WIN_FEATURES; f++)
		m->values[f] = MemoryContextAllocZero(cxt, sizeof(WinValue) * (m->nvalues[f] + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int64		won = DatumGetInt64(SPI_getbinval(t, desc, 3, &isnull));
		int64		lost = DatumGetInt64(SPI_getbinval(t, desc, 4, &isnull));
		text	   *value = DatumGetTextPP(SPI_getbinval(t, desc, 2, &isnull));
		WinValue   *v;

		f = feature_index(SPI_getvalue(t, desc, 1));
		if (f == F_TOTAL)
		{
			m->won += won;
			m->lost += lost;
			continue;
		}
		if (f < 0)
			continue;			/* a feature this version does not know */
		v = &m->values[f][counts[f]++];
		v->len = VARSIZE_ANY_EXHDR(value);
		v->value = MemoryContextAlloc(cxt, v->len + 1);
		memcpy(v->value, VARDATA_ANY(value), v->len);
		v->value[v->len] = '\0';
		v->won = won;
		v->lost = lost;
	}
	SPI_finish();
	{
		const char *vi;
		const char *en = prepare_model(m, ts, &vi);

		m->ready = (en == NULL);
		if (en)
			m->reason = MemoryContextStrdup(cxt, ts->english ? en : vi);
	}
	ts->model = m;
	return m;
}

/* the model's value of an enabled feature value of a lead; NULL when unseen or off */
static const WinValue *
model_value(const WinModel *m, const TenantScoring *ts, const FeatureValue *fv)
{
	if (fv->feature == F_TOTAL || !(ts->win_features & (1u << fv->feature)))
		return NULL;
	/* a value never seen in a closed lead says nothing */
	return find_value(m, fv->feature, fv->value, fv->len);
}

/*
 * win_probability_of(tenant, status, lifecycle, source, campaign,
 * province_canon, industry, kind, email_key, company_name, salesperson_id,
 * tags): chance to win, 1 for a won lead, 0 for a lost one, NULL while the
 * model is not ready (win_model_status() says why)
 */
PG_FUNCTION_INFO_V1(lc_win_probability_of);
Datum
lc_win_probability_of(PG_FUNCTION_ARGS)
{
	TenantScoring *ts;
	WinModel   *m;
	FeatureInput in;
	FeatureList list;
	int			outcome;
	double		lo;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	outcome = lc_lead_outcome(ts, PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
							  PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2));
	if (outcome != 0)
		PG_RETURN_FLOAT8(outcome > 0 ? 1.0 : 0.0);
	m = tenant_model(ts);
	if (!m->ready)
		PG_RETURN_NULL();
	feature_args(fcinfo, 3, &in);
	lead_features(&in, &list);
	lo = m->prior;
	for (i = 0; i < list.n; i++)
	{
		const WinValue *v = model_value(m, ts, &list.v[i]);

		if (v)
			lo += v->log_odds;
	}
	PG_RETURN_FLOAT8(lc_logistic(lo));
}

/*
 * win_contributions_of(tenant, source, campaign, province_canon, industry,
 * kind, email_key, company_name, salesperson_id, tags): (feature, value,
 * log_odds) of each enabled feature value the model has seen; no rows while
 * the model is not ready
 */
PG_FUNCTION_INFO_V1(lc_win_contributions_of);
Datum
lc_win_contributions_of(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TenantScoring *ts;
	WinModel   *m;
	FeatureInput in;
	FeatureList list;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	m = tenant_model(ts);
	if (!m->ready)
		return (Datum) 0;
	feature_args(fcinfo, 1, &in);
	lead_features(&in, &list);
	for (i = 0; i < list.n; i++)
	{
		const FeatureValue *fv = &list.v[i];
		const WinValue *v = model_value(m, ts, fv);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (v == NULL)
			continue;

		values[0] = CStringGetTextDatum(feature_name(fv->feature));
		values[1] = PointerGetDatum(cstring_to_text_with_len(fv->value, fv->len));
		values[2] = Float8GetDatum(v->log_odds);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* win_model_status(tenant): (ready, reason, won, lost, min_closed, features) */
PG_FUNCTION_INFO_V1(lc_win_model_status);
Datum
lc_win_model_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TenantScoring *ts;
	WinModel   *m;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Datum		names[WIN_FEATURES];
	int			f,
				n = 0;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	ts = lc_tenant_scoring(PG_GETARG_INT32(0));
	m = tenant_model(ts);
	for (f = 0; f < WIN_FEATURES; f++)
		if (ts->win_features & (1u << f))
			names[n++] = CStringGetTextDatum(lc_win_feature_names[f]);
	values[0] = BoolGetDatum(m->ready);
	values[1] = m->reason ? CStringGetTextDatum(m->reason) : (Datum) 0;
	nulls[1] = m->reason == NULL;
	values[2] = Int64GetDatum(m->won);
	values[3] = Int64GetDatum(m->lost);
	values[4] = Int32GetDatum(ts->win_min_closed);
	values[5] = PointerGetDatum(construct_array(names, n, TEXTOID, -1, false, TYPALIGN_INT));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/* ---------------------------------------------------------------- learning */

typedef struct DeltaRow
{
	int32		tenant_id;
	int			feature;
	char	   *value;
	int			won;			/* +1, -1 or 0 */
	int			lost;
	int			nest_level;
} DeltaRow;

static MemoryContext buffer_context = NULL;
static DeltaRow *buffer = NULL;
static int	buffer_len = 0;
static int	buffer_cap = 0;
static bool callbacks_registered = false;
static SPIPlanPtr flush_plan = NULL;

static void
forget_buffer(void)
{
	buffer_context = NULL;
	buffer = NULL;
	buffer_len = buffer_cap = 0;
}

static void
buffer_xact_callback(XactEvent event, void *arg)
{
	/* TopTransactionContext is gone after commit or abort */
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
		forget_buffer();
}

/* the entries of the subtransaction ending now are the trailing ones */
static void
buffer_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	int			i;

	if (event == SUBXACT_EVENT_ABORT_SUB)
		while (buffer_len > 0 && buffer[buffer_len - 1].nest_level >= level)
			buffer_len--;
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
		for (i = buffer_len - 1; i >= 0 && buffer[i].nest_level >= level; i--)
			buffer[i].nest_level = level - 1;
}

static void
buffer_delta(int32 tenant_id, const FeatureValue *fv, int outcome, int sign)
{
	DeltaRow   *row;

	if (!callbacks_registered)
	{
		RegisterXactCallback(buffer_xact_callback, NULL);
		RegisterSubXactCallback(buffer_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (buffer_context == NULL)
		buffer_context = AllocSetContextCreate(TopTransactionContext, "lead_crm win model",
											   ALLOCSET_DEFAULT_SIZES);
	if (buffer_len == buffer_cap)
	{
		buffer_cap = buffer_cap ? buffer_cap * 2 : 256;
		buffer = buffer
			? repalloc(buffer, sizeof(DeltaRow) * buffer_cap)
			: MemoryContextAlloc(buffer_context, sizeof(DeltaRow) * buffer_cap);
	}
	row = &buffer[buffer_len++];
	row->tenant_id = tenant_id;
	row->feature = fv->feature;
	row->value = MemoryContextAlloc(buffer_context, fv->len + 1);
	memcpy(row->value, fv->value, fv->len);
	row->value[fv->len] = '\0';
	row->won = outcome > 0 ? sign : 0;
	row->lost = outcome < 0 ? sign : 0;
	row->nest_level = GetCurrentTransactionNestLevel();
}

/* inserts the summed deltas of the current (sub)transaction level */
static void
flush_buffer(void)
{
	Oid			argtypes[5] = {INT4ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT8ARRAYOID, INT8ARRAYOID};
	Datum		args[5];
	Datum	   *cols[5];
	int			level = GetCurrentTransactionNestLevel();
	int			start = buffer_len;
	int			n,
				i;

	while (start > 0 && buffer[start - 1].nest_level >= level)
		start--;
	n = buffer_len - start;
	if (n == 0)
		return;
	for (i = 0; i < 5; i++)
		cols[i] = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
	{
		DeltaRow   *r = &buffer[start + i];

		cols[0][i] = Int32GetDatum(r->tenant_id);
		cols[1][i] = CStringGetTextDatum(feature_name(r->feature));
		cols[2][i] = CStringGetTextDatum(r->value);
		cols[3][i] = Int64GetDatum((int64) r->won);
		cols[4][i] = Int64GetDatum((int64) r->lost);
	}
	args[0] = PointerGetDatum(construct_array(cols[0], n, INT4OID, 4, true, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(cols[1], n, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(cols[2], n, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(cols[3], n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	args[4] = PointerGetDatum(construct_array(cols[4], n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	/* take them out first: the insert must not see these rows again if it recurses */
	buffer_len = start;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (flush_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare("INSERT INTO lead_crm.win_model_count (tenant_id, feature, value, won, lost)"
									   " SELECT d.t, d.f, d.v, sum(d.w), sum(d.l)"
									   " FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2),"
									   " pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5))"
									   " AS d (t, f, v, w, l)"
									   " GROUP BY d.t, d.f, d.v HAVING sum(d.w) <> 0 OR sum(d.l) <> 0",
									   5, argtypes);

		if (plan == NULL)
			elog(ERROR, "cannot prepare the win model insert: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		flush_plan = plan;
	}
	if (SPI_execute_plan(flush_plan, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cannot insert win model counts");
	SPI_finish();
}

/* attribute numbers of the columns the model reads, per relation */
static struct
{
	Oid			relid;
	AttrNumber	tenant_id,
				status,
				lifecycle,
				source,
				campaign,
				province,
				industry,
				kind,
				email_key,
				company_name,
				salesperson_id,
				tags;
}			mcols;

static void
lookup_model_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	struct
	{
		AttrNumber *attnum;
		const char *name;
	}			want[] = {
		{&mcols.tenant_id, "tenant_id"}, {&mcols.status, "status"}, {&mcols.lifecycle, "lifecycle"},
		{&mcols.source, "source"}, {&mcols.campaign, "campaign"}, {&mcols.province, "province_canon"},
		{&mcols.industry, "industry"}, {&mcols.kind, "kind"}, {&mcols.email_key, "email_key"},
		{&mcols.company_name, "company_name"}, {&mcols.salesperson_id, "salesperson_id"},
		{&mcols.tags, "tags"},
	};
	int			i;
	bool		valid = mcols.relid == RelationGetRelid(rel);

	/* ALTER TABLE can drop and re-add a column: recheck the names */
	for (i = 0; valid && i < (int) lengthof(want); i++)
		valid = *want[i].attnum > 0 && *want[i].attnum <= desc->natts &&
			strcmp(NameStr(TupleDescAttr(desc, *want[i].attnum - 1)->attname), want[i].name) == 0;
	if (valid)
		return;
	for (i = 0; i < (int) lengthof(want); i++)
	{
		*want[i].attnum = SPI_fnumber(desc, want[i].name);
		if (*want[i].attnum <= 0)
			elog(ERROR, "lead_crm.lead has no column \"%s\"", want[i].name);
	}
	mcols.relid = RelationGetRelid(rel);
}

static text *
tuple_text(HeapTuple tup, TupleDesc desc, AttrNumber attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, desc, &isnull);

	return isnull ? NULL : DatumGetTextPP(d);
}

/* outcome (1 won, -1 lost, 0 open) and features of one version of a lead row */
static int
row_features(HeapTuple tup, TupleDesc desc, int32 *tenant_id, FeatureList *features)
{
	TenantScoring *ts;
	FeatureInput in;
	bool		isnull;
	Datum		d;
	int			outcome;

	d = heap_getattr(tup, mcols.tenant_id, desc, &isnull);
	if (isnull)
		return 0;
	*tenant_id = DatumGetInt32(d);
	ts = lc_tenant_scoring(*tenant_id);
	outcome = lc_lead_outcome(ts, tuple_text(tup, desc, mcols.status),
							  tuple_text(tup, desc, mcols.lifecycle));
	if (outcome == 0)
		return 0;
	in.source = tuple_text(tup, desc, mcols.source);
	in.campaign = tuple_text(tup, desc, mcols.campaign);
	in.province = tuple_text(tup, desc, mcols.province);
	in.industry = tuple_text(tup, desc, mcols.industry);
	in.kind = tuple_text(tup, desc, mcols.kind);
	in.email_key = tuple_text(tup, desc, mcols.email_key);
	in.company_name = tuple_text(tup, desc, mcols.company_name);
	d = heap_getattr(tup, mcols.salesperson_id, desc, &isnull);
	in.has_salesperson = !isnull;
	in.salesperson_id = isnull ? 0 : DatumGetInt64(d);
	d = heap_getattr(tup, mcols.tags, desc, &isnull);
	in.tags = isnull ? NULL : DatumGetArrayTypeP(d);
	lead_features(&in, features);
	return outcome;
}

static bool
same_features(const FeatureList *a, const FeatureList *b)
{
	int			i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].feature != b->v[i].feature ||
			value_cmp(a->v[i].value, a->v[i].len, b->v[i].value, b->v[i].len) != 0)
			return false;
	return true;
}

/*
 * win_model_track(): AFTER INSERT, UPDATE or DELETE row trigger on lead for
 * rows that are or were closed (WHEN lead_outcome(...) IS NOT NULL)
 */
PG_FUNCTION_INFO_V1(lc_win_model_track);
Datum
lc_win_model_track(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL,
				newtup = NULL;
	FeatureList oldf,
				newf;
	int32		old_tenant = 0,
				new_tenant = 0;
	int			old_outcome = 0,
				new_outcome = 0;
	int			i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "win_model_track() must be an AFTER row trigger");
	if (lc_restoring())
		return PointerGetDatum(NULL);
	desc = RelationGetDescr(td->tg_relation);
	lookup_model_columns(td->tg_relation);
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		newtup = td->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		oldtup = td->tg_trigtuple, newtup = td->tg_newtuple;
	else
		oldtup = td->tg_trigtuple;

	oldf.n = newf.n = 0;
	if (oldtup)
		old_outcome = row_features(oldtup, desc, &old_tenant, &oldf);
	if (newtup)
		new_outcome = row_features(newtup, desc, &new_tenant, &newf);
	if (old_outcome == new_outcome && old_tenant == new_tenant && same_features(&oldf, &newf))
		return PointerGetDatum(NULL);	/* an edit that changes nothing the model sees */
	for (i = 0; old_outcome != 0 && i < oldf.n; i++)
		buffer_delta(old_tenant, &oldf.v[i], old_outcome, -1);
	for (i = 0; new_outcome != 0 && i < newf.n; i++)
		buffer_delta(new_tenant, &newf.v[i], new_outcome, 1);
	if (buffer_len >= BUFFER_FLUSH_ENTRIES)
		flush_buffer();
	return PointerGetDatum(NULL);
}

/* win_model_flush(): AFTER statement trigger on lead writing the buffered counts */
PG_FUNCTION_INFO_V1(lc_win_model_flush);
Datum
lc_win_model_flush(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "win_model_flush() must be an AFTER statement trigger");
	if (buffer_len > 0)
		flush_buffer();
	return PointerGetDatum(NULL);
}

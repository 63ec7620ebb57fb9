/*
 * src/search.c - lead_crm.search(): candidates from the search indexes, ranked
 * by the C scorer (src/core/vn_search.c), and the IMMUTABLE functions the
 * indexes are built on.
 *
 * The query text never becomes SQL: every statement below is a constant
 * prepared once per backend, and what the core read from the query (index
 * keys, digit ranges, e-mail prefixes) is passed as parameters. Statements run
 * with the caller's rights, so row-level security on lead applies; their
 * index conditions use leakproof operators only (sql/80_search.sql), which the
 * planner may still use under a policy.
 *
 * Retrieval, each path capped at a number of candidates:
 *   phone    whole number, prefix ranges (lead_phone_e164_idx), suffix
 *            (lead_phone_suffix_idx on the reversed digits); the digits as
 *            typed, for numbers that are no valid ones or were read as
 *            another (lead_phone_typed_idx)
 *   e-mail   key or key prefix (lead_email_key_idx, lead_email_prefix_idx)
 *   words    per reading (typed, Telex, VNI, company), lead_search_keys_idx:
 *            the whole name, the pairs of neighbouring words within the name,
 *            within the company, and split between name and company (@>>);
 *            unless a lead matched every word already, whole names of typo
 *            corrections, then pairs of corrections (one &&> group per pair)
 *   trigram  words no syllable explains (a foreign brand, two typos in a
 *            word) when nothing matched well (lead_search_trgm_idx)
 * Then every lead found is scored once (lc_search_score) and the best are
 * returned; the candidates of a path are the first the index gives, so the
 * paths are ordered and keyed to make those the likely best ones.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/namespace.h"
#include "catalog/pg_statistic.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "core/vn_search.h"
#include "lead_crm.h"

/* candidates read per path: enough that the best of a large equal class is in */
#define CANDIDATES_MIN 100
#define CANDIDATES_PER_RESULT 10
#define CANDIDATES_MAX 5000
#define MAX_RESULTS 1000
/* keys looked up for the typos of a reading (a GIN entry lookup costs ~5 us) */
#define FUZZY_KEY_BUDGET 600
#define FULL_KEY_BUDGET 300
/* a lead scoring this matched every word typed, exactly or folded */
#define GOOD_MATCH 0.9f
/* pg_trgm word similarity for the trigram path: a typo in a word of 7 letters
 * still shares about half of its trigrams */
#define TRGM_THRESHOLD "0.5"

/* merged leads keep their rows (merged_into set) but live on in the lead they
 * were merged into: only that one is found */
#define CANDIDATE_COLUMNS \
	"SELECT id, full_name, company_name, company_key, phone, phone_e164, email, email_key, updated_at," \
	" name_fold, lead_crm.phone_digits(phone)" \
	" FROM lead_crm.lead WHERE tenant_id OPERATOR(pg_catalog.=) $1" \
	" AND merged_into IS NULL"

enum
{
	PLAN_PHONE_RANGE,
	PLAN_PHONE_SUFFIX,
	PLAN_PHONE_TYPED,
	PLAN_EMAIL_KEY,
	PLAN_EMAIL_PREFIX,
	PLAN_KEYS_ALL,
	PLAN_TRGM,
	PLAN_KEYS_ANY,				/* + groups - 1, up to LC_SEARCH_WORDS - 1 groups */
	NPLANS = PLAN_KEYS_ANY + LC_SEARCH_WORDS - 1
};

static SPIPlanPtr plans[NPLANS];

typedef struct Candidate
{
	int64		id;				/* hash key */
	text	   *full_name;
	text	   *company_name;
	text	   *company_key;
	text	   *phone;
	int64		e164;
	text	   *email;
	text	   *email_key;
	TimestampTz updated_at;
	text	   *name_fold;
	text	   *phone_digits;	/* of the phone as typed */
	bool		scored;
	lc_search_result res;
	int			rank;			/* in score order (rank_candidates) */
} Candidate;

typedef struct SearchState
{
	const lc_search_query *q;
	int32		tenant;
	int			limit;			/* candidates per path */
	HTAB	   *found;
	MemoryContext outer;		/* where candidates live (SPI memory does not last) */
	Oid			phone_type;
	const lc_search_vocabulary *vocabulary;
	float		best;			/* best score of the leads found so far */
	char	   *work;			/* for lc_search_score */
	size_t		work_size;
} SearchState;

static float score_new(SearchState *st);

static Oid
phone_type_oid(void)
{
	return DatumGetObjectId(DirectFunctionCall1(regtypein, CStringGetDatum("lead_crm.phone")));
}

/* the statement of a plan; ANY plans filter with one &&> group per parameter */
static SPIPlanPtr
get_plan(SearchState *st, int which)
{
	StringInfoData sql;
	Oid			types[LC_SEARCH_WORDS + 2];
	int			nargs = 0,
				i;

	if (plans[which])
		return plans[which];
	initStringInfo(&sql);
	appendStringInfoString(&sql, CANDIDATE_COLUMNS);
	types[nargs++] = INT4OID;
	switch (which)
	{
		case PLAN_PHONE_RANGE:
			appendStringInfoString(&sql, " AND phone_e164 OPERATOR(lead_crm.>=) $2"
								   " AND phone_e164 OPERATOR(lead_crm.<) $3");
			types[nargs++] = st->phone_type;
			types[nargs++] = st->phone_type;
			break;
		case PLAN_PHONE_SUFFIX:
			appendStringInfoString(&sql, " AND lead_crm.phone_suffix_key(phone_e164, phone) OPERATOR(pg_catalog.~>=~) $2"
								   " AND lead_crm.phone_suffix_key(phone_e164, phone) OPERATOR(pg_catalog.~<~) $3");
			types[nargs++] = TEXTOID;
			types[nargs++] = TEXTOID;
			break;
		case PLAN_PHONE_TYPED:
			appendStringInfoString(&sql, " AND lead_crm.phone_digits(phone) OPERATOR(pg_catalog.~>=~) $2"
								   " AND lead_crm.phone_digits(phone) OPERATOR(pg_catalog.~<~) $3");
			types[nargs++] = TEXTOID;
			types[nargs++] = TEXTOID;
			break;
		case PLAN_EMAIL_KEY:
			appendStringInfoString(&sql, " AND email_key OPERATOR(pg_catalog.=) $2");
			types[nargs++] = TEXTOID;
			break;
		case PLAN_EMAIL_PREFIX:
			appendStringInfoString(&sql, " AND (email_key COLLATE \"C\") OPERATOR(pg_catalog.>=) $2"
								   " AND (email_key COLLATE \"C\") OPERATOR(pg_catalog.<) $3");
			types[nargs++] = TEXTOID;
			types[nargs++] = TEXTOID;
			break;
		case PLAN_KEYS_ALL:
			appendStringInfoString(&sql, " AND lead_crm.search_keys(tenant_id, name_fold, company_key)"
								   " OPERATOR(lead_crm.@>>) $2");
			types[nargs++] = TEXTARRAYOID;
			break;
		case PLAN_TRGM:
			appendStringInfoString(&sql, " AND lead_crm.search_document(name_fold, company_key)"
								   " OPERATOR(lead_crm.%>@) $2");
			types[nargs++] = TEXTOID;
			break;
		default:
			for (i = 0; i <= which - PLAN_KEYS_ANY; i++)
			{
				appendStringInfo(&sql, " AND lead_crm.search_keys(tenant_id, name_fold, company_key)"
								 " OPERATOR(lead_crm.&&>) $%d", nargs + 1);
				types[nargs++] = TEXTARRAYOID;
			}
			break;
	}
	appendStringInfo(&sql, " LIMIT $%d", nargs + 1);
	types[nargs++] = INT4OID;
	/* planned once: the plans do not depend on the keys, and a custom plan per
	 * call would cost more than the search itself */
	plans[which] = SPI_prepare_cursor(sql.data, nargs, types, CURSOR_OPT_GENERIC_PLAN);
	if (plans[which] == NULL)
		elog(ERROR, "cannot prepare \"%s\": %s", sql.data, SPI_result_code_string(SPI_result));
	SPI_keepplan(plans[which]);
	pfree(sql.data);
	return plans[which];
}

static text *
copy_text(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : DatumGetTextPCopy(d);
}

/* run a plan (its arguments after the tenant, then the limit); keep new leads */
static int
run(SearchState *st, int which, Datum *args, int nargs)
{
	Datum		values[LC_SEARCH_WORDS + 3];
	MemoryContext spi;
	uint64		i;
	int			n;

	values[0] = Int32GetDatum(st->tenant);
	memcpy(values + 1, args, nargs * sizeof(Datum));
	values[nargs + 1] = Int32GetDatum(st->limit);
	n = SPI_execute_plan(get_plan(st, which), values, NULL, true, 0);
	if (n != SPI_OK_SELECT)
		elog(ERROR, "search statement failed: %s", SPI_result_code_string(n));
	spi = MemoryContextSwitchTo(st->outer);
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull,
					exists;
		int64		id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
		Candidate  *c = hash_search(st->found, &id, HASH_ENTER, &exists);
		Datum		d;

		if (exists)
			continue;
		c->full_name = copy_text(tup, desc, 2);
		c->company_name = copy_text(tup, desc, 3);
		c->company_key = copy_text(tup, desc, 4);
		c->phone = copy_text(tup, desc, 5);
		d = SPI_getbinval(tup, desc, 6, &isnull);
		c->e164 = isnull ? 0 : DatumGetInt64(d);
		c->email = copy_text(tup, desc, 7);
		c->email_key = copy_text(tup, desc, 8);
		d = SPI_getbinval(tup, desc, 9, &isnull);
		c->updated_at = isnull ? 0 : DatumGetTimestampTz(d);
		c->name_fold = copy_text(tup, desc, 10);
		c->phone_digits = copy_text(tup, desc, 11);
		c->scored = false;
	}
	MemoryContextSwitchTo(spi);
	SPI_freetuptable(SPI_tuptable);
	return (int) SPI_processed;
}

/* byte order of two text values (the order search_keys_overlap searches in) */
static int
key_cmp(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a),
			   *y = DatumGetTextPP(b);
	int			xl = VARSIZE_ANY_EXHDR(x),
				yl = VARSIZE_ANY_EXHDR(y);
	int			c = memcmp(VARDATA_ANY(x), VARDATA_ANY(y), Min(xl, yl));

	return c != 0 ? c : (xl > yl) - (xl < yl);
}

static int
key_qsort_cmp(const void *a, const void *b)
{
	return key_cmp(*(const Datum *) a, *(const Datum *) b);
}

/* NUL-separated keys as a text[], in byte order */
static Datum
keys_array(const char *keys, size_t n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n ? n : 1));
	size_t		i;

	for (i = 0; i < n; i++)
	{
		size_t		l = strlen(keys);

		elems[i] = PointerGetDatum(cstring_to_text_with_len(keys, (int) l));
		keys += l + 1;
	}
	qsort(elems, n, sizeof(Datum), key_qsort_cmp);
	return PointerGetDatum(construct_array(elems, (int) n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* the first string after every string that starts with an ASCII prefix (for ~<~) */
static text *
prefix_end(const char *prefix, size_t len)
{
	char	   *s = pnstrdup(prefix, len);

	Assert(len > 0 && (unsigned char) s[len - 1] < 0x7F);
	s[len - 1]++;
	return cstring_to_text_with_len(s, (int) len);
}

static void
search_phones(SearchState *st)
{
	int			i;

	for (i = 0; i < st->q->nphones; i++)
	{
		const lc_search_phone *p = &st->q->phones[i];
		Datum		args[2];

		if (p->kind == LC_SEARCH_PHONE_SUFFIX)
		{
			size_t		n = strlen(p->digits),
						k;
			char		rev[sizeof(p->digits)];

			for (k = 0; k < n; k++)
				rev[k] = p->digits[n - 1 - k];
			args[0] = PointerGetDatum(cstring_to_text_with_len(rev, (int) n));
			args[1] = PointerGetDatum(prefix_end(rev, n));
			run(st, PLAN_PHONE_SUFFIX, args, 2);
			continue;
		}
		args[0] = Int64GetDatum(p->lo);
		args[1] = Int64GetDatum(p->hi);
		run(st, PLAN_PHONE_RANGE, args, 2);
	}
	/* numbers by the digits typed, when their canonical form differs (no
	 * valid number; 089x read as an old HCMC landline 08 9xxx) */
	if (st->q->phone_national[0])
	{
		size_t		n = strlen(st->q->phone_national);
		Datum		args[2];

		args[0] = PointerGetDatum(cstring_to_text_with_len(st->q->phone_national, (int) n));
		args[1] = PointerGetDatum(prefix_end(st->q->phone_national, n));
		run(st, PLAN_PHONE_TYPED, args, 2);
	}
}

static void
search_emails(SearchState *st)
{
	int			i;

	for (i = 0; i < st->q->nemails; i++)
	{
		const lc_search_email *e = &st->q->emails[i];
		size_t		n = strlen(e->text);
		Datum		args[2];

		args[0] = PointerGetDatum(cstring_to_text_with_len(e->text, (int) n));
		if (e->exact)
			run(st, PLAN_EMAIL_KEY, args, 1);
		else
		{
			args[1] = PointerGetDatum(prefix_end(e->text, n));
			run(st, PLAN_EMAIL_PREFIX, args, 2);
		}
	}
}

/* leads with all of n keys (none: no lead, an empty array is in every one) */
static int
run_all(SearchState *st, Datum keys, size_t n)
{
	return n > 0 ? run(st, PLAN_KEYS_ALL, &keys, 1) : 0;
}

/* run a plan whose arguments are groups of keys (one &&> each) */
static int
run_groups(SearchState *st, const char *keys, const size_t *sizes, int ngroups)
{
	Datum		args[LC_SEARCH_WORDS];
	int			g;

	if (ngroups <= 0)
		return 0;
	for (g = 0; g < ngroups; g++)
	{
		size_t		j;

		if (sizes[g] == 0)
			return 0;			/* a group no lead can have a key of */
		args[g] = keys_array(keys, sizes[g]);
		for (j = 0; j < sizes[g]; j++)
			keys += strlen(keys) + 1;
	}
	return run(st, PLAN_KEYS_ANY + ngroups - 1, args, ngroups);
}

/*
 * Leads found by the words of the readings: as a whole name, within the name,
 * within the company, then split between both (each capped on its own, so that
 * a crowd of leads with the words spread over name and company cannot push
 * out the ones whose name it is); then typo corrections.
 */
static int
search_words(SearchState *st, int wanted)
{
	char	   *keys = palloc(FUZZY_KEY_BUDGET * LC_SEARCH_FULL_KEY_BYTES);
	size_t		sizes[LC_SEARCH_WORDS];
	int			found = 0,
				r;
	bool		good;

	for (r = 0; r < st->q->nreadings; r++)
	{
		const lc_search_reading *rd = &st->q->readings[r];
		static const char types[] = {LC_KEY_NAME, LC_KEY_COMPANY};
		int			t;

		/* the whole name first: its leads are never crowded out */
		if (rd->nwords > 1 && rd->kind != LC_READ_COMPANY)
		{
			Datum		arg;

			lc_search_full_key(rd, st->tenant, keys);
			arg = keys_array(keys, 1);
			found += run_all(st, arg, 1);
		}
		for (t = 0; t < (rd->nwords > 1 ? 2 : 1); t++)
		{
			size_t		n = lc_search_exact_keys(rd, st->tenant, types[t], keys);
			Datum		arg = keys_array(keys, n);

			found += run_all(st, arg, n);
		}
		/* a name and a company: every place the one may end and the other begin */
		for (t = 1; t < rd->nwords; t++)
		{
			int			company_first;

			/* two words: one cross pair either way */
			for (company_first = 0; company_first <= (rd->nwords > 2); company_first++)
			{
				size_t		n = lc_search_split_keys(rd, st->tenant, t, company_first, keys);

				found += run_all(st, keys_array(keys, n), n);
			}
		}
	}
	/* a lead matching every word (with its diacritics or without): typo
	 * corrections only rank below it, so only the cheap whole-name ones fill
	 * the list up */
	good = score_new(st) >= GOOD_MATCH;
	if (good && hash_get_num_entries(st->found) >= wanted)
		return found;
	for (r = 0; r < st->q->nreadings; r++)
	{
		const lc_search_reading *rd = &st->q->readings[r];
		size_t		n;

		/* decoded readings were typed with care; typos are in the typed ones */
		if (rd->kind != LC_READ_TYPED && rd->kind != LC_READ_COMPANY)
			continue;
		/* whole names a typo away, likeliest corrections first, then any pairs */
		n = rd->kind == LC_READ_TYPED ?
			lc_search_fuzzy_full_keys(rd, st->tenant, st->vocabulary, FULL_KEY_BUDGET, keys) : 0;
		if (n > 0)
		{
			Datum		arg = keys_array(keys, n);

			found += run(st, PLAN_KEYS_ANY, &arg, 1);
		}
		if (good || hash_get_num_entries(st->found) >= wanted)
			continue;			/* the pairs would cost more and add arbitrary leads */
		found += run_groups(st, keys, sizes,
							lc_search_fuzzy_keys(rd, st->tenant, st->vocabulary,
												 FUZZY_KEY_BUDGET, keys, sizes));
	}
	return found;
}

/* pg_trgm's threshold for this statement only (restored by AtEOXact_GUC) */
static void
search_trigrams(SearchState *st, const char *words)
{
	static bool loaded = false;
	Datum		arg = CStringGetTextDatum(words);
	int			nest;

	if (!loaded)
	{
		/* defines pg_trgm.word_similarity_threshold before we set it */
		(void) load_external_function("$libdir/pg_trgm", "word_similarity_commutator_op", true, NULL);
		loaded = true;
	}
	nest = NewGUCNestLevel();
	(void) set_config_option("pg_trgm.word_similarity_threshold", TRGM_THRESHOLD,
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	run(st, PLAN_TRGM, &arg, 1);
	AtEOXact_GUC(true, nest);
}

/*
 * The words of a tenant's leads and how often they occur, from the statistics
 * ANALYZE keeps of lead_search_keys_idx (its most common elements): typo
 * corrections that are frequent words are tried first. Cached per backend
 * until the statistics change; empty before the first ANALYZE.
 */
static MemoryContext vocabulary_context = NULL;
static lc_search_vocabulary vocabulary_cache;
static int32 vocabulary_tenant;
static bool vocabulary_valid = false;

static void
vocabulary_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	vocabulary_valid = false;
}

typedef struct VocabularyWord
{
	char	   *word;
	float		share;
} VocabularyWord;

static int
vocabulary_cmp(const void *a, const void *b)
{
	return strcmp(((const VocabularyWord *) a)->word, ((const VocabularyWord *) b)->word);
}

static const lc_search_vocabulary *
tenant_vocabulary(int32 tenant)
{
	Oid			index;
	HeapTuple	tup;
	AttStatsSlot sslot;
	char		prefix[16];
	size_t		plen;
	int			i;
	MemoryContext old;
	VocabularyWord *found;
	char	  **words;
	float	   *share;
	size_t		n = 0;

	if (vocabulary_valid && vocabulary_tenant == tenant)
		return &vocabulary_cache;
	if (vocabulary_context == NULL)
	{
		vocabulary_context = AllocSetContextCreate(TopMemoryContext, "lead_crm search vocabulary",
												   ALLOCSET_SMALL_SIZES);
		CacheRegisterSyscacheCallback(STATRELATTINH, vocabulary_invalidate, (Datum) 0);
	}
	MemoryContextReset(vocabulary_context);
	memset(&vocabulary_cache, 0, sizeof(vocabulary_cache));
	vocabulary_tenant = tenant;
	vocabulary_valid = true;
	index = get_relname_relid("lead_search_keys_idx", get_namespace_oid("lead_crm", false));
	if (!OidIsValid(index))
		return &vocabulary_cache;
	tup = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(index), Int16GetDatum(1),
						  BoolGetDatum(false));
	if (!HeapTupleIsValid(tup))
		return &vocabulary_cache;
	if (!get_attstatsslot(&sslot, tup, STATISTIC_KIND_MCELEM, InvalidOid,
						  ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
	{
		ReleaseSysCache(tup);
		return &vocabulary_cache;
	}
	plen = (size_t) snprintf(prefix, sizeof(prefix), "%d:", tenant);
	old = MemoryContextSwitchTo(vocabulary_context);
	found = palloc(sizeof(VocabularyWord) * (sslot.nvalues + 1));
	for (i = 0; i < sslot.nvalues && i < sslot.nnumbers; i++)
	{
		text	   *t = DatumGetTextPP(sslot.values[i]);
		const char *k = VARDATA_ANY(t);
		size_t		kl = VARSIZE_ANY_EXHDR(t);

		/* this tenant's single words: "17:nguyen", not the pairs "17:n:an nguyen" */
		if (kl <= plen || memcmp(k, prefix, plen) != 0 || memchr(k + plen, ':', kl - plen))
			continue;
		found[n].word = pnstrdup(k + plen, kl - plen);
		found[n].share = sslot.numbers[i];
		n++;
	}
	qsort(found, n, sizeof(VocabularyWord), vocabulary_cmp);
	words = palloc(sizeof(char *) * (n + 1));
	share = palloc(sizeof(float) * (n + 1));
	for (i = 0; i < (int) n; i++)
	{
		words[i] = found[i].word;
		share[i] = found[i].share;
	}
	vocabulary_cache.words = (const char *const *) words;
	vocabulary_cache.share = share;
	vocabulary_cache.n = n;
	MemoryContextSwitchTo(old);
	free_attstatsslot(&sslot);
	ReleaseSysCache(tup);
	return &vocabulary_cache;
}

static int
candidate_cmp(const void *a, const void *b)
{
	const Candidate *x = *(Candidate *const *) a;
	const Candidate *y = *(Candidate *const *) b;

	if (x->res.score != y->res.score)
		return x->res.score > y->res.score ? -1 : 1;
	if (x->res.fields != y->res.fields)
		return x->res.fields > y->res.fields ? -1 : 1;
	if (x->updated_at != y->updated_at)
		return x->updated_at > y->updated_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id ? 1 : 0;
}

/* candidates by name (NULL names last), to number namesakes */
static int
name_cmp(const void *a, const void *b)
{
	const Candidate *x = *(Candidate *const *) a;
	const Candidate *y = *(Candidate *const *) b;

	if (x->name_fold == NULL || y->name_fold == NULL)
		return (x->name_fold == NULL) - (y->name_fold == NULL);
	return key_cmp(PointerGetDatum(x->name_fold), PointerGetDatum(y->name_fold));
}

static Datum
matched_array(unsigned m)
{
	static const struct
	{
		unsigned	bit;
		const char *name;
	}			names[] = {
		{LC_MATCH_NAME, "name"}, {LC_MATCH_NAME_FOLDED, "name_folded"},
		{LC_MATCH_NAME_TYPO, "name_typo"}, {LC_MATCH_COMPANY, "company"},
		{LC_MATCH_COMPANY_TYPO, "company_typo"}, {LC_MATCH_PHONE, "phone"},
		{LC_MATCH_EMAIL, "email"},
	};
	Datum		elems[lengthof(names)];
	int			n = 0,
				i;

	for (i = 0; i < (int) lengthof(names); i++)
		if (m & names[i].bit)
			elems[n++] = CStringGetTextDatum(names[i].name);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static void
check_max_results(int32 max_results)
{
	if (max_results < 1 || max_results > MAX_RESULTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_results must be between 1 and %d", MAX_RESULTS),
				 errdetail("max_results is %d.", max_results),
				 errhint("Ask for the first results only (the default is 20) and refine the query.")));
}

/* the query read by the core, or false when there is nothing to search */
static bool
read_query(text *query, lc_search_query *q)
{
	const char *s = VARDATA_ANY(query);
	int			len = VARSIZE_ANY_EXHDR(query);
	int			chars;

	lc_check_utf8_database();
	chars = pg_mbstrlen_with_len(s, len);
	if (chars > LC_SEARCH_MAX_CHARS || len > LC_SEARCH_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("search query is too long"),
				 errdetail("The query has %d characters; the limit is %d.", chars,
						   LC_SEARCH_MAX_CHARS),
				 errhint("Search for a name, a company, a phone number or an e-mail address, not a whole text.")));
	return lc_search_parse(s, (size_t) len, q) == LC_SEARCH_OK;
}

/* score the leads found since the last call; returns the best score so far */
static float
score_new(SearchState *st)
{
	HASH_SEQ_STATUS seq;
	Candidate  *c;

	hash_seq_init(&seq, st->found);
	while ((c = hash_seq_search(&seq)) != NULL)
	{
		lc_search_candidate lc = {0};
		size_t		need;

		if (c->scored)
			continue;
		lc.name = VARDATA_ANY(c->full_name);
		lc.name_len = VARSIZE_ANY_EXHDR(c->full_name);
		if (c->company_key)
		{
			lc.company_key = VARDATA_ANY(c->company_key);
			lc.company_len = VARSIZE_ANY_EXHDR(c->company_key);
		}
		if (c->company_name)
		{
			lc.company_name = VARDATA_ANY(c->company_name);
			lc.company_name_len = VARSIZE_ANY_EXHDR(c->company_name);
		}
		lc.phone = c->e164;
		if (c->phone_digits)
		{
			lc.phone_digits = VARDATA_ANY(c->phone_digits);
			lc.phone_digits_len = VARSIZE_ANY_EXHDR(c->phone_digits);
		}
		if (c->email_key)
		{
			lc.email_key = VARDATA_ANY(c->email_key);
			lc.email_len = VARSIZE_ANY_EXHDR(c->email_key);
		}
		need = lc_search_score_work_bound(lc.name_len);
		if (need > st->work_size)
		{
			st->work = st->work ? repalloc(st->work, need) :
				MemoryContextAlloc(st->outer, need);
			st->work_size = need;
		}
		lc_search_score(st->q, &lc, st->work, &c->res);
		c->scored = true;
		if (c->res.score > st->best)
			st->best = c->res.score;
	}
	return st->best;
}

/*
 * The leads in result order: by score, then more fields matched, then the
 * most recently updated, then id; namesakes and equal scores then take turns
 * by name (lc_search_order).
 */
static int
rank_candidates(SearchState *st, Candidate **out)
{
	HASH_SEQ_STATUS seq;
	Candidate  *c;
	Candidate **by_name;
	lc_search_ranked *r;
	int			n = 0,
				names = 0,
				k;

	hash_seq_init(&seq, st->found);
	while ((c = hash_seq_search(&seq)) != NULL)
		if (c->res.score > 0.0f)
			out[n++] = c;
	qsort(out, n, sizeof(Candidate *), candidate_cmp);
	if (n <= 1)
		return n;
	r = palloc(sizeof(lc_search_ranked) * n);
	by_name = palloc(sizeof(Candidate *) * n);
	for (k = 0; k < n; k++)
	{
		r[k].score = out[k]->res.score;
		r[k].pos = k;
		out[k]->rank = k;
		by_name[k] = out[k];
	}
	qsort(by_name, n, sizeof(Candidate *), name_cmp);
	for (k = 0; k < n; k++)
	{
		if (k > 0 && name_cmp(&by_name[k], &by_name[k - 1]) != 0)
			names++;
		r[by_name[k]->rank].name = names;
	}
	lc_search_order(r, (size_t) n);
	for (k = 0; k < n; k++)
		by_name[k] = out[r[k].pos];
	memcpy(out, by_name, sizeof(Candidate *) * n);
	pfree(r);
	pfree(by_name);
	return n;
}

/* search(query, max_results): the current tenant's best matching leads */
PG_FUNCTION_INFO_V1(lc_search);
Datum
lc_search(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *query = PG_GETARG_TEXT_PP(0);
	int32		max_results = PG_GETARG_INT32(1);
	lc_search_query *q = palloc(sizeof(lc_search_query));
	SearchState st;
	HASHCTL		ctl;
	Candidate **ranked;
	int			nranked,
				i;
	char		unexplained[LC_SEARCH_WORDS * (LC_SEARCH_WORD_BYTES + 1)];

	check_max_results(max_results);
	InitMaterializedSRF(fcinfo, 0);
	if (!read_query(query, q))
		return (Datum) 0;		/* empty or punctuation: no lead is a better answer than another */

	memset(&st, 0, sizeof(st));
	st.q = q;
	st.tenant = lc_current_tenant();
	st.limit = Max(CANDIDATES_MIN, Min(CANDIDATES_MAX, max_results * CANDIDATES_PER_RESULT));
	st.outer = CurrentMemoryContext;
	st.phone_type = q->nphones ? phone_type_oid() : InvalidOid;
	st.vocabulary = q->nreadings ? tenant_vocabulary(st.tenant) : NULL;
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(Candidate);
	ctl.hcxt = CurrentMemoryContext;
	st.found = hash_create("lead_crm search candidates", 256, &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	search_phones(&st);
	search_emails(&st);
	if (q->nreadings > 0)
	{
		search_words(&st, max_results);
		/* words no syllable explains (a foreign brand, two typos in a word);
		 * not the name reading of an e-mail-like token (nguyen.van92) */
		if (score_new(&st) < GOOD_MATCH && !q->email_likely &&
			hash_get_num_entries(st.found) < max_results &&
			lc_search_unexplained_words(q, unexplained) > 0)
			search_trigrams(&st, unexplained);
	}
	SPI_finish();

	score_new(&st);
	ranked = palloc(sizeof(Candidate *) * (hash_get_num_entries(st.found) + 1));
	nranked = rank_candidates(&st, ranked);
	for (i = 0; i < nranked && i < max_results; i++)
	{
		Candidate  *c = ranked[i];
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = Int64GetDatum(c->id);
		values[1] = Float4GetDatum(c->res.score);
		values[2] = PointerGetDatum(c->full_name);
		values[3] = PointerGetDatum(c->company_name);
		nulls[3] = c->company_name == NULL;
		values[4] = PointerGetDatum(c->phone);
		nulls[4] = c->phone == NULL;
		values[5] = PointerGetDatum(c->email);
		nulls[5] = c->email == NULL;
		values[6] = matched_array(c->res.matched);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* search_keys(tenant, name_fold, company_key): the lead's search index keys */
PG_FUNCTION_INFO_V1(lc_search_keys);
Datum
lc_search_keys(PG_FUNCTION_ARGS)
{
	char	   *keys;
	size_t		n;
	const char *name = NULL,
			   *company = NULL;
	size_t		name_len = 0,
				company_len = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(1))
		LC_ARG_TEXT(1, name, name_len);
	if (!PG_ARGISNULL(2))
		LC_ARG_TEXT(2, company, company_len);
	keys = palloc(LC_SEARCH_KEYS_BYTES);
	n = lc_search_doc_keys(PG_GETARG_INT32(0), name, name_len, company, company_len, keys);
	PG_RETURN_DATUM(keys_array(keys, n));
}

/* search_document(name_fold, company_key): what the trigram index holds */
PG_FUNCTION_INFO_V1(lc_search_document_fn);
Datum
lc_search_document_fn(PG_FUNCTION_ARGS)
{
	const char *name = NULL,
			   *company = NULL;
	size_t		name_len = 0,
				company_len = 0;
	text	   *out;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(0))
		LC_ARG_TEXT(0, name, name_len);
	if (!PG_ARGISNULL(1))
		LC_ARG_TEXT(1, company, company_len);
	out = palloc(VARHDRSZ + name_len + company_len + 2);
	SET_VARSIZE(out, VARHDRSZ + lc_search_document(name, name_len, company, company_len,
												   VARDATA(out)));
	PG_RETURN_TEXT_P(out);
}

/* phone_digits(text): digits of a typed phone in national form, NULL if none */
PG_FUNCTION_INFO_V1(lc_phone_digits_fn);
Datum
lc_phone_digits_fn(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				n;
	char		digits[LC_SEARCH_PHONE_DIGITS + 1];

	LC_ARG_TEXT(0, s, len);
	n = lc_search_phone_digits(s, len, digits);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(digits, (int) n));
}

/* phone_suffix_key(phone, typed): the digits of the number, last first */
PG_FUNCTION_INFO_V1(lc_phone_suffix_key);
Datum
lc_phone_suffix_key(PG_FUNCTION_ARGS)
{
	char		digits[LC_SEARCH_PHONE_DIGITS + 1],
				rev[LC_SEARCH_PHONE_DIGITS];
	size_t		n = 0,
				i;

	if (!PG_ARGISNULL(0))
		n = (size_t) snprintf(digits, sizeof(digits), INT64_FORMAT, PG_GETARG_INT64(0));
	else if (!PG_ARGISNULL(1))
	{
		const char *s;
		size_t		len;

		LC_ARG_TEXT(1, s, len);
		n = lc_search_phone_digits(s, len, digits);
	}
	if (n == 0)
		PG_RETURN_NULL();
	for (i = 0; i < n; i++)
		rev[i] = digits[n - 1 - i];
	PG_RETURN_TEXT_P(cstring_to_text_with_len(rev, (int) n));
}

/* search_readings(query): how the core reads a query, for users and tests */
PG_FUNCTION_INFO_V1(lc_search_readings);
Datum
lc_search_readings(PG_FUNCTION_ARGS)
{
	static const char *const kinds[] = {"typed", "telex", "vni", "company"};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	lc_search_query *q = palloc(sizeof(lc_search_query));
	int			i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	if (!read_query(PG_GETARG_TEXT_PP(0), q))
		return (Datum) 0;
	for (i = 0; i < q->nreadings; i++)
	{
		StringInfoData s;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		initStringInfo(&s);
		for (j = 0; j < q->readings[i].nwords; j++)
		{
			const lc_search_word *w = &q->readings[i].words[j];

			appendStringInfo(&s, "%s%s", j ? " " : "", w->fold);
			if (w->sig[0])
				appendStringInfo(&s, "(%s)", w->sig);
		}
		values[0] = CStringGetTextDatum(kinds[q->readings[i].kind]);
		values[1] = CStringGetTextDatum(s.data);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	for (i = 0; i < q->nphones; i++)
	{
		const lc_search_phone *p = &q->phones[i];
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (p->kind == LC_SEARCH_PHONE_SUFFIX)
		{
			values[0] = CStringGetTextDatum("phone_suffix");
			values[1] = CStringGetTextDatum(p->digits);
		}
		else
		{
			values[0] = CStringGetTextDatum(p->kind == LC_SEARCH_PHONE_FULL ? "phone" : "phone_prefix");
			values[1] = CStringGetTextDatum(p->kind == LC_SEARCH_PHONE_FULL ?
											psprintf("+" INT64_FORMAT, p->lo) :
											psprintf("+" INT64_FORMAT " .. +" INT64_FORMAT,
													 p->lo, p->hi - 1));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	for (i = 0; i < q->nemails; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = CStringGetTextDatum(q->emails[i].exact ? "email" : "email_prefix");
		values[1] = CStringGetTextDatum(q->emails[i].text);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* the non-NULL elements of a text[] */
static Datum *
key_elements(ArrayType *a, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			i,
				k = 0;

	deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, n);
	for (i = 0; i < *n; i++)
		if (!nulls[i])
			elems[k++] = elems[i];
	*n = k;
	return elems;
}

static bool
key_in(Datum key, const Datum *keys, int n, bool sorted)
{
	int			lo = 0,
				hi = n,
				i;

	if (!sorted)
	{
		for (i = 0; i < n; i++)
			if (key_cmp(key, keys[i]) == 0)
				return true;
		return false;
	}
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2,
					c = key_cmp(key, keys[mid]);

		if (c == 0)
			return true;
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool
keys_sorted(const Datum *keys, int n)
{
	int			i;

	for (i = 1; i < n; i++)
		if (key_cmp(keys[i - 1], keys[i]) > 0)
			return false;
	return true;
}

/* search_keys_contain(a, b): every element of b is in a (array @>, leakproof) */
PG_FUNCTION_INFO_V1(lc_search_keys_contain);
Datum
lc_search_keys_contain(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0),
			   *b = PG_GETARG_ARRAYTYPE_P(1);
	int			na,
				nb,
				i;
	Datum	   *ea = key_elements(a, &na),
			   *eb = key_elements(b, &nb);
	bool		sorted = keys_sorted(ea, na);

	if (nb != ArrayGetNItems(ARR_NDIM(b), ARR_DIMS(b)))
		PG_RETURN_BOOL(false);	/* a NULL is in no array */
	for (i = 0; i < nb; i++)
		if (!key_in(eb[i], ea, na, sorted))
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}

/* search_keys_overlap(a, b): some element of b is in a (array &&, leakproof) */
PG_FUNCTION_INFO_V1(lc_search_keys_overlap);
Datum
lc_search_keys_overlap(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0),
			   *b = PG_GETARG_ARRAYTYPE_P(1);
	int			na,
				nb,
				i;
	Datum	   *ea = key_elements(a, &na),
			   *eb = key_elements(b, &nb);
	bool		sorted = keys_sorted(eb, nb);

	for (i = 0; i < na; i++)
		if (key_in(ea[i], eb, nb, sorted))
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

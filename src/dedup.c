/*
 * src/dedup.c - duplicate detection glue: the tenant's Fellegi-Sunter
 * parameters (cached), candidate lookup through the blocking indexes,
 * find_duplicates / duplicates_of / match_candidates, the insert policy
 * trigger and the EM re-estimation of the parameters.
 *
 * Blocking: two leads are compared when they share a phone (main or
 * alternate), an e-mail key (main or alternate), a Facebook profile key, or a
 * name key (family key +
 * given name) together with the province or the company key. Name blocks of
 * more than dedup_setting.name_block_max leads are skipped: such names are too
 * common for the name to be evidence, and a duplicate among them shares a
 * phone or an e-mail or is not recognisable anyway.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "core/dedup.h"
#include "core/facebook.h"
#include "core/vn_company.h"
#include "core/vn_email.h"
#include "core/vn_province.h"
#include "core/vn_phone.h"
#include "core/vn_text.h"
#include "lead_crm.h"

#define DD_MAX_PHONES 8
#define DD_MAX_EMAILS 8
#define DD_MAX_CANDIDATES 1000
/*
 * Leads sharing a family + given name key are counted up to this many: the
 * count weighs a name whose middle name is missing, and beyond it the name is
 * too common to decide anything (counting further costs every lookup).
 */
#define DD_NAME_COUNT_MAX 1000

/* ---- the tenant's parameters ---- */

typedef enum DdPolicy
{
	DD_OFF,
	DD_FLAG,
	DD_BLOCK
} DdPolicy;

typedef struct DdConfig
{
	int32		tenant_id;
	uint64		generation;
	lc_dd_params p;
	DdPolicy	policy;
	double		threshold;
	int			name_block_max;
	bool		english;
	bool		estimated;		/* parameters estimated from the tenant's leads at least once */
} DdConfig;

/* fewer leads than this are too few to estimate parameters from */
#define DD_ESTIMATE_MIN_LEADS 1000

static DdConfig dd_cache;
static bool dd_cache_valid = false;

static const char *const dd_comparison_sql[LC_DD_NCMP] = {
	"name", "phone", "email", "company", "province", "birthday", "facebook"
};

static int
comparison_of(const char *name)
{
	int			c;

	for (c = 0; c < LC_DD_NCMP; c++)
		if (strcmp(name, dd_comparison_sql[c]) == 0)
			return c;
	return -1;
}

static int
level_of(int c, const char *name)
{
	int			l;

	for (l = 0; l < lc_dd_levels(c); l++)
		if (strcmp(name, lc_dd_level_name(c, l)) == 0)
			return l;
	return -1;
}

/*
 * The tenant's settings and parameters; a tenant not provisioned yet uses the
 * template's (tenant 0). Reloaded whenever configuration changes anywhere.
 */
static const DdConfig *
dd_config(int32 tenant_id)
{
	uint64		gen = lc_config_generation();
	Datum		arg[1];
	Oid			argtype[1] = {INT4OID};
	int32		source;
	uint64		i;
	bool		isnull;
	DdConfig	cfg;

	if (dd_cache_valid && dd_cache.tenant_id == tenant_id && dd_cache.generation == gen)
		return &dd_cache;

	memset(&cfg, 0, sizeof(cfg));
	cfg.tenant_id = tenant_id;
	cfg.generation = gen;
	lc_dd_default_params(&cfg.p);
	cfg.policy = DD_FLAG;
	cfg.threshold = 0.5;
	cfg.name_block_max = 50;
	lc_ensure_tenant(tenant_id);
	cfg.english = lc_tenant_config(tenant_id)->english;

	SPI_connect();
	arg[0] = Int32GetDatum(tenant_id);
	if (SPI_execute_with_args("SELECT s.tenant_id, s.policy, s.threshold, s.name_block_max,"
							  " s.prior_log2_odds, s.lead_count, s.estimated_at IS NOT NULL"
							  " FROM lead_crm.dedup_setting s WHERE s.tenant_id IN ($1, 0)"
							  " ORDER BY s.tenant_id DESC LIMIT 1",
							  1, argtype, arg, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "cannot read lead_crm.dedup_setting");
	source = tenant_id;
	if (SPI_processed == 1)
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;
		char	   *policy = SPI_getvalue(t, d, 2);

		source = DatumGetInt32(SPI_getbinval(t, d, 1, &isnull));
		cfg.policy = strcmp(policy, "off") == 0 ? DD_OFF :
			strcmp(policy, "block") == 0 ? DD_BLOCK : DD_FLAG;
		cfg.threshold = DatumGetFloat4(SPI_getbinval(t, d, 3, &isnull));
		cfg.name_block_max = DatumGetInt32(SPI_getbinval(t, d, 4, &isnull));
		cfg.p.prior_log2_odds = DatumGetFloat8(SPI_getbinval(t, d, 5, &isnull));
		cfg.p.lead_count = DatumGetFloat8(SPI_getbinval(t, d, 6, &isnull));
		cfg.estimated = source == tenant_id && DatumGetBool(SPI_getbinval(t, d, 7, &isnull));
	}
	arg[0] = Int32GetDatum(source);
	if (SPI_execute_with_args("SELECT comparison, level, m, u FROM lead_crm.dedup_parameter"
							  " WHERE tenant_id = $1",
							  1, argtype, arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read lead_crm.dedup_parameter");
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		int			c = comparison_of(SPI_getvalue(t, d, 1));
		int			l = c < 0 ? -1 : level_of(c, SPI_getvalue(t, d, 2));

		if (l < 0)
			continue;
		cfg.p.m[c][l] = DatumGetFloat8(SPI_getbinval(t, d, 3, &isnull));
		cfg.p.u[c][l] = DatumGetFloat8(SPI_getbinval(t, d, 4, &isnull));
	}
	SPI_finish();
	dd_cache = cfg;
	dd_cache_valid = true;
	return &dd_cache;
}

/* ---- a lead as the comparisons see it ---- */

typedef struct DdLead
{
	int64		id;
	const char *full_name;		/* as typed, for reasons */
	lc_dd_name name;
	const char *name_key;
	const char *full_key;
	int64		phones[DD_MAX_PHONES];
	int			nphones;
	const char *emails[DD_MAX_EMAILS];
	size_t		email_len[DD_MAX_EMAILS];
	int			nemails;
	const char *company;
	size_t		company_len;
	const char *province;
	size_t		province_len;
	lc_dd_date	birthday;		/* month 0: none */
	const char *facebook;		/* profile key */
	size_t		facebook_len;
} DdLead;

/* Columns every lead query selects, in this order (dd_lead_from_tuple). */
#define DD_LEAD_COLUMNS \
	"l.id, l.full_name, l.name_fold, l.dedup_name_key, l.phone_e164, l.alt_phone_keys," \
	" l.email_key, l.alt_email_keys, l.company_key, l.province_canon, l.dedup_full_key," \
	" l.birthday, l.facebook_key"
#define DD_LEAD_NCOLUMNS 13

static char *
dup_text(const char *s, size_t len)
{
	char	   *r = palloc(len + 1);

	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

static void
add_phone(DdLead *l, int64 v)
{
	int			i;

	if (v <= 0 || l->nphones >= DD_MAX_PHONES)
		return;
	for (i = 0; i < l->nphones; i++)
		if (l->phones[i] == v)
			return;
	l->phones[l->nphones++] = v;
}

static void
add_phone_text(DdLead *l, const char *s, size_t len)
{
	int64_t		v;

	if (lc_phone_parse(s, len, &v) == LC_PHONE_OK)
		add_phone(l, v);
}

static void
add_email(DdLead *l, const char *s, size_t len)
{
	int			i;

	if (len == 0 || l->nemails >= DD_MAX_EMAILS)
		return;
	for (i = 0; i < l->nemails; i++)
		if (l->email_len[i] == len && memcmp(l->emails[i], s, len) == 0)
			return;
	l->emails[l->nemails] = s;
	l->email_len[l->nemails++] = len;
}

static void
dd_set_name(DdLead *l, const char *fold, size_t len)
{
	char		key[LC_DD_NAME_KEY_MAX];
	size_t		klen;

	lc_dd_name_prepare(fold, len, &l->name);
	klen = lc_dd_name_key(&l->name, key);
	l->name_key = dup_text(key, klen);
	klen = lc_dd_name_full_key(&l->name, key);
	l->full_key = dup_text(key, klen);
}

static const char *
text_col(HeapTuple t, TupleDesc d, int col, size_t *len)
{
	bool		isnull;
	Datum		v = SPI_getbinval(t, d, col, &isnull);
	text	   *x;

	*len = 0;
	if (isnull)
		return NULL;
	x = DatumGetTextPP(v);
	*len = VARSIZE_ANY_EXHDR(x);
	return dup_text(VARDATA_ANY(x), *len);
}

static void
text_array_col(HeapTuple t, TupleDesc d, int col, DdLead *l, bool phones)
{
	bool		isnull;
	Datum		v = SPI_getbinval(t, d, col, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	if (isnull)
		return;
	deconstruct_array(DatumGetArrayTypeP(v), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		text	   *x;

		if (nulls[i])
			continue;
		x = DatumGetTextPP(elems[i]);
		if (phones)
			add_phone_text(l, VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x));
		else
			add_email(l, dup_text(VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x)), VARSIZE_ANY_EXHDR(x));
	}
}

/* fill l from a row of DD_LEAD_COLUMNS (strings copied into the current context) */
static void
dd_lead_from_tuple(HeapTuple t, TupleDesc d, DdLead *l)
{
	bool		isnull;
	Datum		v;
	size_t		len;
	const char *s;

	memset(l, 0, sizeof(*l));
	l->id = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
	l->full_name = text_col(t, d, 2, &len);
	s = text_col(t, d, 3, &len);
	lc_dd_name_prepare(s ? s : "", len, &l->name);
	s = text_col(t, d, 4, &len);
	l->name_key = s ? s : "";
	v = SPI_getbinval(t, d, 5, &isnull);
	if (!isnull)
		add_phone(l, DatumGetInt64(v));
	text_array_col(t, d, 6, l, true);
	s = text_col(t, d, 7, &len);
	if (s)
		add_email(l, s, len);
	text_array_col(t, d, 8, l, false);
	l->company = text_col(t, d, 9, &l->company_len);
	l->province = text_col(t, d, 10, &l->province_len);
	s = text_col(t, d, 11, &len);
	l->full_key = s ? s : "";
	v = SPI_getbinval(t, d, 12, &isnull);
	if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(v)))
		j2date(DatumGetDateADT(v) + POSTGRES_EPOCH_JDATE,
			   &l->birthday.year, &l->birthday.month, &l->birthday.day);
	l->facebook = text_col(t, d, 13, &l->facebook_len);
}

/* ---- comparing two leads ---- */

typedef struct DdMatch
{
	int			level[LC_DD_NCMP];
	double		part[LC_DD_NCMP];
	double		weight;
	double		score;
	int64		shared_phone;
	int			shared_email;	/* index in a's e-mails */
} DdMatch;

static void
dd_levels(const DdLead *a, const DdLead *b, DdMatch *m)
{
	m->level[LC_DD_NAME] = lc_dd_compare_names(&a->name, &b->name);
	m->level[LC_DD_PHONE] = lc_dd_compare_phones(a->phones, a->nphones, b->phones, b->nphones,
												 &m->shared_phone);
	m->level[LC_DD_EMAIL] = lc_dd_compare_emails(a->emails, a->email_len, a->nemails,
												 b->emails, b->email_len, b->nemails, &a->name, &b->name,
												 &m->shared_email);
	m->level[LC_DD_COMPANY] = lc_dd_compare_companies(a->company, a->company_len,
													  b->company, b->company_len);
	m->level[LC_DD_PROVINCE] = lc_dd_compare_provinces(a->province, a->province_len,
													   b->province, b->province_len);
	m->level[LC_DD_BIRTHDAY] = lc_dd_compare_birthdays(&a->birthday, &b->birthday);
	m->level[LC_DD_FACEBOOK] = lc_dd_compare_facebook(a->facebook, a->facebook_len,
													  b->facebook, b->facebook_len);
}

static void
dd_compare(const DdConfig *cfg, const DdLead *a, const DdLead *b, double full_count,
		   double name_count, DdMatch *m)
{
	dd_levels(a, b, m);
	m->weight = lc_dd_weight(&cfg->p, m->level, full_count, name_count, m->part);
	m->score = lc_dd_score(&cfg->p, m->weight);
}

/* a birthday as Vietnamese write it: 12/05/1990, or 12/05 when the year is unknown */
static const char *
birthday_text(const lc_dd_date *d)
{
	return d->year > LC_DD_YEAR_UNKNOWN ? psprintf("%02d/%02d/%04d", d->day, d->month, d->year) :
		psprintf("%02d/%02d", d->day, d->month);
}

static const char *
phone_text(int64 v, char *buf)
{
	lc_phone_format_e164(v, buf);
	return buf;
}

/* One reason per compared field, strongest evidence first, in the tenant's language. */
static Datum
dd_reasons(const DdConfig *cfg, const DdLead *a, const DdLead *b, const DdMatch *m,
		   double full_count, double name_count)
{
	const char *text[LC_DD_NCMP];
	double		part[LC_DD_NCMP];
	Datum		items[LC_DD_NCMP];
	int			order[LC_DD_NCMP],
				n = 0,
				c,
				i,
				j;
	bool		en = cfg->english;
	char		p1[LC_PHONE_TEXT_MAX],
				p2[LC_PHONE_TEXT_MAX];

	for (c = 0; c < LC_DD_NCMP; c++)
	{
		int			l = m->level[c];
		const char *r = NULL;

		if (l < 0)
			continue;
		switch (c)
		{
			case LC_DD_NAME:
				switch (l)
				{
					case LC_DD_NAME_EXACT:
						r = psprintf(en ? "same name \"%s\"" : "cùng họ tên \"%s\"", a->full_name);
						break;
					case LC_DD_NAME_NO_MIDDLE:
						r = psprintf(en ? "same family and given name, a middle name missing (\"%s\" / \"%s\")" :
									 "cùng họ và tên, thiếu tên đệm (\"%s\" / \"%s\")", a->full_name, b->full_name);
						break;
					case LC_DD_NAME_CLOSE:
						r = psprintf(en ? "similar name, a typo or Hoàng/Huỳnh, Vũ/Võ (\"%s\" / \"%s\")" :
									 "họ tên gần giống, lỗi gõ hoặc Hoàng/Huỳnh, Vũ/Võ (\"%s\" / \"%s\")",
									 a->full_name, b->full_name);
						break;
					case LC_DD_NAME_OTHER_MIDDLE:
						r = psprintf(en ? "same family and given name, different middle names (\"%s\" / \"%s\")" :
									 "cùng họ và tên, khác tên đệm (\"%s\" / \"%s\")", a->full_name, b->full_name);
						break;
					case LC_DD_NAME_GIVEN_ONLY:
						r = psprintf(en ? "only the given name agrees (\"%s\" / \"%s\")" :
									 "chỉ trùng tên gọi (\"%s\" / \"%s\")", a->full_name, b->full_name);
						break;
					default:
						r = psprintf(en ? "different names (\"%s\" / \"%s\")" : "khác họ tên (\"%s\" / \"%s\")",
									 a->full_name, b->full_name);
				}
				if (l == LC_DD_NAME_EXACT && full_count >= 10)
					r = psprintf(en ? "%s, a common name (%.0f leads)" : "%s, tên phổ biến (%.0f lead)",
								 r, full_count);
				else if (l == LC_DD_NAME_NO_MIDDLE && name_count >= 10)
					r = psprintf(en ? "%s, a common name (%.0f leads)" : "%s, tên phổ biến (%.0f lead)",
								 r, name_count);
				break;
			case LC_DD_PHONE:
				if (l == LC_DD_PHONE_SAME_MOBILE)
					r = psprintf(en ? "same mobile %s" : "cùng số di động %s", phone_text(m->shared_phone, p1));
				else if (l == LC_DD_PHONE_SAME_OTHER)
					r = lc_phone_kind_of(m->shared_phone) == LC_PHONE_LANDLINE ?
						psprintf(en ? "same landline %s (perhaps a company switchboard)" :
								 "cùng số máy bàn %s (có thể là tổng đài công ty)", phone_text(m->shared_phone, p1)) :
						psprintf(en ? "same phone %s" : "cùng số điện thoại %s", phone_text(m->shared_phone, p1));
				else if (l == LC_DD_PHONE_ONE_DIGIT)
					r = psprintf(en ? "phones one digit apart (%s / %s)" : "số điện thoại lệch một chữ số (%s / %s)",
								 phone_text(a->phones[0], p1), phone_text(b->phones[0], p2));
				else
					r = en ? "different phones" : "khác số điện thoại";
				break;
			case LC_DD_EMAIL:
				if (l == LC_DD_EMAIL_SAME)
					r = psprintf(en ? "same e-mail %.*s" : "cùng email %.*s",
								 (int) a->email_len[m->shared_email], a->emails[m->shared_email]);
				else if (l == LC_DD_EMAIL_SAME_LOCAL)
				{
					const char *e = a->emails[m->shared_email];
					const char *at = memchr(e, '@', a->email_len[m->shared_email]);

					r = psprintf(en ? "same e-mail name \"%.*s\" at another domain" :
								 "cùng tên email \"%.*s\" ở tên miền khác",
								 (int) (at ? at - e : (int) a->email_len[m->shared_email]), e);
				}
				else
					r = en ? "different e-mails" : "khác email";
				break;
			case LC_DD_COMPANY:
				if (l == LC_DD_COMPANY_SAME)
					r = psprintf(en ? "same company \"%s\"" : "cùng công ty \"%s\"", a->company);
				else if (l == LC_DD_COMPANY_SIMILAR)
					r = psprintf(en ? "similar company names (\"%s\" / \"%s\")" : "tên công ty gần giống (\"%s\" / \"%s\")",
								 a->company, b->company);
				else
					r = en ? "different companies" : "khác công ty";
				break;
			case LC_DD_PROVINCE:
				if (l == LC_DD_PROVINCE_SAME)
					r = psprintf(en ? "same province %s" : "cùng tỉnh/thành %s", a->province);
				else
					r = psprintf(en ? "different provinces (%s / %s)" : "khác tỉnh/thành (%s / %s)",
								 a->province, b->province);
				break;
			case LC_DD_BIRTHDAY:
				if (l == LC_DD_BIRTHDAY_SAME)
					r = psprintf(en ? "same birthday %s" : "cùng ngày sinh %s", birthday_text(&a->birthday));
				else if (l == LC_DD_BIRTHDAY_CLOSE)
				{
					const lc_dd_date *x = &a->birthday,
							   *y = &b->birthday;

					/* which of the close cases it is (lc_dd_compare_birthdays) */
					if (x->year <= LC_DD_YEAR_UNKNOWN || y->year <= LC_DD_YEAR_UNKNOWN)
						r = psprintf(en ? "same birthday without the year (%s / %s)" :
									 "cùng ngày sinh, thiếu năm (%s / %s)", birthday_text(x), birthday_text(y));
					else if (x->year == y->year && x->day == y->month && x->month == y->day)
						r = psprintf(en ? "birthdays with day and month swapped (%s / %s)" :
									 "ngày sinh đảo ngày và tháng (%s / %s)", birthday_text(x), birthday_text(y));
					else
						r = psprintf(en ? "birthdays one digit apart (%s / %s)" :
									 "ngày sinh lệch một chữ số (%s / %s)", birthday_text(x), birthday_text(y));
				}
				else
					r = psprintf(en ? "different birthdays (%s / %s)" : "khác ngày sinh (%s / %s)",
								 birthday_text(&a->birthday), birthday_text(&b->birthday));
				break;
			case LC_DD_FACEBOOK:
				if (l == LC_DD_FACEBOOK_SAME)
					r = psprintf(en ? "same Facebook profile %s" : "cùng Facebook %s", a->facebook);
				else
					r = psprintf(en ? "different Facebook profiles (%s / %s)" : "khác Facebook (%s / %s)",
								 a->facebook, b->facebook);
				break;
		}
		text[n] = r;
		part[n] = m->part[c];
		order[n] = n;
		n++;
	}
	/* strongest first: insertion sort of at most LC_DD_NCMP */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && part[order[j]] > part[order[j - 1]]; j--)
		{
			int			t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		items[i] = CStringGetTextDatum(text[order[i]]);
	return PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* ---- candidates of one lead through the indexes ---- */

static SPIPlanPtr count_plan = NULL;
static SPIPlanPtr candidate_plan = NULL;

static Datum
text_array_datum(const char *const *s, const size_t *len, int n)
{
	Datum	   *items = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	int			i;

	for (i = 0; i < n; i++)
		items[i] = PointerGetDatum(cstring_to_text_with_len(s[i], (int) len[i]));
	return PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
phone_array_datum(const DdLead *l)
{
	const char *s[DD_MAX_PHONES];
	size_t		len[DD_MAX_PHONES];
	int			i;

	for (i = 0; i < l->nphones; i++)
	{
		char	   *b = palloc(LC_PHONE_TEXT_MAX);

		len[i] = lc_phone_format_e164(l->phones[i], b);
		s[i] = b;
	}
	return text_array_datum(s, len, l->nphones);
}

/* how many leads of the tenant share a lead's full name key and name key */
typedef struct DdCounts
{
	double		full;
	double		name;
} DdCounts;

typedef struct DdCandidate
{
	DdLead		lead;
	DdMatch		match;
} DdCandidate;

/*
 * Leads of the tenant that share a blocking key with l (not l itself, not
 * merged ones), compared with l; those reaching min_score are returned.
 * insert_count is 1 when l is not stored yet (match_candidates): the name
 * frequency then counts it as if it were.
 */
static DdCandidate *
dd_candidates(const DdConfig *cfg, const DdLead *l, int64 exclude_id, double min_score,
			  int insert_count, int *ncand, DdCounts *counts)
{
	Datum		args[13];
	char		nulls[13];
	Datum		cargs[7];
	char		cnulls[7];
	Oid			types[13] = {INT4OID, TEXTOID, TEXTOID, TEXTOID, INT8OID, TEXTARRAYOID,
	TEXTARRAYOID, BOOLOID, BOOLOID, INT4OID, BOOLOID, TEXTOID, TEXTOID};
	int64		name_count = 0,
				full_count = 0,
				prov_count = 0,
				comp_count = 0;
	DdCandidate *out;
	MemoryContext caller = CurrentMemoryContext;
	uint64		i;
	int			n = 0;
	bool		isnull;

	*ncand = 0;
	SPI_connect();
	if (count_plan == NULL)
	{
		Oid			ct[7] = {INT4OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID};

		/* each count stops where its value no longer matters: index-only and short */
		count_plan = SPI_prepare("SELECT"
								 " (SELECT count(*) FROM (SELECT FROM lead_crm.lead l WHERE l.tenant_id = $1"
								 "   AND l.dedup_name_key = $2 AND l.merged_into IS NULL LIMIT $6) s),"
								 " (SELECT count(*) FROM (SELECT FROM lead_crm.lead l WHERE l.tenant_id = $1"
								 "   AND l.dedup_name_key = $2 AND l.province_canon = $3 AND l.merged_into IS NULL LIMIT $7) s),"
								 " (SELECT count(*) FROM (SELECT FROM lead_crm.lead l WHERE l.tenant_id = $1"
								 "   AND l.dedup_name_key = $2 AND l.company_key = $4 AND l.merged_into IS NULL LIMIT $7) s),"
								 " (SELECT count(*) FROM lead_crm.lead l WHERE l.tenant_id = $1"
								 "   AND l.dedup_full_key = $5 AND l.merged_into IS NULL)",
								 7, ct);
		if (count_plan == NULL)
			elog(ERROR, "cannot prepare the name count: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(count_plan);
	}
	if (candidate_plan == NULL)
	{
		candidate_plan = SPI_prepare("WITH c AS ("
									 " SELECT x.id FROM lead_crm.lead x WHERE x.tenant_id = $1"
									 "  AND x.phone_e164 OPERATOR(lead_crm.=) ANY ($6::text[]::lead_crm.phone[])"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE x.tenant_id = $1"
									 "  AND x.email_key = ANY ($7)"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE $11 AND x.tenant_id = $1"
									 "  AND x.dedup_name_key = $2 AND x.dedup_full_key = $12 AND x.merged_into IS NULL"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE $8 AND x.tenant_id = $1"
									 "  AND x.dedup_name_key = $2 AND x.province_canon = $3 AND x.merged_into IS NULL"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE $9 AND x.tenant_id = $1"
									 "  AND x.dedup_name_key = $2 AND x.company_key = $4 AND x.merged_into IS NULL"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE x.alt_phone_keys && $6"
									 "  AND x.alt_phone_keys <> '{}' AND x.tenant_id = $1"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE x.alt_email_keys && $7"
									 "  AND x.alt_email_keys <> '{}' AND x.tenant_id = $1"
									 " UNION SELECT x.id FROM lead_crm.lead x WHERE x.tenant_id = $1"
									 "  AND x.facebook_key = $13 AND x.facebook_key IS NOT NULL"
									 ") SELECT " DD_LEAD_COLUMNS
									 " FROM c JOIN lead_crm.lead l ON l.tenant_id = $1 AND l.id = c.id"
									 " WHERE l.merged_into IS NULL AND l.id IS DISTINCT FROM $5"
									 " ORDER BY l.id LIMIT $10",
									 13, types);
		if (candidate_plan == NULL)
			elog(ERROR, "cannot prepare the candidate lookup: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(candidate_plan);
	}

	memset(nulls, ' ', sizeof(nulls));
	args[0] = Int32GetDatum(cfg->tenant_id);
	args[1] = CStringGetTextDatum(l->name_key);
	args[2] = l->province ? PointerGetDatum(cstring_to_text_with_len(l->province, (int) l->province_len)) : (Datum) 0;
	nulls[2] = l->province ? ' ' : 'n';
	args[3] = l->company ? PointerGetDatum(cstring_to_text_with_len(l->company, (int) l->company_len)) : (Datum) 0;
	nulls[3] = l->company ? ' ' : 'n';
	args[4] = CStringGetTextDatum(l->full_key);

	/*
	 * Not read-only: in the insert trigger, a fresh snapshot sees the other
	 * rows of the same INSERT or COPY, so duplicates within one load are found.
	 */
	if (l->name_key[0])
	{
		TupleDesc	d;
		HeapTuple	t;

		memcpy(cargs, args, sizeof(Datum) * 5);
		memcpy(cnulls, nulls, 5);
		cargs[5] = Int64GetDatum(DD_NAME_COUNT_MAX);
		cargs[6] = Int64GetDatum((int64) cfg->name_block_max + 1);
		cnulls[5] = cnulls[6] = ' ';
		if (SPI_execute_plan(count_plan, cargs, cnulls, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "cannot count leads by name");
		d = SPI_tuptable->tupdesc;
		t = SPI_tuptable->vals[0];
		name_count = DatumGetInt64(SPI_getbinval(t, d, 1, &isnull));
		prov_count = DatumGetInt64(SPI_getbinval(t, d, 2, &isnull));
		comp_count = DatumGetInt64(SPI_getbinval(t, d, 3, &isnull));
		full_count = DatumGetInt64(SPI_getbinval(t, d, 4, &isnull));
	}
	name_count = Min(name_count + insert_count, DD_NAME_COUNT_MAX);
	full_count += insert_count;
	prov_count += insert_count;
	comp_count += insert_count;
	counts->name = (double) name_count;
	counts->full = (double) full_count;

	args[4] = Int64GetDatum(exclude_id);
	nulls[4] = exclude_id > 0 ? ' ' : 'n';
	args[5] = phone_array_datum(l);
	args[6] = text_array_datum(l->emails, l->email_len, l->nemails);
	args[7] = BoolGetDatum(l->name_key[0] && l->province && prov_count <= cfg->name_block_max);
	args[8] = BoolGetDatum(l->name_key[0] && l->company && comp_count <= cfg->name_block_max);
	args[9] = Int32GetDatum(DD_MAX_CANDIDATES);
	args[10] = BoolGetDatum(l->name_key[0] && full_count <= cfg->name_block_max);
	args[11] = CStringGetTextDatum(l->full_key);
	args[12] = l->facebook ? PointerGetDatum(cstring_to_text_with_len(l->facebook, (int) l->facebook_len)) : (Datum) 0;
	nulls[12] = l->facebook ? ' ' : 'n';
	if (SPI_execute_plan(candidate_plan, args, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot look up duplicate candidates");

	out = MemoryContextAlloc(caller, sizeof(DdCandidate) * (SPI_processed > 0 ? SPI_processed : 1));
	for (i = 0; i < SPI_processed; i++)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);
		DdCandidate *c = &out[n];

		dd_lead_from_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &c->lead);
		dd_compare(cfg, l, &c->lead, counts->full, counts->name, &c->match);
		MemoryContextSwitchTo(spi);
		if (c->match.score >= min_score)
			n++;
	}
	SPI_finish();
	*ncand = n;
	return out;
}

static int
candidate_cmp(const void *x, const void *y)
{
	const DdCandidate *a = x,
			   *b = y;

	if (a->match.score != b->match.score)
		return a->match.score > b->match.score ? -1 : 1;
	return a->lead.id < b->lead.id ? -1 : a->lead.id > b->lead.id;
}

static double
min_score_arg(FunctionCallInfo fcinfo, int argno, const DdConfig *cfg)
{
	float4		v;

	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return cfg->threshold;
	v = PG_GETARG_FLOAT4(argno);
	if (isnan(v) || v < 0 || v > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_score must be between 0 and 1"),
				 errdetail("The value given was %g.", (double) v),
				 errhint("Pass NULL for the tenant's threshold (lead_crm.dedup_setting.threshold).")));
	return v;
}

static void
emit_candidates(FunctionCallInfo fcinfo, const DdConfig *cfg, const DdLead *l,
				DdCandidate *cand, int n, const DdCounts *counts)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	qsort(cand, n, sizeof(DdCandidate), candidate_cmp);
	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int64GetDatum(cand[i].lead.id);
		values[1] = Float4GetDatum((float4) cand[i].match.score);
		values[2] = dd_reasons(cfg, l, &cand[i].lead, &cand[i].match, counts->full, counts->name);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/* fetch one live lead of the tenant as a DdLead; false when there is none */
static bool
dd_fetch_lead(int32 tenant_id, int64 id, DdLead *l, int64 *merged_into)
{
	Datum		args[2] = {Int32GetDatum(tenant_id), Int64GetDatum(id)};
	Oid			types[2] = {INT4OID, INT8OID};
	MemoryContext caller = CurrentMemoryContext;
	bool		found = false;

	SPI_connect();
	if (SPI_execute_with_args("SELECT " DD_LEAD_COLUMNS ", l.merged_into FROM lead_crm.lead l"
							  " WHERE l.tenant_id = $1 AND l.id = $2",
							  2, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "cannot read lead");
	if (SPI_processed == 1)
	{
		MemoryContext spi = MemoryContextSwitchTo(caller);
		bool		isnull;
		Datum		v;

		dd_lead_from_tuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, l);
		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, DD_LEAD_NCOLUMNS + 1, &isnull);
		*merged_into = isnull ? 0 : DatumGetInt64(v);
		MemoryContextSwitchTo(spi);
		found = true;
	}
	SPI_finish();
	return found;
}

/* duplicates_of(lead_id, min_score): candidates of a stored lead, best first */
PG_FUNCTION_INFO_V1(lc_duplicates_of);
Datum
lc_duplicates_of(PG_FUNCTION_ARGS)
{
	int32		tenant_id = lc_current_tenant();
	const DdConfig *cfg;
	DdConfig	cfg_copy;
	DdLead		l;
	DdCandidate *cand;
	int			n;
	int64		id,
				merged_into = 0;
	double		min_score;
	DdCounts	counts;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("lead_id must not be null"),
				 errhint("Pass the id of a lead of the current tenant.")));
	id = PG_GETARG_INT64(0);
	cfg_copy = *dd_config(tenant_id);
	cfg = &cfg_copy;
	min_score = min_score_arg(fcinfo, 1, cfg);
	if (!dd_fetch_lead(tenant_id, id, &l, &merged_into))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("lead %lld does not exist", (long long) id),
				 errdetail("Tenant %d has no lead with this id.", tenant_id),
				 errhint("Check the id and the setting lead_crm.tenant.")));
	if (merged_into != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("lead %lld was merged into lead %lld", (long long) id, (long long) merged_into),
				 errhint("Look for duplicates of lead %lld instead, or undo the merge.", (long long) merged_into)));
	cand = dd_candidates(cfg, &l, id, min_score, 0, &n, &counts);
	emit_candidates(fcinfo, cfg, &l, cand, n, &counts);
	return (Datum) 0;
}

/* build a DdLead from typed values, normalized the way the lead's generated columns are */
static void
dd_lead_from_input(FunctionCallInfo fcinfo, DdLead *l)
{
	memset(l, 0, sizeof(*l));
	if (!PG_ARGISNULL(0))
	{
		text	   *t = PG_GETARG_TEXT_PP(0);
		size_t		len = VARSIZE_ANY_EXHDR(t);
		char	   *fold = palloc(lc_fold_bound(len));
		size_t		flen = lc_fold(VARDATA_ANY(t), len, fold);

		l->full_name = text_to_cstring(t);
		dd_set_name(l, fold, flen);
	}
	else
	{
		l->full_name = "";
		l->name_key = "";
		l->full_key = "";
	}
	if (!PG_ARGISNULL(1))
	{
		text	   *t = PG_GETARG_TEXT_PP(1);

		add_phone_text(l, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	if (!PG_ARGISNULL(2))
	{
		text	   *t = PG_GETARG_TEXT_PP(2);
		size_t		len = VARSIZE_ANY_EXHDR(t),
					klen;
		char	   *key = palloc(lc_email_key_bound(len));

		if (lc_email_key(VARDATA_ANY(t), len, key, &klen))
			add_email(l, key, klen);
	}
	if (!PG_ARGISNULL(3))
	{
		text	   *t = PG_GETARG_TEXT_PP(3);
		size_t		len = VARSIZE_ANY_EXHDR(t);
		char	   *key = palloc(lc_company_key_bound(len));

		l->company_len = lc_company_key(VARDATA_ANY(t), len, key);
		l->company = l->company_len ? key : NULL;
	}
	if (!PG_ARGISNULL(4))
	{
		text	   *t = PG_GETARG_TEXT_PP(4);
		size_t		len = VARSIZE_ANY_EXHDR(t);

		l->province = lc_province_name(lc_province_lookup(VARDATA_ANY(t), len,
														  palloc(lc_province_work_bound(len))));
		l->province_len = l->province ? strlen(l->province) : 0;
	}
}

/* match_candidates(full_name, phone, email, company_name, province, min_score) */
PG_FUNCTION_INFO_V1(lc_match_candidates);
Datum
lc_match_candidates(PG_FUNCTION_ARGS)
{
	int32		tenant_id = lc_current_tenant();
	DdConfig	cfg = *dd_config(tenant_id);
	DdLead		l;
	DdCandidate *cand;
	int			n;
	double		min_score = min_score_arg(fcinfo, 5, &cfg);
	DdCounts	counts;

	dd_lead_from_input(fcinfo, &l);
	cand = dd_candidates(&cfg, &l, 0, min_score, 1, &n, &counts);
	emit_candidates(fcinfo, &cfg, &l, cand, n, &counts);
	return (Datum) 0;
}

/* dedup_name_key(text): blocking key of a name, "nguyen an" for "An Nguyễn" */
PG_FUNCTION_INFO_V1(lc_dedup_name_key);
Datum
lc_dedup_name_key(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	lc_dd_name n;
	char		key[LC_DD_NAME_KEY_MAX];
	size_t		klen;

	LC_ARG_TEXT(0, s, len);
	lc_dd_name_prepare(s, len, &n);
	klen = lc_dd_name_key(&n, key);
	if (klen == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(key, (int) klen));
}

/* dedup_full_key(text): the whole name in Vietnamese order, "nguyen van an" for "Văn An Nguyễn" */
PG_FUNCTION_INFO_V1(lc_dedup_full_key);
Datum
lc_dedup_full_key(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	lc_dd_name n;
	char		key[LC_DD_NAME_KEY_MAX];
	size_t		klen;

	LC_ARG_TEXT(0, s, len);
	lc_dd_name_prepare(s, len, &n);
	klen = lc_dd_name_full_key(&n, key);
	if (klen == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(key, (int) klen));
}

/* dedup_facebook_key(text): the profile key of a Facebook link, username or id */
PG_FUNCTION_INFO_V1(lc_dedup_facebook_key);
Datum
lc_dedup_facebook_key(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len,
				klen;
	char	   *key;

	LC_ARG_TEXT(0, s, len);
	key = palloc(lc_facebook_key_bound(len));
	klen = lc_facebook_key(s, len, key);
	if (klen == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(key, (int) klen));
}

/* dedup_compare_names(a, b): the name level, for tests and for DBAs */
PG_FUNCTION_INFO_V1(lc_dedup_compare_names);
Datum
lc_dedup_compare_names(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	lc_dd_name a,
				b;
	int			l;

	LC_ARG_TEXT(0, s, len);
	lc_dd_name_prepare(s, len, &a);
	LC_ARG_TEXT(1, s, len);
	lc_dd_name_prepare(s, len, &b);
	l = lc_dd_compare_names(&a, &b);
	if (l < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(lc_dd_level_name(LC_DD_NAME, l)));
}

/* dedup_default_parameters(): the built-in m and u of every level (template rows) */
PG_FUNCTION_INFO_V1(lc_dedup_default_parameters);
Datum
lc_dedup_default_parameters(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	lc_dd_params p;
	int			c,
				l;

	InitMaterializedSRF(fcinfo, 0);
	lc_dd_default_params(&p);
	for (c = 0; c < LC_DD_NCMP; c++)
		for (l = 0; l < lc_dd_levels(c); l++)
		{
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			values[0] = CStringGetTextDatum(lc_dd_comparison_name(c));
			values[1] = CStringGetTextDatum(lc_dd_level_name(c, l));
			values[2] = Int16GetDatum(l);
			values[3] = Float8GetDatum(p.m[c][l]);
			values[4] = Float8GetDatum(p.u[c][l]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}

/* ---- the insert policy ---- */

/*
 * Pairs of the rows an INSERT or COPY added (transition table dd_new) with
 * leads they may duplicate, found with set-based joins on the blocking keys:
 * the main and alternate phones and e-mails, and the full name key when fewer
 * than name_block_max leads share it. Each row: the new lead's columns, the
 * other lead's, and the new lead's full-name and name-key counts. Two new rows
 * of one statement come once, the later one as the new lead.
 */
#define DD_NEW_PAIRS_SQL \
	"WITH n AS MATERIALIZED (" \
	"  SELECT l.id, l.full_name, l.name_fold, l.dedup_name_key, l.phone_e164, l.alt_phone_keys," \
	"         l.email_key, l.alt_email_keys, l.company_key, l.province_canon, l.dedup_full_key," \
	"         l.birthday, l.facebook_key" \
	"    FROM dd_new l %s)," \
	" full_count AS MATERIALIZED (" \
	"  SELECT l.dedup_full_key AS k, count(*) AS c FROM lead_crm.lead l" \
	"   WHERE l.tenant_id = $1 AND l.merged_into IS NULL" \
	"     AND l.dedup_full_key IN (SELECT n.dedup_full_key FROM n) GROUP BY 1)," \
	" name_count AS MATERIALIZED (" \
	"  SELECT l.dedup_name_key AS k, least(count(*), " CppAsString2(DD_NAME_COUNT_MAX) ") AS c FROM lead_crm.lead l" \
	"   WHERE l.tenant_id = $1 AND l.merged_into IS NULL" \
	"     AND l.dedup_name_key IN (SELECT n.dedup_name_key FROM n) GROUP BY 1)," \
	" p AS (" \
	"  SELECT n.id AS a, l.id AS b FROM n JOIN lead_crm.lead l" \
	"    ON l.tenant_id = $1 AND l.phone_e164 OPERATOR(lead_crm.=) n.phone_e164" \
	"  UNION SELECT n.id, l.id FROM n JOIN lead_crm.lead l ON l.tenant_id = $1 AND l.email_key = n.email_key" \
	"  UNION SELECT n.id, l.id FROM n JOIN lead_crm.lead l ON l.tenant_id = $1 AND l.facebook_key = n.facebook_key" \
	"    AND l.facebook_key IS NOT NULL AND n.facebook_key IS NOT NULL" \
	"  UNION SELECT n.id, l.id FROM n JOIN full_count f ON f.k = n.dedup_full_key AND f.c <= $2" \
	"    JOIN lead_crm.lead l ON l.tenant_id = $1 AND l.dedup_full_key = n.dedup_full_key" \
	"     AND l.dedup_name_key = n.dedup_name_key AND l.merged_into IS NULL" \
	"  UNION SELECT n.id, l.id FROM n JOIN lead_crm.lead l" \
	"    ON $3 AND l.alt_phone_keys && ARRAY[n.phone_e164::text] AND l.alt_phone_keys <> '{}' AND l.tenant_id = $1" \
	"  UNION SELECT n.id, l.id FROM n JOIN lead_crm.lead l" \
	"    ON $3 AND l.alt_email_keys && ARRAY[n.email_key] AND l.alt_email_keys <> '{}' AND l.tenant_id = $1" \
	"  UNION SELECT n.id, l.id FROM n JOIN lead_crm.lead l" \
	"    ON $3 AND n.alt_phone_keys <> '{}' AND l.phone_e164 OPERATOR(lead_crm.=) ANY (n.alt_phone_keys::lead_crm.phone[])" \
	"   AND l.tenant_id = $1)" \
	" SELECT n.id, n.full_name, n.name_fold, n.dedup_name_key, n.phone_e164, n.alt_phone_keys," \
	"        n.email_key, n.alt_email_keys, n.company_key, n.province_canon, n.dedup_full_key," \
	"        n.birthday, n.facebook_key," \
	"        l.id, l.full_name, l.name_fold, l.dedup_name_key, l.phone_e164, l.alt_phone_keys," \
	"        l.email_key, l.alt_email_keys, l.company_key, l.province_canon, l.dedup_full_key," \
	"        l.birthday, l.facebook_key," \
	"        coalesce(fc.c, 1), coalesce(nc.c, 1)" \
	"   FROM p JOIN n ON n.id = p.a" \
	"   JOIN lead_crm.lead l ON l.tenant_id = $1 AND l.id = p.b AND l.merged_into IS NULL" \
	"   LEFT JOIN full_count fc ON fc.k = n.dedup_full_key" \
	"   LEFT JOIN name_count nc ON nc.k = n.dedup_name_key" \
	"   LEFT JOIN n nb ON nb.id = p.b" \
	"  WHERE p.a <> p.b AND (p.b < p.a OR nb.id IS NULL)" \
	"  ORDER BY n.id, l.id"

/* the DD_LEAD_NCOLUMNS columns from "from" of a pair row as a DdLead (same order as DD_LEAD_COLUMNS) */
static void
dd_lead_from_pair(HeapTuple t, TupleDesc d, int from, DdLead *l)
{
	Datum		values[DD_LEAD_NCOLUMNS];
	bool		nulls[DD_LEAD_NCOLUMNS];
	TupleDesc	pd = CreateTemplateTupleDesc(DD_LEAD_NCOLUMNS);
	int			i;

	for (i = 0; i < DD_LEAD_NCOLUMNS; i++)
	{
		TupleDescCopyEntry(pd, i + 1, d, from + i);
		values[i] = SPI_getbinval(t, d, from + i, &nulls[i]);
	}
	dd_lead_from_tuple(heap_form_tuple(pd, values, nulls), pd, l);
}

/* lead_duplicate_check(): AFTER INSERT statement trigger applying the tenant's policy */
PG_FUNCTION_INFO_V1(lc_lead_duplicate_check);
Datum
lc_lead_duplicate_check(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	MemoryContext caller = CurrentMemoryContext;
	int32	   *tenants;
	int			ntenants = 0,
				t,
				save_sec;
	Oid			save_user;
	uint64		i;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event) ||
		td->tg_newtable == NULL)
		elog(ERROR, "lead_duplicate_check() must be an AFTER INSERT statement trigger with a NEW TABLE");
	if (lc_restoring())
		return PointerGetDatum(NULL);

	/* the tenants of the new rows (one, nearly always) */
	SPI_connect();
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "cannot register the transition table");
	if (SPI_execute("SELECT DISTINCT tenant_id FROM dd_new ORDER BY 1", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "cannot read the new leads");
	tenants = MemoryContextAlloc(caller, sizeof(int32) * (SPI_processed + 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		tenants[ntenants++] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();

	/*
	 * The check runs as the owner of lead_crm.lead, past row-level security:
	 * a salesperson who types a customer that a colleague already has must
	 * be told (flag or block), though the colleague's lead is not theirs to
	 * read, and the pair is recorded whoever can see it.
	 */
	GetUserIdAndSecContext(&save_user, &save_sec);
	SetUserIdAndSecContext(RelationGetForm(td->tg_relation)->relowner,
						   save_sec | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
	for (t = 0; t < ntenants; t++)
	{
		DdConfig	cfg = *dd_config(tenants[t]);
		Datum		args[3];
		Oid			types[3] = {INT4OID, INT8OID, BOOLOID};
		Datum	   *rec_a,
				   *rec_b,
				   *rec_score,
				   *rec_reasons;
		int			nrec = 0,
					cap = 64,
					gucs;
		bool		has_alternates;

		if (cfg.policy == DD_OFF)
			continue;
		SPI_connect();
		if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
			elog(ERROR, "cannot register the transition table");
		args[0] = Int32GetDatum(tenants[t]);
		if (SPI_execute_with_args("SELECT EXISTS (SELECT FROM lead_crm.lead l WHERE l.tenant_id = $1"
								  " AND (l.alt_phone_keys <> '{}' OR l.alt_email_keys <> '{}'))",
								  1, types, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "cannot look for alternates");
		{
			bool		isnull;

			has_alternates = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		}
		args[1] = Int64GetDatum(cfg.name_block_max);
		args[2] = BoolGetDatum(has_alternates);
		/*
		 * Not read-only: a fresh snapshot sees the rows of this statement.
		 * The rows of one tenant are taken without a filter, so that the
		 * planner knows their number (it has no statistics on them) and
		 * hashes. JIT is off: compiling this query costs more than running it.
		 * After a large load the statistics of the tenant's leads lag behind
		 * (a new tenant looks empty), and a nested loop over them would be
		 * quadratic: above 1000 new rows only hash and merge joins are used.
		 */
		gucs = NewGUCNestLevel();
		(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		if (tuplestore_tuple_count(td->tg_newtable) > 1000)
			(void) set_config_option("enable_nestloop", "off", PGC_USERSET, PGC_S_SESSION,
									 GUC_ACTION_SAVE, true, 0, false);
		if (SPI_execute_with_args(psprintf(DD_NEW_PAIRS_SQL, ntenants == 1 ? "" : "WHERE l.tenant_id = $1"),
								  3, types, args, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "cannot look up duplicate candidates of the new leads");
		AtEOXact_GUC(true, gucs);

		rec_a = palloc(sizeof(Datum) * cap);
		rec_b = palloc(sizeof(Datum) * cap);
		rec_score = palloc(sizeof(Datum) * cap);
		rec_reasons = palloc(sizeof(Datum) * cap);
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	row = SPI_tuptable->vals[i];
			TupleDesc	d = SPI_tuptable->tupdesc;
			DdLead		a,
						b;
			DdMatch		m;
			bool		isnull;
			double		full_count = (double) DatumGetInt64(SPI_getbinval(row, d, 2 * DD_LEAD_NCOLUMNS + 1, &isnull)),
						name_count = (double) DatumGetInt64(SPI_getbinval(row, d, 2 * DD_LEAD_NCOLUMNS + 2, &isnull));

			dd_lead_from_pair(row, d, 1, &a);
			dd_lead_from_pair(row, d, DD_LEAD_NCOLUMNS + 1, &b);
			dd_compare(&cfg, &a, &b, full_count, name_count, &m);
			if (m.score < cfg.threshold)
				continue;
			if (cfg.policy == DD_BLOCK && !lc_allow_duplicate())
			{
				ArrayType  *reasons = DatumGetArrayTypeP(dd_reasons(&cfg, &a, &b, &m, full_count, name_count));
				Datum	   *items;
				bool	   *inulls;
				int			nitems,
							k;
				StringInfoData detail;

				deconstruct_array(reasons, TEXTOID, -1, false, TYPALIGN_INT, &items, &inulls, &nitems);
				initStringInfo(&detail);
				for (k = 0; k < nitems; k++)
					appendStringInfo(&detail, "%s%s", k ? "; " : "", TextDatumGetCString(items[k]));
				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("new lead %lld \"%s\" duplicates lead %lld (score %.2f)", (long long) a.id,
								a.full_name, (long long) b.id, m.score),
						 errdetail("Lead %lld \"%s\": %s.", (long long) b.id, b.full_name, detail.data),
						 errhint("Update lead %lld or merge with lead_crm.merge_leads(); to store this row anyway "
								 "run SET LOCAL lead_crm.allow_duplicate = on in the transaction. Imports that must "
								 "report each row check it with lead_crm.match_candidates() first.",
								 (long long) b.id)));
			}
			if (nrec == cap)
			{
				cap *= 2;
				rec_a = repalloc(rec_a, sizeof(Datum) * cap);
				rec_b = repalloc(rec_b, sizeof(Datum) * cap);
				rec_score = repalloc(rec_score, sizeof(Datum) * cap);
				rec_reasons = repalloc(rec_reasons, sizeof(Datum) * cap);
			}
			rec_a[nrec] = Int64GetDatum(Min(a.id, b.id));
			rec_b[nrec] = Int64GetDatum(Max(a.id, b.id));
			rec_score[nrec] = Float4GetDatum((float4) m.score);
			rec_reasons[nrec] = dd_reasons(&cfg, &a, &b, &m, full_count, name_count);
			nrec++;
		}
		if (nrec > 0)
		{
			/* flag: every pair once (lower id first); a pair found again keeps a dismissal */
			Datum		iargs[5];
			Oid			itypes[5] = {INT4OID, INT8ARRAYOID, INT8ARRAYOID, FLOAT4ARRAYOID, TEXTARRAYOID};
			int			k;

			iargs[0] = Int32GetDatum(tenants[t]);
			iargs[1] = PointerGetDatum(construct_array(rec_a, nrec, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
			iargs[2] = PointerGetDatum(construct_array(rec_b, nrec, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
			iargs[3] = PointerGetDatum(construct_array(rec_score, nrec, FLOAT4OID, 4, true, TYPALIGN_INT));
			/* text[][] cannot be ragged: each pair's reasons travel joined by U+001F */
			for (k = 0; k < nrec; k++)
			{
				Datum	   *items;
				bool	   *inulls;
				int			nitems,
							j;
				StringInfoData joined;

				deconstruct_array(DatumGetArrayTypeP(rec_reasons[k]), TEXTOID, -1, false, TYPALIGN_INT,
								  &items, &inulls, &nitems);
				initStringInfo(&joined);
				for (j = 0; j < nitems; j++)
				{
					if (j > 0)
						appendStringInfoChar(&joined, '\x1f');
					appendStringInfoString(&joined, TextDatumGetCString(items[j]));
				}
				rec_reasons[k] = CStringGetTextDatum(joined.data);
			}
			iargs[4] = PointerGetDatum(construct_array(rec_reasons, nrec, TEXTOID, -1, false, TYPALIGN_INT));
			if (SPI_execute_with_args("INSERT INTO lead_crm.duplicate_candidate AS d"
									  " (tenant_id, lead_id, duplicate_id, score, reasons)"
									  " SELECT DISTINCT ON (a, b) $1, a, b, s, pg_catalog.string_to_array(r, E'\\x1f')"
									  "   FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3),"
									  "                   pg_catalog.unnest($4), pg_catalog.unnest($5)) AS x(a, b, s, r)"
									  "  ORDER BY a, b, s DESC"
									  " ON CONFLICT (tenant_id, lead_id, duplicate_id) DO UPDATE"
									  " SET score = EXCLUDED.score, reasons = EXCLUDED.reasons, found_at = EXCLUDED.found_at"
									  " WHERE d.status = 'open'",
									  5, itypes, iargs, NULL, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "cannot record duplicate candidates");
		}
		SPI_finish();
	}
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_user, save_sec);
	}
	PG_END_TRY();
	return PointerGetDatum(NULL);
}

/* ---- batch: every live lead of the tenant in memory ---- */

typedef struct DdKey
{
	uint64		hash;			/* top 4 bits: key type */
	int32		idx;
} DdKey;

enum
{
	KEY_PHONE = 1, KEY_EMAIL, KEY_NAME, KEY_FULL_NAME, KEY_NAME_PROVINCE, KEY_NAME_COMPANY,
	KEY_PROVINCE, KEY_COMPANY, KEY_FACEBOOK, KEY_BIRTHDAY
};
#define KEY_TYPE_SHIFT 60

/* phones and e-mails shared by more leads than this are a switchboard or a role mailbox */
#define DD_VALUE_BLOCK_MAX 100

typedef struct DdBatch
{
	DdLead	   *leads;
	int32	   *name_count;
	int32	   *full_count;
	int			n;
	uint64	   *pairs;			/* (i << 32) | j, i < j, sorted and unique */
	size_t		npairs;
	/* for re-estimation: pairs agreeing on a whole value, and leads having it */
	double		same_pairs[LC_DD_NCMP][2];
	double		having[LC_DD_NCMP];
} DdBatch;

static uint64
key_hash(int type, const void *a, size_t alen, const void *b, size_t blen)
{
	uint64		h = hash_bytes_extended(a, (int) alen, (uint64) type);

	if (b)
		h = hash_bytes_extended(b, (int) blen, h);
	return (h >> 4) | ((uint64) type << KEY_TYPE_SHIFT);
}

static int
key_cmp(const void *x, const void *y)
{
	const DdKey *a = x,
			   *b = y;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->idx - b->idx;
}

static int
pair_cmp(const void *x, const void *y)
{
	uint64		a = *(const uint64 *) x,
				b = *(const uint64 *) y;

	return a < b ? -1 : a > b;
}

static void
dd_batch_load(int32 tenant_id, DdBatch *b)
{
	Portal		portal;
	Datum		arg[1] = {Int32GetDatum(tenant_id)};
	Oid			type[1] = {INT4OID};
	SPIPlanPtr	plan;
	MemoryContext caller = CurrentMemoryContext;
	int			cap = 1024;

	b->n = 0;
	b->leads = MemoryContextAllocHuge(caller, sizeof(DdLead) * cap);
	SPI_connect();
	plan = SPI_prepare("SELECT " DD_LEAD_COLUMNS " FROM lead_crm.lead l"
					   " WHERE l.tenant_id = $1 AND l.merged_into IS NULL ORDER BY l.id", 1, type);
	if (plan == NULL)
		elog(ERROR, "cannot prepare the lead scan");
	portal = SPI_cursor_open(NULL, plan, arg, NULL, true);
	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			MemoryContext spi;

			if (b->n == cap)
			{
				cap *= 2;
				b->leads = repalloc_huge(b->leads, sizeof(DdLead) * cap);
			}
			spi = MemoryContextSwitchTo(caller);
			dd_lead_from_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &b->leads[b->n++]);
			MemoryContextSwitchTo(spi);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
}

/* Blocking: keys of every lead sorted together; pairs within small enough runs. */
static void
dd_batch_block(const DdConfig *cfg, DdBatch *b)
{
	DdKey	   *keys;
	size_t		nkeys = 0,
				kcap,
				k,
				cap = 1 << 20;
	int			i;

	kcap = (size_t) b->n * 8 + 16;
	keys = palloc_extended(sizeof(DdKey) * kcap, MCXT_ALLOC_HUGE);
	for (i = 0; i < b->n; i++)
	{
		const DdLead *l = &b->leads[i];
		size_t		nk = strlen(l->name_key);
		int			j;

#define ADD_KEY(t, a, al, bb, bl) \
		do { \
			if (nkeys == kcap) { kcap *= 2; keys = repalloc_huge(keys, sizeof(DdKey) * kcap); } \
			keys[nkeys].hash = key_hash((t), (a), (al), (bb), (bl)); \
			keys[nkeys++].idx = i; \
		} while (0)

		for (j = 0; j < l->nphones; j++)
			ADD_KEY(KEY_PHONE, &l->phones[j], sizeof(int64), NULL, 0);
		for (j = 0; j < l->nemails; j++)
			ADD_KEY(KEY_EMAIL, l->emails[j], l->email_len[j], NULL, 0);
		if (nk > 0)
		{
			ADD_KEY(KEY_NAME, l->name_key, nk, NULL, 0);
			ADD_KEY(KEY_FULL_NAME, l->full_key, strlen(l->full_key), NULL, 0);
			if (l->province)
				ADD_KEY(KEY_NAME_PROVINCE, l->name_key, nk, l->province, l->province_len);
			if (l->company)
				ADD_KEY(KEY_NAME_COMPANY, l->name_key, nk, l->company, l->company_len);
		}
		if (l->province)
			ADD_KEY(KEY_PROVINCE, l->province, l->province_len, NULL, 0);
		if (l->company)
			ADD_KEY(KEY_COMPANY, l->company, l->company_len, NULL, 0);
		if (l->facebook)
			ADD_KEY(KEY_FACEBOOK, l->facebook, l->facebook_len, NULL, 0);
		if (l->birthday.year > LC_DD_YEAR_UNKNOWN)
			ADD_KEY(KEY_BIRTHDAY, &l->birthday, sizeof(l->birthday), NULL, 0);
		b->having[LC_DD_NAME] += nk > 0;
		b->having[LC_DD_PHONE] += l->nphones > 0;
		b->having[LC_DD_EMAIL] += l->nemails > 0;
		b->having[LC_DD_COMPANY] += l->company != NULL;
		b->having[LC_DD_PROVINCE] += l->province != NULL;
		b->having[LC_DD_BIRTHDAY] += l->birthday.year > LC_DD_YEAR_UNKNOWN;
		b->having[LC_DD_FACEBOOK] += l->facebook != NULL;
	}
	qsort(keys, nkeys, sizeof(DdKey), key_cmp);

	b->name_count = palloc_extended(sizeof(int32) * (b->n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->full_count = palloc_extended(sizeof(int32) * (b->n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->pairs = palloc_extended(sizeof(uint64) * cap, MCXT_ALLOC_HUGE);
	b->npairs = 0;
	for (k = 0; k < nkeys;)
	{
		size_t		end = k + 1,
					x,
					y,
					run;
		int			type = (int) (keys[k].hash >> KEY_TYPE_SHIFT);
		size_t		limit;
		double		npair;

		while (end < nkeys && keys[end].hash == keys[k].hash)
			end++;
		run = end - k;
		npair = (double) run * (run - 1) / 2;
		switch (type)
		{
			case KEY_NAME:
				for (x = k; x < end; x++)
					b->name_count[keys[x].idx] = (int32) Min(run, DD_NAME_COUNT_MAX);
				limit = 0;
				break;
			case KEY_FULL_NAME:
				for (x = k; x < end; x++)
					b->full_count[keys[x].idx] = (int32) run;
				b->same_pairs[LC_DD_NAME][0] += npair;
				limit = (size_t) cfg->name_block_max;
				break;
			case KEY_PHONE:
				b->same_pairs[LC_DD_PHONE][lc_phone_kind_of(b->leads[keys[k].idx].phones[0]) == LC_PHONE_MOBILE ? 0 : 1] += npair;
				limit = DD_VALUE_BLOCK_MAX;
				break;
			case KEY_EMAIL:
				b->same_pairs[LC_DD_EMAIL][0] += npair;
				limit = DD_VALUE_BLOCK_MAX;
				break;
			case KEY_PROVINCE:
				b->same_pairs[LC_DD_PROVINCE][0] += npair;
				limit = 0;
				break;
			case KEY_COMPANY:
				b->same_pairs[LC_DD_COMPANY][0] += npair;
				limit = 0;
				break;
			case KEY_FACEBOOK:
				b->same_pairs[LC_DD_FACEBOOK][0] += npair;
				limit = DD_VALUE_BLOCK_MAX;
				break;
			case KEY_BIRTHDAY:
				/* counted, not a block: compared within the other blocks */
				b->same_pairs[LC_DD_BIRTHDAY][0] += npair;
				limit = 0;
				break;
			default:
				limit = (size_t) cfg->name_block_max;
		}
		if (run > 1 && run <= limit)
			for (x = k; x < end; x++)
				for (y = x + 1; y < end; y++)
				{
					int32		i1 = keys[x].idx,
								i2 = keys[y].idx;

					if (i1 == i2)
						continue;
					if (b->npairs == cap)
					{
						cap *= 2;
						b->pairs = repalloc_huge(b->pairs, sizeof(uint64) * cap);
					}
					b->pairs[b->npairs++] = i1 < i2 ? ((uint64) i1 << 32) | (uint32) i2 :
						((uint64) i2 << 32) | (uint32) i1;
				}
		k = end;
		CHECK_FOR_INTERRUPTS();
	}
	pfree(keys);
	qsort(b->pairs, b->npairs, sizeof(uint64), pair_cmp);
	{
		size_t		w = 0;

		for (k = 0; k < b->npairs; k++)
			if (w == 0 || b->pairs[k] != b->pairs[w - 1])
				b->pairs[w++] = b->pairs[k];
		b->npairs = w;
	}
}

/* find_duplicates(min_score): every pair of the tenant, lead_id < duplicate_id */
static char *dd_estimate(int32 tenant_id, const DdConfig *cfg, const DdBatch *b, lc_dd_params *out);

PG_FUNCTION_INFO_V1(lc_find_duplicates);
Datum
lc_find_duplicates(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		tenant_id = lc_current_tenant();
	DdConfig	cfg = *dd_config(tenant_id);
	double		min_score = min_score_arg(fcinfo, 0, &cfg),
				min_weight = lc_dd_weight_for_score(&cfg.p, min_score);
	MemoryContext work,
				old;
	DdBatch		b;
	size_t		k;
	double		maxpart[LC_DD_NCMP];
	int			c;

	InitMaterializedSRF(fcinfo, 0);
	work = AllocSetContextCreate(CurrentMemoryContext, "find_duplicates", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	memset(&b, 0, sizeof(b));
	dd_batch_load(tenant_id, &b);
	dd_batch_block(&cfg, &b);

	/*
	 * A tenant's first batch estimates its parameters from its own leads
	 * (when it has enough and the role may configure it): the defaults are
	 * guesses about a typical tenant, its leads say how they were typed.
	 */
	if (!cfg.estimated && b.n >= DD_ESTIMATE_MIN_LEADS && lc_role_may_configure())
	{
		dd_estimate(tenant_id, &cfg, &b, &cfg.p);
		min_weight = lc_dd_weight_for_score(&cfg.p, min_score);
	}
	for (c = 0; c < LC_DD_NCMP; c++)
		maxpart[c] = lc_dd_max_part(&cfg.p, c);
	for (k = 0; k < b.npairs; k++)
	{
		uint32		i = (uint32) (b.pairs[k] >> 32);
		const DdLead *x = &b.leads[i],
				   *y = &b.leads[b.pairs[k] & 0xffffffff];
		DdMatch		m;

		if ((k & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
		/*
		 * Cheap comparisons first; stop as soon as the ones left cannot lift
		 * the pair to min_score (most pairs of a name block differ in phone).
		 */
		for (c = 0; c < LC_DD_NCMP; c++)
			m.level[c] = LC_DD_NULL;
		m.level[LC_DD_PHONE] = lc_dd_compare_phones(x->phones, x->nphones, y->phones, y->nphones,
													&m.shared_phone);
		m.level[LC_DD_EMAIL] = lc_dd_compare_emails(x->emails, x->email_len, x->nemails,
													y->emails, y->email_len, y->nemails, &x->name, &y->name,
													&m.shared_email);
		m.level[LC_DD_PROVINCE] = lc_dd_compare_provinces(x->province, x->province_len,
														  y->province, y->province_len);
		m.level[LC_DD_BIRTHDAY] = lc_dd_compare_birthdays(&x->birthday, &y->birthday);
		m.level[LC_DD_FACEBOOK] = lc_dd_compare_facebook(x->facebook, x->facebook_len,
														 y->facebook, y->facebook_len);
		m.weight = lc_dd_weight(&cfg.p, m.level, b.full_count[i], b.name_count[i], m.part);
		if (m.weight + maxpart[LC_DD_NAME] + maxpart[LC_DD_COMPANY] < min_weight)
			continue;
		m.level[LC_DD_NAME] = lc_dd_compare_names(&x->name, &y->name);
		m.weight = lc_dd_weight(&cfg.p, m.level, b.full_count[i], b.name_count[i], m.part);
		if (m.weight + maxpart[LC_DD_COMPANY] < min_weight)
			continue;
		m.level[LC_DD_COMPANY] = lc_dd_compare_companies(x->company, x->company_len,
														 y->company, y->company_len);
		m.weight = lc_dd_weight(&cfg.p, m.level, b.full_count[i], b.name_count[i], m.part);
		if (m.weight >= min_weight)
		{
			Datum		values[4];
			bool		nulls[4] = {false, false, false, false};

			m.score = lc_dd_score(&cfg.p, m.weight);
			if (m.score < min_score)
				continue;
			values[0] = Int64GetDatum(x->id);
			values[1] = Int64GetDatum(y->id);
			values[2] = Float4GetDatum((float4) m.score);
			values[3] = dd_reasons(&cfg, x, y, &m, b.full_count[i], b.name_count[i]);
			MemoryContextSwitchTo(old);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			MemoryContextSwitchTo(work);
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	return (Datum) 0;
}

/* ---- re-estimation ---- */

static uint64
xorshift(uint64 *s)
{
	uint64		x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#define DD_PATTERNS (7 * 5 * 4 * 4 * 3 * 4 * 3)

static int
pattern_index(const int level[LC_DD_NCMP])
{
	int			c,
				idx = 0;

	for (c = 0; c < LC_DD_NCMP; c++)
		idx = idx * (lc_dd_levels(c) + 1) + (level[c] + 1);
	return idx;
}

static void
pattern_levels(int idx, signed char level[LC_DD_NCMP])
{
	int			c;

	for (c = LC_DD_NCMP - 1; c >= 0; c--)
	{
		int			r = lc_dd_levels(c) + 1;

		level[c] = (signed char) (idx % r - 1);
		idx /= r;
	}
}

/*
 * Estimate the tenant's m by EM on the blocked candidate pairs of b, u from
 * random pairs and from how often whole values repeat, and the prior from
 * the estimated number of duplicates; store them (dedup_parameter,
 * dedup_setting) and put them in *out. Returns a JSON description.
 */
static char *
dd_estimate(int32 tenant_id, const DdConfig *cfg, const DdBatch *b, lc_dd_params *out)
{
	lc_dd_params p = cfg->p;
	double	   *counts;
	lc_dd_pattern *pat;
	size_t		npat = 0,
				k;
	double		share = 0,
				sample[LC_DD_NCMP][LC_DD_NLEV] = {{0}},
				all_pairs,
				matches;
	int			iterations = 0,
				c,
				l;
	uint64		seed = 0x9E3779B97F4A7C15ULL;
	StringInfoData result;
	bool		kept_m[LC_DD_NCMP] = {false};
	bool		em_accepted;

	initStringInfo(&result);
	/* comparison patterns of the candidate pairs */
	counts = palloc0(sizeof(double) * DD_PATTERNS);
	for (k = 0; k < b->npairs; k++)
	{
		DdMatch		m;

		dd_levels(&b->leads[b->pairs[k] >> 32], &b->leads[b->pairs[k] & 0xffffffff], &m);
		counts[pattern_index(m.level)] += 1;
		if ((k & 0xffff) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	all_pairs = (double) b->n * (b->n - 1) / 2;
	pat = palloc(sizeof(lc_dd_pattern) * DD_PATTERNS);
	for (k = 0; k < DD_PATTERNS; k++)
		if (counts[k] > 0)
		{
			pattern_levels((int) k, pat[npat].level);
			pat[npat++].count = counts[k];
		}

	/* u of random pairs: a sample for every level ... */
	for (k = 0; k < 1000000; k++)
	{
		int			i = (int) (xorshift(&seed) % (uint64) b->n),
					j = (int) (xorshift(&seed) % (uint64) b->n);
		DdMatch		m;

		if (i == j)
			continue;
		dd_levels(&b->leads[i], &b->leads[j], &m);
		for (c = 0; c < LC_DD_NCMP; c++)
			if (m.level[c] >= 0)
				sample[c][m.level[c]] += 1;
	}
	lc_dd_set_u(&p, sample);

	/*
	 * ... and for agreement on a whole value, which random samples rarely
	 * meet, the exact share of pairs sharing it (duplicates included, which
	 * errs on the side of weaker evidence).
	 */
	{
		static const int exact[][2] = {
			{LC_DD_PHONE, LC_DD_PHONE_SAME_MOBILE}, {LC_DD_PHONE, LC_DD_PHONE_SAME_OTHER},
			{LC_DD_EMAIL, LC_DD_EMAIL_SAME}, {LC_DD_COMPANY, LC_DD_COMPANY_SAME},
			{LC_DD_PROVINCE, LC_DD_PROVINCE_SAME}, {LC_DD_NAME, LC_DD_NAME_EXACT},
			{LC_DD_BIRTHDAY, LC_DD_BIRTHDAY_SAME}, {LC_DD_FACEBOOK, LC_DD_FACEBOOK_SAME}
		};
		int			e;

		for (e = 0; e < (int) lengthof(exact); e++)
		{
			int			cc = exact[e][0],
						ll = exact[e][1];
			double		have = b->having[cc] * (b->having[cc] - 1) / 2,
						v;

			if (have < 1)
				continue;
			v = b->same_pairs[cc][cc == LC_DD_PHONE ? ll : 0] / have;
			if (v < 0.5 / have)
				v = 0.5 / have;
			p.u[cc][ll] = v;
		}
		/* the disagreement level takes what the others leave */
		for (c = 0; c < LC_DD_NCMP; c++)
		{
			double		s = 0;
			int			last = lc_dd_levels(c) - 1;

			for (l = 0; l < last; l++)
				s += p.u[c][l];
			p.u[c][last] = s < 1 ? 1 - s : 1e-9;
		}
	}

	/*
	 * m and the share of duplicates by EM with u fixed to that of random
	 * pairs, as the scores use them (the pairs blocking left out count as
	 * non-matches). With u re-estimated among the candidate pairs, where
	 * most pairs share a name by construction, a different name weighed
	 * little there and EM took the families on one mobile for duplicates.
	 */
	iterations = lc_dd_em(pat, npat, &p, 500, all_pairs, &share);

	/*
	 * EM finds two classes in any data; they are duplicates and others only
	 * when the first class looks like duplicates: most of its pairs have
	 * similar names, most share a phone or an e-mail, and there are fewer
	 * duplicate pairs than half the leads. Otherwise (a tenant with few
	 * duplicates) the current m and a prior of one duplicate per 20 leads
	 * are kept.
	 */
	matches = share * (double) b->npairs;
	em_accepted = matches <= 0.5 * b->n &&
		p.m[LC_DD_NAME][LC_DD_NAME_EXACT] + p.m[LC_DD_NAME][LC_DD_NAME_NO_MIDDLE] +
		p.m[LC_DD_NAME][LC_DD_NAME_CLOSE] >= 0.5 &&
		Max(p.m[LC_DD_PHONE][LC_DD_PHONE_SAME_MOBILE] + p.m[LC_DD_PHONE][LC_DD_PHONE_SAME_OTHER],
			p.m[LC_DD_EMAIL][LC_DD_EMAIL_SAME]) >= 0.3;
	for (c = 0; c < LC_DD_NCMP; c++)
		if (!em_accepted || !(p.m[c][0] > p.u[c][0]) || !isfinite(p.m[c][0]))
		{
			memcpy(p.m[c], cfg->p.m[c], sizeof(p.m[c]));
			kept_m[c] = true;
		}
	if (!em_accepted)
		matches = 0.05 * b->n;
	if (matches < 1)
		matches = 1;
	p.lead_count = b->n;
	p.prior_log2_odds = log2(matches / all_pairs) - log2(1 - matches / all_pairs);

	SPI_connect();
	for (c = 0; c < LC_DD_NCMP; c++)
		for (l = 0; l < lc_dd_levels(c); l++)
		{
			Datum		args[6] = {Int32GetDatum(tenant_id), CStringGetTextDatum(lc_dd_comparison_name(c)),
				CStringGetTextDatum(lc_dd_level_name(c, l)), Float8GetDatum(p.m[c][l]), Float8GetDatum(p.u[c][l]),
			Int16GetDatum(l)};
			Oid			types[6] = {INT4OID, TEXTOID, TEXTOID, FLOAT8OID, FLOAT8OID, INT2OID};

			/* an upsert: a tenant provisioned before a comparison existed lacks its rows */
			if (SPI_execute_with_args("INSERT INTO lead_crm.dedup_parameter AS p"
									  " (tenant_id, comparison, level, level_no, m, u, estimated_at)"
									  " VALUES ($1, $2, $3, $6, $4, $5, pg_catalog.now())"
									  " ON CONFLICT (tenant_id, comparison, level)"
									  " DO UPDATE SET m = $4, u = $5, estimated_at = pg_catalog.now()",
									  6, types, args, NULL, false, 0) != SPI_OK_INSERT)
				elog(ERROR, "cannot update lead_crm.dedup_parameter");
		}
	{
		Datum		args[6] = {Int32GetDatum(tenant_id), Float8GetDatum(p.prior_log2_odds),
		Float8GetDatum(p.lead_count), Int64GetDatum((int64) b->npairs), Float8GetDatum(matches),
		Int32GetDatum(iterations)};
		Oid			types[6] = {INT4OID, FLOAT8OID, FLOAT8OID, INT8OID, FLOAT8OID, INT4OID};

		if (SPI_execute_with_args("UPDATE lead_crm.dedup_setting SET prior_log2_odds = $2, lead_count = $3,"
								  " candidate_pairs = $4, estimated_duplicate_pairs = $5, em_iterations = $6,"
								  " estimated_at = pg_catalog.now() WHERE tenant_id = $1",
								  6, types, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "cannot update lead_crm.dedup_setting");
	}
	SPI_finish();
	appendStringInfo(&result, "{\"leads\": %d, \"candidate_pairs\": %zu, \"em_iterations\": %d,"
					 " \"em_accepted\": %s, \"match_share\": %.6f, \"estimated_duplicate_pairs\": %.0f,"
					 " \"prior_log2_odds\": %.3f, \"kept_m\": [", b->n, b->npairs, iterations,
					 em_accepted ? "true" : "false", share, matches, p.prior_log2_odds);
	for (c = 0, l = 0; c < LC_DD_NCMP; c++)
		if (kept_m[c])
			appendStringInfo(&result, "%s\"%s\"", l++ ? ", " : "", lc_dd_comparison_name(c));
	appendStringInfoString(&result, "]}");
	*out = p;
	return result.data;
}

/* refresh_duplicate_parameters(): dd_estimate() on all the tenant's leads */
PG_FUNCTION_INFO_V1(lc_refresh_duplicate_parameters);
Datum
lc_refresh_duplicate_parameters(PG_FUNCTION_ARGS)
{
	int32		tenant_id = lc_current_tenant();
	DdConfig	cfg;
	lc_dd_params p;
	MemoryContext work,
				old;
	DdBatch		b;
	char	   *json;
	Datum		result;

	lc_ensure_tenant(tenant_id);
	cfg = *dd_config(tenant_id);
	work = AllocSetContextCreate(CurrentMemoryContext, "refresh_duplicate_parameters", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	memset(&b, 0, sizeof(b));
	dd_batch_load(tenant_id, &b);
	if (b.n < DD_ESTIMATE_MIN_LEADS)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		ereport(NOTICE,
				(errmsg("tenant %d has %d leads: too few to estimate duplicate parameters", tenant_id, b.n),
				 errdetail("At least %d leads are needed; the current parameters are kept.",
						   DD_ESTIMATE_MIN_LEADS)));
		PG_RETURN_NULL();
	}
	dd_batch_block(&cfg, &b);
	json = dd_estimate(tenant_id, &cfg, &b, &p);
	MemoryContextSwitchTo(old);
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
	MemoryContextDelete(work);
	PG_RETURN_DATUM(result);
}

/*
 * src/core/vn_search.c - query understanding, index keys and scoring of the
 * Vietnamese search (lead_crm.search).
 *
 * Why word pairs: folded Vietnamese names are made of a few hundred short
 * syllables, so their trigrams are shared by a large part of any lead list
 * ("ngu", "guy", "uye" by every Nguyễn, 38% of people) and a pg_trgm GIN scan
 * for a common name reads posting lists of hundreds of thousands of leads.
 * A pair of words is rare even when each word is common ("an nguyen" is 0.6%
 * of leads, "an van" 0.15%), so the index keys are words and word pairs and a
 * query looks up the pairs of its neighbouring words. A typo is corrected into
 * the Vietnamese syllables one edit away (generated/lexicon.h) and each
 * correction looked up the same way; pg_trgm (on lc_search_document) finds the
 * words no syllable explains (foreign brand names, two typos in one word).
 */
#include "core/vn_search.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_company.h"
#include "core/vn_email.h"
#include "core/vn_name.h"
#include "core/vn_phone.h"
#include "core/vn_syllable.h"
#include "core/vn_text.h"
#include "core/generated/lexicon.h"

/* bytes of a lead's full name the scorer reads */
#define NAME_BYTES 256
/* room for the company key of a whole query (lc_company_key_bound) */
#define COMPANY_KEY_BYTES (8 * (3 * LC_SEARCH_MAX_BYTES + 1))
/* lead words the scorer aligns: name words, then company words */
#define DOC_WORDS (2 * LC_SEARCH_WORDS)

/* ---- characters and words ---- */

/* white space between chunks of a query */
static bool
is_space_cp(uint32_t c)
{
	return c <= 0x20 || c == 0x7F || c == 0xA0 || (c >= 0x2000 && c <= 0x200B) ||
		c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* part of a word: letters and digits of any script, combining marks */
static bool
is_word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return false;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
		(c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F) || c == 0xFEFF)
		return false;			/* punctuation, symbols, arrows, CJK punctuation */
	return true;
}

/* next run of code points for which is_word_cp is want; false at the end */
static bool
next_run(const char *s, size_t len, size_t *pos, bool (*in_run) (uint32_t), size_t *start,
		 size_t *run_len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = *pos,
				adv;
	bool		found = false;

	while (i < len)
	{
		uint32_t	c = lc_utf8_decode(p + i, len - i, &adv);
		bool		in = c != LC_UTF8_INVALID && in_run(c);

		if (in && !found)
		{
			found = true;
			*start = i;
		}
		else if (!in && found)
			break;
		i += adv;
	}
	*pos = i;
	if (found)
		*run_len = i - *start;
	return found;
}

static bool
is_not_space_cp(uint32_t c)
{
	return !is_space_cp(c);
}

/* cut a UTF-8 string to at most max bytes without splitting a character */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char) s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* bytes of a word read before folding: a word is cut after folding to
 * LC_SEARCH_WORD_BYTES anyway, and folding removes at most its marks */
#define WORD_READ_BYTES (4 * LC_SEARCH_WORD_BYTES)

/* fold a word into out (LC_SEARCH_WORD_BYTES + 1), cut to the word limit */
static size_t
fold_word(const char *w, size_t wl, char *out)
{
	char		buf[16 * WORD_READ_BYTES];
	size_t		n;

	wl = utf8_cut(w, wl, WORD_READ_BYTES);
	if (lc_fold_bound(wl) > sizeof(buf))
		return 0;				/* cannot happen with lc_fold's growth of 3 */
	n = lc_fold(w, wl, buf);
	n = utf8_cut(buf, n, LC_SEARCH_WORD_BYTES);
	memcpy(out, buf, n);
	out[n] = '\0';
	return n;
}

static bool
is_ascii_text(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
			return false;
	return true;
}

/* ---- the lexicon ---- */

static int
cmp_len(const char *a, size_t alen, const char *b)
{
	size_t		blen = strlen(b);
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

bool
lc_search_is_syllable(const char *fold, size_t len)
{
	size_t		lo = 0,
				hi = LC_LEXICON_COUNT;

	if (len == 0 || len > LC_LEXICON_MAX_LEN)
		return false;
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = cmp_len(fold, len, lc_lexicon[mid]);

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
all_lower_letters(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

typedef struct corrections
{
	char		(*out)[LC_SEARCH_WORD_BYTES + 1];
	size_t		n,
				max;
	const char *word;
	size_t		len;
} corrections;

static void
add_correction(corrections *cs, const char *w, size_t wl)
{
	size_t		i;

	if (cs->n >= cs->max || (wl == cs->len && memcmp(w, cs->word, wl) == 0) ||
		!lc_search_is_syllable(w, wl))
		return;
	for (i = 0; i < cs->n; i++)
		if (strlen(cs->out[i]) == wl && memcmp(cs->out[i], w, wl) == 0)
			return;
	memcpy(cs->out[cs->n], w, wl);
	cs->out[cs->n][wl] = '\0';
	cs->n++;
}

size_t
lc_search_corrections(const char *fold, size_t len, char (*out)[LC_SEARCH_WORD_BYTES + 1],
					  size_t max)
{
	corrections cs = {out, 0, max, fold, len};
	char		buf[LC_LEXICON_MAX_LEN + 3];
	size_t		i;
	char		c;

	if (len == 0 || len > LC_LEXICON_MAX_LEN + 1 || !all_lower_letters(fold, len))
		return 0;
	for (i = 0; i + 1 < len; i++)	/* transposed neighbours */
	{
		if (fold[i] == fold[i + 1])
			continue;
		memcpy(buf, fold, len);
		buf[i] = fold[i + 1];
		buf[i + 1] = fold[i];
		add_correction(&cs, buf, len);
	}
	for (i = 0; i < len; i++)	/* a letter too many */
	{
		memcpy(buf, fold, i);
		memcpy(buf + i, fold + i + 1, len - i - 1);
		add_correction(&cs, buf, len - 1);
	}
	for (i = 0; i < len; i++)	/* a wrong letter */
	{
		memcpy(buf, fold, len);
		for (c = 'a'; c <= 'z'; c++)
			if (c != fold[i])
			{
				buf[i] = c;
				add_correction(&cs, buf, len);
			}
	}
	for (i = 0; i <= len; i++)	/* a letter missing */
	{
		memcpy(buf, fold, i);
		memcpy(buf + i + 1, fold + i, len - i);
		for (c = 'a'; c <= 'z'; c++)
		{
			buf[i] = c;
			add_correction(&cs, buf, len + 1);
		}
	}
	return cs.n;
}

/* ---- edit distance and diacritics ---- */


size_t
lc_search_signature(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0,
				o = 0,
				adv;
	int			tone = 0;
	char		last = 0;		/* base of the letter before, for combining marks */

	while (i < len)
	{
		uint32_t	c = lc_utf8_decode(p + i, len - i, &adv);
		lc_vn_letter l;

		i += adv;
		if (c == LC_UTF8_INVALID)
			continue;
		if (c == 0xD0 || c == 0xF0)
			c = 0x111;			/* ETH, the look-alike of Đ in text read as Latin-1 */
		if (lc_vn_letter_decode(c, &l))
		{
			out[o++] = (char) l.base;
			if (l.mod == LC_VN_MOD_CIRC)
				out[o++] = (char) l.base;
			else if (l.mod == LC_VN_MOD_BREVE || l.mod == LC_VN_MOD_HORN)
				out[o++] = 'w';
			else if (l.mod == LC_VN_MOD_STROKE)
				out[o++] = 'd';
			if (l.tone)
				tone = l.tone;
			last = (char) (l.mod == LC_VN_MOD_NONE ? l.base : 0);
			continue;
		}
		switch (c)
		{
			case 0x301:
			case 0x341:
				tone = LC_VN_TONE_SAC;
				continue;
			case 0x300:
			case 0x340:
				tone = LC_VN_TONE_HUYEN;
				continue;
			case 0x309:
				tone = LC_VN_TONE_HOI;
				continue;
			case 0x303:
				tone = LC_VN_TONE_NGA;
				continue;
			case 0x323:
				tone = LC_VN_TONE_NANG;
				continue;
			case 0x302:			/* circumflex */
				if (last == 'a' || last == 'e' || last == 'o')
					out[o++] = last;
				last = 0;
				continue;
			case 0x306:			/* breve */
				if (last == 'a')
					out[o++] = 'w';
				last = 0;
				continue;
			case 0x31B:			/* horn */
				if (last == 'o' || last == 'u')
					out[o++] = 'w';
				last = 0;
				continue;
			default:
				break;
		}
		if ((c >= 0x300 && c <= 0x36F) || c < 0x20 || c == 0x7F)
			continue;			/* other combining marks do not spell Vietnamese */
		o += lc_utf8_encode(c, out + o);
		last = 0;
	}
	if (tone)
		out[o++] = (char) ('0' + tone);
	out[o] = '\0';
	return o;
}

/* ---- index keys ---- */

typedef struct span
{
	const char *s;
	size_t		len;
} span;

/* words of folded text (a name_fold, a company key), cut to the word limit */
static int
split_words(const char *s, size_t len, span *words, int max)
{
	size_t		pos = 0,
				start,
				wl;
	int			n = 0;

	while (n < max && next_run(s, len, &pos, is_word_cp, &start, &wl))
	{
		words[n].s = s + start;
		words[n].len = utf8_cut(s + start, wl, LC_SEARCH_WORD_BYTES);
		n++;
	}
	return n;
}

static int
span_cmp(span a, span b)
{
	int			c = memcmp(a.s, b.s, a.len < b.len ? a.len : b.len);

	if (c != 0)
		return c;
	return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* "tenant:" into out; returns its length */
static size_t
put_tenant(int32_t tenant, char *out)
{
	char		digits[12];
	size_t		n = 0,
				o = 0;
	uint32_t	v;

	if (tenant < 0)
	{
		out[o++] = '-';
		v = (uint32_t) (-(int64_t) tenant);
	}
	else
		v = (uint32_t) tenant;
	do
	{
		digits[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[o++] = digits[--n];
	out[o++] = ':';
	return o;
}

/* one key NUL-terminated at out: a word, or a pair of the given type with its
 * words in byte order ("7:n:an nguyen") */
static size_t
put_key(int32_t tenant, char type, span a, const span *b, char *out)
{
	size_t		o = put_tenant(tenant, out);
	span		first = a,
				second = {NULL, 0};

	if (b != NULL)
	{
		out[o++] = type;
		out[o++] = ':';
		if (span_cmp(*b, a) < 0)
			first = *b, second = a;
		else
			second = *b;
	}
	memcpy(out + o, first.s, first.len);
	o += first.len;
	if (b != NULL)
	{
		out[o++] = ' ';
		memcpy(out + o, second.s, second.len);
		o += second.len;
	}
	out[o++] = '\0';
	return o;
}

static int
span_qsort_cmp(const void *a, const void *b)
{
	return span_cmp(*(const span *) a, *(const span *) b);
}

/* the whole name: its words in byte order ("7:f:an nguyen van") */
static size_t
put_full_key(int32_t tenant, const span *words, int n, char *out)
{
	span		sorted[LC_SEARCH_WORDS];
	size_t		o = put_tenant(tenant, out);
	int			i;

	memcpy(sorted, words, sizeof(span) * (size_t) n);
	qsort(sorted, (size_t) n, sizeof(span), span_qsort_cmp);
	out[o++] = LC_KEY_FULL;
	out[o++] = ':';
	for (i = 0; i < n; i++)
	{
		if (i)
			out[o++] = ' ';
		memcpy(out + o, sorted[i].s, sorted[i].len);
		o += sorted[i].len;
	}
	out[o++] = '\0';
	return o;
}

/* which words of a folded name are its given name (lc_parse_name) */
static void
mark_given(const char *name_fold, size_t len, const span *name, int nn, bool *given)
{
	char		parsed[2 * NAME_BYTES + 4];
	lc_name_parts np;
	size_t		pos = 0,
				start,
				wl;
	int			i;

	for (i = 0; i < nn; i++)
		given[i] = false;
	len = utf8_cut(name_fold, len, NAME_BYTES);
	lc_parse_name(name_fold, len, parsed, &np);
	while (next_run(parsed + np.given_off, np.given_len, &pos, is_word_cp, &start, &wl))
	{
		char		f[LC_SEARCH_WORD_BYTES + 1];
		size_t		fl = fold_word(parsed + np.given_off + start, wl, f);

		for (i = nn - 1; i >= 0; i--)
			if (!given[i] && name[i].len == fl && memcmp(name[i].s, f, fl) == 0)
			{
				given[i] = true;
				break;
			}
	}
}

size_t
lc_search_doc_keys(int32_t tenant, const char *name_fold, size_t name_len,
				   const char *company_key, size_t company_len, char *out)
{
	span		name[LC_SEARCH_WORDS],
				comp[LC_SEARCH_WORDS];
	bool		given[LC_SEARCH_WORDS] = {false};
	int			nn = 0,
				nc = 0,
				i,
				j;
	size_t		o = 0,
				count = 0;

	if (name_fold)
		nn = split_words(name_fold, name_len, name, LC_SEARCH_WORDS);
	if (company_key)
		nc = split_words(company_key, company_len, comp, LC_SEARCH_WORDS);
	if (nn > 0 && nc > 0)
		mark_given(name_fold, name_len, name, nn, given);
	for (i = 0; i < nn; i++, count++)
		o += put_key(tenant, 0, name[i], NULL, out + o);
	for (i = 0; i < nc; i++, count++)
		o += put_key(tenant, 0, comp[i], NULL, out + o);
	for (i = 0; i < nn; i++)
	{
		for (j = i + 1; j < nn; j++, count++)
			o += put_key(tenant, LC_KEY_NAME, name[i], &name[j], out + o);
		/* a person is named with the company by the given name: An (of) Minh Phát */
		for (j = 0; given[i] && j < nc; j++, count++)
			o += put_key(tenant, LC_KEY_CROSS, name[i], &comp[j], out + o);
	}
	for (i = 0; i + 1 < nc; i++, count++)
		o += put_key(tenant, LC_KEY_COMPANY, comp[i], &comp[i + 1], out + o);
	if (nn > 0)
		o += put_full_key(tenant, name, nn, out + o), count++;
	return count;
}

static span
word_span(const lc_search_word *w)
{
	return (span) {w->fold, strlen(w->fold)};
}

/* a pair of neighbouring words of a reading */
static size_t
put_pair(int32_t tenant, char type, span a, span b, char *out)
{
	return put_key(tenant, type, a, &b, out);
}

size_t
lc_search_exact_keys(const lc_search_reading *r, int32_t tenant, char type, char *out)
{
	size_t		o = 0,
				count = 0;
	int			i;

	if (r->nwords == 1)
	{
		put_key(tenant, 0, word_span(&r->words[0]), NULL, out);
		return 1;
	}
	for (i = 0; i + 1 < r->nwords; i++, count++)
		o += put_pair(tenant, type, word_span(&r->words[i]), word_span(&r->words[i + 1]), out + o);
	return count;
}

size_t
lc_search_full_key(const lc_search_reading *r, int32_t tenant, char *out)
{
	span		words[LC_SEARCH_WORDS];
	int			i;

	for (i = 0; i < r->nwords; i++)
		words[i] = word_span(&r->words[i]);
	return r->nwords > 0 ? put_full_key(tenant, words, r->nwords, out) : 0;
}

static const char pair_types[] = {LC_KEY_NAME, LC_KEY_CROSS, LC_KEY_COMPANY};

size_t
lc_search_split_keys(const lc_search_reading *r, int32_t tenant, int split, bool company_first,
					 char *out)
{
	size_t		o = 0,
				count = 0;
	int			i;

	if (split <= 0 || split >= r->nwords)
		return 0;
	for (i = 0; i + 1 < r->nwords; i++, count++)
	{
		bool		first_part = i + 1 < split,
					boundary = i + 1 == split;
		char		type = boundary ? LC_KEY_CROSS :
			(first_part != company_first) ? LC_KEY_NAME : LC_KEY_COMPANY;

		o += put_pair(tenant, type, word_span(&r->words[i]), word_span(&r->words[i + 1]), out + o);
	}
	return count;
}

float
lc_search_vocabulary_share(const lc_search_vocabulary *v, const char *word, size_t len)
{
	size_t		lo = 0,
				hi = v ? v->n : 0;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		int			c = cmp_len(word, len, v->words[mid]);

		if (c == 0)
			return v->share[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0.0f;
}

typedef struct alternative
{
	char		word[LC_SEARCH_WORD_BYTES + 1];
	float		share;
	int			order;
} alternative;

/* the word first (last when it is no syllable: then it is the typo), then
 * corrections by how often leads have them, then in lc_search_corrections'
 * order (likeliest typo first) */
static int
alternative_cmp(const void *a, const void *b)
{
	const alternative *x = a,
			   *y = b;

	int			cx = x->order == 0 ? 0 : x->order > 0 ? 1 : 2,
				cy = y->order == 0 ? 0 : y->order > 0 ? 1 : 2;

	if (cx != cy)
		return cx - cy;
	if (x->share != y->share)
		return x->share > y->share ? -1 : 1;
	return x->order - y->order;
}

/* how likely an alternative is, up to its word's other alternatives: its
 * share among the leads, and a word the statistics do not know (too rare to
 * be among the most common) as if just below the rarest they know */
#define UNKNOWN_SHARE 0.001f
static float
alternative_weight(const alternative *a)
{
	return a->share > UNKNOWN_SHARE ? a->share : UNKNOWN_SHARE;
}

/* each word of a reading and its corrections, likeliest first; how many in all */
static size_t
alternatives(const lc_search_reading *r, const lc_search_vocabulary *v,
			 alternative alts[LC_SEARCH_WORDS][LC_SEARCH_CORRECTIONS + 1], size_t *nalts)
{
	char		corr[LC_SEARCH_CORRECTIONS][LC_SEARCH_WORD_BYTES + 1];
	size_t		any = 0,
				k;
	int			i;

	for (i = 0; i < r->nwords; i++)
	{
		const char *f = r->words[i].fold;
		size_t		fl = strlen(f),
					nc = lc_search_corrections(f, fl, corr, LC_SEARCH_CORRECTIONS);

		memcpy(alts[i][0].word, f, fl + 1);
		alts[i][0].order = r->words[i].lexical || nc == 0 ? 0 : -1;
		alts[i][0].share = r->words[i].lexical ? lc_search_vocabulary_share(v, f, fl) : 0.0f;
		for (k = 0; k < nc; k++)
		{
			memcpy(alts[i][k + 1].word, corr[k], sizeof(corr[k]));
			alts[i][k + 1].order = (int) k + 1;
			alts[i][k + 1].share = lc_search_vocabulary_share(v, corr[k], strlen(corr[k]));
		}
		nalts[i] = nc + 1;
		qsort(alts[i], nalts[i], sizeof(alternative), alternative_cmp);
		any += nc;
	}
	return any;
}

size_t
lc_search_fuzzy_full_keys(const lc_search_reading *r, int32_t tenant,
						  const lc_search_vocabulary *v, size_t budget, char *out)
{
	alternative alts[LC_SEARCH_WORDS][LC_SEARCH_CORRECTIONS + 1];
	size_t		nalts[LC_SEARCH_WORDS],
				take[LC_SEARCH_WORDS],
				idx[LC_SEARCH_WORDS] = {0},
				combos = 1,
				o = 0,
				n = 0;
	float		have[LC_SEARCH_WORDS];
	int			i;

	if (r->nwords < 2 || budget == 0 || alternatives(r, v, alts, nalts) == 0)
		return 0;

	/*
	 * The likeliest alternatives of each word, grown one at a time while the
	 * combinations fit the budget. Each alternative has the chance its share
	 * among the leads gives it among the word's alternatives; the next one
	 * taken is the one that adds the most chance per key looked up (its
	 * chance, over the chance its word's list already has per alternative).
	 * A word with one likely correction (nuyen: nguyen) so leaves room for a
	 * word with many (am: an, nam, cam, tam, lam ...); without statistics all
	 * are alike and the words grow in turn.
	 */
	for (i = 0; i < r->nwords; i++)
	{
		take[i] = 1;
		have[i] = alternative_weight(&alts[i][0]);
	}
	for (;;)
	{
		int			best = -1;
		float		best_gain = 0.0f;

		for (i = 0; i < r->nwords; i++)
		{
			float		gain;

			if (take[i] >= nalts[i] || combos / take[i] * (take[i] + 1) > budget)
				continue;
			gain = alternative_weight(&alts[i][take[i]]) * (float) take[i] / have[i];
			if (best < 0 || gain > best_gain ||
				(gain == best_gain && take[i] < take[best]))
			{
				best = i;
				best_gain = gain;
			}
		}
		if (best < 0)
			break;
		combos = combos / take[best] * (take[best] + 1);
		have[best] += alternative_weight(&alts[best][take[best]]);
		take[best]++;
	}
	for (i = 0; i < r->nwords; i++)
		nalts[i] = take[i];
	for (;;)
	{
		span		words[LC_SEARCH_WORDS];

		for (i = 0; i < r->nwords; i++)
			words[i] = (span) {alts[i][idx[i]].word, strlen(alts[i][idx[i]].word)};
		o += put_full_key(tenant, words, r->nwords, out + o);
		n++;
		for (i = r->nwords - 1; i >= 0; i--)
		{
			if (++idx[i] < nalts[i])
				break;
			idx[i] = 0;
		}
		if (i < 0)
			return n;
	}
}

int
lc_search_fuzzy_keys(const lc_search_reading *r, int32_t tenant, const lc_search_vocabulary *v,
					 size_t budget, char *out, size_t *group_sizes)
{
	alternative alts[LC_SEARCH_WORDS][LC_SEARCH_CORRECTIONS + 1];
	size_t		nalts[LC_SEARCH_WORDS];
	size_t		total,
				o = 0,
				k;
	int			i,
				ngroups,
				types = r->nwords == 1 ? 1 : 3;

	if (alternatives(r, v, alts, nalts) == 0 || budget == 0)
		return 0;
	/* the least likely corrections of the longest lists go first */
	for (;;)
	{
		int			longest = 0;

		total = r->nwords == 1 ? nalts[0] : 0;
		for (i = 0; i + 1 < r->nwords; i++)
			total += nalts[i] * nalts[i + 1] * (size_t) types;
		if (total <= budget)
			break;
		for (i = 1; i < r->nwords; i++)
			if (nalts[i] > nalts[longest])
				longest = i;
		if (nalts[longest] <= 1)
			return 0;
		nalts[longest]--;
	}
	if (r->nwords == 1)
	{
		for (k = 0; k < nalts[0]; k++)
			o += put_key(tenant, 0, (span) {alts[0][k].word, strlen(alts[0][k].word)}, NULL, out + o);
		group_sizes[0] = nalts[0];
		return 1;
	}
	ngroups = 0;
	for (i = 0; i + 1 < r->nwords; i++)
	{
		size_t		a,
					b,
					n = 0;
		int			t;

		for (a = 0; a < nalts[i]; a++)
			for (b = 0; b < nalts[i + 1]; b++)
				for (t = 0; t < types; t++, n++)
					o += put_pair(tenant, pair_types[t],
								  (span) {alts[i][a].word, strlen(alts[i][a].word)},
								  (span) {alts[i + 1][b].word, strlen(alts[i + 1][b].word)},
								  out + o);
		group_sizes[ngroups++] = n;
	}
	return ngroups;
}

size_t
lc_search_document(const char *name_fold, size_t name_len, const char *company_key,
				   size_t company_len, char *out)
{
	size_t		o = 0;

	if (name_fold && name_len)
	{
		memcpy(out, name_fold, name_len);
		o = name_len;
	}
	if (company_key && company_len)
	{
		if (o)
			out[o++] = ' ';
		memcpy(out + o, company_key, company_len);
		o += company_len;
	}
	out[o] = '\0';
	return o;
}

/* ---- reading a query ---- */

/* characters of a phone number as people write it */
static bool
is_phone_text(const char *s, size_t len, int *digits)
{
	size_t		i;

	*digits = 0;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= '0' && c <= '9')
			(*digits)++;
		else if (!strchr("+().-/ \t\r\n", c) || c == '\0')
			return false;
	}
	return *digits > 0;
}

static void
add_phone(lc_search_query *q, lc_search_phone_kind kind, int64_t lo, int64_t hi,
		  const char *digits)
{
	lc_search_phone *p;
	int			i;

	if (q->nphones >= LC_SEARCH_PHONES)
		return;
	for (i = 0; i < q->nphones; i++)
		if (q->phones[i].kind == kind && q->phones[i].lo == lo && q->phones[i].hi == hi &&
			(kind != LC_SEARCH_PHONE_SUFFIX || strcmp(q->phones[i].digits, digits) == 0))
			return;
	p = &q->phones[q->nphones++];
	p->kind = kind;
	p->lo = lo;
	p->hi = hi;
	p->digits[0] = '\0';
	if (digits)
	{
		size_t		n = strlen(digits);

		memcpy(p->digits, digits, n + 1);
	}
}

static int64_t
digits_value(const char *d, size_t n)
{
	int64_t		v = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		v = v * 10 + (d[i] - '0');
	return v;
}

/* the E.164 numbers that start with the digits d: one range per length */
static void
add_prefix(lc_search_query *q, const char *d, size_t n)
{
	int64_t		v = digits_value(d, n),
				mult = 1;
	size_t		l,
				from = n,
				to = 15;

	if (n < 3 || n > 15)
		return;
	if (n >= 2 && d[0] == '8' && d[1] == '4')
	{
		/* Vietnam: 1800/1900 numbers 10-12 digits, mobiles 11, landlines 12 */
		if (n > 12)
			return;
		from = n > 10 ? n : 10;
		to = 12;
	}
	for (l = n; l < from; l++)
		mult *= 10;
	for (l = from; l <= to; l++, mult *= 10)
		add_phone(q, LC_SEARCH_PHONE_PREFIX, v * mult, (v + 1) * mult, NULL);
}

/* a number typed with an old 11-digit mobile prefix (0162 345): its new
 * prefix; false when d does not start with one */
static bool
add_old_mobile_prefix(lc_search_query *q, const char *d, size_t n)
{
	char		padded[12],
				e164[LC_PHONE_TEXT_MAX];
	int64_t		v;
	size_t		el;

	if (n < 4 || n > 11 || d[0] != '0' || d[1] != '1')
		return false;
	memcpy(padded, d, n);
	memset(padded + n, '0', 11 - n);
	if (lc_phone_parse(padded, 11, &v) != LC_PHONE_OK || lc_phone_kind_of(v) != LC_PHONE_MOBILE)
		return false;
	el = lc_phone_format_e164(v, e164);
	/* 0 + 4-digit old prefix became 84 + 2-digit new one: n digits either way */
	if (el < n + 1)
		return false;
	add_prefix(q, e164 + 1, n);
	return true;
}

size_t
lc_search_phone_digits(const char *s, size_t len, char *out)
{
	size_t		n = 0,
				i,
				cc = 0;
	bool		plus = false;

	for (i = 0; i < len && n < LC_SEARCH_PHONE_DIGITS; i++)
	{
		if (s[i] == '+' && n == 0)
			plus = true;
		if (s[i] >= '0' && s[i] <= '9')
			out[n++] = s[i];
	}
	out[n] = '\0';
	/* +84, 0084, or 84 in front of a whole number: the country code */
	if (plus && n >= 2 && memcmp(out, "84", 2) == 0)
		cc = 2;
	else if (n >= 4 && memcmp(out, "0084", 4) == 0)
		cc = 4;
	else if (n >= 11 && memcmp(out, "84", 2) == 0)
		cc = 2;
	if (cc == 0)
		return n;
	if (cc < n && out[cc] == '0')
		cc++;					/* +84 0912 */
	memmove(out + 1, out + cc, n - cc + 1);
	out[0] = '0';
	return n - cc + 1;
}

static void
parse_phone(lc_search_query *q, const char *s, size_t len)
{
	char		d[16];
	size_t		n = 0,
				i;
	bool		plus = false;
	int64_t		v;

	for (i = 0; i < len; i++)
	{
		if (s[i] == '+' && n == 0)
			plus = true;
		if (s[i] >= '0' && s[i] <= '9')
		{
			if (n == sizeof(d) - 1)
				return;			/* more digits than any number: two numbers, or junk */
			d[n++] = s[i];
		}
	}
	d[n] = '\0';
	if (n < 3)
		return;
	if (lc_phone_parse(s, len, &v) == LC_PHONE_OK)
		add_phone(q, LC_SEARCH_PHONE_FULL, v, v + 1, NULL);
	/* how a number that is no valid one would start, typed nationally */
	if (plus || d[0] == '0')
	{
		lc_search_phone_digits(s, len, q->phone_national);
		if (q->phone_national[0] != '0' || strlen(q->phone_national) < 3)
			q->phone_national[0] = '\0';
	}
	/* the last digits people remember may start with 0 too (...091 227) */
	if (!plus)
		add_phone(q, LC_SEARCH_PHONE_SUFFIX, 0, 0, d);
	if (plus)
	{
		add_prefix(q, d, n);
		if (n > 3 && d[0] == '8' && d[1] == '4' && d[2] == '0')
		{
			char		t[16];

			t[0] = '8';
			t[1] = '4';
			memcpy(t + 2, d + 3, n - 3);
			add_prefix(q, t, n - 1);	/* +84 0912 ... */
		}
		return;
	}
	if (d[0] == '0' && d[1] == '0')
	{
		add_prefix(q, d + 2, n - 2);
		return;
	}
	if (d[0] == '0')
	{
		char		t[17];

		/* 0162 345: the new prefix (032 345); old ones are never stored */
		if (add_old_mobile_prefix(q, d, n))
			return;
		t[0] = '8';
		t[1] = '4';
		memcpy(t + 2, d + 1, n - 1);
		add_prefix(q, t, n + 1);
		return;
	}
	/* no trunk 0: the end of a number (a whole number without the 0 Excel
	 * drops, or an E.164 number without its +, was parsed above) */
}

static char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

static void
add_email(lc_search_query *q, bool exact, const char *text, size_t len)
{
	int			i;

	if (q->nemails >= LC_SEARCH_EMAILS || len < 3 || len > LC_SEARCH_EMAIL_BYTES)
		return;
	for (i = 0; i < q->nemails; i++)
		if (q->emails[i].exact == exact && strlen(q->emails[i].text) == len &&
			memcmp(q->emails[i].text, text, len) == 0)
			return;
	q->emails[q->nemails].exact = exact;
	memcpy(q->emails[q->nemails].text, text, len);
	q->emails[q->nemails].text[len] = '\0';
	q->nemails++;
}

/*
 * An e-mail or its start ("an.nguyen@gm", "annguyen"): the typed text lower
 * case, and the gmail form of its local part (no dots, no +tag) as keys have it.
 */
static void
parse_email(lc_search_query *q, const char *s, size_t len)
{
	char		low[LC_SEARCH_EMAIL_BYTES + 1],
				key[LC_SEARCH_EMAIL_BYTES + 2],
				gm[LC_SEARCH_EMAIL_BYTES + 1];
	const char *at;
	size_t		i,
				kl,
				g = 0;
	bool		skip = false;

	while (len > 0 && strchr("<([\"'", s[0]))
		s++, len--;
	while (len > 0 && strchr(">)]\"',;.:", s[len - 1]))
		len--;
	if (len >= 7 && strncmp(s, "mailto:", 7) == 0)
		s += 7, len -= 7;
	if (len < 3 || len > LC_SEARCH_EMAIL_BYTES || !is_ascii_text(s, len))
		return;
	for (i = 0; i < len; i++)
		low[i] = ascii_lower(s[i]);
	low[len] = '\0';
	at = memchr(low, '@', len);
	if (at && lc_email_key(low, len, key, &kl))
	{
		const char *dot = strrchr(at, '.');

		if (dot && strlen(dot + 1) >= 2)
			add_email(q, true, key, kl);
	}
	add_email(q, false, low, len);
	/* the local part as a gmail key has it */
	for (i = 0; i < len && low + i != at; i++)
	{
		if (low[i] == '+')
			skip = true;
		else if (low[i] != '.' && !skip)
			gm[g++] = low[i];
	}
	if (at)
	{
		const char *dom = at + 1;
		size_t		dl = len - (size_t) (dom - low);

		gm[g++] = '@';
		if (dl >= 10 && strncmp(dom, "googlemail", 10) == 0)
		{
			memcpy(gm + g, "gmail", 5);
			g += 5;
			dom += 10;
			dl -= 10;
		}
		memcpy(gm + g, dom, dl);
		g += dl;
	}
	add_email(q, false, gm, g);
}

/* a lone token that may be the start of an e-mail: an.nguyen, nguyenvanan92 */
static bool
looks_like_email_start(const char *s, size_t len)
{
	size_t		i;
	bool		letter = false;

	if (len < 3 || len > LC_SEARCH_EMAIL_BYTES)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = ascii_lower(s[i]);

		if (c >= 'a' && c <= 'z')
			letter = true;
		else if (!(c >= '0' && c <= '9') && (c == '\0' || !strchr("._+-", c)))
			return false;
	}
	return letter;
}

static void
set_word(lc_search_word *w, const char *fold, size_t fl, const char *raw, size_t rl)
{
	memcpy(w->fold, fold, fl);
	w->fold[fl] = '\0';
	w->sig[0] = '\0';
	if (raw && !is_ascii_text(raw, rl) && rl <= LC_SEARCH_WORD_BYTES)
	{
		lc_search_signature(raw, rl, w->sig);
		if (strcmp(w->sig, w->fold) == 0)
			w->sig[0] = '\0';
	}
	w->lexical = lc_search_is_syllable(fold, fl);
}

static bool
same_words(const lc_search_reading *a, const lc_search_reading *b)
{
	int			i;

	if (a->nwords != b->nwords)
		return false;
	for (i = 0; i < a->nwords; i++)
		if (strcmp(a->words[i].fold, b->words[i].fold) != 0)
			return false;
	return true;
}

static void
keep_reading(lc_search_query *q, const lc_search_reading *r)
{
	lc_search_reading *k;
	bool		marked = false;
	int			i;

	if (r->nwords == 0 || q->nreadings >= LC_SEARCH_READINGS)
		return;
	for (i = 0; i < q->nreadings; i++)
		if (same_words(&q->readings[i], r))
			return;
	k = &q->readings[q->nreadings++];
	*k = *r;
	/* in a query typed with diacritics, a word without any has none */
	for (i = 0; i < k->nwords; i++)
		marked |= k->words[i].sig[0] != '\0';
	for (i = 0; marked && i < k->nwords; i++)
		if (k->words[i].sig[0] == '\0')
			memcpy(k->words[i].sig, k->words[i].fold, strlen(k->words[i].fold) + 1);
}

/* one word as decoded from keys typed without an input method, or false */
static bool
decode_word(lc_vn_input method, const char *raw, size_t rl, const lc_search_word *typed,
			lc_search_word *w)
{
	char		dec[LC_VN_INPUT_WORD_OUT],
				fold[LC_SEARCH_WORD_BYTES + 1];
	size_t		n,
				fl,
				i;
	bool		digit = false;

	if (rl == 0 || rl > LC_VN_INPUT_MAX_KEYS)
		return false;
	for (i = 0; i < rl; i++)
	{
		char		c = ascii_lower(raw[i]);

		if (c >= '0' && c <= '9')
			digit = true;
		else if (c < 'a' || c > 'z')
			return false;
	}
	if (digit != (method == LC_VN_VNI))
		return false;			/* Telex keys are letters, VNI keys digits */
	n = lc_vn_input_word(method, raw, rl, dec);
	if (n == 0)
		return false;
	fl = fold_word(dec, n, fold);
	if (fl == 0 || strcmp(fold, typed->fold) == 0)
		return false;			/* no keys in it: the typed word itself */
	set_word(w, fold, fl, dec, n);
	return true;
}

lc_search_status
lc_search_parse(const char *s, size_t len, lc_search_query *q)
{
	lc_search_reading typed,
				telex,
				vni;
	bool		any_telex = false,
				any_vni = false,
				phone_done = false,
				email_done = false;
	char		text[LC_SEARCH_MAX_BYTES + 1];	/* the word chunks, for the company key */
	size_t		tl = 0,
				pos = 0,
				start,
				cl;
	int			digits,
				chunks = 0;

	memset(q, 0, sizeof(*q));
	if (len > LC_SEARCH_MAX_BYTES)
		return LC_SEARCH_TOO_LONG;
	memset(&typed, 0, sizeof(typed));
	telex = vni = typed;
	telex.kind = LC_READ_TELEX;
	vni.kind = LC_READ_VNI;
	/* a query of phone characters only is one number, spaces and all */
	if (is_phone_text(s, len, &digits))
	{
		if (digits >= 3)
			parse_phone(q, s, len);
		return q->nphones ? LC_SEARCH_OK : LC_SEARCH_EMPTY;
	}
	while (next_run(s, len, &pos, is_not_space_cp, &start, &cl))
	{
		const char *c = s + start;
		size_t		wpos = 0,
					ws,
					wl;

		chunks++;
		if (!email_done && memchr(c, '@', cl))
		{
			parse_email(q, c, cl);
			email_done = true;
			continue;
		}
		if (!phone_done && is_phone_text(c, cl, &digits))
		{
			/* a number written in groups: this chunk and the phone-like ones after it */
			size_t		end = start + cl,
						p2 = pos,
						s2,
						l2;
			int			d2;

			while (next_run(s, len, &p2, is_not_space_cp, &s2, &l2) &&
				   is_phone_text(s + s2, l2, &d2))
			{
				end = s2 + l2;
				pos = p2;
				digits += d2;
			}
			if (digits >= 3)
				parse_phone(q, c, end - start);
			phone_done = true;
			continue;
		}
		if (tl > 0)
			text[tl++] = ' ';
		memcpy(text + tl, c, cl);
		tl += cl;
		while (typed.nwords < LC_SEARCH_WORDS && next_run(c, cl, &wpos, is_word_cp, &ws, &wl))
		{
			char		fold[LC_SEARCH_WORD_BYTES + 1];
			size_t		fl = fold_word(c + ws, wl, fold);
			lc_search_word *tw;

			if (fl == 0)
				continue;
			tw = &typed.words[typed.nwords];
			set_word(tw, fold, fl, c + ws, wl);
			if (decode_word(LC_VN_TELEX, c + ws, wl, tw, &telex.words[typed.nwords]))
				any_telex = true;
			else
				telex.words[typed.nwords] = *tw;
			if (decode_word(LC_VN_VNI, c + ws, wl, tw, &vni.words[typed.nwords]))
				any_vni = true;
			else
				vni.words[typed.nwords] = *tw;
			typed.nwords++;
		}
	}
	telex.nwords = vni.nwords = typed.nwords;
	keep_reading(q, &typed);
	if (any_telex)
		keep_reading(q, &telex);
	if (any_vni)
		keep_reading(q, &vni);
	if (typed.nwords > 0)
	{
		/* the query as a company name: legal form dropped, TM DV ... expanded */
		char		key[COMPANY_KEY_BYTES];
		size_t		kl,
					kpos = 0,
					ws,
					wl;
		lc_search_reading comp;

		memset(&comp, 0, sizeof(comp));
		comp.kind = LC_READ_COMPANY;

		while (lc_company_key_bound(tl) > sizeof(key))
			tl = utf8_cut(text, tl, tl / 2);	/* cannot happen with today's growth */
		kl = lc_company_key(text, tl, key);

		while (comp.nwords < LC_SEARCH_WORDS && next_run(key, kl, &kpos, is_word_cp, &ws, &wl))
		{
			size_t		n = utf8_cut(key + ws, wl, LC_SEARCH_WORD_BYTES);

			set_word(&comp.words[comp.nwords++], key + ws, n, NULL, 0);
		}
		keep_reading(q, &comp);
		/* one token alone may be the start of an e-mail address */
		if (chunks == 1 && !email_done && looks_like_email_start(text, tl))
		{
			size_t		i;

			parse_email(q, text, tl);
			q->email_is_alternative = true;
			for (i = 0; i < tl; i++)
				q->email_likely |= (text[i] >= '0' && text[i] <= '9') ||
					(text[i] != '\0' && strchr("._+-", text[i]));
		}
	}
	if (q->nreadings == 0 && q->nphones == 0 && q->nemails == 0)
		return LC_SEARCH_EMPTY;
	return LC_SEARCH_OK;
}

size_t
lc_search_unexplained_words(const lc_search_query *q, char *out)
{
	const lc_search_reading *typed = NULL;
	size_t		o = 0;
	int			i,
				r;

	out[0] = '\0';
	for (r = 0; r < q->nreadings; r++)
		if (q->readings[r].kind == LC_READ_TYPED)
			typed = &q->readings[r];
	if (typed == NULL)
		return 0;
	for (i = 0; i < typed->nwords; i++)
	{
		const lc_search_word *w = &typed->words[i];
		size_t		fl = strlen(w->fold);
		char		corr[1][LC_SEARCH_WORD_BYTES + 1];
		bool		explained = w->lexical || fl < 3;

		for (r = 0; r < q->nreadings && !explained; r++)
		{
			const lc_search_reading *x = &q->readings[r];
			int			j;
			bool		present = false;

			if (x->kind == LC_READ_TELEX || x->kind == LC_READ_VNI)
				explained = x->words[i].lexical && strcmp(x->words[i].fold, w->fold) != 0;
			else if (x->kind == LC_READ_COMPANY)
			{
				/* a legal form or an abbreviation the company key replaced */
				for (j = 0; j < x->nwords; j++)
					present |= strcmp(x->words[j].fold, w->fold) == 0;
				explained = !present;
			}
		}
		if (!explained)
			explained = lc_search_corrections(w->fold, fl, corr, 1) > 0;
		if (explained)
			continue;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, w->fold, fl);
		o += fl;
	}
	out[o] = '\0';
	return o;
}

/* ---- scoring ---- */

static const float role_weight[] = {0.8f, 0.6f, 1.0f, 0.8f};	/* lc_search_role */

#define LEVEL_EXACT 1.0f
#define LEVEL_FOLDED 0.7f
#define LEVEL_TYPO 0.6f
#define LEVEL_PREFIX 0.5f
#define LEVEL_SIMILAR 0.3f
#define COMPANY_FACTOR 0.95f	/* part of a company name says less about who is meant */
/* one word of a company name matched without either neighbour (Phát of Minh
 * Phát): thousands of companies share a word, a run of them (the brand) names one */
#define COMPANY_LONE_FACTOR 0.8f
#define DECODED_READING 0.98f	/* a literal reading wins a tie */
#define PENALTY_GIVEN 0.08f
#define PENALTY_FAMILY 0.04f
#define PENALTY_MIDDLE 0.01f
#define PENALTY_COMPANY_WORD 0.01f	/* a company word left unmatched, at most 5 */
#define PENALTY_ORDER 0.03f
/* A name with a typo read in a Western order (vu mia huyne: Huỳnh Gia Vũ
 * rather than Vũ Mai Huyền) scores more when that order moves the exact word
 * into the heavier given name; most type the Vietnamese order, so it wins */
#define PENALTY_WESTERN 0.06f
#define PENALTY_COMPANY_FIRST 0.05f
#define PENALTY_INTERLEAVED 0.1f
#define PENALTY_NO_NAME 0.08f		/* found by the company alone */
#define EMAIL_LIKELY_NAME 0.85f		/* a name read from an e-mail-like token */

typedef struct doc_word
{
	char		fold[LC_SEARCH_WORD_BYTES + 1];
	char		sig[LC_SEARCH_SIG_BYTES];	/* "" when unknown (company key words) */
	size_t		fold_len;
	lc_search_role role;
} doc_word;

size_t
lc_search_score_work_bound(size_t name_len)
{
	return lc_name_bound(name_len < NAME_BYTES ? name_len : NAME_BYTES);
}

static int
add_doc_words(const char *part, size_t len, lc_search_role rl, doc_word *dw, int n)
{
	size_t		pos = 0,
				start,
				wl;

	while (n < DOC_WORDS && next_run(part, len, &pos, is_word_cp, &start, &wl))
	{
		doc_word   *d = &dw[n];

		d->fold_len = fold_word(part + start, wl, d->fold);
		if (d->fold_len == 0)
			continue;
		if (wl <= LC_SEARCH_WORD_BYTES)
			lc_search_signature(part + start, wl, d->sig);
		else
			memcpy(d->sig, d->fold, d->fold_len + 1);
		d->role = rl;
		n++;
	}
	return n;
}

/*
 * Company words come from the company key (folded, legal form dropped,
 * abbreviations expanded); a word also written in the company name as typed
 * gets the diacritics it has there.
 */
static int
add_company_words(const lc_search_candidate *c, doc_word *dw, int n)
{
	doc_word	typed[DOC_WORDS];
	bool		used[DOC_WORDS] = {false};
	int			first = n,
				nt = 0,
				i,
				j;

	n = add_doc_words(c->company_key, c->company_len, LC_ROLE_COMPANY, dw, n);
	if (c->company_name)
		nt = add_doc_words(c->company_name,
						   utf8_cut(c->company_name, c->company_name_len, NAME_BYTES),
						   LC_ROLE_COMPANY, typed, 0);
	for (i = first; i < n; i++)
	{
		dw[i].sig[0] = '\0';
		for (j = 0; j < nt; j++)
			if (!used[j] && typed[j].fold_len == dw[i].fold_len &&
				memcmp(typed[j].fold, dw[i].fold, dw[i].fold_len) == 0)
			{
				memcpy(dw[i].sig, typed[j].sig, sizeof(dw[i].sig));
				used[j] = true;
				break;
			}
	}
	return n;
}

static float
word_level(const lc_search_word *w, size_t wl, const doc_word *d)
{
	if (wl == d->fold_len && memcmp(w->fold, d->fold, wl) == 0)
	{
		if (w->sig[0] == '\0' || d->sig[0] == '\0' || strcmp(w->sig, d->sig) == 0)
			return LEVEL_EXACT;
		return LEVEL_FOLDED;
	}
	if (wl >= 2 && d->fold_len >= 2)
	{
		int			dist = lc_edit_distance(w->fold, wl, d->fold, d->fold_len, 2);

		if (dist == 1)
			return LEVEL_TYPO;
		if (wl >= 5 && d->fold_len >= 5 && dist == 2)
			return LEVEL_SIMILAR;
	}
	if (wl >= 2 && wl < d->fold_len && memcmp(w->fold, d->fold, wl) == 0)
		return LEVEL_PREFIX;
	return 0.0f;
}

typedef struct reading_score
{
	float		score;
	bool		name,
				company;
	unsigned	matched;
} reading_score;

/*
 * The order a query may have written a name in: Vietnamese (family first,
 * given last), Western reversed (given first, family last: An Nguyen) or
 * Western with the middle name in front (Van An Nguyen).
 */
typedef enum name_order
{
	ORDER_VIETNAMESE,
	ORDER_REVERSED,
	ORDER_MIDDLE_FIRST,
	ORDERS
} name_order;

/* the part of a name word i of n is in that order */
static lc_search_role
role_in(name_order order, int i, int n)
{
	if (n == 1)
		return LC_ROLE_GIVEN;
	switch (order)
	{
		case ORDER_VIETNAMESE:
			return i == 0 ? LC_ROLE_FAMILY : i == n - 1 ? LC_ROLE_GIVEN : LC_ROLE_MIDDLE;
		case ORDER_REVERSED:
			return i == 0 ? LC_ROLE_GIVEN : i == n - 1 ? LC_ROLE_FAMILY : LC_ROLE_MIDDLE;
		default:
			return i == n - 1 ? LC_ROLE_FAMILY : i == n - 2 ? LC_ROLE_GIVEN : LC_ROLE_MIDDLE;
	}
}

/*
 * Is aligning query word i with lead word j better than what was found so
 * far (bi, bj)? A higher level, then the part of the name the assumed order
 * gives the word (Công Công: middle, then given), then name or company as
 * preferred, then the heavier role.
 */
static bool
better_pair(const lc_search_reading *r, const doc_word *dw, float v, int i, int j, float best,
			int bi, int bj, name_order order, bool prefer_company)
{
	bool		role_i,
				role_b,
				field_i,
				field_b;

	if (bj < 0 || v != best)
		return v > best;
	role_i = dw[j].role == role_in(order, i, r->nwords);
	role_b = dw[bj].role == role_in(order, bi, r->nwords);
	if (role_i != role_b)
		return role_i;
	field_i = (dw[j].role == LC_ROLE_COMPANY) == prefer_company;
	field_b = (dw[bj].role == LC_ROLE_COMPANY) == prefer_company;
	if (field_i != field_b)
		return field_i;
	return role_weight[dw[j].role] > role_weight[dw[bj].role];
}

/* how well each query word matches each lead word */
static void
word_levels(const lc_search_reading *r, const doc_word *dw, int nd,
			float level[LC_SEARCH_WORDS][DOC_WORDS])
{
	int			i,
				j;

	for (i = 0; i < r->nwords; i++)
	{
		size_t		wl = strlen(r->words[i].fold);

		for (j = 0; j < nd; j++)
			level[i][j] = (r->kind == LC_READ_COMPANY && dw[j].role != LC_ROLE_COMPANY) ? 0.0f :
				word_level(&r->words[i], wl, &dw[j]);
	}
}

/* align the words of a reading with the lead's words, greedily, best pair first */
static void
align(const lc_search_reading *r, const doc_word *dw, int nd, name_order order,
	  bool prefer_company, float level[LC_SEARCH_WORDS][DOC_WORDS], int *slot_doc)
{
	bool		used[DOC_WORDS] = {false};
	int			i,
				j;

	for (i = 0; i < r->nwords; i++)
		slot_doc[i] = -1;
	for (;;)
	{
		int			bi = -1,
					bj = -1;
		float		best = 0.0f;

		for (i = 0; i < r->nwords; i++)
		{
			if (slot_doc[i] >= 0)
				continue;
			for (j = 0; j < nd; j++)
			{
				float		v = level[i][j];

				if (used[j] || v <= 0.0f)
					continue;
				if (better_pair(r, dw, v, i, j, best, bi, bj, order, prefer_company))
				{
					best = v;
					bi = i;
					bj = j;
				}
			}
		}
		if (bi < 0)
			break;
		slot_doc[bi] = bj;
		used[bj] = true;
	}
}

/* name parts the alignment left out: the given name matters most */
static float
unmatched_name_penalty(const doc_word *dw, int nd, const bool *used)
{
	bool		given = false,
				family = false;
	float		penalty = 0.0f;
	int			j;

	for (j = 0; j < nd; j++)
		if (used[j])
			given |= dw[j].role == LC_ROLE_GIVEN, family |= dw[j].role == LC_ROLE_FAMILY;
	for (j = 0; j < nd; j++)
	{
		if (used[j])
			continue;
		if (dw[j].role == LC_ROLE_MIDDLE)
			penalty += PENALTY_MIDDLE;
		else if (dw[j].role == LC_ROLE_GIVEN && !given)
			penalty += PENALTY_GIVEN, given = true;
		else if (dw[j].role == LC_ROLE_FAMILY && !family)
			penalty += PENALTY_FAMILY, family = true;
	}
	return penalty;
}

static void
score_alignment(const lc_search_reading *r, const doc_word *dw, int nd, name_order order,
				bool prefer_company, float level[LC_SEARCH_WORDS][DOC_WORDS],
				reading_score *rs)
{
	int			slot_doc[LC_SEARCH_WORDS];
	bool		used[DOC_WORDS] = {false};
	float		num = 0.0f,
				den = 0.0f,
				company_num = 0.0f,
				company_full = 0.0f,
				penalty = 0.0f;
	int			blocks = 0,
				name_words = 0,
				i,
				j;
	lc_search_role prev_field = LC_ROLE_FAMILY;
	bool		first_is_company = false;

	memset(rs, 0, sizeof(*rs));
	align(r, dw, nd, order, prefer_company, level, slot_doc);
	for (i = 0; i < r->nwords; i++)
		if (slot_doc[i] >= 0)
			used[slot_doc[i]] = true;
	for (i = 0; i < r->nwords; i++)
	{
		bool		company;
		float		lv,
					factor = 1.0f;

		if (slot_doc[i] < 0)
		{
			den += 1.0f;
			continue;
		}
		j = slot_doc[i];
		lv = level[i][j];
		company = dw[j].role == LC_ROLE_COMPANY;
		if (company)
		{
			bool		before = j > 0 && dw[j - 1].role == LC_ROLE_COMPANY,
						after = j + 1 < nd && dw[j + 1].role == LC_ROLE_COMPANY;

			factor = (before || after) && !(before && used[j - 1]) && !(after && used[j + 1]) ?
				COMPANY_LONE_FACTOR : COMPANY_FACTOR;
			company_num += role_weight[dw[j].role] * lv * factor;
			company_full += role_weight[dw[j].role] * lv;
		}
		else
			num += role_weight[dw[j].role] * lv;
		den += role_weight[dw[j].role];
		/* blocks of neighbouring query words in the same field */
		if (blocks == 0 || (company != (prev_field == LC_ROLE_COMPANY)))
		{
			if (blocks == 0)
				first_is_company = company;
			blocks++;
			prev_field = company ? LC_ROLE_COMPANY : LC_ROLE_GIVEN;
		}
		if (company)
		{
			rs->company = true;
			rs->matched |= lv < LEVEL_EXACT ? LC_MATCH_COMPANY_TYPO : LC_MATCH_COMPANY;
			continue;
		}
		rs->name = true;
		name_words++;
		if (lv < LEVEL_FOLDED)
			rs->matched |= LC_MATCH_NAME_TYPO;
		else if (lv < LEVEL_EXACT)
			rs->matched |= LC_MATCH_NAME_FOLDED;
		else
			rs->matched |= LC_MATCH_NAME;
	}
	if (rs->name)
	{
		penalty += unmatched_name_penalty(dw, nd, used);
		/* a name read in the order assumed: Nguyễn Anh Tuấn is not Nguyễn Tuấn Anh */
		if (!rs->company && name_words >= 2)
		{
			for (i = 0; i < r->nwords; i++)
				if (slot_doc[i] >= 0 && dw[slot_doc[i]].role != role_in(order, i, r->nwords))
					penalty += PENALTY_ORDER;
			if (order != ORDER_VIETNAMESE && (rs->matched & LC_MATCH_NAME_TYPO))
				penalty += PENALTY_WESTERN;
		}
		if (rs->matched & (LC_MATCH_NAME_FOLDED | LC_MATCH_NAME_TYPO))
			rs->matched &= ~(unsigned) LC_MATCH_NAME;
		if (rs->matched & LC_MATCH_NAME_TYPO)
			rs->matched &= ~(unsigned) LC_MATCH_NAME_FOLDED;
	}
	if (rs->company)
	{
		int			left = 0;

		for (j = 0; j < nd; j++)
			left += dw[j].role == LC_ROLE_COMPANY && !used[j];
		/* the whole company name counts in full (summed alike, so that a
		 * whole name scores exactly what a whole person's name does) */
		num += left == 0 ? company_full : company_num;
		if (left > 0 && !rs->name)
			penalty += PENALTY_NO_NAME;
		penalty += PENALTY_COMPANY_WORD * (float) (left < 5 ? left : 5);
	}
	/* the usual way is a name, then the company: An Minh Phát */
	if (rs->name && rs->company && first_is_company)
		penalty += PENALTY_COMPANY_FIRST;
	if (blocks > 2)
		penalty += PENALTY_INTERLEAVED * (float) (blocks - 2);
	if (rs->matched & LC_MATCH_COMPANY_TYPO)
		rs->matched &= ~(unsigned) LC_MATCH_COMPANY;
	rs->score = den > 0.0f ? num / den - penalty : 0.0f;
	if (rs->score < 0.0f)
		rs->score = 0.0f;
	if (r->kind == LC_READ_TELEX || r->kind == LC_READ_VNI)
		rs->score *= DECODED_READING;
}

/*
 * The best alignment over the orders the name may be written in and, for
 * words that fit name and company alike, with them in the name or in the
 * company (Phạm Phương Thùy Thư of Phương Nam).
 */
static void
score_reading(const lc_search_reading *r, const doc_word *dw, int nd, reading_score *rs)
{
	float		level[LC_SEARCH_WORDS][DOC_WORDS];
	bool		company = false;
	int			order,
				prefer,
				orders,
				j;

	word_levels(r, dw, nd, level);
	for (j = 0; j < nd; j++)
		company |= dw[j].role == LC_ROLE_COMPANY;
	orders = r->kind == LC_READ_COMPANY || r->nwords < 2 ? 1 : r->nwords < 3 ? 2 : ORDERS;
	memset(rs, 0, sizeof(*rs));
	for (order = 0; order < orders; order++)
		for (prefer = 0; prefer <= (company ? 1 : 0); prefer++)
		{
			reading_score one;

			score_alignment(r, dw, nd, (name_order) order, prefer, level, &one);
			if (one.score > rs->score)
				*rs = one;
		}
}

/* does the decimal form of v end with digits? */
static bool
ends_with_digits(int64_t v, const char *digits)
{
	size_t		n = strlen(digits);

	while (n > 0)
	{
		if (v <= 0 || v % 10 != digits[n - 1] - '0')
			return false;
		v /= 10;
		n--;
	}
	return true;
}

/* a phone by the digits typed (national form): a number that is no valid
 * one, or that was read as another (0894 ... as an old landline 08 94...) */
static float
typed_phone_level(const lc_search_query *q, const char *digits, size_t len)
{
	size_t		nl = strlen(q->phone_national);
	float		best = 0.0f;
	int			i;

	if (nl > 0 && nl <= len && memcmp(digits, q->phone_national, nl) == 0)
		best = nl == len ? 1.0f : 0.85f;
	for (i = 0; i < q->nphones; i++)
	{
		const lc_search_phone *p = &q->phones[i];
		size_t		dl = strlen(p->digits);

		if (p->kind == LC_SEARCH_PHONE_SUFFIX && dl <= len && best < 0.9f &&
			memcmp(digits + len - dl, p->digits, dl) == 0)
			best = 0.9f;
	}
	return best;
}

static float
phone_level(const lc_search_query *q, int64_t phone)
{
	float		best = 0.0f;
	int			i;

	if (phone <= 0)
		return 0.0f;
	for (i = 0; i < q->nphones; i++)
	{
		const lc_search_phone *p = &q->phones[i];

		if (p->kind == LC_SEARCH_PHONE_FULL && phone == p->lo)
			return 1.0f;
		/* the end of a number says more than its start, which a carrier's
		 * subscribers share */
		if (p->kind == LC_SEARCH_PHONE_SUFFIX && ends_with_digits(phone, p->digits))
			best = 0.9f;
		if (p->kind == LC_SEARCH_PHONE_PREFIX && phone >= p->lo && phone < p->hi && best < 0.85f)
			best = 0.85f;
	}
	return best;
}

static float
email_level(const lc_search_query *q, const char *key, size_t len)
{
	float		best = 0.0f;
	int			i;

	if (key == NULL)
		return 0.0f;
	for (i = 0; i < q->nemails; i++)
	{
		const lc_search_email *e = &q->emails[i];
		size_t		el = strlen(e->text);

		if (e->exact && el == len && memcmp(e->text, key, len) == 0)
			return 1.0f;
		if (!e->exact && el <= len && memcmp(e->text, key, el) == 0)
			best = 0.9f;
	}
	return best;
}

void
lc_search_score(const lc_search_query *q, const lc_search_candidate *c, char *work,
				lc_search_result *res)
{
	doc_word	dw[DOC_WORDS];
	int			nd = 0,
				r;
	reading_score best = {0};
	float		sum = 0.0f;
	int			parts = 0;

	memset(res, 0, sizeof(*res));
	if (q->nreadings > 0)
	{
		lc_name_parts np;
		size_t		nl = c->name ? utf8_cut(c->name, c->name_len, NAME_BYTES) : 0;

		if (nl > 0)
		{
			lc_parse_name(c->name, nl, work, &np);
			nd = add_doc_words(work + np.family_off, np.family_len, LC_ROLE_FAMILY, dw, nd);
			nd = add_doc_words(work + np.middle_off, np.middle_len, LC_ROLE_MIDDLE, dw, nd);
			nd = add_doc_words(work + np.given_off, np.given_len, LC_ROLE_GIVEN, dw, nd);
		}
		if (c->company_key)
			nd = add_company_words(c, dw, nd);
		for (r = 0; r < q->nreadings; r++)
		{
			reading_score rs;

			score_reading(&q->readings[r], dw, nd, &rs);
			if (rs.score > best.score)
				best = rs;
		}
	}
	if (q->nreadings > 0)
	{
		float		words = best.score;

		if (q->email_is_alternative)
		{
			float		e = email_level(q, c->email_key, c->email_len);

			/* "khang.tran", "lan92": punctuation or digits say e-mail */
			if (q->email_likely)
				words *= EMAIL_LIKELY_NAME;
			if (e > words)
			{
				words = e;
				memset(&best, 0, sizeof(best));
				best.matched = LC_MATCH_EMAIL;
				res->fields = 1;
			}
		}
		sum += words;
		parts++;
	}
	if (q->nphones > 0)
	{
		float		p = phone_level(q, c->phone),
					typed = c->phone_digits ?
			typed_phone_level(q, c->phone_digits, c->phone_digits_len) : 0.0f;

		if (typed > p)
			p = typed;

		sum += p;
		parts++;
		if (p > 0.0f)
			res->matched |= LC_MATCH_PHONE, res->fields++;
	}
	if (q->nemails > 0 && !q->email_is_alternative)
	{
		float		e = email_level(q, c->email_key, c->email_len);

		sum += e;
		parts++;
		if (e > 0.0f)
			res->matched |= LC_MATCH_EMAIL, res->fields++;
	}
	res->matched |= best.matched;
	res->fields += (best.name ? 1 : 0) + (best.company ? 1 : 0);
	res->score = parts ? sum / (float) parts : 0.0f;
}

/* ---- result order ---- */

static int
ranked_pos_cmp(const void *a, const void *b)
{
	const lc_search_ranked *x = a,
			   *y = b;

	return x->pos - y->pos;
}

static int
ranked_name_cmp(const void *a, const void *b)
{
	const lc_search_ranked *x = a,
			   *y = b;

	return x->name != y->name ? (x->name < y->name ? -1 : 1) : x->pos - y->pos;
}

/* the round of namesakes, then the score, then turns by name, then the caller's order */
static int
ranked_turn_cmp(const void *a, const void *b)
{
	const lc_search_ranked *x = a,
			   *y = b;
	int			rx = x->nth / LC_SEARCH_NAMESAKES,
				ry = y->nth / LC_SEARCH_NAMESAKES;

	if (rx != ry)
		return rx - ry;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->nth != y->nth)
		return x->nth - y->nth;

	return x->pos - y->pos;
}

size_t
lc_search_order(lc_search_ranked *items, size_t n)
{
	size_t		relevant,
				k;

	if (n == 0)
		return 0;
	qsort(items, n, sizeof(*items), ranked_pos_cmp);
	for (relevant = 0; relevant < n &&
		 items[relevant].score >= LC_SEARCH_NAMESAKE_SHARE * items[0].score; relevant++)
		;
	for (k = relevant; k < n; k++)
		items[k].nth = 0;
	qsort(items, relevant, sizeof(*items), ranked_name_cmp);
	for (k = 0; k < relevant; k++)
		items[k].nth = (k > 0 && items[k].name == items[k - 1].name) ? items[k - 1].nth + 1 : 0;
	qsort(items, relevant, sizeof(*items), ranked_turn_cmp);
	return n;
}

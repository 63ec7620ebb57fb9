/*
 * src/core/dedup.c - comparison levels, Fellegi-Sunter weights and EM for
 * duplicate detection (see dedup.h). No PostgreSQL, no allocation.
 */
#include "core/dedup.h"

#include <math.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_name.h"
#include "core/vn_phone.h"
#include "core/vn_search.h"
#include "core/vn_syllable.h"
#include "core/vn_text.h"

static const int nlevels[LC_DD_NCMP] = {6, 4, 3, 3, 2, 3, 2};

static const char *const cmp_names[LC_DD_NCMP] = {
	"name", "phone", "email", "company", "province", "birthday", "facebook"
};

static const char *const level_names[LC_DD_NCMP][LC_DD_NLEV] = {
	{"exact", "no_middle", "close", "other_middle", "given_only", "different"},
	{"same_mobile", "same_other", "one_digit", "different"},
	{"same", "same_local", "different"},
	{"same", "similar", "different"},
	{"same", "different"},
	{"same", "close", "different"},
	{"same", "different"},
};

int
lc_dd_levels(lc_dd_comparison c)
{
	return (c >= 0 && c < LC_DD_NCMP) ? nlevels[c] : 0;
}

const char *
lc_dd_comparison_name(lc_dd_comparison c)
{
	return (c >= 0 && c < LC_DD_NCMP) ? cmp_names[c] : NULL;
}

const char *
lc_dd_level_name(lc_dd_comparison c, int level)
{
	if (c < 0 || c >= LC_DD_NCMP || level < 0 || level >= nlevels[c])
		return NULL;
	return level_names[c][level];
}

/* ---- string similarity ---- */

double
lc_dd_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	/* names and keys are short: longer strings are compared on their first 64 bytes */
	unsigned char amatch[64],
				bmatch[64];
	size_t		window,
				i,
				j,
				k,
				m = 0,
				t = 0,
				prefix = 0;
	double		jaro;

	if (alen > 64)
		alen = 64;
	if (blen > 64)
		blen = 64;
	if (alen == 0 && blen == 0)
		return 1.0;
	if (alen == 0 || blen == 0)
		return 0.0;
	window = (alen > blen ? alen : blen) / 2;
	window = window > 0 ? window - 1 : 0;
	memset(amatch, 0, sizeof(amatch));
	memset(bmatch, 0, sizeof(bmatch));
	for (i = 0; i < alen; i++)
	{
		size_t		lo = i > window ? i - window : 0,
					hi = i + window + 1 < blen ? i + window + 1 : blen;

		for (j = lo; j < hi; j++)
			if (!bmatch[j] && a[i] == b[j])
			{
				amatch[i] = bmatch[j] = 1;
				m++;
				break;
			}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, k = 0; i < alen; i++)
	{
		if (!amatch[i])
			continue;
		while (!bmatch[k])
			k++;
		if (a[i] != b[k])
			t++;
		k++;
	}
	jaro = ((double) m / alen + (double) m / blen + (m - t / 2.0) / m) / 3.0;
	while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix])
		prefix++;
	return jaro + prefix * 0.1 * (1.0 - jaro);
}


/* ---- names ---- */

/*
 * The next word of folded[*i, flen) (name words are split at spaces and
 * hyphens), at most 40 bytes of it: its start in *start and its length, 0
 * when none is left.
 */
static size_t
next_name_word(const char *folded, size_t flen, size_t *i, size_t *start)
{
	size_t		wlen;

	while (*i < flen && (folded[*i] == ' ' || folded[*i] == '-'))
		(*i)++;
	*start = *i;
	while (*i < flen && folded[*i] != ' ' && folded[*i] != '-')
		(*i)++;
	wlen = *i - *start;
	return wlen > 40 ? 40 : wlen;
}

/* Append the folded words of text[0, len) to n; returns words added. */
static int
add_words(lc_dd_name *n, size_t *used, const char *text, size_t len)
{
	char		folded[LC_DD_NAME_INPUT_MAX * 3 + 1];
	size_t		flen,
				i = 0;
	int			added = 0;

	if (len == 0)
		return 0;
	if (len > LC_DD_NAME_INPUT_MAX)
		len = LC_DD_NAME_INPUT_MAX;
	flen = lc_fold(text, len, folded);
	while (i < flen)
	{
		size_t		start,
					wlen = next_name_word(folded, flen, &i, &start);

		if (wlen == 0)
			continue;
		if (n->nwords >= LC_DD_NAME_WORDS || *used + wlen + 1 > LC_DD_NAME_BYTES)
			break;
		memcpy(n->text + *used, folded + start, wlen);
		n->off[n->nwords] = (unsigned char) *used;
		n->len[n->nwords] = (unsigned char) wlen;
		n->text[*used + wlen] = '\0';
		*used += wlen + 1;
		n->nwords++;
		added++;
	}
	return added;
}

/* Hoàng/Huỳnh -> hoang, Vũ/Võ -> vo: the alphabetically first fold of the pair */
static void
set_family_key(lc_dd_name *n)
{
	const lc_family_name *f;
	const char *w;
	size_t		wlen;

	n->family_key[0] = '\0';
	if (n->nfamily == 0)
		return;
	w = n->text + n->off[0];
	wlen = n->len[0];
	if (n->nfamily == 1 && (f = lc_family_name_lookup(w, wlen)) != NULL && f->same_as != NULL)
	{
		char		other[32];
		size_t		olen = strlen(f->same_as);

		if (olen < 10)
		{
			olen = lc_fold(f->same_as, olen, other);
			if (olen < sizeof(n->family_key) && strcmp(other, f->folded) < 0)
			{
				memcpy(n->family_key, other, olen + 1);
				return;
			}
		}
	}
	if (wlen >= sizeof(n->family_key))
		wlen = sizeof(n->family_key) - 1;
	memcpy(n->family_key, w, wlen);
	n->family_key[wlen] = '\0';
}

/* combining marks of NFD input: their modifier or tone */
static int
combining_mark(uint32_t cp, int *mod, int *tone)
{
	switch (cp)
	{
		case 0x0300: *tone = LC_VN_TONE_HUYEN; return 1;
		case 0x0301: *tone = LC_VN_TONE_SAC; return 1;
		case 0x0309: *tone = LC_VN_TONE_HOI; return 1;
		case 0x0303: *tone = LC_VN_TONE_NGA; return 1;
		case 0x0323: *tone = LC_VN_TONE_NANG; return 1;
		case 0x0302: *mod = LC_VN_MOD_CIRC; return 1;
		case 0x0306: *mod = LC_VN_MOD_BREVE; return 1;
		case 0x031B: *mod = LC_VN_MOD_HORN; return 1;
		default: return 0;
	}
}

/*
 * The diacritics of each word of s (split like add_words): modifiers of the
 * letters in order and the word's tone, wherever it sits, so that NFC, NFD
 * and either tone style give the same value. Returns whether any word has one.
 */
static int
word_marks(const char *s, size_t len, uint32_t *marks, int max_words, int *nwords)
{
	size_t		i = 0;
	int			n = 0,
				any = 0,
				in_word = 0,
				tone = 0;
	uint32_t	h = 0;

	*nwords = 0;
	while (i <= len)
	{
		size_t		adv = 1;
		uint32_t	cp = i < len ? lc_utf8_decode((const unsigned char *) s + i, len - i, &adv) : ' ';
		lc_vn_letter l;
		int			mod = 0,
					t = 0;

		if (cp == ' ' || cp == '-' || cp == '\t' || cp == ',' || cp == '.')
		{
			if (in_word && n < max_words)
			{
				marks[n++] = h * 8 + (uint32_t) tone;
				any |= (h != 0 || tone != 0);
			}
			in_word = 0;
			h = 0;
			tone = 0;
		}
		else if (combining_mark(cp, &mod, &t))
		{
			if (mod)
				h = h * 7 + (uint32_t) mod;
			if (t)
				tone = t;
		}
		else if (cp != LC_UTF8_INVALID)
		{
			in_word = 1;
			if (lc_vn_letter_decode(cp, &l))
			{
				h = h * 7 + l.mod;
				if (l.tone)
					tone = l.tone;
			}
			else
				h = h * 7;
		}
		i += adv;
	}
	*nwords = n;
	return any;
}

/*
 * The folded words of text[0, len) split like add_words, at most max of them,
 * each cut to 47 bytes; returns how many.
 */
static int
folded_words(const char *text, size_t len, char (*words)[48], int max)
{
	char		folded[(2 * LC_DD_NAME_INPUT_MAX + 1) * 3 + 1];
	size_t		flen = lc_fold(text, len, folded),
				i = 0;
	int			n = 0;

	while (i < flen && n < max)
	{
		size_t		st,
					wl = next_name_word(folded, flen, &i, &st);

		if (wl == 0)
			continue;
		if (wl > 47)
			wl = 47;
		memcpy(words[n], folded + st, wl);
		words[n][wl] = '\0';
		n++;
	}
	return n;
}

void
lc_dd_name_prepare(const char *s, size_t len, lc_dd_name *out)
{
	char		decoded[2 * LC_DD_NAME_INPUT_MAX + 1];
	char		folded[(2 * LC_DD_NAME_INPUT_MAX + 1) * 3 + 1];
	char		parsed[2 * LC_DD_NAME_INPUT_MAX + 4];
	char		wfold[LC_DD_NAME_WORDS][48];
	char		rawfold[LC_DD_NAME_WORDS][48];
	uint32_t	wmarks[LC_DD_NAME_WORDS] = {0};
	bool		wused[LC_DD_NAME_WORDS] = {false};
	lc_name_parts parts;
	size_t		used = 0,
				flen,
				dlen;
	int			given,
				nw = 0,
				nraw = 0,
				w,
				k;
	bool		telex;

	memset(out, 0, sizeof(*out));
	if (len > LC_DD_NAME_INPUT_MAX)
		len = LC_DD_NAME_INPUT_MAX;
	/* was it typed with diacritics? (before Telex decoding adds some) */
	{
		uint32_t	tmp[LC_DD_NAME_WORDS];

		out->accented = (unsigned char) word_marks(s, len, tmp, LC_DD_NAME_WORDS, &nw);
	}
	/* "Nguyeenx Vawn An" typed with the input method off */
	dlen = lc_vn_input_decode(LC_VN_TELEX, s, len, decoded);
	telex = dlen != len || memcmp(decoded, s, len) != 0;
	nw = 0;
	if (out->accented || telex)
	{
		/* each word's fold, to find its marks and typed form after parsing reorders the words */
		if (out->accented)
			word_marks(decoded, dlen, wmarks, LC_DD_NAME_WORDS, &nw);
		nw = folded_words(decoded, dlen, wfold, LC_DD_NAME_WORDS);
		if (telex)
			nraw = folded_words(s, len, rawfold, LC_DD_NAME_WORDS);
		if (nraw != nw)
			nraw = 0;
	}

	/*
	 * Parse the folded name: the result is the same for a name as typed and
	 * for its stored fold (lead.name_fold), and NFD or tone style cannot
	 * change how the parser reads the order.
	 */
	flen = lc_fold(decoded, dlen, folded);
	if (flen > LC_DD_NAME_INPUT_MAX)
		flen = LC_DD_NAME_INPUT_MAX;
	lc_parse_name(folded, flen, parsed, &parts);
	out->nfamily = (unsigned char) add_words(out, &used, parsed + parts.family_off, parts.family_len);
	add_words(out, &used, parsed + parts.middle_off, parts.middle_len);
	given = add_words(out, &used, parsed + parts.given_off, parts.given_len);
	/* a given name of two words (after a hyphen) counts as the last word */
	out->ngiven = given > 0 ? 1 : 0;
	if (out->nfamily > out->nwords)
		out->nfamily = out->nwords;
	if (out->nfamily + out->ngiven > out->nwords)
		out->ngiven = 0;
	set_family_key(out);
	for (w = 0; w < out->nwords; w++)
		for (k = 0; k < nw; k++)
			if (!wused[k] && strcmp(wfold[k], out->text + out->off[w]) == 0)
			{
				size_t		rl;

				wused[k] = true;
				out->marks[w] = wmarks[k];
				if (k < nraw && strcmp(rawfold[k], wfold[k]) != 0 &&
					(rl = strlen(rawfold[k])) < 40 && used + rl + 1 <= LC_DD_NAME_BYTES)
				{
					memcpy(out->text + used, rawfold[k], rl + 1);
					out->raw_off[w] = (unsigned char) used;
					out->raw_len[w] = (unsigned char) rl;
					used += rl + 1;
				}
				break;
			}
}

size_t
lc_dd_name_key(const lc_dd_name *n, char *out)
{
	size_t		o = 0;

	out[0] = '\0';
	if (n->nwords == 0)
		return 0;
	if (n->family_key[0])
	{
		size_t		fl = strlen(n->family_key);

		memcpy(out, n->family_key, fl);
		o = fl;
	}
	if (n->ngiven)
	{
		int			g = n->nwords - 1;

		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, n->text + n->off[g], n->len[g]);
		o += n->len[g];
	}
	out[o] = '\0';
	return o;
}

size_t
lc_dd_name_full_key(const lc_dd_name *n, char *out)
{
	size_t		o = 0,
				fl = strlen(n->family_key);
	int			w;

	out[0] = '\0';
	if (n->nwords == 0)
		return 0;
	if (fl > 0)
	{
		memcpy(out, n->family_key, fl);
		o = fl;
	}
	for (w = n->nfamily; w < n->nwords; w++)
	{
		if (o > 0)
			out[o++] = ' ';
		memcpy(out + o, n->text + n->off[w], n->len[w]);
		o += n->len[w];
	}
	out[o] = '\0';
	return o;
}

static bool
folded_eq(const lc_dd_name *a, int i, const lc_dd_name *b, int j)
{
	return a->len[i] == b->len[j] && memcmp(a->text + a->off[i], b->text + b->off[j], a->len[i]) == 0;
}

/* the same word: equal folded, and equal diacritics when both names were typed with them */
static bool
word_eq(const lc_dd_name *a, int i, const lc_dd_name *b, int j)
{
	return folded_eq(a, i, b, j) && (!a->accented || !b->accented || a->marks[i] == b->marks[j]);
}

/* the word as typed before Telex decoding, when decoding changed it ("turng" of Tủng) */
static bool
raw_word(const lc_dd_name *n, int i, const char **w, size_t *len)
{
	if (n->raw_len[i] == 0)
		return false;
	*w = n->text + n->raw_off[i];
	*len = n->raw_len[i];
	return true;
}

/*
 * One typo between two folded words: a letter left out, doubled, replaced,
 * or two neighbouring letters swapped. In a given or family name an edit that
 * turns one Vietnamese word into another (An/Anh, Hồng/Hương, Dũng/Tùng,
 * Hà/Hồ) makes another name, not a typo; a typo leaves a word that is no
 * Vietnamese syllable ("Huyn", "Nguyn", "Thnag": the Hunspell word list,
 * generated/lexicon.h) or one of a foreign name. Middle names are weaker
 * evidence (any_syllable: Thanh/Tanh, Thị/Tị are typos there).
 */
static bool
fold_close(const char *x, size_t xl, const char *y, size_t yl, bool any_syllable)
{
	if (xl < 2 || yl < 2 || xl + yl < 5 || lc_edit_distance(x, xl, y, yl, 1) > 1)
		return false;
	return any_syllable || !(lc_search_is_syllable(x, xl) && lc_search_is_syllable(y, yl));
}

/*
 * The same word with a typo or other diacritics (Anh/Ánh). A word that Telex
 * decoding changed is compared as typed too: "Turng" decodes to Tủng, but it
 * is Trung with two letters swapped.
 */
static bool
word_close_as(const lc_dd_name *a, int i, const lc_dd_name *b, int j, bool any_syllable)
{
	const char *x = a->text + a->off[i],
			   *y = b->text + b->off[j],
			   *rx,
			   *ry;
	size_t		xl = a->len[i],
				yl = b->len[j],
				rxl,
				ryl;

	if (folded_eq(a, i, b, j) || fold_close(x, xl, y, yl, any_syllable))
		return true;
	if (raw_word(a, i, &rx, &rxl) && fold_close(rx, rxl, y, yl, any_syllable))
		return true;
	return raw_word(b, j, &ry, &ryl) && fold_close(x, xl, ry, ryl, any_syllable);
}

static bool
word_close(const lc_dd_name *a, int i, const lc_dd_name *b, int j)
{
	return word_close_as(a, i, b, j, false);
}

/* the words as a sorted multiset (for names whose order the parser read differently) */
static bool
same_word_multiset(const lc_dd_name *a, const lc_dd_name *b)
{
	bool		used[LC_DD_NAME_WORDS] = {false};
	int			i,
				j;

	if (a->nwords != b->nwords)
		return false;
	for (i = 0; i < a->nwords; i++)
	{
		for (j = 0; j < b->nwords; j++)
			if (!used[j] && word_eq(a, i, b, j))
				break;
		if (j == b->nwords)
			return false;
		used[j] = true;
	}
	return true;
}


/* the same words in any order but one, which has a typo (the parser may misread a mistyped family name) */
static bool
close_word_multiset(const lc_dd_name *a, const lc_dd_name *b)
{
	bool		used[LC_DD_NAME_WORDS] = {false};
	int			i,
				j,
				left_a = -1,
				unmatched = 0;

	if (a->nwords != b->nwords || a->nwords < 2)
		return false;
	for (i = 0; i < a->nwords; i++)
	{
		for (j = 0; j < b->nwords; j++)
			if (!used[j] && word_eq(a, i, b, j))
				break;
		if (j == b->nwords)
		{
			if (++unmatched > 1)
				return false;
			left_a = i;
			continue;
		}
		used[j] = true;
	}
	for (j = 0; j < b->nwords; j++)
		if (!used[j])
			return left_a >= 0 && word_close(a, left_a, b, j);
	return false;
}

/* every word of the shorter name is in the longer one (a middle name left out) */
static bool
words_contained(const lc_dd_name *small, const lc_dd_name *big)
{
	bool		used[LC_DD_NAME_WORDS] = {false};
	int			i,
				j;

	if (small->nwords < 2 || small->nwords >= big->nwords)
		return false;
	for (i = 0; i < small->nwords; i++)
	{
		for (j = 0; j < big->nwords; j++)
			if (!used[j] && word_eq(small, i, big, j))
				break;
		if (j == big->nwords)
			return false;
		used[j] = true;
	}
	return true;
}

/*
 * A two-word name that is the family and given name of a longer one in either
 * order: "Lệ Trần" and "Tuấn Châu" read as family + given (Lê and Châu are
 * family names too) against "Trần Quỳnh Lệ", "Châu Hải Tuấn".
 */
static bool
family_and_given_of(const lc_dd_name *small, const lc_dd_name *big)
{
	int			last = big->nwords - 1;

	if (small->nwords != 2 || big->nwords < 3 || big->nfamily != 1 || !big->ngiven)
		return false;
	return (word_eq(small, 0, big, 0) && word_eq(small, 1, big, last)) ||
		(word_eq(small, 1, big, 0) && word_eq(small, 0, big, last));
}

typedef enum part_match
{
	PART_SAME,
	PART_EQUIVALENT,			/* Hoàng/Huỳnh, Vũ/Võ */
	PART_CLOSE,					/* a typo */
	PART_MISSING,				/* absent on one side */
	PART_DIFFERENT
} part_match;

static part_match
compare_range(const lc_dd_name *a, int afrom, int ato, const lc_dd_name *b, int bfrom, int bto,
			  bool middle)
{
	int			an = ato - afrom,
				bn = bto - bfrom,
				i,
				typos = 0;

	if (an == 0 && bn == 0)
		return PART_SAME;
	if (an == 0 || bn == 0)
		return PART_MISSING;
	if (an != bn)
	{
		/* "Thị Mai" against "Mai": missing word rather than a different name */
		const lc_dd_name *s = an < bn ? a : b,
				   *l = an < bn ? b : a;
		int			sf = an < bn ? afrom : bfrom,
					st = an < bn ? ato : bto,
					lf = an < bn ? bfrom : afrom,
					lt = an < bn ? bto : ato,
					k;

		for (i = sf; i < st; i++)
		{
			for (k = lf; k < lt; k++)
				if (word_eq(s, i, l, k))
					break;
			if (k == lt)
				return PART_DIFFERENT;
		}
		return PART_MISSING;
	}
	for (i = 0; i < an; i++)
	{
		if (word_eq(a, afrom + i, b, bfrom + i))
			continue;
		if (!word_close_as(a, afrom + i, b, bfrom + i, middle))
			return PART_DIFFERENT;
		typos++;
	}
	return typos == 0 ? PART_SAME : typos == 1 ? PART_CLOSE : PART_DIFFERENT;
}

int
lc_dd_compare_names(const lc_dd_name *a, const lc_dd_name *b)
{
	part_match	family,
				middle,
				given;

	if (a->nwords == 0 || b->nwords == 0)
		return LC_DD_NULL;
	if (same_word_multiset(a, b))
		return LC_DD_NAME_EXACT;
	if (words_contained(a, b) || words_contained(b, a))
	{
		/* the given names must still be the same word: "Nguyễn An" is not "Nguyễn An Khang" */
		if (a->ngiven && b->ngiven && word_eq(a, a->nwords - 1, b, b->nwords - 1))
			return LC_DD_NAME_NO_MIDDLE;
		if (family_and_given_of(a, b) || family_and_given_of(b, a))
			return LC_DD_NAME_NO_MIDDLE;
	}
	family = compare_range(a, 0, a->nfamily, b, 0, b->nfamily, false);
	if (family == PART_DIFFERENT && a->family_key[0] && strcmp(a->family_key, b->family_key) == 0)
		family = PART_EQUIVALENT;
	given = compare_range(a, a->nwords - a->ngiven, a->nwords, b, b->nwords - b->ngiven, b->nwords, false);
	middle = compare_range(a, a->nfamily, a->nwords - a->ngiven, b, b->nfamily, b->nwords - b->ngiven, true);

	if (family == PART_DIFFERENT && close_word_multiset(a, b))
		return LC_DD_NAME_CLOSE;
	if (given == PART_SAME || given == PART_CLOSE)
	{
		if (family == PART_SAME || family == PART_EQUIVALENT || family == PART_CLOSE)
		{
			int			weak = (given == PART_CLOSE) + (family != PART_SAME) +
				(middle == PART_CLOSE);

			if (middle == PART_DIFFERENT)
				return (weak == 0) ? LC_DD_NAME_OTHER_MIDDLE : LC_DD_NAME_GIVEN_ONLY;
			if (weak == 1)
				return LC_DD_NAME_CLOSE;
			if (weak == 0)		/* same family and given, a middle word missing */
				return LC_DD_NAME_NO_MIDDLE;
			return LC_DD_NAME_GIVEN_ONLY;
		}
		if (given == PART_SAME)
			return LC_DD_NAME_GIVEN_ONLY;
	}
	return LC_DD_NAME_DIFFERENT;
}

/* ---- phones, e-mails, companies, provinces ---- */

static bool
one_digit_apart(int64_t x, int64_t y)
{
	char		a[24],
				b[24];
	int			la = 0,
				lb = 0,
				diff = 0,
				i,
				first = -1;

	if (x <= 0 || y <= 0)
		return false;
	while (x > 0 && la < 23)
		a[la++] = (char) ('0' + x % 10), x /= 10;
	while (y > 0 && lb < 23)
		b[lb++] = (char) ('0' + y % 10), y /= 10;
	if (la != lb)
		return false;
	for (i = 0; i < la; i++)
		if (a[i] != b[i])
		{
			if (first < 0)
				first = i;
			diff++;
		}
	if (diff == 1)
		return true;
	/* two neighbouring digits swapped */
	return diff == 2 && first + 1 < la && a[first] == b[first + 1] && a[first + 1] == b[first];
}

int
lc_dd_compare_phones(const int64_t *a, int na, const int64_t *b, int nb, int64_t *shared)
{
	int			i,
				j,
				best = LC_DD_NULL;
	bool		any_a = false,
				any_b = false;

	*shared = 0;
	for (i = 0; i < na; i++)
		any_a |= a[i] > 0;
	for (j = 0; j < nb; j++)
		any_b |= b[j] > 0;
	if (!any_a || !any_b)
		return LC_DD_NULL;
	best = LC_DD_PHONE_DIFFERENT;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
		{
			if (a[i] <= 0 || b[j] <= 0)
				continue;
			if (a[i] == b[j])
			{
				int			lev = lc_phone_kind_of(a[i]) == LC_PHONE_MOBILE ?
					LC_DD_PHONE_SAME_MOBILE : LC_DD_PHONE_SAME_OTHER;

				if (lev < best || *shared == 0)
				{
					if (lev <= best)
						*shared = a[i];
					if (lev < best)
						best = lev;
				}
			}
			else if (best == LC_DD_PHONE_DIFFERENT && i == 0 && j == 0 && one_digit_apart(a[i], b[j]))
				best = LC_DD_PHONE_ONE_DIGIT;
		}
	return best;
}

/* role mailboxes shared by many people: same local part says nothing */
static bool
generic_local(const char *s, size_t len)
{
	static const char *const generic[] = {
		"admin", "contact", "cskh", "hello", "hotro", "hr", "info", "ketoan", "kinhdoanh",
		"lienhe", "mail", "marketing", "office", "sales", "support", "vanphong"
	};
	size_t		i;

	if (len < 4)
		return true;
	for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (strlen(generic[i]) == len && memcmp(generic[i], s, len) == 0)
			return true;
	return false;
}

static size_t
local_len(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	return at ? (size_t) (at - s) : len;
}

/*
 * Can local[i, len) be spelled from the words of n not in used, each word
 * whole or as its initial, in any order? ("ngannt", "nguyenvana", "hahh".)
 * seen[i][used] remembers the dead ends, so this stays polynomial.
 */
static bool
spelled_from(const char *local, size_t len, size_t i, const lc_dd_name *n, unsigned used,
			 bool (*seen)[1 << LC_DD_NAME_WORDS])
{
	int			w;

	if (i == len)
		return true;
	if (seen[i][used])
		return false;
	seen[i][used] = true;
	for (w = 0; w < n->nwords; w++)
	{
		const char *word = n->text + n->off[w];
		size_t		wl = n->len[w];

		if (used & (1u << w))
			continue;
		if (wl <= len - i && memcmp(local + i, word, wl) == 0 &&
			spelled_from(local, len, i + wl, n, used | (1u << w), seen))
			return true;
		if (local[i] == word[0] && spelled_from(local, len, i + 1, n, used | (1u << w), seen))
			return true;
	}
	return false;
}

bool
lc_dd_local_from_name(const char *local, size_t len, const lc_dd_name *n)
{
	char		letters[LC_DD_LOCAL_MAX];
	bool		seen[LC_DD_LOCAL_MAX + 1][1 << LC_DD_NAME_WORDS];
	size_t		nl = 0,
				i;

	if (n == NULL || n->nwords == 0 || len >= LC_DD_LOCAL_MAX)
		return false;
	for (i = 0; i < len; i++)
	{
		char		c = local[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c >= 'a' && c <= 'z')
			letters[nl++] = c;
		else if (c != '.' && c != '_' && c != '-')
			return false;		/* digits and the rest: the person's own choice */
	}
	if (nl == 0)
		return false;
	memset(seen, 0, sizeof(seen));
	return spelled_from(letters, nl, 0, n, 0, seen);
}

int
lc_dd_compare_emails(const char *const *a, const size_t *alen, int na,
					 const char *const *b, const size_t *blen, int nb,
					 const lc_dd_name *aname, const lc_dd_name *bname, int *which)
{
	int			i,
				j,
				best = LC_DD_NULL;

	*which = -1;
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
		{
			size_t		la,
						lb;

			if (alen[i] == 0 || blen[j] == 0)
				continue;
			if (best == LC_DD_NULL)
				best = LC_DD_EMAIL_DIFFERENT;
			if (alen[i] == blen[j] && memcmp(a[i], b[j], alen[i]) == 0)
			{
				*which = i;
				return LC_DD_EMAIL_SAME;
			}
			la = local_len(a[i], alen[i]);
			lb = local_len(b[j], blen[j]);
			if (best > LC_DD_EMAIL_SAME_LOCAL && la == lb && memcmp(a[i], b[j], la) == 0 &&
				!generic_local(a[i], la) &&
				!lc_dd_local_from_name(a[i], la, aname) && !lc_dd_local_from_name(a[i], la, bname))
			{
				best = LC_DD_EMAIL_SAME_LOCAL;
				*which = i;
			}
		}
	return best;
}

int
lc_dd_compare_companies(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return LC_DD_NULL;
	if (alen == blen && memcmp(a, b, alen) == 0)
		return LC_DD_COMPANY_SAME;
	if (alen >= 5 && blen >= 5 &&
		(lc_edit_distance(a, alen, b, blen, 1) <= 1 || lc_dd_jaro_winkler(a, alen, b, blen) >= 0.95))
		return LC_DD_COMPANY_SIMILAR;
	return LC_DD_COMPANY_DIFFERENT;
}

int
lc_dd_compare_provinces(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return LC_DD_NULL;
	return (alen == blen && memcmp(a, b, alen) == 0) ? LC_DD_PROVINCE_SAME : LC_DD_PROVINCE_DIFFERENT;
}

static bool
valid_date(const lc_dd_date *d)
{
	return d != NULL && d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31;
}

/* the 8 digits YYYYMMDD of a date with a 4-digit year */
static void
date_digits(const lc_dd_date *d, char out[8])
{
	int			v[3] = {d->year, d->month, d->day},
				w[3] = {4, 2, 2},
				i,
				k,
				pos = 0;

	for (i = 0; i < 3; i++)
	{
		int			x = v[i];

		for (k = w[i] - 1; k >= 0; k--)
		{
			out[pos + k] = (char) ('0' + x % 10);
			x /= 10;
		}
		pos += w[i];
	}
}

int
lc_dd_compare_birthdays(const lc_dd_date *a, const lc_dd_date *b)
{
	bool		a_year,
				b_year;

	if (!valid_date(a) || !valid_date(b))
		return LC_DD_NULL;
	a_year = a->year > LC_DD_YEAR_UNKNOWN;
	b_year = b->year > LC_DD_YEAR_UNKNOWN;
	if (!a_year || !b_year)
		return (a->month == b->month && a->day == b->day) ?
			LC_DD_BIRTHDAY_CLOSE : LC_DD_BIRTHDAY_DIFFERENT;
	if (a->year == b->year && a->month == b->month && a->day == b->day)
		return LC_DD_BIRTHDAY_SAME;
	/* 05/12 typed as 12/05: dd/mm against mm/dd */
	if (a->year == b->year && a->day == b->month && a->month == b->day && a->day <= 12)
		return LC_DD_BIRTHDAY_CLOSE;
	if (a->year <= 9999 && b->year <= 9999)
	{
		char		x[8],
					y[8];
		int			i,
					diff = 0;

		date_digits(a, x);
		date_digits(b, y);
		for (i = 0; i < 8; i++)
			diff += x[i] != y[i];
		if (diff == 1)
			return LC_DD_BIRTHDAY_CLOSE;
	}
	return LC_DD_BIRTHDAY_DIFFERENT;
}

int
lc_dd_compare_facebook(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return LC_DD_NULL;
	return (alen == blen && memcmp(a, b, alen) == 0) ? LC_DD_FACEBOOK_SAME : LC_DD_FACEBOOK_DIFFERENT;
}

/* ---- Fellegi-Sunter ---- */

#define PROB_FLOOR 1e-9

bool
lc_dd_redundant(const int level[LC_DD_NCMP], int c)
{
	/*
	 * A shared switchboard and the company name say the same thing, that two
	 * leads work at one organisation, not that they are one person; counted
	 * as independent they would make colleagues duplicates.
	 */
	if (c == LC_DD_COMPANY)
		return level[LC_DD_PHONE] == LC_DD_PHONE_SAME_OTHER &&
			(level[LC_DD_COMPANY] == LC_DD_COMPANY_SAME || level[LC_DD_COMPANY] == LC_DD_COMPANY_SIMILAR);

	/*
	 * Likewise a shared phone or mailbox places a household or an office in
	 * one province: the same province then tells a person from the family
	 * on his mobile no better than chance.
	 */
	if (c == LC_DD_PROVINCE)
		return level[LC_DD_PROVINCE] == LC_DD_PROVINCE_SAME &&
			(level[LC_DD_PHONE] == LC_DD_PHONE_SAME_MOBILE || level[LC_DD_PHONE] == LC_DD_PHONE_SAME_OTHER ||
			 level[LC_DD_EMAIL] == LC_DD_EMAIL_SAME);
	return false;
}

void
lc_dd_default_params(lc_dd_params *p)
{
	/*
	 * m: how often a duplicate typed by another person shows each level; u:
	 * how often two random leads of a tenant of lead_count leads do. A
	 * mobile or e-mail is shared by a random pair about 0.01/lead_count of
	 * the time (family members, typing mistakes); landlines (switchboards)
	 * and company names far more often.
	 *
	 * Birthdays: customers are born over some 45 years, so two random leads
	 * share a date about 1 / (365 * 45) = 6e-5 of the time, and land in the
	 * close level (some 25 neighbouring dates: one digit mistyped, day and
	 * month swapped, the same day and month without a year) about 1.5e-3.
	 * A birthday typed again (from the ID card, or asked again) agrees 90% of
	 * the time, is mistyped 6%, and is someone else's date (a relative's, the
	 * day of the form) 4%: a different birthday weighs about -4.6, enough to
	 * keep namesakes apart. A Facebook profile belongs to one person like a
	 * mobile; the same person gives another key 20% of the time (a second
	 * account, the id once and the username once), so a different one is weak
	 * evidence against.
	 */
	static const double m[LC_DD_NCMP][LC_DD_NLEV] = {
		{0.65, 0.15, 0.12, 0.03, 0.01, 0.04},
		{0.80, 0.05, 0.03, 0.12},
		{0.65, 0.05, 0.30},
		{0.75, 0.10, 0.15},
		{0.90, 0.10},
		{0.90, 0.06, 0.04},
		{0.80, 0.20},
	};
	static const double u[LC_DD_NCMP][LC_DD_NLEV] = {
		{2e-4, 1e-4, 2e-4, 5e-4, 1e-2, 0.9893},
		{1e-6, 2e-5, 5e-6, 0.999974},
		{1e-6, 1e-5, 0.999989},
		{1e-3, 1e-3, 0.998},
		{0.08, 0.92},
		{6e-5, 1.5e-3, 0.99844},
		{1e-6, 0.999999},
	};

	memset(p, 0, sizeof(*p));
	memcpy(p->m, m, sizeof(m));
	memcpy(p->u, u, sizeof(u));
	p->lead_count = 10000;
	/* one lead in 20 has a duplicate: 0.05 * N matching pairs among N(N-1)/2 */
	p->prior_log2_odds = log2(0.1 / (p->lead_count - 1));
}

double
lc_dd_weight(const lc_dd_params *p, const int level[LC_DD_NCMP], double full_count,
			 double name_count, double part[LC_DD_NCMP])
{
	double		w = 0;
	int			c;

	for (c = 0; c < LC_DD_NCMP; c++)
	{
		double		m,
					u,
					x;
		int			l = level[c];

		part[c] = 0;
		if (l < 0 || l >= nlevels[c] || lc_dd_redundant(level, c))
			continue;
		m = p->m[c][l] > PROB_FLOOR ? p->m[c][l] : PROB_FLOOR;
		u = p->u[c][l] > PROB_FLOOR ? p->u[c][l] : PROB_FLOOR;
		if (c == LC_DD_NAME && p->lead_count > 0 &&
			(l == LC_DD_NAME_EXACT || l == LC_DD_NAME_NO_MIDDLE))
		{
			/*
			 * term frequency: the chance that a random other lead has this
			 * name; the counts include the lead itself
			 */
			double		n = (l == LC_DD_NAME_EXACT && full_count > 0) ? full_count : name_count;

			if (n > 0)
			{
				u = (n - 1) / p->lead_count;
				if (u < 1.0 / p->lead_count)
					u = 1.0 / p->lead_count;
				if (u > 1)
					u = 1;
			}
		}
		x = log2(m / u);
		part[c] = x;
		w += x;
	}
	return w;
}

double
lc_dd_max_part(const lc_dd_params *p, lc_dd_comparison c)
{
	int			lev[LC_DD_NCMP],
				l,
				k;
	double		best = 0,
				part[LC_DD_NCMP];

	if (c < 0 || c >= LC_DD_NCMP)
		return 0;
	for (l = 0; l < nlevels[c]; l++)
	{
		for (k = 0; k < LC_DD_NCMP; k++)
			lev[k] = LC_DD_NULL;
		lev[c] = l;
		lc_dd_weight(p, lev, 1, 1, part);
		if (part[c] > best)
			best = part[c];
	}
	return best;
}

double
lc_dd_score(const lc_dd_params *p, double weight)
{
	double		lo = p->prior_log2_odds + weight;

	if (lo > 60)
		return 1.0;
	if (lo < -60)
		return 0.0;
	return 1.0 / (1.0 + exp2(-lo));
}

double
lc_dd_weight_for_score(const lc_dd_params *p, double min_score)
{
	if (min_score <= 0)
		return -INFINITY;
	if (min_score >= 1)
		return 60 - p->prior_log2_odds;
	return log2(min_score / (1 - min_score)) - p->prior_log2_odds;
}

static void
normalize_row(double *v, int n, double floor)
{
	double		s = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (v[i] < floor)
			v[i] = floor;
		s += v[i];
	}
	for (i = 0; i < n; i++)
		v[i] /= s;
}

int
lc_dd_em(const lc_dd_pattern *pat, size_t npat, lc_dd_params *p, int max_iter,
		 double all_pairs, double *match_share)
{
	double		ub[LC_DD_NCMP][LC_DD_NLEV];
	double		share = 0.1,
				candidates = 0;
	int			iter,
				c,
				l;
	size_t		k;

	for (k = 0; k < npat; k++)
		candidates += pat[k].count;

	/*
	 * Non-matches among candidate pairs agree far more often than random
	 * pairs: start them at a mixture of m and uniform, not at p->u.
	 */
	for (c = 0; c < LC_DD_NCMP; c++)
	{
		for (l = 0; l < nlevels[c]; l++)
			ub[c][l] = 0.2 * p->m[c][l] + 0.8 / nlevels[c];
		/* disagreement is the usual case for non-matches */
		ub[c][nlevels[c] - 1] += 1.0;
		if (all_pairs > 0)
			memcpy(ub[c], p->u[c], sizeof(ub[c]));
		normalize_row(ub[c], nlevels[c], 1e-6);
		normalize_row(p->m[c], nlevels[c], 1e-6);
	}
	for (iter = 0; iter < max_iter; iter++)
	{
		double		mm[LC_DD_NCMP][LC_DD_NLEV] = {{0}};
		double		uu[LC_DD_NCMP][LC_DD_NLEV] = {{0}};
		double		wsum = 0,
					total = 0,
					new_share,
					delta = 0;

		for (k = 0; k < npat; k++)
		{
			double		prior = all_pairs > 0 ? share * candidates / all_pairs : share,
						lm = log(prior),
						lu = log(1 - prior),
						w;
			int			lev[LC_DD_NCMP];

			for (c = 0; c < LC_DD_NCMP; c++)
				lev[c] = pat[k].level[c];
			for (c = 0; c < LC_DD_NCMP; c++)
			{
				l = pat[k].level[c];
				if (l < 0 || l >= nlevels[c] || lc_dd_redundant(lev, c))
					continue;
				lm += log(p->m[c][l]);
				lu += log(ub[c][l]);
			}
			w = 1.0 / (1.0 + exp(lu - lm));
			for (c = 0; c < LC_DD_NCMP; c++)
			{
				l = pat[k].level[c];
				if (l < 0 || l >= nlevels[c] || lc_dd_redundant(lev, c))
					continue;
				mm[c][l] += pat[k].count * w;
				uu[c][l] += pat[k].count * (1 - w);
			}
			wsum += pat[k].count * w;
			total += pat[k].count;
		}
		if (total <= 0)
			break;
		new_share = wsum / total;
		if (new_share < 1e-6)
			new_share = 1e-6;
		if (new_share > 1 - 1e-6)
			new_share = 1 - 1e-6;
		for (c = 0; c < LC_DD_NCMP; c++)
		{
			double		ms = 0,
						us = 0;

			for (l = 0; l < nlevels[c]; l++)
				ms += mm[c][l], us += uu[c][l];
			if (ms > 0)
				for (l = 0; l < nlevels[c]; l++)
				{
					double		v = mm[c][l] / ms;

					delta = fmax(delta, fabs(v - p->m[c][l]));
					p->m[c][l] = v;
				}
			if (us > 0 && all_pairs <= 0)
				for (l = 0; l < nlevels[c]; l++)
					ub[c][l] = uu[c][l] / us;
			/* no level is impossible for a duplicate: one field can always be mistyped */
			normalize_row(p->m[c], nlevels[c], 1e-3);
			normalize_row(ub[c], nlevels[c], 1e-6);
		}
		delta = fmax(delta, fabs(new_share - share));
		share = new_share;
		if (delta < 1e-6)
		{
			iter++;
			break;
		}
	}
	*match_share = share;
	return iter;
}

void
lc_dd_set_u(lc_dd_params *p, const double count[LC_DD_NCMP][LC_DD_NLEV])
{
	int			c,
				l;

	for (c = 0; c < LC_DD_NCMP; c++)
	{
		double		total = 0;

		for (l = 0; l < nlevels[c]; l++)
			total += count[c][l] > 0 ? count[c][l] : 0;
		for (l = 0; l < nlevels[c]; l++)
			p->u[c][l] = ((count[c][l] > 0 ? count[c][l] : 0) + 1.0) / (total + nlevels[c]);
		for (l = nlevels[c]; l < LC_DD_NLEV; l++)
			p->u[c][l] = 0;
	}
}

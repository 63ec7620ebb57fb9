/*
 * src/core/vn_company.c - company-name key.
 *
 * The name is folded (lc_fold) and read as words of [a-z0-9] (and non-ASCII
 * letters of other scripts); punctuation only separates, so "TM-DV", "TM&DV",
 * "Co.,Ltd" and "Co. Ltd" read alike. Legal forms are phrases of words
 * stripped from the start and the end until none matches. The abbreviations
 * are expanded only in what remains, as vietnam.md 7.2 advises, because some
 * collide with legal words: "CN" is Chi nhánh (branch) before a company word
 * at the start and Công nghệ elsewhere. "KT" (Kỹ thuật / Kế toán) and "TV"
 * (Tư vấn / TV) expand to their usual company-name meaning, Kỹ thuật and Tư
 * vấn: the key is for finding candidates, the typed name is kept as typed.
 */
#include "core/vn_company.h"

#include <stdbool.h>
#include <string.h>

#include "core/vn_text.h"

enum side
{
	AT_START = 1, AT_END = 2, AT_BOTH = 3
};

typedef struct legal_form
{
	const char *words;
	int			side;
} legal_form;

/* vietnam.md 7.1, folded; longest match wins */
static const legal_form legal_forms[] = {
	{"cong ty trach nhiem huu han", AT_BOTH}, {"cong ty tnhh", AT_BOTH},
	{"cty tnhh", AT_BOTH}, {"ct tnhh", AT_BOTH}, {"trach nhiem huu han", AT_BOTH},
	{"tnhh", AT_BOTH},
	{"mot thanh vien", AT_BOTH}, {"1 thanh vien", AT_BOTH}, {"mtv", AT_BOTH}, {"1tv", AT_BOTH},
	{"hai thanh vien tro len", AT_BOTH}, {"2 thanh vien tro len", AT_BOTH},
	{"hai thanh vien", AT_BOTH}, {"2 thanh vien", AT_BOTH}, {"2tv", AT_BOTH},
	{"cong ty co phan", AT_BOTH}, {"cong ty cp", AT_BOTH}, {"cty cp", AT_BOTH},
	{"ct cp", AT_BOTH}, {"ctcp", AT_BOTH}, {"co phan", AT_BOTH},
	{"cong ty hop danh", AT_BOTH}, {"cong ty hd", AT_BOTH}, {"cty hd", AT_BOTH},
	{"hop danh", AT_BOTH},
	{"doanh nghiep tu nhan", AT_BOTH}, {"doanh nghiep tn", AT_BOTH}, {"dntn", AT_BOTH},
	{"hop tac xa", AT_BOTH}, {"htx", AT_BOTH},
	{"tap doan", AT_BOTH}, {"tong cong ty", AT_BOTH}, {"tct", AT_BOTH},
	{"cong ty", AT_BOTH}, {"cty", AT_BOTH},
	{"chi nhanh", AT_START}, {"van phong dai dien", AT_START}, {"vpdd", AT_START},
	{"dia diem kinh doanh", AT_START},
	{"co ltd", AT_END}, {"co limited", AT_END}, {"company limited", AT_END},
	{"company ltd", AT_END}, {"ltd", AT_END}, {"limited", AT_END},
	{"limited liability company", AT_END}, {"limited liability", AT_END},
	{"llc", AT_END}, {"l l c", AT_END}, {"one member", AT_END}, {"single member", AT_END},
	{"joint stock company", AT_END}, {"joint stock co", AT_END}, {"joint stock", AT_END},
	{"jsc", AT_END}, {"j s c", AT_END}, {"jsco", AT_END},
	{"corporation", AT_END}, {"corp", AT_END}, {"incorporated", AT_END}, {"inc", AT_END},
	{"group", AT_END}, {"plc", AT_END}, {"pte", AT_END}, {"partnership", AT_END},
	{"cooperative", AT_END}, {"co op", AT_END}, {"private enterprise", AT_END},
	{"company", AT_END}, {"co", AT_END},
};

/* "Chi nhánh" abbreviated: a legal form only right before another one */
static const char *const branch_abbreviation = "cn";

/* a branch's own designation after the company name: cut from here on */
static const char *const branch_markers[] = {
	"chi nhanh", "van phong dai dien", "vpdd", "dia diem kinh doanh", "branch",
	"representative office",
};

typedef struct abbreviation
{
	const char *abbr;
	const char *words;
} abbreviation;

/* vietnam.md 7.2 (+ XK, NK, KD, used the same way), folded; sorted by abbr */
static const abbreviation abbreviations[] = {
	{"bds", "bat dong san"}, {"cn", "cong nghe"}, {"dt", "dau tu"}, {"dv", "dich vu"},
	{"gt", "giao thong"}, {"kd", "kinh doanh"}, {"kt", "ky thuat"}, {"nk", "nhap khau"},
	{"nn", "nong nghiep"}, {"pt", "phat trien"}, {"sx", "san xuat"}, {"tk", "thiet ke"},
	{"tm", "thuong mai"}, {"tv", "tu van"}, {"ubnd", "uy ban nhan dan"},
	{"vietnam", "viet nam"}, {"vn", "viet nam"}, {"vt", "van tai"}, {"xd", "xay dung"},
	{"xk", "xuat khau"}, {"xnk", "xuat nhap khau"},
};

/* abbreviations that are two words: "T.Mại" */
static const abbreviation two_word_abbreviations[] = {
	{"t mai", "thuong mai"},
};

/* words looked back from an English "Branch" for the legal form before the place */
#define BRANCH_LOOKBACK 12

/* longest word a compound abbreviation (TMDV, SXTMDV) is split from */
#define COMPOUND_MAX 12

size_t
lc_company_key_bound(size_t len)
{
	return (LC_COMPANY_GROWTH + 1) * lc_fold_bound(len);
}

static bool
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* the next word in t[*pos, end): sets *w, *wl and moves *pos past it */
static bool
next_word(const char *t, size_t *pos, size_t end, const char **w, size_t *wl)
{
	size_t		p = *pos;

	while (p < end && !is_word_byte((unsigned char) t[p]))
		p++;
	if (p == end)
		return false;
	*w = t + p;
	while (p < end && is_word_byte((unsigned char) t[p]))
		p++;
	*wl = (size_t) (t + p - *w);
	*pos = p;
	return true;
}

/* the word before t[*end] not before begin: moves *end to its start */
static bool
prev_word(const char *t, size_t begin, size_t *end, const char **w, size_t *wl)
{
	size_t		p = *end;

	while (p > begin && !is_word_byte((unsigned char) t[p - 1]))
		p--;
	if (p == begin)
		return false;
	*wl = 0;
	while (p > begin && is_word_byte((unsigned char) t[p - 1]))
		p--, (*wl)++;
	*w = t + p;
	*end = p;
	return true;
}

/* the i-th space-separated word of phrase; false past the last */
static bool
phrase_word(const char *phrase, int i, const char **w, size_t *wl)
{
	const char *p = phrase;

	while (i-- > 0)
	{
		p = strchr(p, ' ');
		if (p == NULL)
			return false;
		p++;
	}
	*w = p;
	*wl = strchr(p, ' ') ? (size_t) (strchr(p, ' ') - p) : strlen(p);
	return true;
}

static int
phrase_words(const char *phrase)
{
	int			n = 1;

	for (; *phrase; phrase++)
		n += *phrase == ' ';
	return n;
}

static bool
word_is(const char *w, size_t wl, const char *x, size_t xl)
{
	return wl == xl && memcmp(w, x, wl) == 0;
}

/* If phrase starts t[pos, end), the position after it; else 0. */
static size_t
match_forward(const char *t, size_t pos, size_t end, const char *phrase)
{
	const char *pw,
			   *w;
	size_t		pwl,
				wl;
	int			i;

	for (i = 0; phrase_word(phrase, i, &pw, &pwl); i++)
		if (!next_word(t, &pos, end, &w, &wl) || !word_is(w, wl, pw, pwl))
			return 0;
	return pos;
}

/* If phrase ends t[begin, end), the position of its first word; else (size_t) -1. */
static size_t
match_backward(const char *t, size_t begin, size_t end, const char *phrase)
{
	const char *pw,
			   *w;
	size_t		pwl,
				wl;
	int			i;

	for (i = phrase_words(phrase) - 1; i >= 0; i--)
	{
		phrase_word(phrase, i, &pw, &pwl);
		if (!prev_word(t, begin, &end, &w, &wl) || !word_is(w, wl, pw, pwl))
			return (size_t) -1;
	}
	return end;
}

static bool
has_word(const char *t, size_t pos, size_t end)
{
	const char *w;
	size_t		wl;

	return next_word(t, &pos, end, &w, &wl);
}

/* does phrase start (first) or end (!first) with the word w? a cheap filter */
static bool
phrase_edge_is(const char *phrase, bool first, const char *w, size_t wl)
{
	const char *p = first ? phrase : strrchr(phrase, ' ');
	size_t		n;

	p = (p == NULL) ? phrase : (first ? p : p + 1);
	n = first ? (strchr(p, ' ') ? (size_t) (strchr(p, ' ') - p) : strlen(p)) : strlen(p);
	return word_is(w, wl, p, n);
}

/* longest legal form at the start of t[begin, end): position after it, or 0 */
static size_t
legal_form_at_start(const char *t, size_t begin, size_t end)
{
	size_t		best = 0,
				pos = begin,
				i;
	const char *w;
	size_t		wl;

	if (!next_word(t, &pos, end, &w, &wl))
		return 0;
	for (i = 0; i < sizeof(legal_forms) / sizeof(legal_forms[0]); i++)
	{
		size_t		after;

		if (!(legal_forms[i].side & AT_START) || !phrase_edge_is(legal_forms[i].words, true, w, wl))
			continue;
		after = match_forward(t, begin, end, legal_forms[i].words);
		if (after > best)
			best = after;
	}
	return best;
}

static size_t
legal_form_at_end(const char *t, size_t begin, size_t end)
{
	size_t		best = (size_t) -1,
				pos = end,
				i;
	const char *w;
	size_t		wl;

	if (!prev_word(t, begin, &pos, &w, &wl))
		return best;
	for (i = 0; i < sizeof(legal_forms) / sizeof(legal_forms[0]); i++)
	{
		size_t		at;

		if (!(legal_forms[i].side & AT_END) || !phrase_edge_is(legal_forms[i].words, false, w, wl))
			continue;
		at = match_backward(t, begin, end, legal_forms[i].words);
		if (at != (size_t) -1 && (best == (size_t) -1 || at < best))
			best = at;
	}
	return best;
}

/* strip legal forms from both ends of t[*begin, *end), never the last word */
static void
strip_legal_forms(const char *t, size_t *begin, size_t *end)
{
	for (;;)
	{
		size_t		after = legal_form_at_start(t, *begin, *end);

		if (after == 0)
		{
			/* "CN Công ty ...": cn is a branch only before a legal form */
			size_t		cn = match_forward(t, *begin, *end, branch_abbreviation);

			if (cn && legal_form_at_start(t, cn, *end))
				after = cn;
		}
		if (after == 0 || !has_word(t, after, *end))
			break;
		*begin = after;
	}
	for (;;)
	{
		size_t		at = legal_form_at_end(t, *begin, *end);

		if (at == (size_t) -1 || !has_word(t, *begin, at))
			break;
		*end = at;
	}
}

/* "ABC - Chi nhánh Hà Nội": end the name where a branch designation starts */
static void
cut_branch(const char *t, size_t begin, size_t *end)
{
	size_t		pos = begin;
	const char *w;
	size_t		wl;

	if (!next_word(t, &pos, *end, &w, &wl))
		return;
	while (pos < *end)
	{
		size_t		at = pos,
					i;

		if (!next_word(t, &pos, *end, &w, &wl))
			return;
		for (i = 0; i < sizeof(branch_markers) / sizeof(branch_markers[0]); i++)
			if (phrase_edge_is(branch_markers[i], true, w, wl) &&
				match_forward(t, at, *end, branch_markers[i]))
			{
				*end = at;
				return;
			}
	}
}

/*
 * "ABC Co., Ltd - Hà Nội Branch": the English designation ends with the word,
 * so the place cannot be told from the name; cut at the legal form before it.
 */
static void
cut_english_branch(const char *t, size_t begin, size_t *end)
{
	size_t		at = *end,
				stop;
	const char *w;
	size_t		wl;
	int			words;

	if (match_backward(t, begin, *end, "branch") == (size_t) -1 &&
		match_backward(t, begin, *end, "representative office") == (size_t) -1)
		return;
	stop = at;
	/* a place name is a few words: look no further back than that */
	for (words = 0; words < BRANCH_LOOKBACK && prev_word(t, begin, &at, &w, &wl); words++)
	{
		size_t		form = legal_form_at_end(t, begin, at + wl);

		if (form != (size_t) -1 && at + wl < stop && has_word(t, begin, form))
		{
			*end = form;
			return;
		}
	}
}

/* the words of abbreviation w, or NULL (binary search: the table is sorted) */
static const char *
expansion(const char *w, size_t wl)
{
	size_t		lo = 0,
				hi = sizeof(abbreviations) / sizeof(abbreviations[0]);

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		const char *a = abbreviations[mid].abbr;
		size_t		al = strlen(a);
		int			c = memcmp(a, w, al < wl ? al : wl);

		if (c == 0 && al == wl)
			return abbreviations[mid].words;
		if (c < 0 || (c == 0 && al < wl))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Can w be split into business-line abbreviations (TMDV = TM + DV)? Pieces are
 * 2-3 letters; "vn" and "vietnam" are no business line (VNPT stays VNPT).
 */
static bool
splits(const char *w, size_t wl)
{
	size_t		k;

	if (wl == 0)
		return true;
	for (k = 2; k <= 3 && k <= wl; k++)
	{
		const char *x = expansion(w, k);

		if (x && !word_is(w, k, "vn", 2) && splits(w + k, wl - k))
			return true;
	}
	return false;
}

typedef struct writer
{
	char	   *out;
	size_t		len;
} writer;

static void
emit(writer *wr, const char *w, size_t wl)
{
	if (wr->len > 0)
		wr->out[wr->len++] = ' ';
	memcpy(wr->out + wr->len, w, wl);
	wr->len += wl;
}

/* w as its business-line words, split if compound; false if it is no abbreviation */
static bool
emit_expanded(writer *wr, const char *w, size_t wl)
{
	const char *x = expansion(w, wl);
	size_t		k;

	if (x)
	{
		emit(wr, x, strlen(x));
		return true;
	}
	if (wl < 4 || wl > COMPOUND_MAX || !splits(w, wl))
		return false;
	while (wl > 0)
	{
		/* the same choice splits() made: first piece whose rest splits */
		for (k = 2; k <= 3; k++)
			if (k <= wl && expansion(w, k) && !word_is(w, k, "vn", 2) && splits(w + k, wl - k))
				break;
		x = expansion(w, k);
		emit(wr, x, strlen(x));
		w += k, wl -= k;
	}
	return true;
}

/* Is w a business-line word: an abbreviation or a word of an expansion? */
static bool
is_business_word(const char *w, size_t wl)
{
	size_t		i;

	if (expansion(w, wl) || (wl >= 4 && wl <= COMPOUND_MAX && splits(w, wl)))
		return true;
	for (i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++)
	{
		const char *x = abbreviations[i].words;
		const char *pw;
		size_t		pwl;
		int			j;

		for (j = 0; phrase_word(x, j, &pw, &pwl); j++)
			if (word_is(w, wl, pw, pwl))
				return true;
	}
	return false;
}

static void
expand_words(const char *t, size_t begin, size_t end, writer *wr)
{
	const char *w,
			   *next,
			   *prev = NULL;
	size_t		wl,
				next_len,
				prev_len = 0,
				pos = begin;
	bool		prev_expanded = false;
	const abbreviation *two_words = &two_word_abbreviations[0];

	while (next_word(t, &pos, end, &w, &wl))
	{
		size_t		two = match_forward(t, (size_t) (w - t), end, two_words->abbr);

		if (two)
		{
			emit(wr, two_words->words, strlen(two_words->words));
			pos = two;
			prev = NULL;
			prev_expanded = true;
			continue;
		}
		if (word_is(w, wl, "va", 2) && (prev_expanded || (prev && is_business_word(prev, prev_len))))
		{
			size_t		look = pos;

			/* "Thương mại và Dịch vụ" = "TM-DV" */
			if (next_word(t, &look, end, &next, &next_len) &&
				(is_business_word(next, next_len) ||
				 match_forward(t, (size_t) (next - t), end, two_words->abbr)))
				continue;
		}
		prev_expanded = emit_expanded(wr, w, wl);
		if (!prev_expanded)
			emit(wr, w, wl);
		prev = w;
		prev_len = wl;
	}
}

size_t
lc_company_key(const char *s, size_t len, char *out)
{
	size_t		fold_room = lc_fold_bound(len);
	char	   *t = out + LC_COMPANY_GROWTH * fold_room;
	size_t		n = lc_fold(s, len, t);
	size_t		begin = 0,
				end = n;
	writer		wr = {out, 0};

	strip_legal_forms(t, &begin, &end);
	cut_english_branch(t, begin, &end);
	cut_branch(t, begin, &end);
	strip_legal_forms(t, &begin, &end);
	expand_words(t, begin, end, &wr);
	out[wr.len] = '\0';
	return wr.len;
}

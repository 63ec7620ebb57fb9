/*
 * src/core/vn_name.c - family-name table and full-name splitting.
 *
 * The table (tools/gen_key_tables.py) is sorted by folded form so names that
 * fold alike (Hà/Hạ, Lư/Lữ) sit together; within a group the most frequent
 * comes first, which is the one an undiacritized word is taken for.
 */
#include "core/vn_name.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_text.h"
#include "core/generated/family_names.h"

/* no family name or marker is longer than this in bytes */
#define WORD_MAX 24

/* ---- case mapping: Latin letters, which is what Vietnamese names use ---- */

static uint32_t
to_lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
		(c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))
		return c | 1;			/* even = upper case in these blocks */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x1A0 || c == 0x1AF)	/* Ơ Ư */
		return c + 1;
	return c;
}

static uint32_t
to_upper(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return c - 0x20;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
		(c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF))
		return c & ~(uint32_t) 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c : c - 1;
	if (c == 0x1A1 || c == 0x1B0)	/* ơ ư */
		return c - 1;
	return c;
}

/* lower-case a valid UTF-8 word into out (same length: the pairs above are) */
static size_t
lower_word(const char *w, size_t wl, char *out)
{
	const unsigned char *p = (const unsigned char *) w;
	size_t		i = 0,
				o = 0,
				adv;

	while (i < wl)
	{
		uint32_t	c = lc_utf8_decode(p + i, wl - i, &adv);

		if (c == LC_UTF8_INVALID)
			out[o++] = w[i];
		else
			o += lc_utf8_encode(to_lower(c), out + o);
		i += adv;
	}
	return o;
}

/* ---- the family-name table ---- */

static bool
is_ascii(const char *w, size_t wl)
{
	size_t		i;

	for (i = 0; i < wl; i++)
		if ((unsigned char) w[i] >= 0x80)
			return false;
	return true;
}

/* NFD input: marks are separate (U+0300..U+036F), so compare folded only */
static bool
has_combining_mark(const char *w, size_t wl)
{
	size_t		i;

	for (i = 0; i + 1 < wl; i++)
		if (((unsigned char) w[i] == 0xCC && (unsigned char) w[i + 1] >= 0x80) ||
			((unsigned char) w[i] == 0xCD && (unsigned char) w[i + 1] <= 0xAF))
			return true;
	return false;
}

/* same letters and, when w carries precomposed diacritics, the same diacritics */
static bool
written_as(const char *w, size_t wl, const char *written)
{
	char		a[WORD_MAX * 2],
				b[WORD_MAX * 2];
	size_t		wn = strlen(written);

	if (is_ascii(w, wl) || has_combining_mark(w, wl))
		return true;
	if (wl > WORD_MAX || wn > WORD_MAX)
		return false;
	return wl == wn && lower_word(w, wl, a) == lower_word(written, wn, b) &&
		memcmp(a, b, wl) == 0;
}

static size_t
first_with_fold(const char *folded, size_t len)
{
	size_t		lo = 0,
				hi = LC_FAMILY_NAME_COUNT;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;
		const char *k = lc_family_names[mid].folded;
		size_t		kl = strlen(k);
		int			c = memcmp(k, folded, kl < len ? kl : len);

		if (c < 0 || (c == 0 && kl < len))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
fold_is(size_t i, const char *folded, size_t len)
{
	return i < LC_FAMILY_NAME_COUNT && strlen(lc_family_names[i].folded) == len &&
		memcmp(lc_family_names[i].folded, folded, len) == 0;
}

bool
lc_is_family_name(const char *folded, size_t len)
{
	return fold_is(first_with_fold(folded, len), folded, len);
}

/* fold a short word into buf (WORD_MAX * 3 + 1 bytes); false if too long */
static bool
fold_word(const char *w, size_t wl, char *buf, size_t *n)
{
	if (wl > WORD_MAX)
		return false;
	*n = lc_fold(w, wl, buf);
	return true;
}

const lc_family_name *
lc_family_name_lookup(const char *word, size_t len)
{
	char		f[WORD_MAX * 3 + 1];
	size_t		n,
				i;

	if (!fold_word(word, len, f, &n))
		return NULL;
	for (i = first_with_fold(f, n); fold_is(i, f, n); i++)
		if (written_as(word, len, lc_family_names[i].written))
			return &lc_family_names[i];
	return NULL;
}

/* ---- words of a name ---- */

typedef struct span
{
	size_t		off,
				len;
} span;

static bool
span_is(const char *text, span w, const char *folded_word, const char *written)
{
	char		f[WORD_MAX * 3 + 1];
	size_t		n;

	return fold_word(text + w.off, w.len, f, &n) && n == strlen(folded_word) &&
		memcmp(f, folded_word, n) == 0 && written_as(text + w.off, w.len, written);
}

static bool
is_middle_marker(const char *text, span w)
{
	size_t		i;

	for (i = 0; i < sizeof(lc_middle_markers) / sizeof(lc_middle_markers[0]); i++)
		if (span_is(text, w, lc_middle_markers[i][0], lc_middle_markers[i][1]))
			return true;
	return false;
}

/* is "a b" a compound family name? */
static bool
is_compound(const char *text, span a, span b)
{
	size_t		i;

	for (i = 0; i < sizeof(lc_compound_family_names) / sizeof(lc_compound_family_names[0]); i++)
	{
		const char *f = lc_compound_family_names[i][0];
		const char *w = lc_compound_family_names[i][1];
		const char *fs = strchr(f, ' ');
		const char *ws = strchr(w, ' ');
		char		f1[WORD_MAX],
					w1[WORD_MAX];

		if ((size_t) (fs - f) >= WORD_MAX || (size_t) (ws - w) >= WORD_MAX)
			continue;
		memcpy(f1, f, (size_t) (fs - f));
		f1[fs - f] = '\0';
		memcpy(w1, w, (size_t) (ws - w));
		w1[ws - w] = '\0';
		if (span_is(text, a, f1, w1) && span_is(text, b, fs + 1, ws + 1))
			return true;
	}
	return false;
}

/* how strongly a word says "family name": 0 none .. 4 Nguyễn */
static int
family_weight(const char *text, span w)
{
	const lc_family_name *f = lc_family_name_lookup(text + w.off, w.len);
	int			weight;

	if (f == NULL)
		return 0;
	weight = 5 - f->tier;
	return f->also_given ? weight - 1 : weight;
}

/* ---- normalizing: title case, one space between words ---- */

/* what we keep of the words while reading: enough to place every part */
typedef struct name_words
{
	size_t		count;
	span		first[2];		/* the first two words */
	span		last[3];		/* the last three, last[2] the last */
	size_t		comma_words;	/* words before the first comma (0: none) */
	size_t		after_comma;	/* offset of the first word after it */
} name_words;

static bool
is_separator(uint32_t c)
{
	return c <= 0x20 || c == 0x7F || c == ',' || c == 0xA0 ||
		(c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x3000 || c == 0xFEFF;
}

static void
add_word(name_words *nw, span w)
{
	if (nw->count < 2)
		nw->first[nw->count] = w;
	nw->last[0] = nw->last[1];
	nw->last[1] = nw->last[2];
	nw->last[2] = w;
	if (nw->comma_words > 0 && nw->count == nw->comma_words)
		nw->after_comma = w.off;
	nw->count++;
}

/* title-case s into norm, words separated by one space */
static size_t
normalize(const char *s, size_t len, char *norm, name_words *nw)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0,
				o = 0,
				adv,
				word_start = 0;
	bool		in_word = false,
				cap_next = true;

	memset(nw, 0, sizeof(*nw));
	while (i <= len)
	{
		uint32_t	c = ' ';		/* a separator after the last word ends it */

		adv = 1;
		if (i < len)
			c = lc_utf8_decode(p + i, len - i, &adv);
		if (c == LC_UTF8_INVALID)
		{
			i += adv;
			continue;
		}
		if (is_separator(c))
		{
			if (in_word)
				add_word(nw, (span) {word_start, o - word_start});
			if (c == ',' && nw->count > 0 && nw->comma_words == 0)
				nw->comma_words = nw->count;
			in_word = false;
		}
		else
		{
			if (!in_word)
			{
				if (o > 0)
					norm[o++] = ' ';
				word_start = o;
				in_word = true;
				cap_next = true;
			}
			o += lc_utf8_encode(cap_next ? to_upper(c) : to_lower(c), norm + o);
			/* a letter after a hyphen starts a new part: "Thị-Mai" */
			cap_next = (c == '-');
		}
		i += adv;
	}
	if (nw->comma_words >= nw->count)
		nw->comma_words = 0;	/* a trailing comma splits nothing */
	return o;
}

/* ---- deciding the parts ---- */

static size_t
span_end(span w)
{
	return w.off + w.len;
}

/* copy norm[from, to) to out at *o as the next part; returns its offset */
static void
put_part(const char *norm, size_t from, size_t to, char *out, size_t *o,
		 size_t *off, size_t *plen)
{
	*off = *o;
	*plen = 0;
	if (to <= from)
		return;
	if (*o > 0)
		out[(*o)++] = ' ', *off = *o;
	memcpy(out + *o, norm + from, to - from);
	*o += to - from;
	*plen = to - from;
}

static void
set_parts(const char *norm, span family, span middle, span given, char *out, lc_name_parts *pt)
{
	size_t		o = 0;

	put_part(norm, family.off, span_end(family), out, &o, &pt->family_off, &pt->family_len);
	put_part(norm, middle.off, span_end(middle), out, &o, &pt->middle_off, &pt->middle_len);
	put_part(norm, given.off, span_end(given), out, &o, &pt->given_off, &pt->given_len);
	out[o] = '\0';
}

/* the words strictly between a and b (a before b) */
static span
between(span a, span b)
{
	span		m = {span_end(a) + 1, 0};

	if (b.off > m.off + 1)
		m.len = b.off - 1 - m.off;
	return m;
}

static bool
western_order(const char *norm, const name_words *nw, int first_len, int last_len)
{
	span		last = nw->last[2];
	int			first_weight,
				last_weight;

	if (last_len == 0)
		return false;
	if (nw->count >= 3 && is_middle_marker(norm, nw->first[1]))
		return false;			/* Nguyễn Văn An */
	if (nw->count >= 3 && is_middle_marker(norm, nw->first[0]))
		return true;			/* Văn An Nguyễn */
	first_weight = first_len == 2 ? 2 : family_weight(norm, nw->first[0]);
	last_weight = last_len == 2 ? 2 : family_weight(norm, last);
	return last_weight > first_weight;
}

size_t
lc_name_bound(size_t len)
{
	/* the normalized copy (at most len bytes) behind the output (len + 2) */
	return 2 * len + 4;
}

void
lc_parse_name(const char *s, size_t len, char *out, lc_name_parts *parts)
{
	char	   *norm = out + len + 3;
	name_words nw;
	span		none = {0, 0};
	int			first_len,
				last_len;

	normalize(s, len, norm, &nw);
	memset(parts, 0, sizeof(*parts));
	out[0] = '\0';
	if (nw.count == 0)
		return;
	if (nw.count == 1)
	{
		set_parts(norm, none, none, nw.first[0], out, parts);
		return;
	}
	if (nw.comma_words > 0)
	{
		/* "Nguyễn, Văn An" / "Nguyen, An" */
		span		family = {0, span_end(nw.first[0])};
		span		given = nw.last[2];
		span		middle = {nw.after_comma, 0};

		family.len = nw.after_comma - 1;	/* up to the word before the comma */
		if (given.off > nw.after_comma)
			middle.len = given.off - 1 - nw.after_comma;
		set_parts(norm, family, middle, given, out, parts);
		return;
	}
	first_len = nw.count >= 3 && is_compound(norm, nw.first[0], nw.first[1]) ? 2 :
		lc_family_name_lookup(norm + nw.first[0].off, nw.first[0].len) ? 1 : 0;
	last_len = nw.count >= 3 && is_compound(norm, nw.last[1], nw.last[2]) ? 2 :
		lc_family_name_lookup(norm + nw.last[2].off, nw.last[2].len) ? 1 : 0;
	if (western_order(norm, &nw, first_len, last_len))
	{
		span		family_first = nw.last[3 - last_len];
		span		family = {family_first.off, span_end(nw.last[2]) - family_first.off};
		span		given = nw.last[2 - last_len];
		span		middle = {0, 0};

		if (given.off > 0)
			middle.len = given.off - 1;
		set_parts(norm, family, middle, given, out, parts);
	}
	else
	{
		span		family_last = nw.first[first_len == 2 ? 1 : 0];
		span		family = {0, span_end(family_last)};

		set_parts(norm, family, between(family_last, nw.last[2]), nw.last[2], out, parts);
	}
}

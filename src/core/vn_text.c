/*
 * src/core/vn_text.c - Vietnamese folding and normalization.
 *
 * lc_fold is table driven (tools/gen_fold_table.py): a direct table for
 * U+0000..U+1FFF, where Vietnamese letters and combining marks live, and a
 * sorted sparse table for the rest of Unicode.
 *
 * lc_vn_normalize moves tone marks to the modern position word by word
 * (vn_syllable.c) and shares the white-space class of the fold table.
 */
#include "core/vn_text.h"

#include <string.h>

#include "core/generated/fold_table.h"
#include "core/utf8.h"
#include "core/vn_syllable.h"

size_t
lc_fold_bound(size_t len)
{
	return len * LC_FOLD_MAX_GROWTH + 1;
}

static const lc_fold_sparse_entry *
fold_sparse_lookup(uint32_t cp)
{
	size_t		lo = 0,
				hi = sizeof(lc_fold_sparse) / sizeof(lc_fold_sparse[0]);

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (lc_fold_sparse[mid].cp == cp)
			return &lc_fold_sparse[mid];
		if (lc_fold_sparse[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Decode the 2- and 3-byte sequences of Latin and Vietnamese text inline
 * (the generic lc_utf8_decode is a loop); returns LC_UTF8_INVALID for
 * anything else, which the caller then hands to lc_utf8_decode.
 */
static inline uint32_t
decode_short(const unsigned char *p, const unsigned char *end, size_t *adv)
{
	if (p[0] >= 0xC2 && p[0] <= 0xDF && p + 1 < end && (p[1] & 0xC0) == 0x80)
	{
		*adv = 2;
		return ((uint32_t) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if (p[0] == 0xE1 && p + 2 < end && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
	{
		*adv = 3;				/* U+1000..U+1FFF, Latin Extended Additional among them */
		return 0x1000 | ((uint32_t) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	}
	return LC_UTF8_INVALID;
}

size_t
lc_fold(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;
	char	   *o = out;
	int			pending_space = 0;	/* a separator seen after some output */

	while (p < end)
	{
		unsigned char b = *p;
		const uint8_t *rep;
		size_t		rep_len;
		size_t		adv;
		uint32_t	cp;

		/* ASCII fast path: most of a Vietnamese name is ASCII */
		if (b < 0x80)
		{
			p++;
			if (b <= ' ' || b == 0x7F)
			{
				pending_space = (o != out);
				continue;
			}
			if (pending_space)
			{
				*o++ = ' ';
				pending_space = 0;
			}
			*o++ = (char) ((b >= 'A' && b <= 'Z') ? b + ('a' - 'A') : b);
			continue;
		}

		cp = decode_short(p, end, &adv);
		if (cp == LC_UTF8_INVALID)
			cp = lc_utf8_decode(p, (size_t) (end - p), &adv);
		if (cp == LC_UTF8_INVALID)
		{
			p++;
			continue;
		}

		/*
		 * Vietnamese letters and combining marks: a direct entry of at most 3
		 * bytes, copied as 3 bytes. That stays within lc_fold_bound: the
		 * output so far is at most 3 bytes per input byte, this character
		 * has 2 or more, and 1 + 3 bytes (space, entry) <= 3 * 2.
		 */
		if (cp < LC_FOLD_DIRECT_LIMIT && lc_fold_direct[cp].len <= 3)
		{
			const lc_fold_direct_entry *e = &lc_fold_direct[cp];

			p += adv;
			if (e->len == 0)
				continue;		/* combining mark or zero-width character */
			if (pending_space)
			{
				*o++ = ' ';
				pending_space = 0;
			}
			o[0] = (char) e->s[0];
			o[1] = (char) e->s[1];
			o[2] = (char) e->s[2];
			o += e->len;
			continue;
		}

		if (cp < LC_FOLD_DIRECT_LIMIT && lc_fold_direct[cp].len != LC_FOLD_SPARSE)
		{
			rep = NULL;
			rep_len = lc_fold_direct[cp].len;	/* LC_FOLD_KEEP or LC_FOLD_SPACE */
		}
		else
		{
			const lc_fold_sparse_entry *se = fold_sparse_lookup(cp);

			rep = se ? se->s : NULL;
			rep_len = se ? se->len : LC_FOLD_KEEP;
		}

		if (rep_len == LC_FOLD_SPACE)
		{
			pending_space = (o != out);
			p += adv;
			continue;
		}
		if (rep_len == LC_FOLD_KEEP)
		{
			rep = p;
			rep_len = adv;
		}
		p += adv;
		if (rep_len == 0)
			continue;			/* dropped (a format character) */
		if (pending_space)
		{
			*o++ = ' ';
			pending_space = 0;
		}
		memcpy(o, rep, rep_len);
		o += rep_len;
	}
	*o = '\0';
	return (size_t) (o - out);
}

/* ---- vn_normalize ---- */

/* white space and control characters: the separators of lc_fold */
static int
is_space_cp(uint32_t cp)
{
	const lc_fold_sparse_entry *se;

	if (cp < LC_FOLD_DIRECT_LIMIT)
	{
		if (lc_fold_direct[cp].len != LC_FOLD_SPARSE)
			return lc_fold_direct[cp].len == LC_FOLD_SPACE;
	}
	se = fold_sparse_lookup(cp);
	return se != NULL && se->len == LC_FOLD_SPACE;
}

/* combining marks left after NFC belong to the letter before them */
static int
is_combining_cp(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
		(cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
		(cp >= 0xFE20 && cp <= 0xFE2F);
}

size_t
lc_vn_normalize_bound(size_t len)
{
	/*
	 * Moving a tone can grow a word by one byte (tùy -> tuỳ: ù is 2 bytes, ỳ
	 * 3), and only a word of two vowels or more, which is at least 2 bytes.
	 */
	return len + len / 2 + 1;
}

/*
 * Write the word l[0..n-1] with its tone moved to the modern position; 0 if
 * nothing moves (not a syllable, no tone, tone already in place).
 */
static size_t
normalize_word(const lc_vn_letter *l, size_t n, char *out)
{
	lc_vn_letter w[LC_VN_SYLLABLE_MAX];
	size_t		i,
				toned = 0,
				vowels = 0,
				at = 0,
				pos,
				k = 0;

	if (n < 2 || n > LC_VN_SYLLABLE_MAX)
		return 0;
	for (i = 0; i < n; i++)
	{
		vowels += lc_vn_letter_is_vowel(&l[i]);
		if (l[i].tone != LC_VN_TONE_NONE)
			toned++, at = i;
	}
	/*
	 * With one vowel, or the mark already where a syllable would have it
	 * (most words), nothing can move: only the others need the full check.
	 */
	if (toned != 1 || vowels < 2 || lc_vn_tone_position(l, n) == at ||
		!lc_vn_syllable_check(l, n, l[at].tone, &pos) || pos == at)
		return 0;
	memcpy(w, l, n * sizeof(*l));
	w[pos].tone = w[at].tone;
	w[at].tone = LC_VN_TONE_NONE;
	for (i = 0; i < n; i++)
		k += lc_vn_letter_encode(&w[i], out + k);
	return k;
}

/*
 * Copy the run of letters at p (a word) to o, normalized; returns the input
 * bytes consumed and adds the output length to *olen.
 */
static size_t
normalize_run(const unsigned char *p, const unsigned char *end, char *o, size_t *olen)
{
	lc_vn_letter l[LC_VN_SYLLABLE_MAX + 1];
	const unsigned char *q = p;
	size_t		n = 0,
				adv,
				w = 0;
	uint32_t	cp = 0;

	while (q < end)
	{
		lc_vn_letter tmp;

		cp = lc_utf8_decode(q, (size_t) (end - q), &adv);
		if (cp == LC_UTF8_INVALID || !lc_vn_letter_decode(cp, &tmp))
			break;
		if (n <= LC_VN_SYLLABLE_MAX)
			l[n] = tmp;
		n++;
		q += adv;
	}
	/* a mark after the word (NFC could not compose it) makes it no syllable */
	if (!(q < end && cp != LC_UTF8_INVALID && is_combining_cp(cp)))
		w = normalize_word(l, n, o);
	if (w == 0)
	{
		w = (size_t) (q - p);
		memcpy(o, p, w);
	}
	*olen += w;
	return (size_t) (q - p);
}

size_t
lc_vn_normalize(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *) s;
	const unsigned char *end = p + len;
	size_t		o = 0;
	int			pending_space = 0;

	while (p < end)
	{
		size_t		adv;
		uint32_t	cp = lc_utf8_decode(p, (size_t) (end - p), &adv);
		lc_vn_letter l;

		if (cp == LC_UTF8_INVALID)
		{
			p++;
			continue;
		}
		if (is_space_cp(cp))
		{
			pending_space = (o != 0);
			p += adv;
			continue;
		}
		if (pending_space)
		{
			out[o++] = ' ';
			pending_space = 0;
		}
		if (lc_vn_letter_decode(cp, &l))
		{
			p += normalize_run(p, end, out + o, &o);
			continue;
		}
		memcpy(out + o, p, adv);
		o += adv;
		p += adv;
	}
	out[o] = '\0';
	return o;
}

int
lc_vn_syllable_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	lc_vn_letter l[LC_VN_SYLLABLE_MAX];
	size_t		n = 0,
				i,
				adv,
				pos;
	int			tone = LC_VN_TONE_NONE;

	for (i = 0; i < len; i += adv)
	{
		uint32_t	cp = lc_utf8_decode(p + i, len - i, &adv);

		if (cp == LC_UTF8_INVALID || n == LC_VN_SYLLABLE_MAX || !lc_vn_letter_decode(cp, &l[n]))
			return 0;
		if (l[n].tone != LC_VN_TONE_NONE)
		{
			if (tone != LC_VN_TONE_NONE)
				return 0;		/* two tone marks */
			tone = l[n].tone;
		}
		n++;
	}
	return lc_vn_syllable_check(l, n, tone, &pos);
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions) of two byte strings, capped: more than cap gives cap + 1.
 * Words longer than 64 bytes are equal (0) or not (cap + 1). */
int
lc_edit_distance(const char *a, size_t alen, const char *b, size_t blen, int cap)
{
	/* three rolling rows of the optimal-string-alignment matrix */
	int			r0[65],
				r1[65],
				r2[65];
	int		   *pp = r0,
			   *p = r1,
			   *c = r2;
	size_t		i,
				j;

	if (cap < 0)
		cap = 0;
	if (alen > 64 || blen > 64)
		return (alen == blen && memcmp(a, b, alen) == 0) ? 0 : cap + 1;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t) cap)
		return cap + 1;
	for (j = 0; j <= blen; j++)
		p[j] = (int) j;
	for (i = 1; i <= alen; i++)
	{
		int			rowmin;
		int		   *tmp;

		c[0] = (int) i;
		rowmin = c[0];
		for (j = 1; j <= blen; j++)
		{
			int			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int			v = p[j] + 1;

			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > cap)
			return cap + 1;
		tmp = pp;
		pp = p;
		p = c;
		c = tmp;
	}
	return p[blen] > cap ? cap + 1 : p[blen];
}

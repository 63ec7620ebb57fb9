/*
 * src/core/vn_text.c - Vietnamese folding and normalization.
 *
 * lc_fold is table driven (tools/gen_fold_table.py): a direct table for
 * U+0000..U+1FFF, where Vietnamese letters and combining marks live, and a
 * sorted sparse table for the rest of Unicode.
 */
#include "core/vn_text.h"

#include <string.h>

#include "core/generated/fold_table.h"
#include "core/utf8.h"

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

		cp = lc_utf8_decode(p, (size_t) (end - p), &adv);
		if (cp == LC_UTF8_INVALID)
		{
			p++;
			continue;
		}

		if (cp < LC_FOLD_DIRECT_LIMIT)
		{
			const lc_fold_direct_entry *e = &lc_fold_direct[cp];

			if (e->len == LC_FOLD_SPARSE)
			{
				const lc_fold_sparse_entry *se = fold_sparse_lookup(cp);

				rep = se->s;
				rep_len = se->len;
			}
			else
			{
				rep = e->s;
				rep_len = e->len;
			}
		}
		else
		{
			const lc_fold_sparse_entry *se = fold_sparse_lookup(cp);

			if (se)
			{
				rep = se->s;
				rep_len = se->len;
			}
			else
			{
				rep = p;
				rep_len = LC_FOLD_KEEP;
			}
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
			continue;			/* combining mark or zero-width character */
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

/* test/fuzz/fuzz_dedup.c - name preparation, name keys and comparisons on any bytes. */
#include <stdint.h>
#include <string.h>

#include "core/dedup.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	const char *sep = memchr(s, '|', size);
	size_t		alen = sep ? (size_t) (sep - s) : size / 2;
	const char *b = sep ? sep + 1 : s + alen;
	size_t		blen = size - (size_t) (b - s);
	lc_dd_name x,
				y;
	char		key[LC_DD_NAME_KEY_MAX];
	size_t		klen;
	int			lev,
				which;
	const char *ea[1] = {s},
			   *eb[1] = {b};
	size_t		la[1] = {alen},
				lb[1] = {blen};
	int64_t		pa[2] = {0},
				pb[1] = {0},
				shared;

	lc_dd_name_prepare(s, alen, &x);
	lc_dd_name_prepare(b, blen, &y);
	klen = lc_dd_name_key(&x, key);
	if (klen >= sizeof(key) || key[klen] != '\0')
		__builtin_trap();
	klen = lc_dd_name_full_key(&x, key);
	if (klen >= sizeof(key) || key[klen] != '\0')
		__builtin_trap();
	lev = lc_dd_compare_names(&x, &y);
	if (lev < LC_DD_NULL || lev >= lc_dd_levels(LC_DD_NAME))
		__builtin_trap();
	/* symmetric except for which side is the shorter */
	if ((lev == LC_DD_NAME_EXACT) != (lc_dd_compare_names(&y, &x) == LC_DD_NAME_EXACT))
		__builtin_trap();
	if (lc_dd_compare_names(&x, &x) != (x.nwords ? LC_DD_NAME_EXACT : LC_DD_NULL))
		__builtin_trap();
	lc_dd_compare_emails(ea, la, 1, eb, lb, 1, &which);
	lc_dd_compare_companies(s, alen, b, blen);
	lc_dd_jaro_winkler(s, alen, b, blen);
	lc_dd_damerau(s, alen, b, blen, 2);
	if (size >= 16)
	{
		memcpy(&pa[0], data, 8);
		memcpy(&pb[0], data + 8, 8);
		pa[1] = pb[0];
		lc_dd_compare_phones(pa, 2, pb, 1, &shared);
	}
	return 0;
}

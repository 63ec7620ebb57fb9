/*
 * test/fuzz/fuzz_dedup.c - name preparation, name and Facebook keys and the
 * comparisons on any bytes.
 */
#include <stdint.h>
#include <string.h>

#include "core/dedup.h"
#include "core/facebook.h"
#include "core/vn_text.h"

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
	/* Facebook keys: within the bound, NUL-terminated, a key is its own key */
	{
		char		fa[LC_FACEBOOK_KEY_MAX + 1],
					fb[LC_FACEBOOK_KEY_MAX + 1],
					again[LC_FACEBOOK_KEY_MAX + 1];
		size_t		na = lc_facebook_key(s, alen, fa),
					nb = lc_facebook_key(b, blen, fb);

		if (na >= lc_facebook_key_bound(alen) || fa[na] != '\0' || nb >= lc_facebook_key_bound(blen))
			__builtin_trap();
		if (na > 0 && (lc_facebook_key(fa, na, again) != na || memcmp(fa, again, na) != 0))
			__builtin_trap();
		lev = lc_dd_compare_facebook(fa, na, fb, nb);
		if (lev < LC_DD_NULL || lev >= lc_dd_levels(LC_DD_FACEBOOK))
			__builtin_trap();
	}
	lc_dd_compare_emails(ea, la, 1, eb, lb, 1, &x, &y, &which);
	lc_dd_local_from_name(s, alen, &y);
	lc_dd_compare_companies(s, alen, b, blen);
	lc_dd_jaro_winkler(s, alen, b, blen);
	lc_edit_distance(s, alen, b, blen, 2);
	if (size >= 16)
	{
		memcpy(&pa[0], data, 8);
		memcpy(&pb[0], data + 8, 8);
		pa[1] = pb[0];
		lc_dd_compare_phones(pa, 2, pb, 1, &shared);
	}
	if (size >= 24)
	{
		/* any int values, as a date column could never give: must not crash, must be symmetric */
		lc_dd_date	da,
					db;
		int32_t		v[6];

		memcpy(v, data, sizeof(v));
		da.year = v[0], da.month = v[1], da.day = v[2];
		db.year = v[3], db.month = v[4], db.day = v[5];
		lev = lc_dd_compare_birthdays(&da, &db);
		if (lev < LC_DD_NULL || lev >= lc_dd_levels(LC_DD_BIRTHDAY) || lev != lc_dd_compare_birthdays(&db, &da))
			__builtin_trap();
		if (da.month >= 1 && da.month <= 12 && da.day >= 1 && da.day <= 31 && da.year > LC_DD_YEAR_UNKNOWN &&
			lc_dd_compare_birthdays(&da, &da) != LC_DD_BIRTHDAY_SAME)
			__builtin_trap();
	}
	return 0;
}

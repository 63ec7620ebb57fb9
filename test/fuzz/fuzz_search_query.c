/* test/fuzz/fuzz_search_query.c - lc_search_parse and every key a reading
 * gives: statuses agree with what was read, ranges are ranges, keys stay in
 * their buffers, start with the tenant and are valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_search.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZY_BUDGET 600
#define FULL_BUDGET 300

static void
valid_utf8(const char *s, size_t len)
{
	size_t		i,
				adv;

	for (i = 0; i < len; i += adv)
		if (lc_utf8_decode((const unsigned char *) s + i, len - i, &adv) == LC_UTF8_INVALID)
			abort();
}

/* n NUL-terminated keys within size bytes, each "-7:..." */
static void
check_keys(const char *keys, size_t n, size_t size)
{
	size_t		i,
				o = 0;

	for (i = 0; i < n; i++)
	{
		const char *end = memchr(keys + o, '\0', size - o);
		size_t		l;

		if (end == NULL)
			abort();
		l = (size_t) (end - (keys + o));
		if (l < 3 || strncmp(keys + o, "-7:", 3) != 0 || l > LC_SEARCH_FULL_KEY_BYTES)
			abort();
		valid_utf8(keys + o, l);
		o += l + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lc_search_query q;
	static char keys[FUZZY_BUDGET * LC_SEARCH_FULL_KEY_BYTES];
	static const char *const words[] = {"an", "nguyen", "van"};
	static const float share[] = {0.02f, 0.4f, 0.1f};
	lc_search_vocabulary v = {words, share, 3};
	char		unexplained[LC_SEARCH_WORDS * (LC_SEARCH_WORD_BYTES + 1)];
	char		digits[LC_SEARCH_PHONE_DIGITS + 1];
	size_t		sizes[LC_SEARCH_WORDS],
				n,
				total;
	lc_search_status st;
	int			r,
				i,
				g;

	st = lc_search_parse((const char *) data, size, &q);
	if ((st == LC_SEARCH_TOO_LONG) != (size > LC_SEARCH_MAX_BYTES))
		abort();
	if ((st == LC_SEARCH_OK) != (q.nreadings + q.nphones + q.nemails > 0))
		abort();
	for (i = 0; i < q.nphones; i++)
		if (q.phones[i].kind != LC_SEARCH_PHONE_SUFFIX &&
			(q.phones[i].lo < 0 || q.phones[i].hi <= q.phones[i].lo))
			abort();
	for (i = 0; i < q.nemails; i++)
		if (strlen(q.emails[i].text) < 3)
			abort();
	for (r = 0; r < q.nreadings; r++)
	{
		const lc_search_reading *rd = &q.readings[r];

		if (rd->nwords < 1 || rd->nwords > LC_SEARCH_WORDS)
			abort();
		for (i = 0; i < rd->nwords; i++)
		{
			if (rd->words[i].fold[0] == '\0')
				abort();
			valid_utf8(rd->words[i].fold, strlen(rd->words[i].fold));
		}
		n = lc_search_exact_keys(rd, -7, LC_KEY_NAME, keys);
		check_keys(keys, n, sizeof(keys));
		n = lc_search_full_key(rd, -7, keys);
		check_keys(keys, 1, sizeof(keys));
		for (i = 0; i <= rd->nwords; i++)
		{
			n = lc_search_split_keys(rd, -7, i, i % 2, keys);
			if ((n == 0) != (i == 0 || i == rd->nwords))
				abort();
			check_keys(keys, n, sizeof(keys));
		}
		g = lc_search_fuzzy_keys(rd, -7, r % 2 ? &v : NULL, FUZZY_BUDGET, keys, sizes);
		for (i = 0, total = 0; i < g; i++)
			total += sizes[i];
		if (total > FUZZY_BUDGET)
			abort();
		check_keys(keys, total, sizeof(keys));
		n = lc_search_fuzzy_full_keys(rd, -7, &v, FULL_BUDGET, keys);
		if (n > FULL_BUDGET)
			abort();
		check_keys(keys, n, sizeof(keys));
	}
	n = lc_search_unexplained_words(&q, unexplained);
	if (n != strlen(unexplained))
		abort();
	n = lc_search_phone_digits((const char *) data, size, digits);
	if (n > LC_SEARCH_PHONE_DIGITS || n != strlen(digits))
		abort();
	return 0;
}

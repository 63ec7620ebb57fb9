/* test/fuzz/fuzz_search_words.c - the word tools of search: signatures stay
 * within 2 * len + 1 bytes, the edit distance is symmetric and 0 only for
 * equal strings, every correction is a syllable one edit away. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_search.h"
#include "core/vn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *sig = malloc(2 * size + 2);
	char		corr[LC_SEARCH_CORRECTIONS][LC_SEARCH_WORD_BYTES + 1];
	const char *a = (const char *) data,
			   *b;
	size_t		al = size / 2,
				bl = size - size / 2,
				n,
				i;
	int			d1,
				d2;

	if (lc_search_signature((const char *) data, size, sig) != strlen(sig) || strlen(sig) > 2 * size + 1)
		abort();
	free(sig);
	b = a + al;
	d1 = lc_edit_distance(a, al, b, bl, 3);
	d2 = lc_edit_distance(b, bl, a, al, 3);
	if (d1 != d2 || d1 < 0 || d1 > 4 || ((d1 == 0) != (al == bl && memcmp(a, b, al) == 0)))
		abort();
	n = lc_search_corrections(a, size, corr, LC_SEARCH_CORRECTIONS);
	for (i = 0; i < n; i++)
		if (!lc_search_is_syllable(corr[i], strlen(corr[i])) ||
			lc_edit_distance(a, size, corr[i], strlen(corr[i]), 1) != 1)
			abort();
	(void) lc_search_is_syllable(a, size);
	return 0;
}

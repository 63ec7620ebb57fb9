/* test/fuzz/fuzz_search_order.c - lc_search_order of any leads: each pair of
 * input bytes is a lead's score (first byte, 0..1) and name (second byte, one
 * of 8), in score order as the glue gives them. The result is a permutation,
 * starts with a best-scoring lead, and keeps namesakes in their order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_search.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
score_desc(const void *a, const void *b)
{
	const uint8_t x = *(const uint8_t *) a,
				y = *(const uint8_t *) b;

	return (int) y - (int) x;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lc_search_ranked items[256];
	uint8_t		scores[256];
	bool		seen[256] = {false};
	int			last_of_name[8];
	size_t		n = size / 2 > 256 ? 256 : size / 2,
				k;

	for (k = 0; k < n; k++)
		scores[k] = data[2 * k];
	qsort(scores, n, 1, score_desc);
	for (k = 0; k < n; k++)
		items[k] = (lc_search_ranked) {(float) scores[k] / 255.0f, data[2 * k + 1] % 8, (int) k, 0};
	if (lc_search_order(items, n) != n)
		abort();
	for (k = 0; k < 8; k++)
		last_of_name[k] = -1;
	for (k = 0; k < n; k++)
	{
		int			pos = items[k].pos;

		if (pos < 0 || (size_t) pos >= n || seen[pos])
			abort();
		seen[pos] = true;
		if (items[k].name < 0 || items[k].name >= 8 || pos < last_of_name[items[k].name])
			abort();
		last_of_name[items[k].name] = pos;
	}
	if (n > 0 && items[0].score != (float) scores[0] / 255.0f)
		abort();
	return 0;
}

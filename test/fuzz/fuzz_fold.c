/* test/fuzz/fuzz_fold.c - lc_fold on arbitrary bytes: bounds, valid UTF-8 out, idempotent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = malloc(lc_fold_bound(size));
	char	   *again;
	size_t		n,
				m,
				i,
				adv;

	n = lc_fold((const char *) data, size, out);
	if (n >= lc_fold_bound(size))
		abort();
	for (i = 0; i < n; i += adv)	/* output is valid UTF-8 without NUL */
		if (lc_utf8_decode((const unsigned char *) out + i, n - i, &adv) == LC_UTF8_INVALID ||
			out[i] == '\0')
			abort();
	again = malloc(lc_fold_bound(n));
	m = lc_fold(out, n, again);
	if (m != n || memcmp(out, again, n) != 0)	/* folding is idempotent */
		abort();
	free(again);
	free(out);
	return 0;
}

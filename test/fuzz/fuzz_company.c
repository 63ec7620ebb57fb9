/* test/fuzz/fuzz_company.c - lc_company_key: within its bound, valid UTF-8, idempotent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_company.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = malloc(lc_company_key_bound(size));
	char	   *again;
	size_t		n,
				m,
				i,
				adv;

	n = lc_company_key((const char *) data, size, out);
	if (n > LC_COMPANY_GROWTH * size || out[n] != '\0')
		abort();
	for (i = 0; i < n; i += adv)
		if (lc_utf8_decode((const unsigned char *) out + i, n - i, &adv) == LC_UTF8_INVALID ||
			out[i] == '\0')
			abort();
	if (n > 0 && (out[0] == ' ' || out[n - 1] == ' '))
		abort();
	again = malloc(lc_company_key_bound(n));
	m = lc_company_key(out, n, again);
	if (m != n || memcmp(out, again, n) != 0)
		abort();				/* a key is its own key */
	free(again);
	free(out);
	return 0;
}

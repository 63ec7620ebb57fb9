/* test/fuzz/fuzz_email.c - lc_email_key: bounded, printable ASCII, idempotent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_email.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = malloc(lc_email_key_bound(size));
	char	   *again;
	size_t		n,
				m,
				i;

	if (lc_email_key((const char *) data, size, out, &n))
	{
		if (n >= lc_email_key_bound(size) || out[n] != '\0' || memchr(out, '@', n) == NULL)
			abort();
		for (i = 0; i < n; i++)
			if ((unsigned char) out[i] <= ' ' || (unsigned char) out[i] >= 0x7F ||
				(out[i] >= 'A' && out[i] <= 'Z'))
				abort();
		again = malloc(lc_email_key_bound(n));
		if (!lc_email_key(out, n, again, &m) || m != n || memcmp(out, again, n) != 0)
			abort();			/* a key is its own key */
		free(again);
	}
	free(out);
	return 0;
}

/* test/fuzz/fuzz_search_keys.c - lc_search_doc_keys and lc_search_document of
 * any name and company key (split at the first 0xFF byte): keys fit their
 * buffer, start with the tenant, are valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_search.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char keys[LC_SEARCH_KEYS_BYTES];
	const uint8_t *sep = memchr(data, 0xFF, size);
	const char *name = (const char *) data,
			   *company = NULL;
	size_t		nl = size,
				cl = 0,
				n,
				i,
				o = 0,
				adv;
	char	   *doc;

	if (sep)
	{
		nl = (size_t) (sep - data);
		company = (const char *) sep + 1;
		cl = size - nl - 1;
	}
	n = lc_search_doc_keys(2147483647, name, nl, company, cl, keys);
	if (n > LC_SEARCH_MAX_DOC_KEYS + 1)
		abort();
	for (i = 0; i < n; i++)
	{
		const char *end = memchr(keys + o, '\0', sizeof(keys) - o);
		size_t		l,
					j;

		if (end == NULL || strncmp(keys + o, "2147483647:", 11) != 0)
			abort();
		l = (size_t) (end - (keys + o));
		for (j = 0; j < l; j += adv)
			if (lc_utf8_decode((unsigned char *) keys + o + j, l - j, &adv) == LC_UTF8_INVALID)
				abort();
		o += l + 1;
	}
	doc = malloc(nl + cl + 2);
	if (lc_search_document(name, nl, company, cl, doc) > nl + cl + 1)
		abort();
	free(doc);
	return 0;
}

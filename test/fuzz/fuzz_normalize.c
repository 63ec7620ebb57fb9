/*
 * test/fuzz/fuzz_normalize.c - lc_vn_normalize on arbitrary bytes: within its bound,
 * valid UTF-8 without NUL out, stable once applied, and it only moves tone marks and
 * white space: folding the result gives the fold of the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
normalize(const char *s, size_t len, size_t *n)
{
	char	   *out = malloc(lc_vn_normalize_bound(len));

	*n = lc_vn_normalize(s, len, out);
	if (*n >= lc_vn_normalize_bound(len))
		abort();
	return out;
}

static char *
fold(const char *s, size_t len, size_t *n)
{
	char	   *out = malloc(lc_fold_bound(len));

	*n = lc_fold(s, len, out);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		n1,
				n2,
				n3,
				f1,
				f2,
				i,
				adv;
	char	   *once = normalize((const char *) data, size, &n1);
	char	   *twice = normalize(once, n1, &n2);
	char	   *thrice = normalize(twice, n2, &n3);
	char	   *fold_in = fold((const char *) data, size, &f1);
	char	   *fold_out = fold(once, n1, &f2);

	for (i = 0; i < n1; i += adv)
		if (lc_utf8_decode((const unsigned char *) once + i, n1 - i, &adv) == LC_UTF8_INVALID ||
			once[i] == '\0')
			abort();
	/* dropping bad bytes can join two words once; after that it is stable */
	if (n3 != n2 || memcmp(twice, thrice, n2) != 0)
		abort();
	if (f1 != f2 || memcmp(fold_in, fold_out, f1) != 0)
		abort();
	free(once);
	free(twice);
	free(thrice);
	free(fold_in);
	free(fold_out);
	return 0;
}

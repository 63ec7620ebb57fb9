/*
 * test/fuzz/fuzz_syllable.c - lc_vn_syllable_valid on arbitrary bytes; a valid syllable
 * stays one after lc_vn_normalize moves its tone mark.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (lc_vn_syllable_valid((const char *) data, size))
	{
		char	   *out = malloc(lc_vn_normalize_bound(size));
		size_t		n = lc_vn_normalize((const char *) data, size, out);

		if (!lc_vn_syllable_valid(out, n))
			abort();
		free(out);
	}
	return 0;
}

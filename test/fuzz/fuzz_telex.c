/*
 * test/fuzz/fuzz_telex.c - lc_vn_input_decode (Telex and VNI) and lc_vn_input_word on
 * arbitrary bytes: within their bounds, valid UTF-8 out, and a decoded word is a syllable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_text.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_utf8(const char *s, size_t n)
{
	size_t		i,
				adv;

	for (i = 0; i < n; i += adv)
		if (lc_utf8_decode((const unsigned char *) s + i, n - i, &adv) == LC_UTF8_INVALID)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			m;

	for (m = LC_VN_TELEX; m <= LC_VN_VNI; m++)
	{
		char	   *out = malloc(lc_vn_input_bound(size));
		char		word[LC_VN_INPUT_WORD_OUT];
		size_t		n = lc_vn_input_decode((lc_vn_input) m, (const char *) data, size, out);
		size_t		w;

		if (n >= lc_vn_input_bound(size) || out[n] != '\0')
			abort();
		check_utf8(out, n);
		w = lc_vn_input_word((lc_vn_input) m, (const char *) data, size, word);
		if (w >= LC_VN_INPUT_WORD_OUT || (w > 0 && (word[w] != '\0' || !lc_vn_syllable_valid(word, w))))
			abort();
		check_utf8(word, w);
		free(out);
	}
	return 0;
}

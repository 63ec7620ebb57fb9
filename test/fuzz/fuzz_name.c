/* test/fuzz/fuzz_name.c - lc_parse_name: parts inside the output, in order, valid
 * UTF-8, never starting or ending with a space; family-name lookups of any word. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/vn_name.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_part(const char *out, size_t total, size_t off, size_t len)
{
	size_t		i,
				adv;

	if (len == 0)
		return;
	if (off + len > total || out[off] == ' ' || out[off + len - 1] == ' ')
		abort();
	for (i = off; i < off + len; i += adv)
		if (lc_utf8_decode((const unsigned char *) out + i, off + len - i, &adv) == LC_UTF8_INVALID)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = malloc(lc_name_bound(size));
	lc_name_parts p;
	size_t		total;

	lc_parse_name((const char *) data, size, out, &p);
	total = strlen(out);
	if (total > size)
		abort();
	check_part(out, total, p.family_off, p.family_len);
	check_part(out, total, p.middle_off, p.middle_len);
	check_part(out, total, p.given_off, p.given_len);
	if (total > 0 && p.given_len == 0)
		abort();				/* any word at all gives a given name */
	(void) lc_family_name_lookup((const char *) data, size);
	(void) lc_is_family_name((const char *) data, size);
	free(out);
	return 0;
}

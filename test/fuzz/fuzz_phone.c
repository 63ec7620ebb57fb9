/* test/fuzz/fuzz_phone.c - lc_phone_*: parse anything; a parsed number prints and
 * re-parses to itself in E.164 and national form, and describes itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_phone.h"
#include "core/vn_province.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
reparses_to(const char *text, size_t n, int64_t v)
{
	int64_t		again;

	if (n >= LC_PHONE_TEXT_MAX || lc_phone_parse(text, n, &again) != LC_PHONE_OK || again != v)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t		v;
	char		text[LC_PHONE_TEXT_MAX];
	size_t		n;
	lc_phone_kind kind;
	int64_t		raw;

	if (lc_phone_parse((const char *) data, size, &v) == LC_PHONE_OK)
	{
		if (!lc_phone_is_canonical(v))
			abort();
		n = lc_phone_format_e164(v, text);
		reparses_to(text, n, v);
		n = lc_phone_format_national(v, text);
		reparses_to(text, n, v);
		kind = lc_phone_kind_of(v);
		if (kind == LC_PHONE_INVALID || lc_phone_kind_name(kind) == NULL)
			abort();
		if ((lc_phone_province_unit(v) != 0) != (kind == LC_PHONE_LANDLINE))
			abort();
		if (lc_phone_carrier(v) && kind != LC_PHONE_MOBILE && kind != LC_PHONE_SATELLITE)
			abort();
	}
	/* binary input (recv): any 8 bytes must be judged without crashing */
	if (size >= 8)
	{
		memcpy(&raw, data, 8);
		if (lc_phone_is_canonical(raw))
		{
			n = lc_phone_format_e164(raw, text);
			reparses_to(text, n, raw);
		}
		(void) lc_phone_kind_of(raw);
		(void) lc_phone_carrier(raw);
	}
	return 0;
}

/* test/fuzz/fuzz_province.c - lc_province_lookup: a unit or 0; a unit's name maps to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_province.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *work = malloc(lc_province_work_bound(size));
	int			unit = lc_province_lookup((const char *) data, size, work);

	if (unit < 0 || unit > LC_PROVINCE_UNITS)
		abort();
	if (unit > 0)
	{
		const char *name = lc_province_name(unit);
		char		again[256];

		if (name == NULL || lc_province_lookup(name, strlen(name), again) != unit)
			abort();
	}
	free(work);
	return 0;
}

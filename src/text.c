/*
 * src/text.c - SQL wrappers of the Vietnamese text core (src/core/vn_text.c).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "core/vn_text.h"
#include "lead_crm.h"

/* vn_fold(text): lower case, no diacritics, white space collapsed */
PG_FUNCTION_INFO_V1(lc_vn_fold);
Datum
lc_vn_fold(PG_FUNCTION_ARGS)
{
	const char *s;
	size_t		len;
	char	   *out;
	size_t		n;

	LC_ARG_TEXT(0, s, len);
	out = palloc(lc_fold_bound(len));
	n = lc_fold(s, len, out);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}

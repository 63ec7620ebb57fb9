/* test/fuzz/fuzz_search_score.c - lc_search_score of any query against any
 * lead: the input is a query and a lead's name, company key, company name,
 * e-mail key and typed phone, separated by 0xFF bytes. The score is in 0..1
 * and at most four fields match. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vn_search.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the next part of the input up to a 0xFF byte */
static const char *
part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *s = *p,
			   *sep = memchr(s, 0xFF, (size_t) (end - s));

	if (sep == NULL)
		sep = end;
	*len = (size_t) (sep - s);
	*p = sep < end ? sep + 1 : end;
	return (const char *) s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lc_search_query q;
	const uint8_t *p = data,
			   *end = data + size;
	const char *query;
	size_t		ql;
	lc_search_candidate c;
	lc_search_result res;
	char	   *work;

	query = part(&p, end, &ql);
	memset(&c, 0, sizeof(c));
	c.name = part(&p, end, &c.name_len);
	c.company_key = part(&p, end, &c.company_len);
	c.company_name = part(&p, end, &c.company_name_len);
	c.email_key = part(&p, end, &c.email_len);
	c.phone_digits = part(&p, end, &c.phone_digits_len);
	if (c.name_len > 2)
		c.phone = 84000000000LL + (int64_t) ((unsigned char) c.name[0] * 65536 + (unsigned char) c.name[1]);
	if (c.company_len == 0)
		c.company_key = c.company_name = NULL;
	if (lc_search_parse(query, ql, &q) != LC_SEARCH_OK)
		return 0;
	work = malloc(lc_search_score_work_bound(c.name_len));
	lc_search_score(&q, &c, work, &res);
	if (!(res.score >= 0.0f && res.score <= 1.0f) || isnan(res.score) || res.fields < 0 || res.fields > 4)
		abort();
	free(work);
	return 0;
}

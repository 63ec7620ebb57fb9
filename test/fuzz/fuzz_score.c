/*
 * test/fuzz/fuzz_score.c - every entry point of core/lead_score.h on raw bytes:
 * scores stay in 0..100, parts add up to the score, timeline indexes are in
 * range, completeness is -1 or 0..100, log-odds are finite and probabilities in [0, 1].
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/lead_score.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* next n bytes of the input (zeros once it runs out) */
static void
take(const uint8_t **data, size_t *size, void *out, size_t n)
{
	size_t		k = *size < n ? *size : n;

	memset(out, 0, n);
	memcpy(out, *data, k);
	*data += k;
	*size -= k;
}

/* small ints are the interesting ones: bias half of the draws into -2..130 */
static int
take_int(const uint8_t **data, size_t *size)
{
	int			v;
	uint8_t		mode;

	take(data, size, &mode, 1);
	take(data, size, &v, sizeof(v));
	return (mode & 1) ? v : (int) ((unsigned) v % 133) - 2;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			weights[4],
				points[4],
				parts[4],
				score,
				sum,
				c;
	int			max_days[8];
	int64_t		days;
	int64_t		counts[5];
	double		alpha,
				x,
				lo;
	LcTemperatureRule rule;
	unsigned char filled[8];
	LcScoreStatus st;

	for (c = 0; c < 4; c++)
		weights[c] = take_int(&data, &size);
	for (c = 0; c < 4; c++)
		points[c] = take_int(&data, &size);
	st = lc_bant_score(weights, points, parts, &score);
	if (st == LC_SCORE_OK)
	{
		int			total = 0;

		if (lc_bant_check_weights(weights, &sum) != LC_SCORE_OK || sum != 100)
			abort();
		for (c = 0; c < 4; c++)
		{
			if (parts[c] < 0 || parts[c] > weights[c] * 100)
				abort();
			total += parts[c];
		}
		if (score < 0 || score > 100 || score != (total + 50) / 100)
			abort();
	}
	else if (score != 0)
		abort();

	for (c = 0; c < 8; c++)
		max_days[c] = take_int(&data, &size);
	take(&data, &size, &days, sizeof(days));
	c = lc_timeline_level(days, max_days, 8);
	if (c != LC_TIMELINE_PASSED && c != LC_TIMELINE_NONE &&
		(c < 0 || c >= 8 || max_days[c] < 0 || (int64_t) max_days[c] < days))
		abort();
	if ((c == LC_TIMELINE_PASSED) != (days < 0))
		abort();

	rule.hot_min_score = take_int(&data, &size);
	rule.hot_within_days = take_int(&data, &size);
	rule.warm_min_score = take_int(&data, &size);
	rule.warm_within_days = take_int(&data, &size);
	take(&data, &size, &x, sizeof(x));
	c = (int) lc_temperature(take_int(&data, &size), (int) (size & 1), x, &rule);
	if (c != LC_COLD && c != LC_WARM && c != LC_HOT)
		abort();

	take(&data, &size, filled, sizeof(filled));
	c = lc_completeness(max_days, filled, (int) (size % 9));
	if (c != -1 && (c < 0 || c > 100))
		abort();

	for (c = 0; c < 5; c++)
		take(&data, &size, &counts[c], sizeof(counts[c]));
	take(&data, &size, &alpha, sizeof(alpha));
	if (lc_nb_prior(counts[2], counts[3], alpha, &lo) == LC_SCORE_OK && !isfinite(lo))
		abort();
	if (lc_nb_value(counts[0], counts[1], counts[2], counts[3], counts[4], alpha, &lo) == LC_SCORE_OK &&
		!isfinite(lo))
		abort();
	x = lc_logistic(x);
	if (!(x >= 0.0 && x <= 1.0))
		abort();
	return 0;
}

/*
 * src/core/lead_score.c - arithmetic of BANT scores, temperature, completeness
 * and the naive Bayes win model (see lead_score.h).
 */
#include "core/lead_score.h"

#include <math.h>
#include <stddef.h>

/* a + b for non-negative ints, stopping at a bound far above any valid total */
static int
add_capped(int a, int b)
{
	const int	cap = 1 << 24;

	return (a > cap - b) ? cap : a + b;
}

LcScoreStatus
lc_bant_check_weights(const int weights[LC_BANT_CRITERIA], int *sum)
{
	int			c;
	int			total = 0;
	LcScoreStatus status = LC_SCORE_OK;

	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		if (weights[c] < 0)
			status = LC_SCORE_NEGATIVE_WEIGHT;
		else
			total = add_capped(total, weights[c]);
	}
	if (sum)
		*sum = total;
	if (status == LC_SCORE_OK && total != LC_BANT_WEIGHT_TOTAL)
		status = LC_SCORE_WEIGHT_SUM;
	return status;
}

LcScoreStatus
lc_bant_score(const int weights[LC_BANT_CRITERIA], const int level_points[LC_BANT_CRITERIA],
			  int parts_x100[LC_BANT_CRITERIA], int *score)
{
	LcScoreStatus status = lc_bant_check_weights(weights, NULL);
	int			c;
	int			total = 0;

	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		parts_x100[c] = 0;
		if (level_points[c] != LC_BANT_UNKNOWN &&
			(level_points[c] < 0 || level_points[c] > 100) && status == LC_SCORE_OK)
			status = LC_SCORE_BAD_POINTS;
	}
	*score = 0;
	if (status != LC_SCORE_OK)
		return status;
	/* weights are 0..100 and points 0..100 here, so nothing overflows */
	for (c = 0; c < LC_BANT_CRITERIA; c++)
	{
		if (level_points[c] == LC_BANT_UNKNOWN)
			continue;
		parts_x100[c] = weights[c] * level_points[c];
		total += parts_x100[c];
	}
	*score = (total + 50) / 100;
	return LC_SCORE_OK;
}

int
lc_timeline_level(int64_t days_until, const int *max_days, int n)
{
	int			best = LC_TIMELINE_NONE;
	int			i;

	if (days_until < 0)
		return LC_TIMELINE_PASSED;
	for (i = 0; i < n; i++)
	{
		if (max_days[i] < 0 || (int64_t) max_days[i] < days_until)
			continue;
		if (best == LC_TIMELINE_NONE || max_days[i] < max_days[best])
			best = i;
	}
	return best;
}

LcScoreStatus
lc_temperature_check(const LcTemperatureRule *rule)
{
	if (rule->hot_min_score < 0 || rule->hot_min_score > 100 ||
		rule->warm_min_score < 0 || rule->warm_min_score > 100 ||
		rule->hot_within_days < 0 || rule->hot_within_days > 36500 ||
		rule->warm_within_days < 0 || rule->warm_within_days > 36500 ||
		rule->warm_min_score > rule->hot_min_score ||
		rule->hot_within_days > rule->warm_within_days)
		return LC_SCORE_BAD_RULE;
	return LC_SCORE_OK;
}

LcTemperature
lc_temperature(int score, int contacted, double days_since, const LcTemperatureRule *rule)
{
	if (lc_temperature_check(rule) != LC_SCORE_OK || !contacted || isnan(days_since))
		return LC_COLD;
	if (days_since < 0)
		days_since = 0;			/* an activity done "later" than as_of: treat as now */
	if (score >= rule->hot_min_score && days_since <= rule->hot_within_days)
		return LC_HOT;
	if (days_since <= rule->hot_within_days)
		return LC_WARM;
	if (score >= rule->warm_min_score && days_since <= rule->warm_within_days)
		return LC_WARM;
	return LC_COLD;
}

int
lc_completeness(const int *weights, const unsigned char *filled, int n)
{
	int64_t		total = 0;
	int64_t		have = 0;
	int			i;

	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++)
	{
		if (weights[i] < 0)
			return -1;
		total += weights[i];
		if (filled[i])
			have += weights[i];
	}
	if (total == 0)
		return -1;
	return (int) (have * 100 / total);
}

static int
alpha_ok(double alpha)
{
	return isfinite(alpha) && alpha > 0;
}

LcScoreStatus
lc_nb_prior(int64_t won, int64_t lost, double alpha, double *log_odds)
{
	*log_odds = 0;
	if (!alpha_ok(alpha))
		return LC_SCORE_BAD_SMOOTHING;
	if (won < 0 || lost < 0)
		return LC_SCORE_BAD_COUNTS;
	*log_odds = log((double) won + alpha) - log((double) lost + alpha);
	if (!isfinite(*log_odds))
	{
		*log_odds = 0;
		return LC_SCORE_BAD_SMOOTHING;
	}
	return LC_SCORE_OK;
}

LcScoreStatus
lc_nb_value(int64_t n_won, int64_t n_lost, int64_t won, int64_t lost, int64_t values,
			double alpha, double *log_odds)
{
	double		p_won,
				p_lost;

	*log_odds = 0;
	if (!alpha_ok(alpha))
		return LC_SCORE_BAD_SMOOTHING;
	if (n_won < 0 || n_lost < 0 || n_won > won || n_lost > lost || values < 1)
		return LC_SCORE_BAD_COUNTS;
	p_won = ((double) n_won + alpha) / ((double) won + alpha * (double) values);
	p_lost = ((double) n_lost + alpha) / ((double) lost + alpha * (double) values);
	*log_odds = log(p_won) - log(p_lost);
	if (!isfinite(*log_odds))
	{
		/* only reachable with alpha so small that a probability underflows */
		*log_odds = 0;
		return LC_SCORE_BAD_SMOOTHING;
	}
	return LC_SCORE_OK;
}

double
lc_logistic(double x)
{
	double		e;

	if (isnan(x))
		return 0.5;
	if (x >= 0)
	{
		e = exp(-x);
		return 1.0 / (1.0 + e);
	}
	e = exp(x);
	return e / (1.0 + e);
}

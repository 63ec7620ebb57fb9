/*
 * src/core/lead_score.h - the arithmetic of lead scoring, without a server:
 * BANT points from weights and level points, the timeline level of a decision
 * date, hot / warm / cold, profile completeness, and the terms of the naive
 * Bayes win model. The glue (src/scoring.c, src/win_model.c) looks up the
 * tenant's settings and the lead's values and calls these.
 *
 * Plain values in, results through out-pointers, a status back; no globals,
 * no allocation, no locale. Every function accepts any input (the fuzzer
 * feeds it raw bytes) and reports what it refuses.
 */
#ifndef LC_LEAD_SCORE_H
#define LC_LEAD_SCORE_H

#include <stdint.h>

/* the four BANT criteria, in this order everywhere */
#define LC_BANT_CRITERIA	4
#define LC_BANT_BUDGET		0
#define LC_BANT_AUTHORITY	1
#define LC_BANT_NEED		2
#define LC_BANT_TIMELINE	3

/* level points of an unanswered (or "unknown") criterion: scores 0, listed as missing */
#define LC_BANT_UNKNOWN		(-1)

/* the total of the four weights */
#define LC_BANT_WEIGHT_TOTAL 100

typedef enum LcScoreStatus
{
	LC_SCORE_OK = 0,
	LC_SCORE_NEGATIVE_WEIGHT,	/* a weight below 0 */
	LC_SCORE_WEIGHT_SUM,		/* the weights do not add up to 100 */
	LC_SCORE_BAD_POINTS,		/* level points outside 0..100 */
	LC_SCORE_BAD_RULE,			/* temperature thresholds out of range or out of order */
	LC_SCORE_BAD_COUNTS,		/* negative or inconsistent model counts */
	LC_SCORE_BAD_SMOOTHING		/* Laplace smoothing not a positive finite number */
} LcScoreStatus;

/*
 * Sum of the weights into *sum (saturating, so absurd inputs cannot overflow);
 * LC_SCORE_OK when each is >= 0 and they add up to 100.
 */
extern LcScoreStatus lc_bant_check_weights(const int weights[LC_BANT_CRITERIA], int *sum);

/*
 * BANT score: criterion c is worth weights[c] points, of which an answer earns
 * level_points[c] percent (0..100, or LC_BANT_UNKNOWN for nothing).
 * parts_x100[c] receives weights[c] * level_points[c] (hundredths of a point,
 * exact), *score the rounded total 0..100 (halves up). On a status other than
 * LC_SCORE_OK the outputs are 0.
 */
extern LcScoreStatus lc_bant_score(const int weights[LC_BANT_CRITERIA],
								   const int level_points[LC_BANT_CRITERIA],
								   int parts_x100[LC_BANT_CRITERIA], int *score);

/* the decision date is in the past: the timeline answer is stale */
#define LC_TIMELINE_PASSED	(-2)
/* no level takes a date that far away */
#define LC_TIMELINE_NONE	(-1)

/*
 * Timeline level of a decision expected days_until days from today: the level
 * with the smallest max_days[i] >= days_until (the first one on ties); levels
 * with max_days[i] < 0 are never chosen from a date. LC_TIMELINE_PASSED when
 * days_until < 0, LC_TIMELINE_NONE when no level reaches that far.
 */
extern int	lc_timeline_level(int64_t days_until, const int *max_days, int n);

typedef enum LcTemperature
{
	LC_COLD = 0,
	LC_WARM = 1,
	LC_HOT = 2
} LcTemperature;

/*
 * Per-tenant thresholds. hot: score >= hot_min_score and the last done
 * activity at most hot_within_days ago. warm: score >= warm_min_score and
 * contacted within warm_within_days, or contacted within hot_within_days
 * whatever the score (engaged, not yet qualified). cold: the rest, including
 * leads never contacted.
 */
typedef struct LcTemperatureRule
{
	int			hot_min_score;
	int			hot_within_days;
	int			warm_min_score;
	int			warm_within_days;
} LcTemperatureRule;

/* LC_SCORE_OK when scores are 0..100, days 0..36500, warm <= hot score, hot <= warm days */
extern LcScoreStatus lc_temperature_check(const LcTemperatureRule *rule);

/*
 * Temperature of a lead with BANT score `score` whose last done activity was
 * days_since days ago (contacted = 0: never; a negative or NaN days_since
 * counts as now / never). An invalid rule gives LC_COLD.
 */
extern LcTemperature lc_temperature(int score, int contacted, double days_since,
									const LcTemperatureRule *rule);

/*
 * Profile completeness: the weight of the filled fields as a percentage of the
 * total weight, rounded down (100 only when every weighted field is filled).
 * -1 when n <= 0, a weight is negative, or the weights add up to 0.
 */
extern int	lc_completeness(const int *weights, const unsigned char *filled, int n);

/*
 * Naive Bayes terms, Laplace-smoothed with alpha > 0. won and lost are the
 * numbers of closed leads of each class.
 *
 * lc_nb_prior: log((won + alpha) / (lost + alpha)), the log-odds before any
 * feature.
 *
 * lc_nb_value: how much a feature value seen n_won times among won and n_lost
 * times among lost leads moves the log-odds, for a feature with `values`
 * distinct values:
 *   log((n_won + alpha) / (won + alpha * values)) - log((n_lost + alpha) / (lost + alpha * values))
 * A multi-valued feature (tags) uses it per item with values = 2 (present or not).
 * LC_SCORE_BAD_COUNTS when a count is negative, n_won > won, n_lost > lost or
 * values < 1.
 */
extern LcScoreStatus lc_nb_prior(int64_t won, int64_t lost, double alpha, double *log_odds);
extern LcScoreStatus lc_nb_value(int64_t n_won, int64_t n_lost, int64_t won, int64_t lost,
								 int64_t values, double alpha, double *log_odds);

/* 1 / (1 + e^-x) without overflow; 0.5 for NaN, 0 or 1 at the infinities */
extern double lc_logistic(double x);

#endif							/* LC_LEAD_SCORE_H */

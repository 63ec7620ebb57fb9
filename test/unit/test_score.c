/* test/unit/test_score.c - BANT arithmetic, timeline levels, temperature, completeness, naive Bayes terms. */
#include <math.h>

#include "unit.h"
#include "core/lead_score.h"

static int
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void
test_weights(void)
{
	int			sum;
	int			ok[4] = {25, 25, 25, 25};
	int			over[4] = {30, 30, 25, 25};
	int			neg[4] = {-10, 60, 25, 25};
	int			huge[4] = {2147483647, 2147483647, 2147483647, 2147483647};

	UNIT_OK(lc_bant_check_weights(ok, &sum) == LC_SCORE_OK && sum == 100, "25 x 4 is valid");
	UNIT_OK(lc_bant_check_weights(over, &sum) == LC_SCORE_WEIGHT_SUM && sum == 110,
			"weights summing to 110 are refused and the sum is reported");
	UNIT_OK(lc_bant_check_weights(neg, &sum) == LC_SCORE_NEGATIVE_WEIGHT,
			"a negative weight is refused even when the sum is 100");
	UNIT_OK(lc_bant_check_weights(huge, &sum) == LC_SCORE_WEIGHT_SUM && sum > 100,
			"INT_MAX weights do not overflow the sum");
}

static void
test_bant(void)
{
	int			w[4] = {25, 25, 25, 25};
	int			parts[4];
	int			score;
	int			none[4] = {LC_BANT_UNKNOWN, LC_BANT_UNKNOWN, LC_BANT_UNKNOWN, LC_BANT_UNKNOWN};
	int			all[4] = {100, 100, 100, 100};
	int			mixed[4] = {LC_BANT_UNKNOWN, 100, 70, 75};
	int			half[4] = {50, 50, 50, 50};
	int			bad[4] = {101, 0, 0, 0};
	int			w2[4] = {40, 30, 20, 10};
	int			odd[4] = {1, 0, 0, 0};
	int			w3[4] = {50, 0, 0, 50};

	UNIT_OK(lc_bant_score(w, none, parts, &score) == LC_SCORE_OK && score == 0,
			"nothing answered scores 0");
	UNIT_OK(lc_bant_score(w, all, parts, &score) == LC_SCORE_OK && score == 100,
			"everything at full points scores 100");
	UNIT_OK(lc_bant_score(w, mixed, parts, &score) == LC_SCORE_OK && score == 61 &&
			parts[0] == 0 && parts[1] == 2500 && parts[2] == 1750 && parts[3] == 1875,
			"25+17.5+18.75 = 61.25 rounds to 61; parts in hundredths");
	UNIT_OK(lc_bant_score(w, half, parts, &score) == LC_SCORE_OK && score == 50,
			"half points everywhere is exactly 50 (the default threshold)");
	UNIT_OK(lc_bant_score(w, bad, parts, &score) == LC_SCORE_BAD_POINTS && score == 0 && parts[0] == 0,
			"level points above 100 are refused");
	UNIT_OK(lc_bant_score(w2, all, parts, &score) == LC_SCORE_OK && score == 100 &&
			parts[0] == 4000 && parts[3] == 1000, "uneven weights: parts follow the weights");
	UNIT_OK(lc_bant_score(w3, odd, parts, &score) == LC_SCORE_OK && score == 1 && parts[0] == 50,
			"0.5 points round half up to 1");
	UNIT_OK(lc_bant_score(w2, (int[4]) {0, 0, 0, 0}, parts, &score) == LC_SCORE_OK && score == 0,
			"answers worth 0 points score 0 (but are answers)");
	UNIT_OK(lc_bant_score((int[4]) {50, 50, 0, 0}, all, parts, &score) == LC_SCORE_OK && score == 100,
			"a criterion with weight 0 adds nothing");
	UNIT_OK(lc_bant_score((int[4]) {50, 50, 50, 0}, all, parts, &score) == LC_SCORE_WEIGHT_SUM && score == 0,
			"weights summing to 150 give no score");
}

static void
test_timeline(void)
{
	int			max_days[6] = {30, 90, 180, 365, 3650, -1};

	UNIT_OK(lc_timeline_level(0, max_days, 6) == 0, "today is within a month");
	UNIT_OK(lc_timeline_level(30, max_days, 6) == 0, "30 days is within a month (inclusive)");
	UNIT_OK(lc_timeline_level(31, max_days, 6) == 1, "31 days is within 3 months");
	UNIT_OK(lc_timeline_level(200, max_days, 6) == 3, "200 days is within 12 months");
	UNIT_OK(lc_timeline_level(3650, max_days, 6) == 4, "10 years is 'later'");
	UNIT_OK(lc_timeline_level(3651, max_days, 6) == LC_TIMELINE_NONE, "beyond every level: none");
	UNIT_OK(lc_timeline_level(-1, max_days, 6) == LC_TIMELINE_PASSED, "yesterday has passed");
	UNIT_OK(lc_timeline_level(5, max_days, 0) == LC_TIMELINE_NONE, "no levels: none");
	{
		int			unordered[3] = {365, 30, 90};

		UNIT_OK(lc_timeline_level(45, unordered, 3) == 2, "levels need not be sorted");
	}
	{
		int			ties[2] = {30, 30};

		UNIT_OK(lc_timeline_level(10, ties, 2) == 0, "ties go to the first level");
	}
	UNIT_OK(lc_timeline_level(INT64_MAX, max_days, 6) == LC_TIMELINE_NONE, "INT64_MAX days: none");
}

static void
test_temperature(void)
{
	LcTemperatureRule r = {70, 14, 40, 45};
	LcTemperatureRule bad = {40, 14, 70, 45};
	LcTemperatureRule bad_days = {70, 60, 40, 45};

	UNIT_OK(lc_temperature_check(&r) == LC_SCORE_OK, "default rule is valid");
	UNIT_OK(lc_temperature_check(&bad) == LC_SCORE_BAD_RULE, "warm score above hot score is refused");
	UNIT_OK(lc_temperature_check(&bad_days) == LC_SCORE_BAD_RULE, "hot days above warm days is refused");
	UNIT_OK(lc_temperature(80, 1, 3, &r) == LC_HOT, "high score, contacted 3 days ago: hot");
	UNIT_OK(lc_temperature(70, 1, 14, &r) == LC_HOT, "at both hot thresholds: hot");
	UNIT_OK(lc_temperature(80, 1, 14.5, &r) == LC_WARM, "high score, 14.5 days: warm");
	UNIT_OK(lc_temperature(10, 1, 2, &r) == LC_WARM, "low score but contacted 2 days ago: warm");
	UNIT_OK(lc_temperature(40, 1, 45, &r) == LC_WARM, "at both warm thresholds: warm");
	UNIT_OK(lc_temperature(39, 1, 30, &r) == LC_COLD, "score below warm, 30 days: cold");
	UNIT_OK(lc_temperature(100, 1, 46, &r) == LC_COLD, "perfect score, 46 days silent: cold");
	UNIT_OK(lc_temperature(100, 0, 0, &r) == LC_COLD, "never contacted: cold");
	UNIT_OK(lc_temperature(100, 1, NAN, &r) == LC_COLD, "NaN days: cold");
	UNIT_OK(lc_temperature(100, 1, -3, &r) == LC_HOT, "an activity after as_of counts as now");
	UNIT_OK(lc_temperature(100, 1, 1, &bad) == LC_COLD, "an invalid rule gives cold");
}

static void
test_completeness(void)
{
	int			w[4] = {10, 10, 5, 0};
	unsigned char none[4] = {0, 0, 0, 0};
	unsigned char all[4] = {1, 1, 1, 1};
	unsigned char most[4] = {1, 1, 0, 1};
	int			tiny[2] = {1000, 1};
	unsigned char tiny_missing[2] = {1, 0};
	int			zero[2] = {0, 0};
	int			neg[2] = {5, -1};

	UNIT_OK(lc_completeness(w, none, 4) == 0, "nothing filled: 0");
	UNIT_OK(lc_completeness(w, all, 4) == 100, "everything filled: 100");
	UNIT_OK(lc_completeness(w, most, 4) == 80, "20 of 25: 80");
	UNIT_OK(lc_completeness(tiny, tiny_missing, 2) == 99, "one tiny field missing: 99, never 100");
	UNIT_OK(lc_completeness(zero, all, 2) == -1, "all weights 0: -1");
	UNIT_OK(lc_completeness(neg, all, 2) == -1, "a negative weight: -1");
	UNIT_OK(lc_completeness(w, all, 0) == -1, "no fields: -1");
}

static void
test_bayes(void)
{
	double		lo;

	UNIT_OK(lc_nb_prior(30, 70, 1, &lo) == LC_SCORE_OK && near(lo, log(31.0 / 71.0)),
			"prior log-odds 31/71");
	UNIT_OK(lc_nb_prior(0, 0, 1, &lo) == LC_SCORE_OK && near(lo, 0), "no history: even odds");
	UNIT_OK(lc_nb_prior(-1, 0, 1, &lo) == LC_SCORE_BAD_COUNTS && lo == 0, "negative counts refused");
	UNIT_OK(lc_nb_prior(1, 1, 0, &lo) == LC_SCORE_BAD_SMOOTHING, "alpha 0 refused");
	UNIT_OK(lc_nb_prior(1, 1, NAN, &lo) == LC_SCORE_BAD_SMOOTHING, "alpha NaN refused");
	UNIT_OK(lc_nb_prior(1, 1, INFINITY, &lo) == LC_SCORE_BAD_SMOOTHING, "alpha inf refused");

	/* 30 won, 70 lost; source=referral in 20 won and 10 lost, 5 distinct sources */
	UNIT_OK(lc_nb_value(20, 10, 30, 70, 5, 1, &lo) == LC_SCORE_OK &&
			near(lo, log(21.0 / 35.0) - log(11.0 / 75.0)), "value log-odds as in the formula");
	UNIT_OK(lc_nb_value(0, 0, 30, 70, 5, 1, &lo) == LC_SCORE_OK &&
			near(lo, log(1.0 / 35.0) - log(1.0 / 75.0)), "a never-seen value leans to the larger class only by smoothing");
	UNIT_OK(lc_nb_value(10, 10, 10, 10, 2, 1, &lo) == LC_SCORE_OK && near(lo, 0),
			"a value seen in every lead of both classes says nothing");
	UNIT_OK(lc_nb_value(31, 0, 30, 70, 5, 1, &lo) == LC_SCORE_BAD_COUNTS, "n_won > won refused");
	UNIT_OK(lc_nb_value(1, 1, 30, 70, 0, 1, &lo) == LC_SCORE_BAD_COUNTS, "0 distinct values refused");
	UNIT_OK(lc_nb_value(1, 1, 30, 70, 2, -1, &lo) == LC_SCORE_BAD_SMOOTHING, "negative alpha refused");
	UNIT_OK(lc_nb_value(0, 5, INT64_MAX / 2, 10, 2, 1e-300, &lo) == LC_SCORE_OK && isfinite(lo),
			"extreme counts stay finite");

	UNIT_OK(near(lc_logistic(0), 0.5), "logistic(0) = 0.5");
	UNIT_OK(near(lc_logistic(log(3.0)), 0.75), "logistic(log 3) = 0.75");
	UNIT_OK(lc_logistic(1000) == 1.0 && lc_logistic(-1000) == 0.0, "no overflow at +-1000");
	UNIT_OK(lc_logistic(NAN) == 0.5, "NaN gives 0.5");
	UNIT_OK(lc_logistic(-INFINITY) == 0.0 && lc_logistic(INFINITY) == 1.0, "infinities");
}

int
main(void)
{
	test_weights();
	test_bant();
	test_timeline();
	test_temperature();
	test_completeness();
	test_bayes();
	return unit_done();
}

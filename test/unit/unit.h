/*
 * test/unit/unit.h - a tiny TAP producer for the C unit tests of src/core.
 * Each test program prints "ok N - name" / "not ok N - name" and a plan;
 * `prove` (or tools/run-tests.sh) reads it.
 */
#ifndef LC_UNIT_H
#define LC_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	unit_count;
static int	unit_failed;

#define UNIT_OK(cond, ...) \
	do { \
		int ok_ = (cond) ? 1 : 0; \
		unit_count++; \
		if (!ok_) unit_failed++; \
		printf("%sok %d - ", ok_ ? "" : "not ", unit_count); \
		printf(__VA_ARGS__); \
		printf("\n"); \
		if (!ok_) printf("#   failed at %s:%d\n", __FILE__, __LINE__); \
	} while (0)

/* Compare two NUL-terminated strings, printing both on failure. */
#define UNIT_STR_EQ(got, want, ...) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		int eq_ = (g_ && w_ && strcmp(g_, w_) == 0) || (!g_ && !w_); \
		UNIT_OK(eq_, __VA_ARGS__); \
		if (!eq_) printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	} while (0)

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed ? 1 : 0;
}

#endif

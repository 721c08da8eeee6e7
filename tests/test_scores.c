/* test_scores.c - the back-test's scores on inputs worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "study/scores.h"

static void test_brier(void **state)
{
	const double p[4] = { 0.9, 0.2, 0.5, 1.0 };
	const int y[4] = { 1, 0, 1, 0 };

	(void)state;
	/* (0.01 + 0.04 + 0.25 + 1) / 4 = 0.325 */
	assert_true(fabs(scores_brier(p, y, 4) - 0.325) < 1e-15);
	/* A perfect forecast scores 0; always 0.5 scores 0.25. */
	{
		const double q[2] = { 1, 0 }, h[2] = { 0.5, 0.5 };
		const int z[2] = { 1, 0 };

		assert_true(scores_brier(q, z, 2) == 0);
		assert_true(scores_brier(h, z, 2) == 0.25);
	}
	assert_true(isnan(scores_brier(p, y, 0)));
}

static void test_auc(void **state)
{
	/* Held (y = 1): 0.9, 0.5, 0.3; failed: 0.6, 0.3. Pairs held > failed:
	 * 0.9 beats both (2), 0.5 beats 0.3 (1), 0.3 ties 0.3 (0.5): 3.5 of 6. */
	const double p[5] = { 0.9, 0.5, 0.3, 0.6, 0.3 };
	const int y[5] = { 1, 1, 1, 0, 0 };
	const double perfect[4] = { 0.8, 0.7, 0.2, 0.1 };
	const int yp[4] = { 1, 1, 0, 0 };
	const int all_held[3] = { 1, 1, 1 };

	(void)state;
	assert_true(fabs(scores_auc(p, y, 5) - 3.5 / 6) < 1e-15);
	assert_true(scores_auc(perfect, yp, 4) == 1);
	/* Reversed ranking: 0. */
	{
		const int yr[4] = { 0, 0, 1, 1 };

		assert_true(scores_auc(perfect, yr, 4) == 0);
	}
	assert_true(isnan(scores_auc(p, all_held, 3)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brier),
		cmocka_unit_test(test_auc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_calendar.c - scenario.start ("YYYY-MM"): a bad month is refused
 * with its key and an example; a run's files say when year 0 is; sim
 * trace tells calendar years; the survival chart counts them on its axis;
 * and no figure moves (the same summary with and without it). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_bad_months(void **state)
{
	static const char *const bad[] = { "2026-13", "2026-1", "26-01", "2026-01-05", "0999-01",
					   "2026/01" };
	struct result r;
	char set[64], want[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(set, sizeof(set), "scenario.start=\"%s\"", bad[i]);
		sim(&r, "run", "-n", "10", "-q", "--set", set, NULL);
		snprintf(want, sizeof(want), "--set:1: error: scenario.start: '%s' is not a month as "
			 "YYYY-MM (such as \"2026-01\")\n", bad[i]);
		assert_int_equal(r.status, 2);
		assert_string_equal(text(&r.err), want);
		result_free(&r);
	}
}

static void test_dates(void **state)
{
	const char *tmp = *state;
	char a[400], b[400], path[500], *sa, *sb, *tsv, *svg, *pa, *pb;
	struct result r;

	snprintf(a, sizeof(a), "%s/with", tmp);
	snprintf(b, sizeof(b), "%s/without", tmp);
	sim(&r, "run", "configs/ukraine-19-point.cfg", "-n", "500", "-q", "-o", a, "--set",
	    "scenario.start=\"2031-07\"", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(text(&r.out), "(horizon 10 years from 2031-07)"));
	result_free(&r);
	sim(&r, "run", "configs/ukraine-19-point.cfg", "-n", "500", "-q", "-o", b, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/survival.tsv", a);
	tsv = slurp(path, NULL);
	assert_non_null(tsv);
	assert_non_null(strstr(tsv, "\n# start: 2031-07 (year 0 is 2031.5)\n"));
	free(tsv);
	/* The figures do not move. */
	snprintf(path, sizeof(path), "%s/summary.json", a);
	sa = slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/summary.json", b);
	sb = slurp(path, NULL);
	assert_non_null(sa);
	assert_non_null(sb);
	pa = strstr(sa, "\"figures\"");
	pb = strstr(sb, "\"figures\"");
	assert_non_null(pa);
	assert_non_null(pb);
	*strstr(pa, "\"run\"") = '\0';
	*strstr(pb, "\"run\"") = '\0';
	assert_string_equal(pa, pb);
	free(sa);
	free(sb);
	/* The chart counts calendar years. */
	sim(&r, "plot", a, "--format", "svg", "-q", NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/survival.svg", a);
	svg = slurp(path, NULL);
	assert_non_null(svg);
	assert_non_null(strstr(svg, ">Year<"));
	assert_non_null(strstr(svg, "2036</text>") || strstr(svg, " 2036<"));
	free(svg);
}

static void test_trace(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "trace", "configs/ukraine-19-point.cfg", "--trial", "3", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(text(&r.out), "The horizon starts in 2026-01: years are calendar "
			       "years (2026.00 is 2026-01).\n"));
	assert_non_null(strstr(text(&r.out), "2027.00"));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_months),
		cmocka_unit_test_setup_teardown(test_dates, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

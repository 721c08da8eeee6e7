/* test_compare.c - the intervals of "sim compare"'s paired differences
 * (sim/core/paired.c) and what the command makes of them.
 *
 * Tango's score interval is checked against its definition (the score
 * statistic, computed here from Tango's formulas in long double, is -/+ z
 * at its ends), against its closed form when no trial differs, and by its
 * coverage of a known difference over many seeds of simulated paired 0/1
 * data. From the command line: scenarios where no trial differed get a
 * proper interval around 0, not [0, 0], unless their configs hold the
 * same values (then no trial can differ); scenarios of other horizons or
 * steps per year get a warning. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/paired.h"
#include "core/rng.h"
#include "core/stats.h"
#include "testutil.h"

#define CFG "tests/configs/studies.cfg"

/* Compares OBS with EXP to absolute tolerance TOL; counts a failure. */
static void check_abs(const char *what, double obs, double exp_, double tol)
{
	if (!(fabs(obs - exp_) <= tol)) {
		print_error("%s: observed %.12g vs expected %.12g (|difference| %.3g > %.3g)\n",
			    what, obs, exp_, fabs(obs - exp_), tol);
		failures++;
	}
}

/* Tango's (1998) score statistic at D for B, C of N, as he writes it:
 * (B - C - N D) / sqrt(N (2 q + D (1 - D))), q = (sqrt(BB^2 - 4 A CC) -
 * BB) / (2 A), A = 2N, BB = -B - C + (2N - B + C) D, CC = -C D (1 - D). */
static long double tango_z(double b, double c, double n, long double d)
{
	long double a = 2.0L * n, bb = -b - c + (2.0L * n - b + c) * d, cc = -c * d * (1 - d);
	long double q = (sqrtl(bb * bb - 4 * a * cc) - bb) / (2 * a);

	return (b - c - n * d) / sqrtl(n * (2 * q + d * (1 - d)));
}

static void test_score_definition(void **state)
{
	static const uint64_t cases[][3] = {
		{ 1, 7, 21 }, { 314, 4, 2000 }, { 690, 290, 2000 }, { 5, 3, 10 }, { 0, 503, 2000 },
		{ 3, 0, 400 }, { 1, 1, 1000000 }, { 40, 20, 160 },
	};
	char what[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double b = (double)cases[i][0], c = (double)cases[i][1], n = (double)cases[i][2];
		double lo, hi, est = (b - c) / n;

		paired_score(cases[i][0], cases[i][1], cases[i][2], SIM_Z95, &lo, &hi);
		snprintf(what, sizeof(what), "score b %g c %g n %g: lo <= estimate <= hi", b, c, n);
		check(lo <= est && est <= hi && lo >= -1 && hi <= 1,
		      "%s: observed [%.10g, %.10g] around %.10g\n", what, lo, hi, est);
		/* 0 < b, c < n here, so neither end is at -1 or 1. */
		snprintf(what, sizeof(what), "score b %g c %g n %g: Z at the lower end", b, c, n);
		check_abs(what, (double)tango_z(b, c, n, lo), SIM_Z95, 1e-6);
		snprintf(what, sizeof(what), "score b %g c %g n %g: Z at the upper end", b, c, n);
		check_abs(what, (double)tango_z(b, c, n, hi), -SIM_Z95, 1e-6);
	}
	check_finish();
}

/* No discordant trial: Z(D) = -sqrt(N D / (1 - D)) for D > 0 (and the
 * mirror for D < 0), so the ends are -/+ z^2 / (N + z^2). Every trial
 * discordant one way (B = N): the estimate 1 is the upper end, and for D
 * < 1, q = (1 - D) / 2 and Z(D) = sqrt(N (1 - D) / (1 + D)), so the lower
 * end is (N - z^2) / (N + z^2) = 1 - 2 z^2 / (N + z^2). */
static void test_score_edges(void **state)
{
	static const uint64_t ns[] = { 1, 10, 2000, 1000000000000ULL };
	const double z2 = SIM_Z95 * SIM_Z95;
	char what[96];
	double lo, hi;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		double n = (double)ns[i];

		paired_score(0, 0, ns[i], SIM_Z95, &lo, &hi);
		snprintf(what, sizeof(what), "score b = c = 0, n %g: lower end", n);
		check_abs(what, lo, -z2 / (n + z2), 1e-13 * z2 / (n + z2));
		snprintf(what, sizeof(what), "score b = c = 0, n %g: upper end", n);
		check_abs(what, hi, z2 / (n + z2), 1e-13 * z2 / (n + z2));
	}
	paired_score(2000, 0, 2000, SIM_Z95, &lo, &hi);
	check_abs("score b = n: upper end", hi, 1, 0);
	check_abs("score b = n: lower end", lo, 1 - 2 * z2 / (2000 + z2), 1e-12);
	paired_score(0, 2000, 2000, SIM_Z95, &lo, &hi);
	check_abs("score c = n: lower end", lo, -1, 0);
	check_abs("score c = n: upper end", hi, -1 + 2 * z2 / (2000 + z2), 1e-12);
	paired_score(0, 0, 0, SIM_Z95, &lo, &hi);
	check(isnan(lo) && isnan(hi), "score n 0: observed [%g, %g] vs expected NaN\n", lo, hi);
	paired_score(3, 2, 4, SIM_Z95, &lo, &hi);
	check(isnan(lo) && isnan(hi), "score b + c > n: observed [%g, %g] vs expected NaN\n", lo,
	      hi);
	check_finish();
}

/* One setting of simulated paired 0/1 data: N trials, the event in only
 * the second scenario with probability PB, in only the first with PC. */
struct setting {
	uint64_t n;
	double pb, pc;
	int wald_fails;		/* the normal (Wald) interval covers less than 0.93 */
};

/* Coverage of the 95% interval of p_b - p_c over COVER_SEEDS seeds, each
 * drawing the counts of the three kinds of trial (only second, only
 * first, alike) from a multinomial. The exact coverages of Tango's
 * interval in these settings (summed over every (B, C)) are 0.949 to
 * 0.959; with 4000 seeds the binomial SE of a coverage of 0.95 is 0.0034,
 * and [0.93, 0.97] is 0.95 -/+ 5.8 SE. The normal interval of today's
 * formula (kept for real contributions) covers 0.895, 0.903 and 0.929 in
 * the settings marked, which fails the band. */
#define COVER_SEEDS 4000
#define COVER_LO 0.93
#define COVER_HI 0.97

static void test_score_coverage(void **state)
{
	static const struct setting set[] = {
		{ 2000, 0.157, 0.0018, 0 },	/* like p_challenger_wins, 28-point vs 19-point */
		{ 2000, 0.345, 0.145, 0 },	/* like p_challenger_wins, none vs 19-point */
		{ 2000, 0, 0.2515, 0 },		/* like p_deterred: one way only */
		{ 500, 0.02, 0.005, 0 },
		{ 400, 0.02, 0, 1 },
		{ 400, 0.01, 0.001, 1 },
		{ 200, 0.03, 0.002, 1 },
		{ 100, 0.3, 0.1, 0 },
	};
	const double se = sqrt(0.95 * 0.05 / COVER_SEEDS);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t i;

	(void)state;
	assert_non_null(r);
	printf("    coverage of the 95%% intervals of a paired difference, %d seeds each "
	       "(SE %.4f):\n", COVER_SEEDS, se);
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
		const double p[3] = { set[i].pb, set[i].pc, 1 - set[i].pb - set[i].pc };
		double truth = set[i].pb - set[i].pc, score, wald, width = 0;
		long hit = 0, whit = 0;
		uint64_t seed;

		for (seed = 0; seed < COVER_SEEDS; seed++) {
			unsigned int k[3];
			double lo, hi;

			rng_stream(r, 20250101, seed * 16 + i, 0);
			gsl_ran_multinomial(r, 3, (unsigned int)set[i].n, p, k);
			paired_score(k[0], k[1], set[i].n, SIM_Z95, &lo, &hi);
			hit += lo <= truth && truth <= hi;
			width += hi - lo;
			paired_normal((double)k[0] - k[1], (double)k[0] + k[1], (double)set[i].n,
				      SIM_Z95, &lo, &hi);
			whit += lo <= truth && truth <= hi;
		}
		score = (double)hit / COVER_SEEDS;
		wald = (double)whit / COVER_SEEDS;
		printf("    n %4llu, p(only second) %.4f, p(only first) %.4f: score %.4f (mean "
		       "width %.4f), normal %.4f\n", (unsigned long long)set[i].n, set[i].pb,
		       set[i].pc, score, width / COVER_SEEDS, wald);
		check(score >= COVER_LO && score <= COVER_HI,
		      "n %llu, pb %g, pc %g: score coverage observed %.4f vs expected %.2f to %.2f "
		      "(%.1f SE from 0.95)\n", (unsigned long long)set[i].n, set[i].pb, set[i].pc,
		      score, COVER_LO, COVER_HI, (score - 0.95) / se);
		if (set[i].wald_fails)
			check(wald < COVER_LO, "n %llu, pb %g, pc %g: normal coverage observed %.4f vs "
			      "expected below %.2f\n", (unsigned long long)set[i].n, set[i].pb,
			      set[i].pc, wald, COVER_LO);
	}
	gsl_rng_free(r);
	check_finish();
}

static void test_normal_and_discordant(void **state)
{
	const double z = SIM_Z95, z2 = z * z;
	double lo, hi;
	uint64_t b = 99, c = 99;

	(void)state;
	/* Differences 1, 1, 0, -1 (S1 = 1, S2 = 3, N = 4): mean 1/4,
	 * variance of the mean (3 - 1/4) / 16 = 11/64. */
	paired_normal(1, 3, 4, z, &lo, &hi);
	check_abs("normal, by hand: lower end", lo, 0.25 - z * sqrt(11.0 / 64), 1e-15);
	check_abs("normal, by hand: upper end", hi, 0.25 + z * sqrt(11.0 / 64), 1e-15);
	/* Every difference 0, or every difference 0.5: no spread, but no
	 * point either. */
	paired_normal(0, 0, 2000, z, &lo, &hi);
	check_abs("normal, no spread at 0: lower end", lo, -z2 / (2000 + z2), 1e-15);
	check_abs("normal, no spread at 0: upper end", hi, z2 / (2000 + z2), 1e-15);
	paired_normal(1000, 500, 2000, z, &lo, &hi);
	check_abs("normal, no spread at 0.5: lower end", lo, 0.5 - z2 / (2000 + z2), 1e-15);

	/* Clusters: a pair whose difference sums to 0.4 and a single trial's
	 * 0.1 (3 trials, 2 units): D = 0.5 / 3; sum (d_j - D W_j)^2 =
	 * (0.4 - 2/6)^2 + (0.1 - 1/6)^2 = 2/225, times 2 / (1 * 9). */
	paired_clusters(0.5, 0.17, 0.1, 3, 2, z, &lo, &hi);
	check_abs("clusters, by hand: lower end", lo, 0.5 / 3 - z * sqrt(2.0 / 225 * 2 / 9), 1e-12);
	check_abs("clusters, by hand: upper end", hi, 0.5 / 3 + z * sqrt(2.0 / 225 * 2 / 9), 1e-12);
	/* Without pairs it is the normal interval with the n - 1 divisor. */
	paired_clusters(1, 3, 0, 4, 4, z, &lo, &hi);
	check_abs("clusters, no pairs: lower end", lo, 0.25 - z * sqrt(11.0 / 64 * 4 / 3), 1e-15);
	check_long("discordant S1 3, S2 5 of 10", paired_discordant(3, 5, 10, &b, &c), 1);
	check_long("discordant S1 3, S2 5: b", (long)b, 4);
	check_long("discordant S1 3, S2 5: c", (long)c, 1);
	check_long("discordant S1 -2, S2 2: whole", paired_discordant(-2, 2, 10, &b, &c), 1);
	check_long("discordant S1 -2, S2 2: b", (long)b, 0);
	check_long("discordant S1 -2, S2 2: c", (long)c, 2);
	check_long("not discordant: S2 - S1 odd", paired_discordant(2, 3, 10, &b, &c), 0);
	check_long("not discordant: |S1| > S2", paired_discordant(-4, 2, 10, &b, &c), 0);
	check_long("not discordant: S2 > N", paired_discordant(0, 12, 10, &b, &c), 0);
	check_long("not discordant: fractions", paired_discordant(0.5, 1.5, 10, &b, &c), 0);
	check_finish();
}

/* The line of FIGURE in compare's table TEXT (a static copy), or "". */
static const char *table_line(const char *text, const char *figure)
{
	static char line[512];
	const char *p = text;
	size_t n = strlen(figure);

	for (; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		size_t len = strchr(p, '\n') ? (size_t)(strchr(p, '\n') - p) : strlen(p);

		if (!strncmp(p, figure, n) && p[n] == ' ' && len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			return line;
		}
	}
	return "";
}

/* Writes into DIR/NAME a copy of CFG with the line FROM replaced by TO. */
static void variant(const char *dir, const char *name, const char *from, const char *to,
		    char *path, size_t size)
{
	char *cfg = slurp(CFG, NULL), *at;
	struct buf b = { NULL, 0, 0 };

	assert_non_null(cfg);
	at = strstr(cfg, from);
	assert_non_null(at);
	buf_add(&b, cfg, (size_t)(at - cfg));
	buf_add(&b, to, strlen(to));
	buf_add(&b, at + strlen(from), strlen(at + strlen(from)));
	put_file(in(path, size, dir, name), b.p);
	free(b.p);
	free(cfg);
}

/* Runs compare on A and B for 2000 trials and checks that the paired
 * rows show a difference of +0.0000 with the interval SHOWN. */
static void paired_rows(const char *a, const char *b, const char *est, const char *shown)
{
	static const char *const paired[] = { "p_deterred", "p_attack", "p_challenger_wins", NULL };
	char expect[96], set[64];
	struct result r;
	int i;

	snprintf(set, sizeof(set), "scenario.estimator=%s", est);
	sim(&r, "compare", a, b, "-n", "2000", "-q", "--set", set, NULL);
	if (r.status != 0)
		fail_msg("sim compare %s %s: exit %d\n%s", a, b, r.status, text(&r.err));
	snprintf(expect, sizeof(expect), "+0.0000  %s", shown);
	for (i = 0; paired[i]; i++) {
		const char *diffs = strstr(text(&r.out), "\n[2] - [1]");
		const char *line = diffs ? table_line(diffs + 1, paired[i]) : "";

		if (!strstr(line, expect))
			fail_msg("compare %s %s, %s: observed '%s' vs expected '%s'\n%s", a, b,
				 paired[i], line, expect, text(&r.out));
	}
	assert_string_equal(text(&r.err), "");
	result_free(&r);
}

/* No trial differs. With another name the scenarios might differ, as far
 * as compare can tell: under the indicator estimator, the score interval
 * of b = c = 0, z^2 / (2000 + z^2) = 0.001917 each way, where the normal
 * interval said [+0.0000, +0.0000]. With the same values (the same file,
 * or one that spells a number otherwise) no trial can differ: exactly
 * [0, 0]. Under the conditional estimator this scenario has nothing
 * random left, so each figure is exact and so is the difference. */
static void test_compare_same(void **state)
{
	char dir[256], renamed[300], spelt[300];

	(void)state;
	make_tmp(dir, sizeof(dir));
	variant(dir, "renamed.cfg", "name = \"studies: two guarantors\";",
		"name = \"studies, renamed\";", renamed, sizeof(renamed));
	variant(dir, "spelt.cfg", "horizon_years = 4.0;", "horizon_years = 4;", spelt,
		sizeof(spelt));
	paired_rows(CFG, renamed, "indicator", "[-0.0019, +0.0019]");
	paired_rows(CFG, CFG, "indicator", "[+0.0000, +0.0000]");
	paired_rows(CFG, spelt, "indicator", "[+0.0000, +0.0000]");
	paired_rows(CFG, renamed, "conditional", "[+0.0000, +0.0000]");
	remove_tree(dir);
}

/* Another horizon, other steps, or both: one warning each, naming them;
 * the comparison still runs. */
static void test_compare_warning(void **state)
{
	char dir[256], h[300], st[300], both[300];
	struct result r;

	(void)state;
	make_tmp(dir, sizeof(dir));
	variant(dir, "h.cfg", "horizon_years = 4.0;", "horizon_years = 2.5;", h, sizeof(h));
	variant(dir, "st.cfg", "steps_per_year = 4;", "steps_per_year = 12;", st, sizeof(st));
	variant(dir, "both.cfg", "horizon_years = 4.0;\n  steps_per_year = 4;",
		"horizon_years = 8.0;\n  steps_per_year = 2;", both, sizeof(both));
	sim(&r, "compare", CFG, h, st, both, CFG, "-n", "500", "-q", NULL);
	if (r.status != 0)
		fail_msg("sim compare: exit %d\n%s", r.status, text(&r.err));
	assert_string_equal(text(&r.err),
			    "sim: warning: [2] differs from [1] in its horizon (2.5 years against "
			    "4): their figures are about different things, and so are the "
			    "differences\n"
			    "sim: warning: [3] differs from [1] in its steps per year (12 against "
			    "4): their figures are about different things, and so are the "
			    "differences\n"
			    "sim: warning: [4] differs from [1] in its horizon (8 years against 4) "
			    "and steps per year (2 against 4): their figures are about different "
			    "things, and so are the differences\n");
	result_free(&r);
	remove_tree(dir);
}

/* Scenarios of different models are compared on the figures they share
 * by key, the others named once; the shared shares are paired trial by
 * trial (no "*"). Catches a refusal of mixed models, figures matched by
 * position instead of key, and a lost note. */
static void test_compare_models(void **state)
{
	struct result r;
	const char *out;

	(void)state;
	sim(&r, "compare", "configs/ukraine-19-point.cfg", "configs/baseline.cfg", "-n", "1000", "-q", NULL);
	if (r.status != 0)
		fail_msg("sim compare: exit %d\n%s", r.status, text(&r.err));
	assert_string_equal(text(&r.err),
			    "sim: warning: [2] runs model baseline and [1] model commitment: "
			    "compared on the 3 figures they share; not in both: "
			    "p_honored_given_attack, p_partial_given_attack, "
			    "p_abandoned_given_attack, p_challenger_wins, "
			    "p_challenger_wins_given_attack\n");
	out = text(&r.out);
	check(strstr(out, "p_honored_given_attack") && strstr(out, "n/a"),
	      "a figure only [1] has should read n/a:\n%s", out);
	{
		const char *diffs = strstr(out, "\n[2] - [1]");
		const char *row = diffs ? strstr(diffs, "\np_deterred") : NULL;
		const char *end = row ? strchr(row + 1, '\n') : NULL;

		check(row && end && !memchr(row, '*', (size_t)(end - row)) && memchr(row, '[', (size_t)(end - row)),
		      "p_deterred should be paired:\n%s", out);
	}
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_score_definition, check_setup),
		cmocka_unit_test_setup(test_score_edges, check_setup),
		cmocka_unit_test_setup(test_score_coverage, check_setup),
		cmocka_unit_test_setup(test_normal_and_discordant, check_setup),
		cmocka_unit_test(test_compare_same),
		cmocka_unit_test(test_compare_warning),
		cmocka_unit_test(test_compare_models),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

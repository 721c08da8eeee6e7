/* test_robust.c - robust choice between designs: regret, satisficing and
 * minimax regret on a hand-worked matrix; on the commitment 19-point
 * Ukraine, a stronger US pledge is never worse in any future on common
 * random numbers (regret 0 in every future, the weaker one's positive);
 * the same bytes on 1 and 2 threads; exact usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/robust.h"
#include "study/table.h"
#include "testutil.h"

/* Three designs in four futures:
 *   A 0.9 0.5 0.8 0.6    regret 0.0 0.3 0.0 0.0   satisfices (>= 0.8) 2
 *   B 0.7 0.8 0.8 0.6    regret 0.2 0.0 0.0 0.0   1 (0.8 in future 3)
 *   C 0.6 0.7 0.7 0.6    regret 0.3 0.1 0.1 0.0   0
 * Best: A, B, A and B tied, everyone tied: A 1 + 1/2 + 1/3, B 1 + 1/2 + 1/3,
 * C 1/3, over 4. Minimax regret: B (0.2). Catches regret taken against the
 * design's own best, and ties counted whole. */
static void test_matrix(void **state)
{
	const double y[12] = { 0.9, 0.5, 0.8, 0.6, 0.7, 0.8, 0.8, 0.6, 0.6, 0.7, 0.7, 0.6 };
	const double want_reg[12] = { 0, 0.3, 0, 0, 0.2, 0, 0, 0, 0.3, 0.1, 0.1, 0 };
	double reg[12];
	struct robust_stats s[3];
	int i;

	(void)state;
	assert_int_equal(robust_evaluate(y, 3, 4, 0.8, reg, s), 0);
	for (i = 0; i < 12; i++)
		check(fabs(reg[i] - want_reg[i]) < 1e-12, "regret %d: observed %g vs expected %g", i,
		      reg[i], want_reg[i]);
	check(fabs(s[0].satisficing - 0.5) < 1e-12 && fabs(s[1].satisficing - 0.5) < 1e-12 &&
	      s[2].satisficing == 0, "satisficing %g %g %g, expected 0.5 0.5 0", s[0].satisficing,
	      s[1].satisficing, s[2].satisficing);
	check(fabs(s[0].max_regret - 0.3) < 1e-12 && fabs(s[1].max_regret - 0.2) < 1e-12,
	      "max regret %g %g", s[0].max_regret, s[1].max_regret);
	check(fabs(s[0].best_share - (1 + 0.5 + 1.0 / 3) / 4) < 1e-12 &&
	      fabs(s[2].best_share - 1.0 / 12) < 1e-12, "best shares %g %g %g", s[0].best_share,
	      s[1].best_share, s[2].best_share);
	check(fabs(s[0].mean - 0.7) < 1e-12 && s[0].min == 0.5 && s[0].max == 0.9,
	      "A: mean %g min %g max %g", s[0].mean, s[0].min, s[0].max);
	check_long("minimax", (long)robust_minimax(s, 3), 1);
	check_long("satisficer (tie broken by max regret)", (long)robust_satisficer(s, 3), 1);
	check_finish();
}

/* The column of design NAME's figure (or its regret) in robust.tsv. */
static long col(const struct table *t, const char *name)
{
	return table_column(t, name);
}

static void test_command(void **state)
{
	const char *dir = *state;
	char one[512], two[512], file[600], file2[600];
	struct result r;
	struct table t;
	size_t i;
	long weak, strong, strong_reg;
	char *a, *b;

	snprintf(one, sizeof(one), "%s/one", dir);
	snprintf(two, sizeof(two), "%s/two", dir);
	sim(&r, "robust", "configs/ukraine-19-point.cfg", "--design",
	    "weak=--set guarantors.[0].guarantee.strength=0.1", "--design",
	    "strong=--set guarantors.[0].guarantee.strength=0.9", "--range",
	    "challenger.war_cost=0.1:0.6", "--range", "target.troop_cap=400000:900000", "--lhs", "8",
	    "-n", "2000", "-q", "-j", "1", "-o", one, NULL);
	check(r.status == 0 && strstr(text(&r.out), "Minimax regret: strong"), "robust: exit %d\n%s%s",
	      r.status, text(&r.out), text(&r.err));
	result_free(&r);
	snprintf(file, sizeof(file), "%s/robust.tsv", one);
	assert_int_equal(table_read(file, &t, stderr), 0);
	weak = col(&t, "weak");
	strong = col(&t, "strong");
	strong_reg = col(&t, "strong_regret");
	assert_true(weak > 0 && strong > 0 && strong_reg > 0);
	check_long("futures", (long)t.nrow, 8);
	for (i = 0; i < t.nrow; i++)
		check(t.v[i * t.ncol + strong_reg] == 0 &&
		      t.v[i * t.ncol + strong] > t.v[i * t.ncol + weak], "future %zu: strong %g, weak "
		      "%g, strong's regret %g", i + 1, t.v[i * t.ncol + strong], t.v[i * t.ncol + weak],
		      t.v[i * t.ncol + strong_reg]);
	table_free(&t);
	sim(&r, "robust", "configs/ukraine-19-point.cfg", "--design",
	    "weak=--set guarantors.[0].guarantee.strength=0.1", "--design",
	    "strong=--set guarantors.[0].guarantee.strength=0.9", "--range",
	    "challenger.war_cost=0.1:0.6", "--range", "target.troop_cap=400000:900000", "--lhs", "8",
	    "-n", "2000", "-q", "-j", "2", "-o", two, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(file2, sizeof(file2), "%s/robust.tsv", two);
	a = slurp(file, NULL);
	b = slurp(file2, NULL);
	check(a && b && same_bytes("robust.tsv, 1 vs 2 threads", a, strlen(a), b, strlen(b)),
	      "robust.tsv differs between 1 and 2 threads");
	free(a);
	free(b);
	{
		static const struct { const char *arg[6], *msg; } cases[] = {
			{ { "--design", "a=configs/default.cfg", "--range", "challenger.war_cost=0:1",
			    NULL }, "give at least two --design NAME=SPEC" },
			{ { "--design", "a b=configs/default.cfg", NULL }, "--design: expected "
			  "NAME=SPEC with NAME of letters, digits, '_', '.' and '-' (at most 40), got "
			  "'a b=configs/default.cfg'" },
			{ { "--design", "a=configs/default.cfg", "--design", "a=configs/default.cfg",
			    NULL }, "--design: 'a' named twice" },
			{ { "--design", "a=configs/default.cfg", "--design", "b=configs/default.cfg",
			    NULL }, "give at least one --range PATH=LO:HI (the uncertainties)" },
		};
		char want[400];
		size_t k;

		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
			char *argv[10] = { (char *)SIM, "robust" };
			int n = 2, j;

			for (j = 0; cases[k].arg[j]; j++)
				argv[n++] = (char *)cases[k].arg[j];
			argv[n] = NULL;
			run(argv, &r);
			snprintf(want, sizeof(want), "sim: error: %s\nTry 'sim robust --help'.\n",
				 cases[k].msg);
			check(r.status == 2 && !strcmp(text(&r.err), want), "case %zu: exit %d\n"
			      "  observed: %s  expected: %s", k, r.status, text(&r.err), want);
			result_free(&r);
		}
	}
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_matrix, check_setup),
		cmocka_unit_test_setup_teardown(test_command, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

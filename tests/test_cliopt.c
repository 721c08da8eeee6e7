/* test_cliopt.c - the values of command-line options, across commands:
 * numbers with spaces or signs, options that need another, and options
 * that name one destination twice. Each case runs ./bin/sim as a child
 * and must exit with 2, print exactly the expected stderr and nothing on
 * stdout, and create no output directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define CFG "tests/configs/studies.cfg"
#define VARY "--vary", "challenger.war_cost=0.1,0.2"
#define RANGE "--range", "challenger.war_cost=0.1:0.2"
#define OUT "@OUT@"		/* replaced by a fresh path */

struct bad_case {
	const char *argv[16];
	const char *err;
};

#define TRIALS_ERR(v, cmd) "sim: error: -n: expected a whole number of trials from 1 to " \
	"1000000000000, got '" v "'\nTry 'sim " cmd " --help'.\n"
#define PREC_ERR(v, cmd) "sim: error: --precision: expected a half-width above 0, " \
	"got '" v "'\nTry 'sim " cmd " --help'.\n"

static const struct bad_case cases[] = {
	/* strtoull skips leading spaces and takes a sign; strtod as well. */
	{ { "run", CFG, "-n", " 5" }, TRIALS_ERR(" 5", "run") },
	{ { "run", CFG, "-n", "+5" }, TRIALS_ERR("+5", "run") },
	{ { "run", CFG, "-n", "5 " }, TRIALS_ERR("5 ", "run") },
	{ { "run", CFG, "-n", "\t5" }, TRIALS_ERR("\t5", "run") },
	{ { "sweep", CFG, VARY, "-n", " 5" }, TRIALS_ERR(" 5", "sweep") },
	{ { "run", CFG, "-s", " 1" },
	  "sim: error: -s: expected a seed from 0 to 9223372036854775807, got ' 1'\n"
	  "Try 'sim run --help'.\n" },
	{ { "sample", CFG, "--lhs", "4", RANGE, "-s", "+1" },
	  "sim: error: -s: expected a seed from 0 to 9223372036854775807, got '+1'\n"
	  "Try 'sim sample --help'.\n" },
	{ { "run", CFG, "-j", " 2" },
	  "sim: error: -j: expected a number of threads from 1 to 1024, got ' 2'\n"
	  "Try 'sim run --help'.\n" },
	{ { "run", CFG, "--precision", " 0.01" }, PREC_ERR(" 0.01", "run") },
	{ { "run", CFG, "--precision", "+0.01" }, PREC_ERR("+0.01", "run") },
	{ { "run", CFG, "--precision", "0x1p-7" }, PREC_ERR("0x1p-7", "run") },
	{ { "sweep", CFG, VARY, "--precision", "0.01 " }, PREC_ERR("0.01 ", "sweep") },
	{ { "run", CFG, "--precision", "0" }, PREC_ERR("0", "run") },
	{ { "run", CFG, "--precision", "inf" }, PREC_ERR("inf", "run") },
	{ { "run", CFG, "--precision", "=0.01" },
	  "sim: error: --precision: expected EPS or FIG=EPS, got '=0.01'\n"
	  "Try 'sim run --help'.\n" },
	{ { "run", CFG, "--precision", "p_attack=" }, PREC_ERR("", "run") },
	/* The figure is checked against the model's, after the config. */
	{ { "run", CFG, "--precision", "p_detered=0.01" },
	  "sim: error: --precision: no figure 'p_detered'; the figures are p_deterred, "
	  "p_attack, p_honored_given_attack, p_partial_given_attack, "
	  "p_abandoned_given_attack, p_challenger_wins, p_challenger_wins_given_attack, "
	  "mean_attack_year\nTry 'sim run --help'.\n" },
	{ { "sweep", CFG, VARY, "--precision", "p_detered=0.01" },
	  "sim: error: --precision: no figure 'p_detered'; the figures are p_deterred, "
	  "p_attack, p_honored_given_attack, p_partial_given_attack, "
	  "p_abandoned_given_attack, p_challenger_wins, p_challenger_wins_given_attack, "
	  "mean_attack_year\nTry 'sim sweep --help'.\n" },
	{ { "run", CFG, "--precision", "p_attack=0.5" },
	  "sim: error: --precision: p_attack is a probability: expected a half-width below "
	  "0.5, got 0.5\nTry 'sim run --help'.\n" },
	{ { "run", CFG, "--estimator", "rao-blackwell" },
	  "sim: error: --estimator: expected 'conditional' or 'indicator', got "
	  "'rao-blackwell'\nTry 'sim run --help'.\n" },
	{ { "sweep", CFG, VARY, "--estimator", "indicator", "--estimator", "indicator" },
	  "sim: error: --estimator given twice\nTry 'sim sweep --help'.\n" },
	{ { "run", CFG, "--precision", "0.01", "--max-trials", " 9000" },
	  "sim: error: --max-trials: expected a whole number from 1 to 1000000000000, got ' 9000'\n"
	  "Try 'sim run --help'.\n" },
	{ { "sample", CFG, "--lhs", " 4", RANGE },
	  "sim: error: --lhs: expected a number of samples from 1 to 10000000, got ' 4'\n"
	  "Try 'sim sample --help'.\n" },
	{ { "sensitivity", CFG, RANGE, "--base-samples", " 8" },
	  "sim: error: --base-samples: expected a number from 2 to 1000000, got ' 8'\n"
	  "Try 'sim sensitivity --help'.\n" },
	{ { "sensitivity", CFG, RANGE, "--replicates", "+10" },
	  "sim: error: --replicates: expected a number from 2 to 1000, got '+10'\n"
	  "Try 'sim sensitivity --help'.\n" },
	{ { "sensitivity", CFG, RANGE, "--replicates", "1" },
	  "sim: error: --replicates: expected a number from 2 to 1000, got '1'\n"
	  "Try 'sim sensitivity --help'.\n" },
	{ { "sensitivity", CFG, RANGE, "--base-samples", "2000", "--replicates", "501" },
	  "sim: error: --base-samples 2000 times --replicates 501 is 1002000 base rows; at most "
	  "1000000\nTry 'sim sensitivity --help'.\n" },
	/* The bootstrap of a fixed design gave intervals several times too
	 * wide; its option is refused with a word on what replaced it. */
	{ { "sensitivity", CFG, RANGE, "--bootstrap", "1000" },
	  "sim: error: --bootstrap is gone: the intervals now come from independent scrambled "
	  "replicates (--replicates R)\nTry 'sim sensitivity --help'.\n" },
	{ { "trace", CFG, "--trial", " 3" },
	  "sim: error: --trial: expected a trial number, got ' 3'\n"
	  "Try 'sim trace --help'.\n" },
	{ { "sweep", CFG, "--vary", "challenger.war_cost=0.1:0.2: 2" },
	  "sim: error: --vary 'challenger.war_cost=0.1:0.2: 2': expected PATH=LO:HI:N with "
	  "numbers LO, HI and a count N from 1 to 1000000\n" },

	{ { "sensitivity", CFG, RANGE, "--figures", "p_deterred,,p_attack" },
	  "sim: error: --figures 'p_deterred,,p_attack': item 2 is empty\n" },
	{ { "sensitivity", CFG, RANGE, "--figures", "" },
	  "sim: error: --figures '': item 1 is empty\n" },

	/* --max-trials alone was ignored without a word. */
	{ { "run", CFG, "--max-trials", "5000" },
	  "sim: error: --max-trials needs --precision\nTry 'sim run --help'.\n" },
	{ { "sweep", CFG, VARY, "--max-trials", "5000" },
	  "sim: error: --max-trials needs --precision\nTry 'sim sweep --help'.\n" },
	{ { "sample", CFG, "--lhs", "4", RANGE, "--max-trials", "5000" },
	  "sim: error: --max-trials needs --precision\nTry 'sim sample --help'.\n" },

	/* One destination, named once. */
	{ { "sweep", CFG, VARY, "--resume", OUT, "-o", OUT "2" },
	  "sim: error: --resume @OUT@ and -o @OUT@2: give either -o DIR (a new study) or "
	  "--resume DIR (finish one), once\nTry 'sim sweep --help'.\n" },
	{ { "sample", CFG, "--lhs", "4", RANGE, "-o", OUT, "--resume", OUT },
	  "sim: error: -o @OUT@ and --resume @OUT@: give either -o DIR (a new study) or "
	  "--resume DIR (finish one), once\nTry 'sim sample --help'.\n" },
	{ { "sweep", CFG, VARY, "-o", OUT, "-o", OUT "2" },
	  "sim: error: -o @OUT@ and -o @OUT@2: give either -o DIR (a new study) or "
	  "--resume DIR (finish one), once\nTry 'sim sweep --help'.\n" },
	{ { "run", CFG, "-o", OUT, "-o", OUT "2" },
	  "sim: error: -o given twice ('@OUT@', then '@OUT@2')\nTry 'sim run --help'.\n" },
	{ { "compare", CFG, CFG, "-o", OUT, "-o", OUT "2" },
	  "sim: error: -o given twice ('@OUT@', then '@OUT@2')\n" },
};

/* S with every "@OUT@" replaced by OUT (a new string). */
static char *subst(const char *s, const char *out)
{
	struct buf b = { NULL, 0, 0 };
	const char *p;

	buf_add(&b, "", 0);
	while ((p = strstr(s, OUT)) != NULL) {
		buf_add(&b, s, (size_t)(p - s));
		buf_add(&b, out, strlen(out));
		s = p + strlen(OUT);
	}
	buf_add(&b, s, strlen(s));
	return b.p;
}

static void test_bad_values(void **state)
{
	const char *tmp = *state;
	char out[300], out2[320];
	int bad = 0;

	snprintf(out, sizeof(out), "%s/out", tmp);
	snprintf(out2, sizeof(out2), "%s2", out);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[20], *expected;
		struct result r;
		int n = 0;

		argv[n++] = SIM;
		for (int k = 0; cases[i].argv[k]; k++)
			argv[n++] = subst(cases[i].argv[k], out);
		argv[n] = NULL;
		expected = subst(cases[i].err, out);
		run(argv, &r);
		if (r.timed_out || r.status != 2 || strcmp(text(&r.err), expected) || r.out.n ||
		    exists(out) || exists(out2)) {
			printf("FAILED: %s\n  exit %d (expected 2)%s%s\n  stderr:   %s  expected: %s",
			       cmdline(argv), r.status, r.out.n ? ", stdout not empty" : "",
			       exists(out) || exists(out2) ? ", created the output directory" : "",
			       text(&r.err), expected);
			bad++;
		}
		remove_tree(out);
		remove_tree(out2);
		result_free(&r);
		free(expected);
		for (int k = 1; k < n; k++)
			free(argv[k]);
	}
	if (bad)
		fail_msg("%d of %zu cases failed", bad, sizeof(cases) / sizeof(cases[0]));
}

/* The same numbers without the spaces are taken: the strictness rejects
 * only what it should. */
static void test_good_values(void **state)
{
	struct result r;

	(void)state;
	/* A precision out of reach (CFG's conditional figures are exact, its
	 * indicator ones are not), capped by --max-trials. */
	sim(&r, "run", CFG, "-n", "1024", "-s", "1", "-j", "1", "--precision", "0.05",
	    "--max-trials", "2048", "--estimator", "indicator", "--json", "-q", NULL);
	if (r.status != 0)
		fail_msg("run with plain numbers: exit %d\n%s", r.status, text(&r.err));
	assert_non_null(strstr(text(&r.out), "\"trials\": 2048"));
	result_free(&r);
	sim(&r, "run", CFG, "-n", "1000", "--precision", ".05", "-q", "--json", NULL);
	if (r.status != 0)
		fail_msg("run --precision .05: exit %d\n%s", r.status, text(&r.err));
	result_free(&r);
	sim(&r, "run", CFG, "-n", "1000", "--precision", "5e-2", "-q", "--json", NULL);
	if (r.status != 0)
		fail_msg("run --precision 5e-2: exit %d\n%s", r.status, text(&r.err));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_values, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_good_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

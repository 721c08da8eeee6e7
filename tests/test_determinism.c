/* test_determinism.c - results are the same bytes whatever the number of
 * threads, and a run split into parts adds up to the whole.
 *
 * Runs ./bin/sim (built by 'make check' before the tests; run from the top
 * directory) directly with fork/exec, no shell. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cfg.h"
#include "engine/engine.h"
#include "engine/scenario.h"
#include "testutil.h"
#include "modelutil.h"

#define CONFIG "configs/default.cfg"
#define TRIALS "20000"

static const char *const files[] = { "summary.json", "survival.tsv", "outcomes.tsv", "config.cfg" };
#define NFILES (sizeof(files) / sizeof(files[0]))

/* Reads the whole file PATH into *B; fails when it cannot. */
static void read_file(const char *path, struct buf *b)
{
	b->p = slurp(path, &b->n);
	if (!b->p)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	b->cap = b->n + 1;
}

/* Whether A and B hold the same bytes; if not, says where they differ. */
static int same(const char *what, const struct buf *a, const struct buf *b)
{
	return same_bytes(what, a->p, a->n, b->p, b->n);
}

/* The output files of -j 1, 2, 3 are identical; -s 2 changes them. The
 * group's temporary directory is *STATE. */
static void test_output_files(void **state)
{
	static const char *const js[] = { "1", "2", "3" };
	const char *tmp = *state;
	struct buf b[3][NFILES], s2;
	struct result r;
	char dir[3][512], p[600], sdir[512];
	unsigned j, f;
	int ok = 1;

	assert_non_null(tmp);
	for (j = 0; j < 3; j++) {
		char *argv[] = { SIM, "run", CONFIG, "-n", TRIALS, "-o", dir[j], "-j",
				 (char *)js[j], "-q", NULL };

		snprintf(dir[j], sizeof(dir[j]), "%s/j%s", tmp, js[j]);
		run_expect(argv, &r, 0);
		result_free(&r);
		for (f = 0; f < NFILES; f++) {
			snprintf(p, sizeof(p), "%s/%s", dir[j], files[f]);
			read_file(p, &b[j][f]);
		}
	}
	for (j = 1; j < 3; j++)
		for (f = 0; f < NFILES; f++) {
			char what[96];

			snprintf(what, sizeof(what), "%s: -j 1 vs -j %s", files[f], js[j]);
			ok &= same(what, &b[0][f], &b[j][f]);
		}
	/* A survival curve has its column line, then a row at the start and at
	 * the end of each of its 120 steps. */
	{
		size_t i, rows = 0;

		for (i = 0; i < b[0][1].n; i++)
			rows += b[0][1].p[i] == '\n' && i + 1 < b[0][1].n && b[0][1].p[i + 1] != '#';
		if (rows != 122) {
			print_message("survival.tsv: observed %zu lines after the '#' lines vs "
				      "expected 122\n", rows);
			ok = 0;
		}
	}

	/* Another seed: another survival curve (the same would mean the seed
	 * is ignored, and the comparisons above prove nothing). */
	{
		char *argv[] = { SIM, "run", CONFIG, "-n", TRIALS, "-o", sdir, "-j", "2", "-q",
				 "-s", "2", NULL };

		snprintf(sdir, sizeof(sdir), "%s/s2", tmp);
		run_expect(argv, &r, 0);
		result_free(&r);
		snprintf(p, sizeof(p), "%s/survival.tsv", sdir);
		read_file(p, &s2);
		if (s2.n == b[0][1].n && !memcmp(s2.p, b[0][1].p, s2.n)) {
			print_message("survival.tsv: seed 2 gives the same bytes as seed 1\n");
			ok = 0;
		}
		free(s2.p);
	}
	for (j = 0; j < 3; j++)
		for (f = 0; f < NFILES; f++)
			free(b[j][f].p);
	assert_true(ok);
}

/* --json on stdout is identical for -j 1, 2, 3. */
static void test_json_stdout(void **state)
{
	static const char *const js[] = { "1", "2", "3" };
	struct result r[3];
	unsigned j;
	int ok = 1;

	(void)state;
	for (j = 0; j < 3; j++) {
		char *argv[] = { SIM, "run", CONFIG, "-n", TRIALS, "-j", (char *)js[j], "-q",
				 "--json", NULL };

		run_expect(argv, &r[j], 0);
		assert_true(r[j].out.n > 0);
		assert_non_null(strstr(text(&r[j].out), "\"p_deterred\""));
	}
	for (j = 1; j < 3; j++) {
		char what[64];

		snprintf(what, sizeof(what), "--json stdout: -j 1 vs -j %s", js[j]);
		ok &= same(what, &r[0].out, &r[j].out);
	}
	for (j = 0; j < 3; j++)
		result_free(&r[j]);
	assert_true(ok);
}

/* engine_run over 0..N-1 equals the merged runs of any split of it at
 * even trials, at any thread count: trial i is a pure function of (seed,
 * i). (Antithetic trials 2i and 2i + 1 make one unit, so a split keeps
 * pairs whole; N itself may be odd.) */
static void test_split_runs(void **state)
{
	const uint64_t N = 20001;	/* odd, and no multiple of the block size */
	struct cfg cfg;
	struct scenario sc;
	struct tally whole, half[2], part[3], sum;
	uint64_t cut[] = { 0, 778, 13000, N };
	int i, ok = 1;

	(void)state;
	if (scenario_open(&sc, &cfg, CONFIG, NULL, 0, NULL, NULL) < 0) {
		cfg_release(&cfg);
		fail_msg("cannot load %s", CONFIG);
	}
	assert_int_equal(engine_tally(&whole, &sc), 0);
	assert_int_equal(run_trials(&sc, 0, N, 2, &whole), 0);
	assert_int_equal(whole.trials, N);
	{
		long double a = tally_get(&whole, counter_of(&sc, "attacked"));

		assert_true(a > 0 && a < N);
	}

	/* [0, N/2) and [N/2, N). */
	assert_int_equal(engine_tally(&sum, &sc), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(engine_tally(&half[i], &sc), 0);
		assert_int_equal(run_trials(&sc, i ? N / 2 : 0, i ? N - N / 2 : N / 2, 2, &half[i]),
				 0);
		tally_merge(&sum, &half[i]);
	}
	ok &= same_sums("halves, merged", &whole, &sum);
	/* The halves differ from each other: the trials are not all alike. */
	if (!memcmp(half[0].sum, half[1].sum, sizeof(*half[0].sum) * half[0].n)) {
		print_message("halves: identical counts for different trials\n");
		ok = 0;
	}
	tally_release(&sum);

	/* Three uneven parts on 1, 2 and 3 threads, run into one tally. */
	assert_int_equal(engine_tally(&sum, &sc), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(engine_tally(&part[i], &sc), 0);
		assert_int_equal(run_trials(&sc, cut[i], cut[i + 1] - cut[i], i + 1, &part[i]), 0);
		tally_merge(&sum, &part[i]);
		tally_release(&part[i]);
	}
	ok &= same_sums("three parts, merged", &whole, &sum);
	tally_release(&sum);

	/* engine_run adds to a tally: running the halves into one tally. */
	assert_int_equal(engine_tally(&sum, &sc), 0);
	assert_int_equal(run_trials(&sc, 0, N / 2, 3, &sum), 0);
	assert_int_equal(run_trials(&sc, N / 2, N - N / 2, 1, &sum), 0);
	ok &= same_sums("halves, added in place", &whole, &sum);
	tally_release(&sum);

	for (i = 0; i < 2; i++)
		tally_release(&half[i]);
	tally_release(&whole);
	scenario_release(&sc);
	cfg_release(&cfg);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_files),
		cmocka_unit_test(test_json_stdout),
		cmocka_unit_test(test_split_runs),
	};

	return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}

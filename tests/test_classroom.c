/* test_classroom.c - the scenario library, "sim trace" and "sim init":
 * every config in configs/ checks and runs; a trace matches its golden
 * file and tells the story the run counts; a starter config is valid. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "modelutil.h"
#include "models/model.h"
#include "models/commitment/internal.h"
#include "engine/scenario.h"

/* Every *.cfg in DIR passes "sim check" and runs a few trials. */
static int check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct result r;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		sim(&r, "check", path, NULL);
		if (r.status != 0)
			fail_msg("sim check %s: exit %d\n%s", path, r.status, text(&r.err));
		result_free(&r);
		sim(&r, "run", path, "-n", "300", "-q", "--json", NULL);
		if (r.status != 0 || !strstr(text(&r.out), "\"p_deterred\""))
			fail_msg("sim run %s: exit %d\n%s", path, r.status, text(&r.err));
		result_free(&r);
		n++;
	}
	closedir(d);
	return n;
}

static void test_library(void **state)
{
	int n;

	(void)state;
	n = check_dir("configs");
	/* default, bench and the Ukraine cases at least. */
	assert_true(n >= 5);
	n = check_dir("configs/history");
	/* Every case of the back-test. */
	assert_true(n >= 11);
}

/* The text and TSV of two traces, byte for byte as recorded. */
static void golden(const char *file, char *const args[])
{
	char *want = slurp(file, NULL), *argv[16];
	struct result r;
	int i;

	assert_non_null(want);
	argv[0] = (char *)SIM;
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	run(argv, &r);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.err.n, 0);
	/* The build and run lines of the TSV name this build and this run. */
	if (strncmp(want, "# gsim ", 7) == 0) {
		char *got = stable(text(&r.out)), *w = stable(want);

		assert_true(strchr(got, '\n') && strchr(w, '\n'));
		if (strcmp(strchr(got, '\n'), strchr(w, '\n')))
			fail_msg("%s differs from the trace (build and run lines left out):\n"
				 "--- expected\n%s--- observed\n%s", file, w, got);
		free(got);
		free(w);
	} else if (strcmp(text(&r.out), want))
		fail_msg("%s differs from the trace:\n--- expected\n%s--- observed\n%s", file, want,
			 text(&r.out));
	result_free(&r);
	free(want);
}

static void test_trace_golden(void **state)
{
	char *text_args[] = { "trace", "--trial", "5", "--every", "24", NULL };
	char *tsv_args[] = { "trace", "configs/bench.cfg", "--trial", "5", "--tsv", NULL };

	(void)state;
	golden("tests/golden/trace-default-5.txt", text_args);
	golden("tests/golden/trace-bench-5.tsv", tsv_args);
}

struct counter {
	int attacks, elections;
};

static void count_step(void *ctx, const struct model_trace_step *s)
{
	(void)ctx;
	(void)s;
}

static void count_event(void *ctx, const struct model_trace_event *e)
{
	struct counter *c = ctx;

	if (e->kind == CM_EV_ATTACK)
		c->attacks++;
	else
		c->elections++;
}

/* The traced story of each trial is the one the run counts. Under the
 * indicator estimator: the same trials attack, at the same step, with the
 * same interventions and winner; a trial attacks in its story exactly when
 * the run counts it attacked. Under the conditional estimator (the
 * default) the trace's record is the run's, and the stories attack about
 * as often as the records' attack probabilities say (within 4 standard
 * errors of a binomial count). */
static void trace_consistent(char *const *sets, int nsets)
{
	const uint64_t n = 3000;
	struct cfg c;
	struct scenario s;
	unsigned char *run, *one;
	struct cm_record o;
	struct counter cnt;
	struct model_trace_sink sink = { &cnt, count_step, count_event };
	uint64_t i, attacked = 0;
	double expect = 0, var = 0;
	size_t size, k;
	void *w;

	assert_int_equal(scenario_open(&s, &c, "configs/ukraine-19-point.cfg", sets, nsets, NULL, NULL), 0);
	size = s.layout->record_size;
	run = calloc(n, size);
	one = calloc(1, size);
	assert_true(run && one);
	k = counter_of(&s, "attacked");
	w = s.model->work_alloc(s.instance, s.rng, NULL);
	s.model->trials(s.instance, w, s.seed, 0, n, run, NULL);
	for (i = 0; i < n; i++) {
		const unsigned char *r = run + i * size;

		memset(&cnt, 0, sizeof(cnt));
		s.model->trace(s.instance, w, s.seed, i, &sink, one);
		if (s.estimator == MODEL_INDICATOR) {
			const struct cm_record *q = (const struct cm_record *)(const void *)r;

			memcpy(&o, one, sizeof(o));
			assert_int_equal(cnt.attacks, o.attacked);
			if (o.attacked != q->attacked || o.step != q->step ||
			    o.intervened != q->intervened || o.challenger_won != q->challenger_won)
				fail_msg("trial %llu: traced %s at step %ld, run %s at step %ld",
					 (unsigned long long)i, o.attacked ? "attack" : "no attack",
					 o.step, q->attacked ? "attack" : "no attack", q->step);
		} else {
			double p = s.model->contribution(s.instance, r, k);

			if (!s.model->same(s.instance, one, r))
				fail_msg("trial %llu: the trace's record is not the run's",
					 (unsigned long long)i);
			expect += p;
			var += p * (1 - p);
		}
		attacked += cnt.attacks != 0;
	}
	if (s.estimator == MODEL_CONDITIONAL && fabs((double)attacked - expect) > 4 * sqrt(var))
		fail_msg("stories attack in %llu trials vs %.1f expected (sd %.1f)",
			 (unsigned long long)attacked, expect, sqrt(var));
	/* The default scenario attacks in about half its trials. */
	assert_true(attacked > n / 4 && attacked < 3 * n / 4);
	s.model->work_free(w);
	scenario_release(&s);
	cfg_release(&c);
	free(run);
	free(one);
}

static void test_trace_consistent(void **state)
{
	char *indicator[] = { "scenario.estimator=indicator" };

	(void)state;
	trace_consistent(NULL, 0);
	trace_consistent(indicator, 1);
}

static void test_init(void **state)
{
	char dir[256], path[300];
	struct result r;
	char *cfg;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/start.cfg", dir);
	sim(&r, "init", path, "--name", "Class exercise", NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	sim(&r, "check", path, NULL);
	if (r.status != 0)
		fail_msg("the starter config does not check:\n%s", text(&r.err));
	assert_non_null(strstr(text(&r.out), "scenario 'Class exercise'"));
	result_free(&r);
	/* Every key is there with its meaning: a sample. */
	cfg = slurp(path, NULL);
	assert_non_null(strstr(cfg, "troop_cap = 800000.0;"));
	assert_non_null(strstr(cfg, "automaticity = 0.5;"));
	assert_non_null(strstr(cfg, "# sd of resolve; >= 0; default 0.3.\n"));
	free(cfg);
	/* It does not overwrite without --force. */
	sim(&r, "init", path, NULL);
	assert_int_equal(r.status, 2);
	result_free(&r);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library),
		cmocka_unit_test(test_trace_golden),
		cmocka_unit_test(test_trace_consistent),
		cmocka_unit_test(test_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

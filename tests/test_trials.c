/* test_trials.c - the trials table ('sim run --trials-out', engine/trials.c)
 * for the commitment and crisis models on their shipped Ukraine configs:
 * each row's drawn values are the ones its trial used (the same trial
 * with every uncertain key fixed, by its column's path, at its row's
 * values gives the row's figures); the mean of the p_deterred column is
 * the run's p_deterred; the file is the same bytes on 1 and 2 threads; a
 * run from trial FIRST gives the full run's rows; and the command writes
 * the header and refuses what it should. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/trials.h"
#include "io/output.h"
#include "testutil.h"
#include "modelutil.h"

#define N 3000

static const char *const configs[] = {
	"configs/ukraine-19-point.cfg",	/* commitment */
	"configs/default.cfg",		/* crisis */
};

static void open_scenario(struct scenario *s, struct cfg *c, const char *path, char **sets,
			  int nsets, uint64_t n)
{
	if (scenario_open(s, c, path, sets, nsets, &n, NULL) < 0)
		fail_msg("%s does not load", path);
}

/* The trials table of S, FIRST .. FIRST + COUNT - 1 on THREADS threads,
 * as a string the caller frees. */
static char *table_of(const struct scenario *s, uint64_t first, uint64_t count, int threads)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	assert_non_null(f);
	assert_int_equal(trials_write(s, first, count, threads, f, NULL, NULL, NULL), 0);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* Splits line I (from 0) of TEXT into FIELD[] (up to MAX), in place in a
 * copy the caller frees; returns the copy and sets *NF. */
static char *row_of(const char *text, long i, char **field, int max, int *nf)
{
	const char *p = text;
	char *line, *q;

	while (i-- > 0 && (p = strchr(p, '\n')))
		p++;
	assert_non_null(p);
	line = strndup(p, strcspn(p, "\n"));
	*nf = 0;
	for (q = line; *nf < max; q++) {
		field[(*nf)++] = q;
		if (!(q = strchr(q, '\t')))
			break;
		*q = '\0';
	}
	return line;
}

/* Trial I run with every uncertain key of S fixed at the values its row
 * shows gives the row's figures. */
static void check_draws(const char *path, const struct scenario *s, const char *text, long i)
{
	const struct model_layout *L = s->layout;
	char *field[256], *line, **sets;
	struct scenario b;
	struct cfg c;
	int nf, j;

	line = row_of(text, i, field, 256, &nf);
	assert_int_equal(nf, 1 + (int)(L->nparams + L->nfigures));
	sets = calloc(L->nparams, sizeof(char *));
	for (j = 0; j < (int)L->nparams; j++)
		assert_true(asprintf(&sets[j], "%s=%s", L->params[j], field[1 + j]) > 0);
	open_scenario(&b, &c, path, sets, (int)L->nparams, N);
	assert_int_equal(b.layout->nparams, 0);
	{
		char *fixed = table_of(&b, (uint64_t)i, 1, 1), *fl[256];
		char *l2 = row_of(fixed, 0, fl, 256, &nf);
		size_t k;

		assert_int_equal(nf, 1 + (int)L->nfigures);
		for (k = 0; k < L->nfigures; k++) {
			const char *want = field[1 + L->nparams + k], *got = fl[1 + k];

			if (!*want || !*got) {
				if (strcmp(want, got))
					fail_msg("%s trial %ld: %s is '%s' drawn, '%s' fixed", path, i,
						 L->figures[k].key, want, got);
				continue;
			}
			/* The drawn values are written to 10 digits, and the kernels for
			 * fixed keys may differ from the general one by ~1e-10. */
			if (fabs(atof(want) - atof(got)) > 1e-6 * (1 + fabs(atof(want))))
				fail_msg("%s trial %ld: %s is %s with the drawn values but %s with "
					 "them fixed", path, i, L->figures[k].key, want, got);
		}
		free(l2);
		free(fixed);
	}
	for (j = 0; j < (int)L->nparams; j++)
		free(sets[j]);
	free(sets);
	free(line);
	scenario_release(&b);
	cfg_release(&c);
}

static void test_draws_are_the_trials(void **state)
{
	size_t m;

	(void)state;
	for (m = 0; m < sizeof(configs) / sizeof(configs[0]); m++) {
		struct scenario s;
		struct cfg c;
		char *text;
		long i;

		open_scenario(&s, &c, configs[m], NULL, 0, N);
		assert_true(s.layout->nparams >= 4);
		text = table_of(&s, 0, 8, 1);
		/* Trials 0 to 7: both members of antithetic pairs. */
		for (i = 0; i < 8; i++)
			check_draws(configs[m], &s, text, i);
		free(text);
		scenario_release(&s);
		cfg_release(&c);
	}
}

/* The mean of each share column is the run's figure. */
static void test_means_are_the_run(void **state)
{
	size_t m;

	(void)state;
	for (m = 0; m < sizeof(configs) / sizeof(configs[0]); m++) {
		struct scenario s;
		struct cfg c;
		struct tally t;
		struct figure *fig;
		char *text, *field[256], *line;
		size_t k;
		long i;
		int nf;

		open_scenario(&s, &c, configs[m], NULL, 0, N);
		fig = calloc(summary_count(s.layout), sizeof(*fig));
		assert_int_equal(engine_tally(&t, &s), 0);
		assert_int_equal(run_trials(&s, 0, N, 2, &t), 0);
		summary_compute(s.layout, &t, s.dt, fig);
		text = table_of(&s, 0, N, 2);
		for (k = 0; k < s.layout->nfigures; k++) {
			double sum = 0;

			if (s.layout->figures[k].kind != MODEL_SHARE)
				continue;
			for (i = 0; i < N; i++) {
				line = row_of(text, i, field, 256, &nf);
				sum += atof(field[1 + s.layout->nparams + k]);
				free(line);
			}
			if (fabs(sum / N - fig[k].value) > 1e-9)
				fail_msg("%s: mean of column %s is %.12g, the run's figure %.12g",
					 configs[m], s.layout->figures[k].key, sum / N, fig[k].value);
		}
		free(text);
		free(fig);
		tally_release(&t);
		scenario_release(&s);
		cfg_release(&c);
	}
}

/* The same bytes on 1 and 2 threads, over several chunks and a partial
 * one; trials from FIRST are the full run's rows. */
static void test_same_bytes(void **state)
{
	struct scenario s;
	struct cfg c;
	uint64_t n = 2 * TRIALS_CHUNK + 77;
	char *one, *two, *part;
	const char *p;
	long i;

	(void)state;
	open_scenario(&s, &c, configs[1], NULL, 0, n);
	one = table_of(&s, 0, n, 1);
	two = table_of(&s, 0, n, 2);
	assert_string_equal(one, two);
	part = table_of(&s, TRIALS_CHUNK - 3, 10, 2);
	for (p = one, i = 0; i < TRIALS_CHUNK - 3; i++)
		p = strchr(p, '\n') + 1;
	assert_memory_equal(p, part, strlen(part));
	free(one);
	free(two);
	free(part);
	scenario_release(&s);
	cfg_release(&c);
}

/* What the command writes and refuses. */
static void test_command(void **state)
{
	const char *dir = *state;
	char out[512], bad[512];
	struct result r;
	char *body, *hdr;

	snprintf(out, sizeof(out), "%s/trials.tsv", dir);
	sim(&r, "run", configs[0], "-n", "1000", "-q", "--trials-out", out, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	body = slurp(out, NULL);
	assert_non_null(body);
	assert_non_null(strstr(body, "# trials: 1000\n"));
	assert_non_null(strstr(body, "# range: guarantors.[United States].interest = drawn per trial\n"));
	hdr = strstr(body, "\ntrial\t");
	assert_non_null(hdr);
	assert_memory_equal(hdr, "\ntrial\tguarantors.[United States].interest\t"
			    "guarantors.[United States].guarantee.monitoring.perception_bias\t"
			    "guarantors.[United Kingdom].guarantee.strength\t"
			    "guarantors.[France].intervention_cost\tp_deterred\tp_attack\t", 188);
	assert_non_null(strstr(body, "\n999\t"));
	assert_null(strstr(body, "\n1000\t"));
	free(body);
	/* discover reads it, the drawn keys as its inputs. */
	sim(&r, "discover", out, "--where", "p_deterred < 0.4", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(text(&r.out), "1000 rows"));
	assert_non_null(strstr(text(&r.out), "4 inputs"));
	result_free(&r);
	/* Into a directory that does not exist: an error, nothing written. */
	snprintf(bad, sizeof(bad), "%s/no/such/trials.tsv", dir);
	sim(&r, "run", configs[0], "-n", "100", "-q", "--trials-out", bad, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(text(&r.err), "no/such"));
	result_free(&r);
	sim(&r, "run", "-n", "100", "--trials-out", out, "--trials-out", out, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(text(&r.err), "--trials-out given twice"));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draws_are_the_trials),
		cmocka_unit_test(test_means_are_the_run),
		cmocka_unit_test(test_same_bytes),
		cmocka_unit_test_setup_teardown(test_command, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

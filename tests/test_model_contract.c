/* test_model_contract.c - the contract every registered model keeps, run
 * over each entry of model_types[] (as GSL's tests run over every
 * generator): its starter config ('sim init --model NAME') checks and
 * runs; its layout is consistent (indices in range, keys fit for files,
 * outcomes that partition the trials); add() and contribution() agree;
 * one call of N trials equals N calls of one; a traced trial ends as the
 * run's; results are the same bytes on 1, 2 and 3 threads; every figure's
 * interval holds its estimate, and probabilities lie in [0, 1]; the
 * starter's p_deterred lies between 0.05 and 0.98. Under
 * 'make sanitize' the workspaces are checked by ASan too. A new model
 * passes this unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/cluster.h"
#include "testutil.h"
#include "modelutil.h"

#define TRIALS 3000

/* Loads the starter config of model M with TRIALS trials and the
 * estimator EST. */
static void load(const model_type *m, const char *est, struct cfg *c, struct scenario *s)
{
	char *text = scenario_starter(m, "contract"), set[64];
	uint64_t n = TRIALS;
	struct diag d = { c, stderr, 0 };

	assert_non_null(text);
	snprintf(set, sizeof(set), "scenario.estimator=%s", est);
	if (cfg_load_string(c, m->name, text) < 0 || cfg_set(c, set, 1, &d) < 0 ||
	    scenario_load(s, c, &n, NULL) < 0)
		fail_msg("model %s: its starter config does not check:\n%s", m->name, text);
	free(text);
}

/* Whether KEY can name a column and a JSON member: [a-z0-9_]+. */
static int is_key(const char *key)
{
	return key && *key && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(key);
}

/* Checks figure F of a layout of N counters; SHIFT is the actor of a
 * breakdown's figure (-1: a figure of the layout's own). */
static void check_figure(const char *model, const struct model_figure *f, size_t n, int shift)
{
	check(is_key(f->key), "%s: figure key '%s' is not [a-z0-9_]+", model, f->key);
	check(f->label || shift >= 0, "%s: %s has no label", model, f->key);
	check(f->meaning != NULL, "%s: %s has no meaning", model, f->key);
	if (shift < 0)
		shift = 0;
	check(f->num + (size_t)shift < n, "%s: %s counts counter %zu of %zu", model, f->key,
	      f->num + (size_t)shift, n);
	check(f->kind == MODEL_SHARE || f->den < n, "%s: %s divides by counter %zu of %zu",
	      model, f->key, f->den, n);
	check(f->kind != MODEL_MEAN_GIVEN || f->sq < n, "%s: %s squares in counter %zu of %zu",
	      model, f->key, f->sq, n);
	check(!(f->flags & MODEL_FIG_PAIR) || f->kind == MODEL_SHARE,
	      "%s: %s is paired but not a share of all trials", model, f->key);
}

/* The layout's indices are in range and its names fit files and JSON. */
static void check_layout(const struct scenario *s)
{
	const struct model_layout *L = s->layout;
	const char *name = s->model->name;
	size_t i, j, n = L->ncounters;
	int a;

	check(L->nfigures > 0 && L->nfigures <= CLUSTER_MAX_FIGURES, "%s: %zu figures", name,
	      L->nfigures);
	check(!L->nparams || s->model->draws, "%s: %zu params but no draws()", name, L->nparams);
	for (i = 0; i < L->nparams; i++)
		check(L->params[i] && L->params[i][0], "%s: param %zu has no path", name, i);
	for (i = 0; i < L->nfigures; i++) {
		check_figure(name, &L->figures[i], n, -1);
		for (j = 0; j < i; j++)
			check(strcmp(L->figures[i].key, L->figures[j].key), "%s: two figures %s",
			      name, L->figures[i].key);
	}
	for (i = 0; i < L->nbreakdowns; i++)
		for (a = 0; a < L->nactors; a++)
			check_figure(name, &L->breakdowns[i].fig, n, a);
	check(L->nactors == 0 || L->actor != NULL, "%s: actors without a kind", name);
	for (a = 0; a < L->nactors; a++)
		check(L->actor_names[a] != NULL, "%s: actor %d has no name", name, a);
	check(L->curve + (size_t)s->n_steps <= n, "%s: the curve runs past the counters", name);
	check(L->noutcomes > 0 && L->outcomes_note && L->outcomes_caption && L->curve_caption,
	      "%s: outcomes or captions missing", name);
	for (i = 0; i < L->noutcomes; i++)
		check(is_key(L->outcomes[i].key) && L->outcomes[i].counter < n,
		      "%s: outcome '%s'", name, L->outcomes[i].key);
	for (i = 0; i < L->ncolumns; i++)
		check(is_key(L->columns[i].name) || strcmp(L->columns[i].name, "H") == 0 ||
		      strcmp(L->columns[i].name, "Hhat") == 0, "%s: trace column '%s'", name,
		      L->columns[i].name);
	for (i = 0; i < n; i++)
		check(L->counters[i].name && L->counters[i].frac <= TALLY_MAX_FRAC,
		      "%s: counter %zu", name, i);
}

/* Runs trials FIRST .. FIRST + N - 1 of S into records (the caller frees). */
static unsigned char *records(const struct scenario *s, uint64_t first, uint64_t n, int ones)
{
	const model_type *m = s->model;
	unsigned char *rec = calloc(n + 1, s->layout->record_size);
	void *w = m->work_alloc(s->instance, s->rng, NULL);
	uint64_t i;

	assert_non_null(rec);
	assert_non_null(w);
	if (ones)
		for (i = 0; i < n; i++)
			m->trials(s->instance, w, s->seed, first + i, 1, rec + i * s->layout->record_size, NULL);
	else
		m->trials(s->instance, w, s->seed, first, n, rec, NULL);
	m->work_free(w);
	return rec;
}

static int same_record(const struct scenario *s, const void *a, const void *b)
{
	const model_type *m = s->model;

	return m->same ? m->same(s->instance, a, b) : !memcmp(a, b, s->layout->record_size);
}

/* One call of N trials equals N calls of one, trial by trial. */
static void check_grouping(const struct scenario *s)
{
	const uint64_t n = 300;
	unsigned char *all = records(s, 100, n, 0), *one = records(s, 100, n, 1);
	uint64_t i, differ = 0;

	for (i = 0; i < n; i++)
		differ += !same_record(s, all + i * s->layout->record_size,
				       one + i * s->layout->record_size);
	check(differ == 0, "%s: %llu of %llu trials end differently run together and one by one",
	      s->model->name, (unsigned long long)differ, (unsigned long long)n);
	free(all);
	free(one);
}

static void no_step(void *ctx, const struct model_trace_step *st)
{
	(void)ctx;
	(void)st;
}

static void no_event(void *ctx, const struct model_trace_event *e)
{
	(void)ctx;
	(void)e;
}

/* A traced trial ends as the run's. Trials within rounding of a boundary
 * may differ when a model's run uses another kernel than its trace: at
 * most 1 in 1,000 here. */
static void check_trace(const struct scenario *s)
{
	const model_type *m = s->model;
	const uint64_t n = 1000;
	unsigned char *run = records(s, 0, n, 0), *tr = calloc(1, s->layout->record_size + 1);
	struct model_trace_sink sink = { NULL, no_step, no_event };
	void *w = m->work_alloc(s->instance, s->rng, NULL);
	uint64_t i, differ = 0;

	assert_non_null(w);
	for (i = 0; i < n; i++) {
		m->trace(s->instance, w, s->seed, i, &sink, tr);
		differ += !same_record(s, tr, run + i * s->layout->record_size);
	}
	check(differ <= 1, "%s: %llu of %llu traced trials end otherwise than in the run",
	      m->name, (unsigned long long)differ, (unsigned long long)n);
	m->work_free(w);
	free(run);
	free(tr);
}

/* add() of each record equals the sum of its contributions, counter by
 * counter, and the outcome categories hold every trial once (their
 * chances sum to 1 in each trial, to 1e-9, under the conditional
 * estimator). */
static void check_contributions(const struct scenario *s)
{
	const model_type *m = s->model;
	const struct model_layout *L = s->layout;
	const uint64_t n = 500;
	unsigned char *rec = records(s, 0, n, 0);
	struct tally t, u;
	uint64_t i;
	double inside = 0;
	size_t k;

	assert_int_equal(engine_tally(&t, s), 0);
	assert_int_equal(engine_tally(&u, s), 0);
	for (i = 0; i < n; i++) {
		m->add(s->instance, rec + i * s->layout->record_size, &t);
		for (k = 0; k < L->ncounters; k++)
			tally_add(&u, k, m->contribution(s->instance, rec + i * s->layout->record_size, k));
	}
	for (k = 0; k < L->ncounters; k++)
		check(t.sum[k] == u.sum[k], "%s: counter %s (%zu): add() %.17Lg vs contributions "
		      "%.17Lg", m->name, L->counters[k].name, k, tally_get(&t, k), tally_get(&u, k));
	for (k = 0; k < L->noutcomes; k++)
		inside += (double)tally_get(&t, L->outcomes[k].counter);
	check(fabs(inside - (double)n) <= 1e-9 * (double)n, "%s: the outcome categories hold "
	      "%.12g of %llu trials", m->name, inside, (unsigned long long)n);
	tally_release(&t);
	tally_release(&u);
	free(rec);
}

/* The same sums on 1, 2 and 3 threads; every interval holds its figure. */
static void check_threads(const struct scenario *s)
{
	const struct model_layout *L = s->layout;
	struct tally t[3];
	struct figure *fig = calloc(summary_count(L) + 1, sizeof(*fig));
	size_t i;
	int j;

	for (j = 0; j < 3; j++) {
		assert_int_equal(engine_tally(&t[j], s), 0);
		assert_int_equal(run_trials(s, 0, s->trials, j + 1, &t[j]), 0);
		if (j)
			check(same_sums(s->model->name, &t[0], &t[j]), "%s: %d threads differ from 1",
			      s->model->name, j + 1);
	}
	check(t[0].trials == s->trials, "%s: %llu trials counted of %llu", s->model->name,
	      (unsigned long long)t[0].trials, (unsigned long long)s->trials);
	summary_compute(L, &t[0], s->dt, fig);
	for (i = 0; i < summary_count(L); i++) {
		const struct model_figure *d = summary_decl(L, i);
		const struct figure *x = &fig[i];

		if (!x->defined)
			continue;
		check(isfinite(x->value), "%s: %s is %g", s->model->name, d->key, x->value);
		check(!x->has_ci || (x->lo <= x->value && x->value <= x->hi),
		      "%s: %s = %g outside its interval [%g, %g]", s->model->name,
		      d->key ? d->key : "breakdown", x->value, x->lo, x->hi);
		check(d->kind == MODEL_MEAN_GIVEN || (x->lo >= 0 && x->hi <= 1 && x->value >= 0 &&
						       x->value <= 1),
		      "%s: the probability %s = %g [%g, %g] leaves [0, 1]", s->model->name,
		      d->key ? d->key : "breakdown", x->value, x->lo, x->hi);
	}
	for (j = 0; j < 3; j++)
		tally_release(&t[j]);
	free(fig);
}

/* The starter config checks and runs through the command line too. */
static void check_cli(const model_type *m, const char *tmp)
{
	char path[512], *err;

	snprintf(path, sizeof(path), "%s/%s.cfg", tmp, m->name);
	err = sim_expect(0, "init", "--model", m->name, path, NULL);
	free(err);
	err = sim_expect(0, "check", path, NULL);
	free(err);
	err = sim_expect(0, "run", path, "-n", "2000", "-q", NULL);
	free(err);
	err = sim_expect(0, "trace", path, "--trial", "1", "--tsv", NULL);
	free(err);
}

/* The starter is a scenario worth reading: deterrence neither nearly
 * sure nor hopeless (p_deterred between 0.05 and 0.98), so that a
 * newcomer's first run shows both outcomes and what moves them. */
static void check_starter(const struct scenario *s)
{
	struct tally t;
	struct figure *fig = calloc(summary_count(s->layout), sizeof(*fig));
	int k = summary_find(s->layout, "p_deterred");

	assert_non_null(fig);
	assert_int_equal(engine_tally(&t, s), 0);
	assert_int_equal(run_trials(s, 0, TRIALS, 2, &t), 0);
	summary_compute(s->layout, &t, s->dt, fig);
	check(k >= 0 && fig[k].value > 0.05 && fig[k].value < 0.98,
	      "%s: the starter's p_deterred is %g: observed vs expected between 0.05 and 0.98",
	      s->model->name, k >= 0 ? fig[k].value : NAN);
	tally_release(&t);
	free(fig);
}

/* The keys hook lists settable keys: each path, set to the value the
 * hook reports for it, checks again, and each value lies in its range
 * (the controls of 'sim serve'). */
static void check_keys(const model_type *m)
{
	struct model_key k[256];
	struct cfg c;
	struct scenario s;
	long n, i;
	char set[512], num[32], *text;

	load(m, "conditional", &c, &s);
	check(m->keys != NULL, "%s: no keys hook", m->name);
	n = m->keys ? m->keys(s.instance, k, 256) : 0;
	check(n > 0 && n <= 256, "%s: keys() gave %ld keys", m->name, n);
	scenario_release(&s);
	for (i = 0; i < n && i < 256; i++) {
		struct cfg c2;
		struct scenario s2;
		struct diag d = { &c2, stderr, 0 };
		uint64_t t = 10;

		check(k[i].value >= k[i].lo && k[i].value <= k[i].hi && k[i].help,
		      "%s: key %s: value %g outside [%g, %g]", m->name, k[i].path, k[i].value,
		      k[i].lo, k[i].hi);
		snprintf(set, sizeof(set), "%s=%s", k[i].path, cfg_format_real(num, k[i].value));
		text = scenario_starter(m, "keys");
		check(text && cfg_load_string(&c2, "keys", text) == 0 &&
		      cfg_set(&c2, set, 1, &d) == 0 && scenario_load(&s2, &c2, &t, NULL) == 0,
		      "%s: --set %s does not check", m->name, set);
		scenario_release(&s2);
		cfg_release(&c2);
		free(text);
		free(k[i].path);
	}
	cfg_release(&c);
}

static void test_contract(void **state)
{
	const model_type *const *m;
	int n = 0;

	static const char *const est[] = { "indicator", "conditional" };
	int e;

	failures = 0;
	for (m = model_types; *m; m++, n++) {
		for (e = 0; e < 2; e++) {
			struct cfg c;
			struct scenario s;

			load(*m, est[e], &c, &s);
			check_layout(&s);
			check_contributions(&s);
			check_grouping(&s);
			check_trace(&s);
			check_threads(&s);
			check_starter(&s);
			scenario_release(&s);
			cfg_release(&c);
			printf("[          ] model %s, %s estimator: contract checked\n", (*m)->name,
			       est[e]);
		}
		check_cli(*m, *state);
		check_keys(*m);
	}
	assert_true(n >= 2);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contract, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

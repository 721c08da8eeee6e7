/* type.c - the commitment model's type: workspaces, trials, traces. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/commitment/internal.h"

/* ---------------------------------------------------------------- */
/* Trials */

static void commitment_work_free(void *vw);

static void *commitment_work_alloc(const void *vm, const gsl_rng_type *type,
				   const volatile sig_atomic_t *stop)
{
	const struct commitment *m = vm;
	struct work *w;
	size_t ns = (size_t)1 << m->ng;
	int i;

	if (cm_prepare(m, stop) < 0 || !(w = calloc(1, sizeof(*w))))
		return NULL;
	w->wrow = malloc(sizeof(double) * ns);
	w->buf = malloc(sizeof(double) * (ns / 2 + 1));
	w->r_params = gsl_rng_alloc(type);
	w->r_seen = gsl_rng_alloc(type);
	w->r_elect = gsl_rng_alloc(type);
	w->r_outcome = gsl_rng_alloc(type);
	for (i = 0; i < N_SLOTS; i++)
		w->t.v[i] = m->p[i].a;
	if ((m->tab->batch && !(w->L = cm_lanes_alloc(m->ng, type, !m->tab->wtab))) || !w->wrow || !w->buf ||
	    !w->r_params || !w->r_seen || !w->r_elect || !w->r_outcome) {
		commitment_work_free(w);
		return NULL;
	}
	return w;
}

static void commitment_work_free(void *vw)
{
	struct work *w = vw;

	if (!w)
		return;
	free(w->wrow);
	free(w->buf);
	gsl_rng_free(w->r_params);
	gsl_rng_free(w->r_seen);
	gsl_rng_free(w->r_elect);
	gsl_rng_free(w->r_outcome);
	cm_lanes_free(w->L);
	free(w);
}

static void commitment_trials(const void *vm, void *vw, uint64_t seed, uint64_t first,
			      uint64_t count, void *rec, const volatile sig_atomic_t *stop)
{
	const struct commitment *m = vm;
	struct work *w = vw;
	size_t size = m->layout->pub.record_size;
	uint64_t i;

	w->stop = stop;
	if (!w->L) {
		for (i = 0; i < count && !(stop && *stop); i++)
			cm_reference_trial(m, w, seed, first + i, (char *)rec + i * size, NULL);
		return;
	}
	for (i = 0; i < count && !(stop && *stop); i += LANES)
		cm_run_batch(m, w, seed, first + i, (int)(count - i < LANES ? count - i : LANES),
			     (char *)rec + i * size);
}

static void commitment_trace(const void *m, void *w, uint64_t seed, uint64_t i,
			     const struct model_trace_sink *sink, void *rec)
{
	cm_reference_trial(m, w, seed, i, rec, sink);
}

static const struct model_layout *commitment_layout(const void *vm)
{
	return cm_layout_get(vm);
}

/* Whether two records tell the same outcome. */
static int commitment_same(const void *vm, const void *va, const void *vb)
{
	const struct commitment *m = vm;
	const struct cm_record *a = va, *b = vb;
	const double *x = va, *y = vb;
	size_t i;

	if (m->estimator == MODEL_CONDITIONAL) {
		/* The kernels' Phi and exp differ by ~1e-10 (fastmath.h). */
		for (i = 0; i < m->layout->pub.ncounters; i++)
			if (fabs(x[i] - y[i]) > 1e-7 * (1 + fabs(x[i])))
				return 0;
		return 1;
	}
	return a->attacked == b->attacked && a->step == b->step &&
	       a->intervened == b->intervened && a->challenger_won == b->challenger_won;
}

/* The values trial I draws for the slots drawn per trial, from the same
 * stream and in the same order as the kernels. */
static void commitment_draws(const void *vm, void *vw, uint64_t seed, uint64_t i, double *out)
{
	const struct commitment *m = vm;
	struct work *w = vw;
	int g;

	rng_stream(w->r_params, seed, cm_stream_trial(m, i), STREAM_PARAMS);
	for (g = 0; g < m->n_random; g++)
		out[g] = dist_draw(&m->p[m->random[g]], w->r_params, cm_anti(m, i));
}

static const char *const sections[] = { "challenger", "target", "guarantors", NULL };

const model_type model_commitment_type = {
	.name = "commitment",
	.description = "guarantors' promises of varying strength and enforcement deter a "
		       "challenger (docs/model.md)",
	.sections = sections,
	.create = cm_create,
	.destroy = cm_destroy,
	.layout = commitment_layout,
	.work_alloc = commitment_work_alloc,
	.work_free = commitment_work_free,
	.template = cm_template,
	.trials = commitment_trials,
	.add = cm_add,
	.contribution = cm_contribution,
	.trace = commitment_trace,
	.story = &cm_story,
	.same = commitment_same,
	.draws = commitment_draws,
	.keys = cm_keys,
};

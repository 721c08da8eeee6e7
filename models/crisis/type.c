/* type.c - the crisis model's type: workspaces, trials, sums. */
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/tally.h"
#include "models/crisis/crisis.h"

static const char *const sections[] = { "challenger", "target", "guarantors", "schedule", NULL };

static void crisis_work_free(void *vw)
{
	struct cr_work *w = vw;

	if (!w)
		return;
	gsl_rng_free(w->r_params);
	gsl_rng_free(w->r_seen);
	gsl_rng_free(w->r_elect);
	gsl_rng_free(w->r_outcome);
	gsl_rng_free(w->r_crises);
	free(w);
}

static void *crisis_work_alloc(const void *vm, const gsl_rng_type *t,
			       const volatile sig_atomic_t *stop)
{
	struct cr_work *w = calloc(1, sizeof(*w));

	(void)vm;
	(void)stop;
	if (!w)
		return NULL;
	w->r_params = gsl_rng_alloc(t);
	w->r_seen = gsl_rng_alloc(t);
	w->r_elect = gsl_rng_alloc(t);
	w->r_outcome = gsl_rng_alloc(t);
	w->r_crises = gsl_rng_alloc(t);
	if (!w->r_params || !w->r_seen || !w->r_elect || !w->r_outcome || !w->r_crises) {
		crisis_work_free(w);
		return NULL;
	}
	return w;
}

static const struct model_layout *crisis_layout(const void *vm)
{
	return &((const struct crisis *)vm)->layout;
}

static void crisis_trials(const void *vm, void *w, uint64_t seed, uint64_t first,
			  uint64_t count, void *rec, const volatile sig_atomic_t *stop)
{
	const struct crisis *m = vm;
	uint64_t i;

	for (i = 0; i < count && !(stop && *stop); i++)
		cr_trial(m, w, seed, first + i,
			 (double *)((char *)rec + i * m->layout.record_size), NULL);
}

static void crisis_trace(const void *m, void *w, uint64_t seed, uint64_t i,
			 const struct model_trace_sink *sink, void *rec)
{
	cr_trial(m, w, seed, i, rec, sink);
}

static void crisis_add(const void *vm, const void *rec, struct tally *t)
{
	const struct crisis *m = vm;
	const double *x = rec;
	size_t i, n = m->layout.ncounters;

	for (i = 0; i < n; i++)
		if (x[i] != 0)
			tally_add(t, i, x[i]);
	t->steps += (uint64_t)x[n];
}

static double crisis_contribution(const void *vm, const void *rec, size_t i)
{
	(void)vm;
	return ((const double *)rec)[i];
}

/* The values trial I draws for the slots that are not fixed, as start()
 * draws them (a fixed slot consumes no number). */
static void crisis_draws(const void *vm, void *vw, uint64_t seed, uint64_t i, double *out)
{
	const struct crisis *m = vm;
	struct cr_work *w = vw;
	int s, anti = m->antithetic && (i & 1);

	rng_stream(w->r_params, seed, m->antithetic ? i & ~(uint64_t)1 : i, STREAM_PARAMS);
	for (s = 0; s < m->n_random; s++)
		out[s] = dist_draw(&m->p[m->random[s]], w->r_params, anti);
}

const model_type model_crisis_type = {
	.name = "crisis",
	.description = "crises at a rate, a random-utility decision at each, probes and "
		       "learning, locks, pressure and schedules (docs/models/crisis.md)",
	.sections = sections,
	.create = cr_create,
	.destroy = cr_destroy,
	.layout = crisis_layout,
	.work_alloc = crisis_work_alloc,
	.work_free = crisis_work_free,
	.template = cr_template,
	.trials = crisis_trials,
	.add = crisis_add,
	.contribution = crisis_contribution,
	.trace = crisis_trace,
	.story = NULL,
	.same = NULL,
	.draws = crisis_draws,
	.keys = cr_keys,
};

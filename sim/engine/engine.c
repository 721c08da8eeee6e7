/* engine.c - parallel trials with integer counters: byte-identical results
 * whatever the number of threads, memory independent of the trials. */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/stats.h"
#include "engine/cluster.h"
#include "engine/progress.h"
#include "engine/summary.h"
#include "models/model.h"

/* Trials per block: the grain of --precision batches and of MPI shares. */
#define BLOCK 1024

/* Trial-steps per unit of work handed to a thread, at most: the stop flag
 * is read between units, so even trials of 10^7 steps stop within about
 * a second of SIGINT. */
#define UNIT_STEPS (1u << 22)

/* Trials per unit of work for trials of N_STEPS steps (times M scenarios
 * run together): BLOCK, or fewer for long trials, in multiples of the
 * batch kernel's 64 lanes where possible. How trials are grouped never
 * changes their outcomes. */
static uint64_t work_unit(long n_steps, int m)
{
	uint64_t u = UNIT_STEPS / ((uint64_t)n_steps * (uint64_t)m);

	if (u >= BLOCK)
		return BLOCK;
	if (u >= 64)
		return u / 64 * 64;
	return u ? u : 1;
}

int tally_init(struct tally *t, const struct scenario *s)
{
	memset(t, 0, sizeof(*t));
	t->n_steps = s->n_steps;
	t->ng = s->model->n_guarantors(s->instance);
	t->at_step = calloc((size_t)s->n_steps, sizeof(*t->at_step));
	return t->at_step ? 0 : -1;
}

void tally_merge(struct tally *t, const struct tally *f)
{
	long k;
	int i, j;

	t->trials += f->trials;
	t->attacked += f->attacked;
	t->won += f->won;
	for (i = 0; i < N_SUPPORT; i++) {
		t->support[i] += f->support[i];
		for (j = 0; j < 2; j++)
			t->cell[i][j] += f->cell[i][j];
	}
	t->step_sum += f->step_sum;
	t->step_sq += f->step_sq;
	t->trial_steps += f->trial_steps;
	for (k = 0; k < t->n_steps; k++)
		t->at_step[k] += f->at_step[k];
	for (i = 0; i < t->ng; i++)
		t->intervened[i] += f->intervened[i];
}

void tally_release(struct tally *t)
{
	free(t->at_step);
	t->at_step = NULL;
}

static inline void count(struct tally *t, const struct outcome *o)
{
	int sup, g;

	t->trials++;
	if (!o->attacked) {
		t->trial_steps += (uint64_t)t->n_steps;
		return;
	}
	t->trial_steps += (uint64_t)o->step + 1;
	t->attacked++;
	t->at_step[o->step]++;
	t->step_sum += (uint64_t)o->step;
	t->step_sq += (unsigned __int128)((uint64_t)o->step * (uint64_t)o->step);
	if (t->ng > 0 && o->n_intervened == t->ng)
		sup = SUPPORT_HONORED;
	else if (o->n_intervened > 0)
		sup = SUPPORT_PARTIAL;
	else
		sup = SUPPORT_ABANDONED;
	t->support[sup]++;
	t->cell[sup][o->challenger_won != 0]++;
	t->won += o->challenger_won != 0;
	for (g = 0; g < t->ng; g++)
		t->intervened[g] += o->intervened >> g & 1;
}

int engine_run(const struct scenario *s, uint64_t first, uint64_t count,
	       int threads, struct tally *t, engine_progress_fn progress, void *ctx)
{
	return engine_run_stop(s, first, count, threads, t, progress, ctx, NULL);
}

int engine_run_stop(const struct scenario *s, uint64_t first, uint64_t count_,
		    int threads, struct tally *t, engine_progress_fn progress,
		    void *ctx, volatile sig_atomic_t *stop_flag)
{
	const model_type *mt = s->model;
	uint64_t unit = work_unit(s->n_steps, 1), nblocks = (count_ + unit - 1) / unit, done = 0;
	int failed = 0;
	double last = progress_now();

	if (threads <= 0)
		threads = omp_get_max_threads();
	if ((uint64_t)threads > nblocks)
		threads = nblocks ? (int)nblocks : 1;

#pragma omp parallel num_threads(threads) shared(failed, done, last)
	{
		struct tally local = { 0 };
		void *w = mt->work_alloc(s->instance, s->rng, stop_flag);
		int ok = w && tally_init(&local, s) == 0;
		uint64_t b;

		if (!ok) {
#pragma omp atomic write
			failed = 1;
		}
#pragma omp for schedule(dynamic, 1)
		for (b = 0; b < nblocks; b++) {
			uint64_t i, lo = first + b * unit, hi = lo + unit;
			struct outcome o[BLOCK];
			int stop;

#pragma omp atomic read
			stop = failed;
			if (stop || !ok || (stop_flag && *stop_flag))
				continue;
			if (hi > first + count_)
				hi = first + count_;
			mt->trials(s->instance, w, s->seed, lo, hi - lo, o, stop_flag);
			if (stop_flag && *stop_flag)
				continue;	/* O may be incomplete */
			for (i = 0; i < hi - lo; i++)
				count(&local, &o[i]);
#pragma omp atomic
			done += hi - lo;
			if (progress && omp_get_thread_num() == 0 && progress_now() - last > 0.2) {
				uint64_t d;

#pragma omp atomic read
				d = done;
				last = progress_now();
				progress(ctx, d, count_);
			}
		}
		if (ok) {
#pragma omp critical(tally_merge)
			tally_merge(t, &local);
		}
		if (w)
			mt->work_free(w);
		tally_release(&local);
	}
	if (stop_flag && *stop_flag)
		return 1;
	if (failed)
		return -1;
	if (progress)
		progress(ctx, count_, count_);
	return 0;
}

/* The next total number of trials: enough, by the current estimate, for
 * the half-width to reach EPS, at least a quarter more than N, in whole
 * blocks, at most MAX. */
static uint64_t next_total(uint64_t n, uint64_t deterred, double eps, uint64_t max)
{
	double p = (double)deterred / (double)n, v = p * (1 - p), need;
	uint64_t next;

	if (v < 1.0 / (double)n)
		v = 1.0 / (double)n;
	need = 1.05 * v * (SIM_Z95 / eps) * (SIM_Z95 / eps);
	next = need > (double)max ? max : (uint64_t)need;
	if (next < n + n / 4)
		next = n + n / 4;
	next = (next + BLOCK - 1) / BLOCK * BLOCK;
	return next > max ? max : next;
}

int engine_run_spread(const struct scenario *s, uint64_t first, uint64_t count,
		      int threads, struct tally *t, engine_progress_fn progress,
		      void *ctx, volatile sig_atomic_t *stop)
{
	int n = cluster_size(), r = cluster_rank(), ret;
	uint64_t nb = (count + BLOCK - 1) / BLOCK, lo, hi;
	struct tally local;

	if (n == 1)
		return engine_run_stop(s, first, count, threads, t, progress, ctx, stop);
	lo = first + nb * (uint64_t)r / (uint64_t)n * BLOCK;
	hi = first + nb * (uint64_t)(r + 1) / (uint64_t)n * BLOCK;
	if (hi > first + count)
		hi = first + count;
	if (tally_init(&local, s) < 0)
		return -1;
	ret = engine_run_stop(s, lo, hi > lo ? hi - lo : 0, threads, &local,
			      r == 0 ? progress : NULL, ctx, stop);
	/* Any process failing or stopped stops all. */
	ret = cluster_max_int(ret < 0 ? 2 : ret);
	if (ret == 0 && cluster_sum_tally(&local) == 0)
		tally_merge(t, &local);
	tally_release(&local);
	return ret == 2 ? -1 : ret;
}

static int run_batch(const struct scenario *s, const struct precision *p, uint64_t first,
		     uint64_t count, int threads, struct tally *t, engine_progress_fn progress,
		     void *ctx, volatile sig_atomic_t *stop)
{
	if (p && p->spread)
		return engine_run_spread(s, first, count, threads, t, progress, ctx, stop);
	return engine_run_stop(s, first, count, threads, t, progress, ctx, stop);
}

int engine_run_precise(const struct scenario *s, const struct precision *p,
		       int threads, struct tally *t, engine_progress_fn progress,
		       void *ctx, volatile sig_atomic_t *stop)
{
	uint64_t n = 0, goal;
	double lo, hi;
	int r;

	if (!p || p->eps <= 0)
		return run_batch(s, p, 0, s->trials, threads, t, progress, ctx, stop);
	goal = p->max_trials < 10 * BLOCK ? p->max_trials : 10 * BLOCK;
	for (;;) {
		r = run_batch(s, p, n, goal - n, threads, t, progress, ctx, stop);
		if (r)
			return r;
		n = goal;
		summary_wilson(t->trials - t->attacked, t->trials, &lo, &hi);
		if ((hi - lo) / 2 <= p->eps || n >= p->max_trials)
			return 0;
		goal = next_total(n, t->trials - t->attacked, p->eps, p->max_trials);
	}
}

int engine_run_paired(const struct scenario *const *s, int m, uint64_t ntrials,
		      int threads, struct tally *t, struct pairing *p,
		      volatile sig_atomic_t *stop_flag)
{
	uint64_t unit, nblocks;
	long n_steps = 1;
	int failed = 0, q;

	for (q = 0; q < m; q++)
		n_steps = s[q]->n_steps > n_steps ? s[q]->n_steps : n_steps;
	unit = work_unit(n_steps, m);
	nblocks = (ntrials + unit - 1) / unit;

	if (threads <= 0)
		threads = omp_get_max_threads();
	if ((uint64_t)threads > nblocks)
		threads = nblocks ? (int)nblocks : 1;

#pragma omp parallel num_threads(threads) shared(failed)
	{
		struct tally *local = calloc((size_t)m, sizeof(*local));
		struct pairing *lp = calloc((size_t)m, sizeof(*lp));
		void **w = calloc((size_t)m, sizeof(*w));
		struct outcome (*o)[BLOCK] = malloc(sizeof(*o) * (size_t)m);
		int ok = local && lp && w && o, k;
		uint64_t b;

		for (k = 0; ok && k < m; k++)
			ok = (w[k] = s[k]->model->work_alloc(s[k]->instance, s[k]->rng, stop_flag)) &&
			     tally_init(&local[k], s[k]) == 0;
		if (!ok) {
#pragma omp atomic write
			failed = 1;
		}
#pragma omp for schedule(dynamic, 1)
		for (b = 0; b < nblocks; b++) {
			uint64_t i, lo = b * unit, hi = lo + unit > ntrials ? ntrials : lo + unit;
			int stop;

#pragma omp atomic read
			stop = failed;
			if (stop || !ok || (stop_flag && *stop_flag))
				continue;
			for (k = 0; k < m; k++)
				s[k]->model->trials(s[k]->instance, w[k], s[k]->seed, lo, hi - lo, o[k],
						    stop_flag);
			if (stop_flag && *stop_flag)
				continue;	/* O may be incomplete */
			for (k = 0; k < m; k++) {
				for (i = 0; i < hi - lo; i++)
					count(&local[k], &o[k][i]);
			}
			for (k = 1; k < m; k++)
				for (i = 0; i < hi - lo; i++) {
					int d0 = !o[0][i].attacked, dk = !o[k][i].attacked;
					int w0 = o[0][i].challenger_won != 0 && o[0][i].attacked;
					int wk = o[k][i].challenger_won != 0 && o[k][i].attacked;

					lp[k].b[PAIR_DETERRED] += dk && !d0;
					lp[k].c[PAIR_DETERRED] += d0 && !dk;
					lp[k].b[PAIR_WON] += wk && !w0;
					lp[k].c[PAIR_WON] += w0 && !wk;
				}
		}
		if (ok) {
#pragma omp critical(tally_merge)
			for (k = 0; k < m; k++) {
				int j;

				tally_merge(&t[k], &local[k]);
				for (j = 0; j < N_PAIRED; j++) {
					p[k].b[j] += lp[k].b[j];
					p[k].c[j] += lp[k].c[j];
				}
			}
		}
		for (k = 0; w && k < m; k++) {
			if (w[k])
				s[k]->model->work_free(w[k]);
			if (local)
				tally_release(&local[k]);
		}
		free(local);
		free(lp);
		free(w);
		free(o);
	}
	if (stop_flag && *stop_flag)
		return 1;
	return failed ? -1 : 0;
}

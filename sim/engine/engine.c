/* engine.c - parallel trials summed in fixed point: byte-identical results
 * whatever the number of threads or processes, memory independent of the
 * trials. */
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

int engine_tally(struct tally *t, const struct scenario *s)
{
	return tally_init(t, s->counters, s->frac);
}

/* The index of the figure of L keyed KEY that L flags MODEL_FIG_PAIR, or
 * -1. */
static long paired_figure(const struct model_layout *L, const char *key)
{
	size_t i;

	for (i = 0; i < L->nfigures; i++)
		if ((L->figures[i].flags & MODEL_FIG_PAIR) && !strcmp(L->figures[i].key, key))
			return (long)i;
	return -1;
}

int pairing_init(struct pairing *p, const struct scenario *s, const struct scenario *s0)
{
	const struct model_layout *L = s->layout;
	size_t i, n = L->nfigures;

	memset(p, 0, sizeof(*p));
	p->fig = calloc(n ? n : 1, sizeof(*p->fig));
	p->fig0 = calloc(n ? n : 1, sizeof(*p->fig0));
	p->frac = calloc(3 * n + 1, 1);
	if (!p->fig || !p->fig0 || !p->frac || tally_init(&p->t, 3 * n, p->frac) < 0) {
		pairing_release(p);
		return -1;
	}
	for (i = 0; i < L->nfigures; i++) {
		long j = paired_figure(s0->layout, L->figures[i].key);

		if ((L->figures[i].flags & MODEL_FIG_PAIR) && j >= 0) {
			const struct model_counter *c = &L->counters[L->figures[i].num];
			const struct model_counter *c0 = &s0->layout->counters[s0->layout->figures[j].num];
			double m = c->max > c0->max ? c->max : c0->max;
			int real = c->frac || c0->frac;

			if (m < 1)
				m = 1;
			/* A unit's difference is at most 2 max each way. */
			p->frac[3 * p->n] = p->frac[3 * p->n + 2] = real ? tally_frac(2 * m) : 0;
			p->frac[3 * p->n + 1] = real ? tally_frac(4 * m * m) : 0;
			p->fig0[p->n] = (size_t)j;
			p->fig[p->n++] = i;
		}
	}
	return 0;
}

void pairing_release(struct pairing *p)
{
	tally_release(&p->t);
	free(p->fig);
	free(p->fig0);
	free(p->frac);
	memset(p, 0, sizeof(*p));
}

/* A unit's sum of one counter: in fixed point as a 64-bit integer when it
 * fits with room to spare (BIG 0), else as a long double. */
struct usum {
	int64_t i;
	long double x;
	int big;
};

/* What one thread holds while it runs units of work. */
struct worker {
	int m;
	void **w;		/* [m] model workspaces */
	unsigned char *rec;	/* the records of a unit, scenario after scenario */
	size_t *rsize, *roff;	/* [m] record sizes, and where each scenario's start */
	struct tally *t;	/* [m] */
	struct pairing *p;	/* [m] or NULL */
	struct usum *us;	/* a unit's sum of each counter (add_units()) */
};

static void worker_free(const struct engine_run *r, struct worker *k)
{
	int i;

	for (i = 0; i < k->m; i++) {
		if (k->w && k->w[i])
			r->s[i]->model->work_free(k->w[i]);
		if (k->t)
			tally_release(&k->t[i]);
		if (k->p)
			pairing_release(&k->p[i]);
	}
	free(k->w);
	free(k->us);
	free(k->rec);
	free(k->rsize);
	free(k->roff);
	free(k->t);
	free(k->p);
}

static int worker_init(const struct engine_run *r, struct worker *k, uint64_t unit, int paired)
{
	size_t bytes = 0, nc = 1;
	int i, ok;

	memset(k, 0, sizeof(*k));
	k->m = r->m;
	k->w = calloc((size_t)r->m, sizeof(*k->w));
	k->rsize = calloc((size_t)r->m, sizeof(*k->rsize));
	k->roff = calloc((size_t)r->m, sizeof(*k->roff));
	k->t = calloc((size_t)r->m, sizeof(*k->t));
	k->p = paired ? calloc((size_t)r->m, sizeof(*k->p)) : NULL;
	ok = k->w && k->rsize && k->roff && k->t && (!paired || k->p);
	for (i = 0; ok && i < r->m; i++) {
		const struct scenario *s = r->s[i];

		k->rsize[i] = s->layout->record_size;
		nc = s->layout->ncounters > nc ? s->layout->ncounters : nc;
		k->roff[i] = bytes;
		bytes += k->rsize[i] * unit;
		ok = engine_tally(&k->t[i], s) == 0 && (!paired || pairing_init(&k->p[i], s, r->s[0]) == 0) &&
		     (k->w[i] = s->model->work_alloc(s->instance, s->rng, r->stop)) != NULL;
	}
	if (ok)
		ok = (k->rec = malloc(bytes ? bytes : 1)) != NULL &&
		     (k->us = malloc(nc * sizeof(*k->us))) != NULL;
	return ok ? 0 : -1;
}

/* The record of the I-th trial of a unit of scenario J in K's buffer. */
static void *record(const struct worker *k, int j, uint64_t i)
{
	return k->rec + k->roff[j] + k->rsize[j] * i;
}

/* The size of the independent unit that starts at trial I (of the N of a
 * unit of work starting at trial LO) of scenario S: 2 for an antithetic
 * pair, else 1. */
static uint64_t unit_size(const struct scenario *s, uint64_t lo, uint64_t i, uint64_t n)
{
	return s->antithetic && (lo + i) % 2 == 0 && i + 1 < n ? 2 : 1;
}

/* The contribution of trial I of scenario Q in K to counter C, as the
 * model gives it. */
static double raw_contribution(const struct engine_run *r, const struct worker *k, int q,
			       uint64_t i, size_t c)
{
	const struct scenario *s = r->s[q];
	const void *rec = record(k, q, i);

	return s->layout->record_values ? ((const double *)rec)[c]
					: s->model->contribution(s->instance, rec, c);
}

/* The same, as the tally adds it (rounded to the counter's fixed point). */
static long double contribution(const struct engine_run *r, const struct worker *k, int q,
				uint64_t i, size_t c)
{
	return tally_rounded(raw_contribution(r, k, q, i, c), r->s[q]->frac[c]);
}

/* The sum of the contributions of the Z trials from I of scenario Q in K
 * to counter C: exactly (in long double) what the tally adds for them, so
 * that the moments below are moments of the values the figures sum, not
 * of values a rounding away (which would leave a spread of the order of
 * that rounding where there is none). */
static long double unit_sum(const struct engine_run *r, const struct worker *k, int q,
			    uint64_t i, uint64_t z, size_t c)
{
	long double x = contribution(r, k, q, i, c);

	return z == 2 ? x + contribution(r, k, q, i + 1, c) : x;
}

/* The unit sum of the Z trials from I of scenario Q in K of counter C. */
static void unit_usum(const struct engine_run *r, const struct worker *k, int q, uint64_t i,
		      uint64_t z, size_t c, struct usum *u)
{
	const struct scenario *s = r->s[q];
	const unsigned char f = s->frac[c];
	tally_sum v = 0;
	uint64_t j;

	for (j = 0; j < z; j++)
		v += tally_fixed(raw_contribution(r, k, q, i + j, c), f);
	u->big = !(v > -((tally_sum)1 << 62) && v < ((tally_sum)1 << 62));
	u->i = u->big ? 0 : (int64_t)v;
	u->x = u->big ? (long double)v * tally_pow2(-f) : 0;
}

/* The value of unit sum U of a counter of F fraction bits. */
static long double usum_value(const struct usum *u, int f)
{
	return u->big ? u->x : (long double)u->i * tally_pow2(-f);
}

/* Adds the product of unit sums A (of FA fraction bits) and B (FB) to
 * counter M of T: exactly, rounded half away from zero, when both are
 * 64-bit integers and the scales allow; else in long double
 * (tally_add_ld()). Which way depends on the values alone, so the same
 * bits come out for any split of the trials. */
static void add_product(struct tally *t, size_t m, const struct usum *a, int fa,
			const struct usum *b, int fb)
{
	int sh = fa + fb - t->frac[m];

	if (!a->big && !b->big && sh > 0 && sh < 126) {
		__int128 p = (__int128)a->i * b->i;
		unsigned __int128 q = p < 0 ? -(unsigned __int128)p : (unsigned __int128)p;

		q = (q + ((unsigned __int128)1 << (sh - 1))) >> sh;
		t->sum[m] += p < 0 ? -(tally_sum)q : (tally_sum)q;
		return;
	}
	tally_add_ld(t, m, usum_value(a, fa) * usum_value(b, fb));
}

/* Adds unit sum A (of FA fraction bits) to counter M of T. */
static void add_usum(struct tally *t, size_t m, const struct usum *a, int fa)
{
	if (!a->big && fa == t->frac[m]) {
		t->sum[m] += a->i;
		return;
	}
	tally_add_ld(t, m, usum_value(a, fa));
}

/* Adds A^2 to counter M of T, and A to counter M + 1 when the unit is a
 * single trial among antithetic pairs (SINGLE): a share's moments
 * (summary_moment()). */
static void add_share(struct tally *t, size_t m, const struct usum *a, int fa, int single)
{
	add_product(t, m, a, fa, a, fa);
	if (single)
		add_usum(t, m + 1, a, fa);
}

/* Adds to T the moments of the survival curve of L (over N_STEPS steps)
 * for a unit whose sums of each counter are US: at each step those of the
 * running sum of the curve's counters. */
static void add_curve(struct tally *t, const struct model_layout *L, long n_steps,
		      const struct usum *us, int single)
{
	const int f = t->frac[L->curve];
	struct usum a = { 0, 0, 0 };
	long st;

	for (st = 0; st < n_steps; st++) {
		const struct usum *x = &us[L->curve + (size_t)st];

		if (!a.big && !x->big && a.i + x->i > -(INT64_C(1) << 62) &&
		    a.i + x->i < INT64_C(1) << 62) {
			a.i += x->i;
		} else {
			a.x = usum_value(&a, f) + usum_value(x, f);
			a.big = 1;
		}
		add_share(t, summary_curve_moment(L, st, 0), &a, f, single);
	}
}

/* Adds to K's tally of scenario Q the units among trials LO .. LO + N - 1
 * and, for an estimator of real contributions, the moments of each unit
 * that the intervals need (summary_moment(), the outcomes' and the
 * curve's). */
static void add_units(const struct engine_run *r, struct worker *k, int q, uint64_t lo,
		      uint64_t n)
{
	const struct scenario *s = r->s[q];
	const struct model_layout *L = s->layout;
	const unsigned char *fr = s->frac;
	struct tally *t = &k->t[q];
	struct usum *us = k->us;
	size_t c, f, nf = summary_count(L);
	uint64_t i, z;

	if (s->estimator != MODEL_CONDITIONAL) {
		t->units += n;
		return;
	}
	for (i = 0; i < n; i += z) {
		int single;

		z = unit_size(s, lo, i, n);
		single = s->antithetic && z == 1;
		t->units++;
		for (c = 0; c < L->ncounters; c++)
			unit_usum(r, k, q, i, z, c, &us[c]);
		for (f = 0; f < nf; f++) {
			const struct model_figure *d = summary_decl(L, f);
			size_t a = summary_num(L, f), b = d->den;

			if (d->kind == MODEL_SHARE) {
				add_share(t, summary_moment(L, f, 0), &us[a], fr[a], single);
				continue;
			}
			add_product(t, summary_moment(L, f, 0), &us[a], fr[a], &us[a], fr[a]);
			add_product(t, summary_moment(L, f, 1), &us[b], fr[b], &us[b], fr[b]);
			add_product(t, summary_moment(L, f, 2), &us[a], fr[a], &us[b], fr[b]);
		}
		for (c = 0; c < L->noutcomes; c++) {
			size_t a = L->outcomes[c].counter;

			add_share(t, summary_outcome_moment(L, c, 0), &us[a], fr[a], single);
		}
		add_curve(t, L, s->n_steps, us, single);
	}
}

/* Adds to K's pairings the differences from scenario 0's of the units of
 * trials LO .. LO + N - 1. */
static void pair_up(const struct engine_run *r, struct worker *k, uint64_t lo, uint64_t n)
{
	uint64_t i, z;
	size_t j;
	int q;

	for (q = 1; q < r->m; q++) {
		struct pairing *p = &k->p[q];

		for (i = 0; i < n; i += z) {
			z = unit_size(r->s[0], lo, i, n);
			for (j = 0; j < p->n; j++) {
				size_t c = r->s[q]->layout->figures[p->fig[j]].num;
				size_t c0 = r->s[0]->layout->figures[p->fig0[j]].num;
				long double d = unit_sum(r, k, q, i, z, c) -
						unit_sum(r, k, 0, i, z, c0);

				tally_add_ld(&p->t, 3 * j, d);
				tally_add_ld(&p->t, 3 * j + 1, d * d);
				if (r->s[0]->antithetic && z == 1)
					tally_add_ld(&p->t, 3 * j + 2, d);
			}
		}
	}
}

/* Runs trials LO .. HI - 1 of every scenario into K. Returns 0, or 1 when
 * stopped meanwhile (nothing is counted). */
static int run_unit(const struct engine_run *r, struct worker *k, uint64_t lo, uint64_t hi)
{
	uint64_t i;
	int q;

	for (q = 0; q < r->m; q++) {
		const struct scenario *s = r->s[q];

		s->model->trials(s->instance, k->w[q], s->seed, lo, hi - lo, record(k, q, 0),
				 r->stop);
	}
	if (r->stop && *r->stop)
		return 1;	/* the records may be incomplete */
	for (q = 0; q < r->m; q++) {
		for (i = 0; i < hi - lo; i++)
			r->s[q]->model->add(r->s[q]->instance, record(k, q, i), &k->t[q]);
		k->t[q].trials += hi - lo;
		add_units(r, k, q, lo, hi - lo);
	}
	if (k->p && r->m > 1)
		pair_up(r, k, lo, hi - lo);
	return 0;
}

/* Runs trials FIRST .. FIRST + COUNT - 1 of R on its threads, adding to T
 * and P. Returns as engine_run(). */
static int run_threads(const struct engine_run *r, uint64_t first, uint64_t count,
		       struct tally *t, struct pairing *p)
{
	long n_steps = 1;
	uint64_t unit, nunits, done = 0;
	int failed = 0, threads = r->threads, q;
	double last = progress_now();

	for (q = 0; q < r->m; q++)
		n_steps = r->s[q]->n_steps > n_steps ? r->s[q]->n_steps : n_steps;
	unit = work_unit(n_steps, r->m);
	/* Antithetic pairs stay in one unit of work. */
	if (unit % 2)
		unit++;
	nunits = (count + unit - 1) / unit;
	if (threads <= 0)
		threads = omp_get_max_threads();
	if ((uint64_t)threads > nunits)
		threads = nunits ? (int)nunits : 1;

#pragma omp parallel num_threads(threads) shared(failed, done, last)
	{
		struct worker k;
		int ok = worker_init(r, &k, unit, p != NULL && r->m > 1) == 0, i;
		uint64_t b;

		if (!ok) {
#pragma omp atomic write
			failed = 1;
		}
#pragma omp for schedule(dynamic, 1)
		for (b = 0; b < nunits; b++) {
			uint64_t lo = first + b * unit, hi = lo + unit > first + count ? first + count
											: lo + unit;
			int stop;

#pragma omp atomic read
			stop = failed;
			if (stop || !ok || (r->stop && *r->stop) || run_unit(r, &k, lo, hi))
				continue;
#pragma omp atomic
			done += hi - lo;
			if (r->progress && omp_get_thread_num() == 0 && progress_now() - last > 0.2) {
				uint64_t d;

#pragma omp atomic read
				d = done;
				last = progress_now();
				r->progress(r->ctx, d, count);
			}
		}
		/* Stopped: the sums are thrown away, so no time goes into them. */
		if (ok && !(r->stop && *r->stop)) {
#pragma omp critical(tally_merge)
			for (i = 0; i < r->m; i++) {
				tally_merge(&t[i], &k.t[i]);
				if (p && r->m > 1)
					tally_merge(&p[i].t, &k.p[i].t);
			}
		}
		worker_free(r, &k);
	}
	if (r->stop && *r->stop)
		return 1;
	if (failed)
		return -1;
	if (r->progress)
		r->progress(r->ctx, count, count);
	return 0;
}

/* As run_threads(), with the trials split among the processes of an MPI
 * job (each its share of whole blocks); every process gets the sums of
 * all. */
static int run_spread(const struct engine_run *r, uint64_t first, uint64_t count,
		      struct tally *t)
{
	int n = cluster_size(), k = cluster_rank(), ret;
	uint64_t nb = (count + BLOCK - 1) / BLOCK, lo, hi;
	struct engine_run mine = *r;
	struct tally local;

	if (n == 1 || !r->spread || r->m != 1)
		return run_threads(r, first, count, t, NULL);
	lo = first + nb * (uint64_t)k / (uint64_t)n * BLOCK;
	hi = first + nb * (uint64_t)(k + 1) / (uint64_t)n * BLOCK;
	if (hi > first + count)
		hi = first + count;
	if (engine_tally(&local, r->s[0]) < 0)
		return -1;
	if (k != 0)
		mine.progress = NULL;
	ret = run_threads(&mine, lo, hi > lo ? hi - lo : 0, &local, NULL);
	/* Any process failing or stopped stops all. */
	ret = cluster_max_int(ret < 0 ? 2 : ret);
	if (ret == 0 && cluster_sum_tally(&local) == 0)
		tally_merge(t, &local);
	tally_release(&local);
	return ret == 2 ? -1 : ret;
}

/* The next total number of trials: enough, by the current estimate F of
 * N trials, for the half-width to reach EPS, at least a quarter more than
 * N, in whole blocks, at most MAX. A proportion of whole counts (WHOLE)
 * needs p (1 - p) (z / eps)^2 trials; any other figure as many as shrink
 * its half-width h to EPS, n (h / eps)^2 (the variance falls as 1 / n). */
static uint64_t next_total(uint64_t n, const struct figure *f, int whole, double eps,
			   uint64_t max)
{
	double v = f->value * (1 - f->value), h = (f->hi - f->lo) / 2, need;
	uint64_t next;

	if (v < 1.0 / (double)n)
		v = 1.0 / (double)n;
	if (whole)
		need = 1.05 * v * (SIM_Z95 / eps) * (SIM_Z95 / eps);
	else
		need = 1.05 * (double)n * (h / eps) * (h / eps);
	next = need > (double)max ? max : (uint64_t)need;
	if (next < n + n / 4)
		next = n + n / 4;
	next = (next + BLOCK - 1) / BLOCK * BLOCK;
	return next > max ? max : next;
}

int engine_precision_figure(const struct precision *p, const struct model_layout *L)
{
	int i;

	if (p->fig)
		return summary_find(L, p->fig);
	i = summary_find(L, "p_deterred");
	return i < 0 ? 0 : i;
}

int engine_run(const struct engine_run *r, struct tally *t, struct pairing *p)
{
	const struct scenario *s = r->s[0];
	const struct model_layout *L = s->layout;
	struct figure f;
	uint64_t n = 0, goal;
	int ret, whole, fig = engine_precision_figure(&r->prec, L);

	if (r->prec.eps <= 0)
		return r->m == 1 ? run_spread(r, r->first, r->count, t)
				 : run_threads(r, r->first, r->count, t, p);
	if (fig < 0)
		return -1;
	whole = L->figures[fig].kind == MODEL_SHARE && L->counters[L->figures[fig].num].frac == 0;
	/* The first round: ten blocks for whole counts, whose rare events a
	 * smaller one could miss; one for real contributions, whose spread a
	 * block of 512 units already measures to a few percent. */
	goal = (whole ? 10 : 1) * BLOCK;
	goal = r->prec.max_trials < goal ? r->prec.max_trials : goal;
	for (;;) {
		ret = run_spread(r, n, goal - n, t);
		if (ret)
			return ret;
		n = goal;
		summary_figure(s->layout, (size_t)fig, t, s->dt, &f);
		if ((f.hi - f.lo) / 2 <= r->prec.eps || n >= r->prec.max_trials)
			return 0;
		goal = next_total(n, &f, whole, r->prec.eps, r->prec.max_trials);
	}
}

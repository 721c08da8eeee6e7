/* morris.c - Morris elementary-effects screening: candidate trajectories,
 * the choice of the most spread-out ones, the effects and their
 * statistics (see morris.h). */
#include "study/morris.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* At most this many exchange passes in morris_select(). */
#define EXCHANGE_PASSES 10

double morris_delta(unsigned p)
{
	return (double)p / (2.0 * (p - 1));
}

/* The direction of the step of trajectory (ORDER, DIR) that moves
 * factor F. */
static int step_dir(const size_t *order, const signed char *dir, size_t k, size_t f)
{
	size_t j;

	for (j = 0; j < k && order[j] != f; j++)
		;
	return j < k ? dir[j] : 1;
}

/* One trajectory from RNG into X[k+1][n], ORDER[k], DIR[k]. */
static void candidate(const gsl_rng *rng, size_t n, size_t k, const size_t *group,
		      unsigned p, double *x, size_t *order, signed char *dir)
{
	double den = 2.0 * (p - 1);
	size_t i, j, f, t;

	for (f = 0; f < k; f++)
		order[f] = f;
	/* Fisher-Yates: a uniform order of the factors. */
	for (f = k; f > 1; f--) {
		j = (size_t)gsl_rng_uniform_int(rng, f);
		t = order[f - 1];
		order[f - 1] = order[j];
		order[j] = t;
	}
	for (j = 0; j < k; j++)
		dir[j] = gsl_rng_uniform_int(rng, 2) ? 1 : -1;
	/* Point 0: each input at its base level x*, or at x* + Delta when its
	 * factor steps down; x* + Delta = (2 l + P) / (2 (P - 1)) <= 1. */
	for (i = 0; i < n; i++) {
		unsigned long l = gsl_rng_uniform_int(rng, p / 2);

		f = group ? group[i] : i;
		x[i] = (2.0 * l + (step_dir(order, dir, k, f) < 0 ? p : 0)) / den;
	}
	/* Each step moves the inputs of one factor to their other value. */
	for (j = 0; j < k; j++) {
		const double *prev = x + j * n;
		double *cur = x + (j + 1) * n;

		memcpy(cur, prev, sizeof(double) * n);
		for (i = 0; i < n; i++) {
			f = group ? group[i] : i;
			if (f != order[j])
				continue;
			/* Recover l from x* (or x* + Delta) exactly: both are
			 * integers over den, rounded once. */
			cur[i] = dir[j] > 0 ? (nearbyint(prev[i] * den) + p) / den
					    : (nearbyint(prev[i] * den) - p) / den;
		}
	}
}

void morris_candidates(const gsl_rng *rng, size_t n, size_t k, const size_t *group,
		       unsigned p, size_t m, double *x, size_t *order, signed char *dir)
{
	size_t t;

	for (t = 0; t < m; t++)
		candidate(rng, n, k, group, p, x + t * (k + 1) * n, order + t * k, dir + t * k);
}

double morris_distance(const double *a, const double *b, size_t n, size_t k)
{
	double sum = 0;
	size_t i, j, c;

	for (i = 0; i <= k; i++)
		for (j = 0; j <= k; j++) {
			double s = 0;

			for (c = 0; c < n; c++) {
				double d = a[i * n + c] - b[j * n + c];

				s += d * d;
			}
			sum += sqrt(s);
		}
	return sum;
}

/* The squared distance between trajectories I and J of X, 0 when I = J. */
static double dist2(const double *x, size_t i, size_t j, size_t n, size_t k)
{
	size_t len = (k + 1) * n;
	double d;

	if (i == j)
		return 0;
	d = morris_distance(x + i * len, x + j * len, n, k);
	return d * d;
}

double morris_spread(const double *x, const size_t *idx, size_t r, size_t n, size_t k)
{
	double sum = 0;
	size_t a, b;

	for (a = 0; a < r; a++)
		for (b = a + 1; b < r; b++)
			sum += dist2(x, idx[a], idx[b], n, k);
	return sum;
}

/* Ruano et al.'s removal: from the M of X down to R alive ones, each time
 * the one with the smallest sum C of squared distances to the others
 * alive (its removal leaves the largest sum). */
static void remove_greedy(const double *x, size_t m, size_t n, size_t k, size_t r,
			  double *c, char *alive)
{
	size_t i, j, left = m;

	for (i = 0; i < m; i++) {
		alive[i] = 1;
		c[i] = 0;
	}
	for (i = 0; i < m; i++)
		for (j = i + 1; j < m; j++) {
			double d = dist2(x, i, j, n, k);

			c[i] += d;
			c[j] += d;
		}
	while (left > r) {
		size_t worst = m;

		for (i = 0; i < m; i++)
			if (alive[i] && (worst == m || c[i] < c[worst]))
				worst = i;
		alive[worst] = 0;
		left--;
		for (i = 0; i < m; i++)
			if (alive[i])
				c[i] -= dist2(x, i, worst, n, k);
	}
}

/* Swaps chosen trajectories for unchosen ones while a swap raises the
 * sum: E[u] is the sum of u's squared distances to the chosen ones. */
static void exchange(const double *x, size_t m, size_t n, size_t k, size_t r, size_t *chosen,
		     double *e, char *alive)
{
	size_t pass, a, u, v, t;
	int moved = 1;

	for (u = 0; u < m; u++) {
		e[u] = 0;
		for (a = 0; a < r; a++)
			e[u] += dist2(x, u, chosen[a], n, k);
	}
	for (pass = 0; moved && pass < EXCHANGE_PASSES; pass++) {
		moved = 0;
		for (a = 0; a < r; a++) {
			size_t s = chosen[a], best = m;
			/* A gain must beat the rounding of E's updates. */
			double gain = 1e-9 * e[s], g;

			for (u = 0; u < m; u++) {
				if (alive[u])
					continue;
				g = e[u] - dist2(x, u, s, n, k) - e[s];
				if (g > gain) {
					gain = g;
					best = u;
				}
			}
			if (best == m)
				continue;
			for (v = 0; v < m; v++)
				e[v] += dist2(x, v, best, n, k) - dist2(x, v, s, n, k);
			alive[s] = 0;
			alive[best] = 1;
			chosen[a] = best;
			moved = 1;
		}
	}
	for (a = t = 0; a < m; a++)
		if (alive[a])
			chosen[t++] = a;
}

int morris_select(const double *x, size_t m, size_t n, size_t k, size_t r, size_t *chosen)
{
	double *c = malloc(sizeof(double) * (m ? m : 1));
	char *alive = malloc(m ? m : 1);
	size_t i, t = 0;

	if (!c || !alive) {
		free(c);
		free(alive);
		return -1;
	}
	remove_greedy(x, m, n, k, r, c, alive);
	for (i = 0; i < m; i++)
		if (alive[i])
			chosen[t++] = i;
	exchange(x, m, n, k, r, chosen, c, alive);
	free(c);
	free(alive);
	return 0;
}

void morris_design_release(struct morris_design *d)
{
	free(d->x);
	free(d->order);
	free(d->dir);
	d->x = NULL;
	d->order = NULL;
	d->dir = NULL;
}

int morris_design_make(struct morris_design *d, const gsl_rng *rng, size_t n, size_t k,
		       const size_t *group, unsigned p, size_t r, size_t m)
{
	size_t len = (k + 1) * n, t, *chosen = malloc(sizeof(size_t) * r), *first;
	double *cx = malloc(sizeof(double) * m * len);
	size_t *co = malloc(sizeof(size_t) * m * k);
	signed char *cd = malloc(m * k);
	int ret = -1;

	memset(d, 0, sizeof(*d));
	d->x = malloc(sizeof(double) * r * len);
	d->order = malloc(sizeof(size_t) * r * k);
	d->dir = malloc(r * k);
	first = malloc(sizeof(size_t) * r);
	if (!chosen || !cx || !co || !cd || !d->x || !d->order || !d->dir || !first)
		goto out;
	morris_candidates(rng, n, k, group, p, m, cx, co, cd);
	if (morris_select(cx, m, n, k, r, chosen) < 0)
		goto out;
	for (t = 0; t < r; t++) {
		memcpy(d->x + t * len, cx + chosen[t] * len, sizeof(double) * len);
		memcpy(d->order + t * k, co + chosen[t] * k, sizeof(size_t) * k);
		memcpy(d->dir + t * k, cd + chosen[t] * k, k);
		first[t] = t;
	}
	d->n = n;
	d->k = k;
	d->r = r;
	d->p = p;
	d->delta = morris_delta(p);
	d->spread = morris_spread(cx, chosen, r, n, k);
	d->spread_first = morris_spread(cx, first, r, n, k);
	ret = 0;
out:
	if (ret < 0)
		morris_design_release(d);
	free(chosen);
	free(first);
	free(cx);
	free(co);
	free(cd);
	return ret;
}

void morris_effects(const struct morris_design *d, const double *y, size_t stride, double *ee)
{
	size_t t, j, k = d->k;

	for (t = 0; t < d->r; t++)
		for (j = 0; j < k; j++) {
			double y0 = y[(t * (k + 1) + j) * stride];
			double y1 = y[(t * (k + 1) + j + 1) * stride];

			ee[t * k + d->order[t * k + j]] = d->dir[t * k + j] * (y1 - y0) / d->delta;
		}
}

/* The mean of |EE| of factor F over the trajectories IDX[r] (NULL: all). */
static double mean_abs(const double *ee, const size_t *idx, size_t r, size_t k, size_t f)
{
	double s = 0;
	size_t t;

	for (t = 0; t < r; t++)
		s += fabs(ee[(idx ? idx[t] : t) * k + f]);
	return s / r;
}

int morris_stats(const double *ee, size_t r, size_t k, size_t b, const gsl_rng *rng,
		 struct morris_stat *out)
{
	double *boot = malloc(sizeof(double) * (b * k + 1));
	size_t *idx = malloc(sizeof(size_t) * r), f, q, t;

	if (!boot || !idx) {
		free(boot);
		free(idx);
		return -1;
	}
	for (f = 0; f < k; f++) {
		double s = 0, ss = 0;

		for (t = 0; t < r; t++)
			s += ee[t * k + f];
		out[f].mu = s / r;
		for (t = 0; t < r; t++)
			ss += (ee[t * k + f] - out[f].mu) * (ee[t * k + f] - out[f].mu);
		out[f].sigma = r > 1 ? sqrt(ss / (r - 1)) : NAN;
		out[f].mustar = mean_abs(ee, NULL, r, k, f);
		out[f].lo = out[f].hi = NAN;
	}
	/* Resample q draws R trajectories with replacement, for every factor. */
	for (q = 0; q < b; q++) {
		for (t = 0; t < r; t++)
			idx[t] = (size_t)gsl_rng_uniform_int(rng, r);
		for (f = 0; f < k; f++)
			boot[f * b + q] = mean_abs(ee, idx, r, k, f);
	}
	for (f = 0; b > 0 && f < k; f++) {
		gsl_sort(boot + f * b, 1, b);
		out[f].lo = gsl_stats_quantile_from_sorted_data(boot + f * b, 1, b, 0.025);
		out[f].hi = gsl_stats_quantile_from_sorted_data(boot + f * b, 1, b, 0.975);
	}
	free(boot);
	free(idx);
	return 0;
}

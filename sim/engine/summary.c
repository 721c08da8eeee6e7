/* summary.c - figures and their confidence intervals. */
#include "engine/summary.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/stats.h"

size_t summary_count(const struct model_layout *L)
{
	return L->nfigures + L->nbreakdowns * (size_t)L->nactors;
}

const struct model_figure *summary_decl(const struct model_layout *L, size_t i)
{
	if (i < L->nfigures)
		return &L->figures[i];
	return &L->breakdowns[(i - L->nfigures) / (size_t)L->nactors].fig;
}

int summary_find(const struct model_layout *L, const char *key)
{
	size_t i;

	for (i = 0; i < L->nfigures; i++)
		if (!strcmp(L->figures[i].key, key))
			return (int)i;
	return -1;
}

void summary_wilson(uint64_t x, uint64_t n, double *lo, double *hi)
{
	double p = (double)x / (double)n, z2n = SIM_Z95 * SIM_Z95 / (double)n;
	double c = (p + z2n / 2) / (1 + z2n);
	double h = SIM_Z95 * sqrt(p * (1 - p) / (double)n + z2n / (4 * (double)n)) / (1 + z2n);

	*lo = x == 0 ? 0 : fmax(0, c - h);
	*hi = x == n ? 1 : fmin(1, c + h);
}

static void proportion(struct figure *f, uint64_t x, uint64_t n)
{
	f->defined = f->has_ci = n > 0;
	if (!n) {
		f->value = f->lo = f->hi = NAN;
		return;
	}
	f->value = (double)x / (double)n;
	summary_wilson(x, n, &f->lo, &f->hi);
}

/* A mean of M values summing to S with squares summing to Q, in units of
 * SCALE, with its normal interval. */
static void mean(struct figure *y, uint64_t m, long double s, long double q, double scale)
{
	y->defined = m > 0;
	y->has_ci = m > 1;
	y->value = y->lo = y->hi = NAN;
	if (m > 0) {
		long double mu = s / (long double)m;

		y->value = (double)(mu * scale);
		if (m > 1) {
			long double var = (q - (long double)m * mu * mu) / (long double)(m - 1);
			double se = sqrt((double)(var > 0 ? var : 0) / (double)m) * scale;

			y->lo = y->value - SIM_Z95 * se;
			y->hi = y->value + SIM_Z95 * se;
		}
	}
}

size_t summary_num(const struct model_layout *L, size_t i)
{
	if (i < L->nfigures)
		return L->figures[i].num;
	return L->breakdowns[(i - L->nfigures) / (size_t)L->nactors].fig.num +
	       (i - L->nfigures) % (size_t)L->nactors;
}

void summary_wilson_var(double p, double var, double *lo, double *hi)
{
	double n, z2n, c, h;

	if (!(var > 0) || !(p > 0 && p < 1)) {
		*lo = *hi = p;
		return;
	}
	n = p * (1 - p) / var;
	z2n = SIM_Z95 * SIM_Z95 / n;
	c = (p + z2n / 2) / (1 + z2n);
	h = SIM_Z95 * sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
	*lo = fmax(0, c - h);
	*hi = fmin(1, c + h);
}

/* The sums over units that a ratio of real contributions is formed from:
 * of the unit means v of the numerator and w of the denominator, of v^2,
 * w^2 and v w; and what the fixed point's rounding can leave in each
 * unit's terms of the sum of squares about the ratio R: EN + 2 |R| EX +
 * R^2 ED. */
struct sums {
	long double sn, sd, qn, qd, qx;
	long double en, ex, ed;
};

/* The quantum of counter I of T. */
static long double quantum(const struct tally *t, size_t i)
{
	return ldexpl(1, -t->frac[i]);
}

/* The sums of a share of trials whose unit means sum to SN (over units),
 * with squares in counter MQ, the contributions in counter NUM. */
static struct sums share_sums(const struct tally *t, long double sn, size_t mq, size_t num)
{
	long double u = (long double)t->units;
	struct sums x = { sn, u, tally_get(t, mq), u, sn, quantum(t, mq), quantum(t, num), 0 };

	return x;
}

/* Fills *F with the ratio of the sums X over T's units, in units of SCALE,
 * with the delta method's variance; a share or a share given an event
 * (KIND) gets the Wilson interval at that variance, a mean the normal
 * one. A spread within rounding (a quantum of each fixed-point counter
 * per unit and term, the engine forming the moments in long double from
 * the very values the sums hold; and 64 long-double epsilons of the terms
 * for the subtraction) is not randomness: nothing random is left (a unit
 * spread below about 3e-9 of the units' size), and the figure is exact. */
static void ratio(const struct tally *t, const struct sums *x, int kind, double scale,
		  struct figure *f)
{
	long double u = (long double)t->units, r, var, tol;

	f->value = f->lo = f->hi = NAN;
	f->defined = f->has_ci = 0;
	if (!(x->sd > 0))
		return;
	r = x->sn / x->sd;
	f->defined = 1;
	f->value = (double)(r * scale);
	if (t->units < 2)
		return;
	/* Var(R) = sum over units of (v - R w)^2 / ((u - 1) u mean(w)^2). */
	var = x->qn - 2 * r * x->qx + r * r * x->qd;
	tol = u * (x->en + 2 * fabsl(r) * x->ex + r * r * x->ed) +
	      64 * LDBL_EPSILON * (x->qn + r * r * x->qd);
	if (var <= tol)
		var = 0;
	var = var * u / ((u - 1) * x->sd * x->sd);
	f->has_ci = 1;
	if (kind == MODEL_MEAN_GIVEN) {
		double se = sqrt((double)var) * scale;

		f->lo = f->value - SIM_Z95 * se;
		f->hi = f->value + SIM_Z95 * se;
		return;
	}
	f->value = f->value < 0 ? 0 : f->value > 1 ? 1 : f->value;
	summary_wilson_var(f->value, (double)var, &f->lo, &f->hi);
}

/* Figure I of L, declared D with numerator NUM, of real contributions:
 * the mean over units, or the ratio of two means. */
static void real_figure(const struct model_layout *L, size_t i, const struct model_figure *d,
			size_t num, const struct tally *t, double dt, struct figure *f)
{
	long double per_unit = (long double)t->units / (long double)t->trials;
	long double sn = tally_get(t, num) * per_unit;
	size_t mn = summary_moment(L, i, 0), md = summary_moment(L, i, 1);
	size_t mx = summary_moment(L, i, 2);
	struct sums x = share_sums(t, sn, mn, num);

	if (d->kind != MODEL_SHARE) {
		x.sd = tally_get(t, d->den) * per_unit;
		x.qd = tally_get(t, md);
		x.qx = tally_get(t, mx);
		x.ex += quantum(t, mx);
		x.ed = quantum(t, md) + quantum(t, d->den);
	}
	ratio(t, &x, d->kind, d->flags & MODEL_FIG_YEARS ? dt : 1, f);
}

void summary_outcome(const struct model_layout *L, size_t i, const struct tally *t,
		     struct figure *f)
{
	size_t c = L->outcomes[i].counter;
	struct sums x;

	if (t->frac[c] == 0) {
		proportion(f, tally_whole(t, c), t->trials);
		return;
	}
	x = share_sums(t, tally_get(t, c) * (long double)t->units / (long double)t->trials,
		       summary_outcome_moment(L, i), c);
	ratio(t, &x, MODEL_SHARE, 1, f);
}

void summary_survival(const struct model_layout *L, long k, const struct tally *t,
		      struct figure *f)
{
	long double a = 0;
	struct sums x;
	double lo;
	long j;

	for (j = 0; j <= k; j++)
		a += tally_get(t, L->curve + (size_t)j);
	if (t->frac[L->curve] == 0) {
		proportion(f, t->trials - (uint64_t)a, t->trials);
		return;
	}
	/* The chance of an attack by step K, reflected. */
	x = share_sums(t, a * (long double)t->units / (long double)t->trials,
		       summary_curve_moment(L, k), L->curve);
	ratio(t, &x, MODEL_SHARE, 1, f);
	lo = f->lo;
	f->value = 1 - f->value;
	f->lo = 1 - f->hi;
	f->hi = 1 - lo;
}

void summary_figure(const struct model_layout *L, size_t i, const struct tally *t, double dt,
		    struct figure *f)
{
	const struct model_figure *d = summary_decl(L, i);
	size_t num = summary_num(L, i);

	if (t->frac[num] != 0) {
		real_figure(L, i, d, num, t, dt, f);
		return;
	}
	switch (d->kind) {
	case MODEL_SHARE:
		proportion(f, tally_whole(t, num), t->trials);
		break;
	case MODEL_SHARE_GIVEN:
		proportion(f, tally_whole(t, num), tally_whole(t, d->den));
		break;
	default:
		mean(f, tally_whole(t, d->den), tally_get(t, num), tally_get(t, d->sq),
		     d->flags & MODEL_FIG_YEARS ? dt : 1);
		break;
	}
}

void summary_compute(const struct model_layout *L, const struct tally *t, double dt,
		     struct figure *fig)
{
	size_t i, n = summary_count(L);

	for (i = 0; i < n; i++)
		summary_figure(L, i, t, dt, &fig[i]);
}

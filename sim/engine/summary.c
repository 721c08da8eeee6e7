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

/* The most that rounding can leave in the sum of squares about the ratio
 * R (see real_figure()) when every unit is the same: a quantum of each
 * counter's fixed point per unit and term (the moments are summed without
 * rounding their products, tally_add_product()), and 64 long-double
 * epsilons of the terms' size for the subtraction itself. Below it the
 * spread is not randomness: nothing random is left (a unit spread below
 * about 3e-9 of the units' size), and the figure is exact. */
static long double rounding(const struct tally *t, const struct model_figure *d, size_t num,
			    size_t mn, size_t md, size_t mx, long double r)
{
	long double u = (long double)t->units, ar = fabsl(r), qn = tally_get(t, mn);
	long double q = ldexpl(1, -t->frac[mn]) + 2 * ar * ldexpl(1, -t->frac[num]);
	long double size = qn + r * r * u;

	if (d->kind != MODEL_SHARE) {
		q += 2 * ar * ldexpl(1, -t->frac[mx]) +
		     r * r * (ldexpl(1, -t->frac[md]) + ldexpl(1, -t->frac[d->den]));
		size = qn + r * r * tally_get(t, md);
	}
	return u * q + 64 * LDBL_EPSILON * size;
}

/* Figure D (numerator NUM) of real contributions: the mean over units, or
 * the ratio of two means, with the delta method's variance from the
 * moments MN (of NUM), MD (of the denominator) and MX (their product). */
static void real_figure(const struct model_figure *d, size_t num, const struct tally *t,
			size_t mn, size_t md, size_t mx, double dt, struct figure *f)
{
	long double u = (long double)t->units, sn = tally_get(t, num) * u / (long double)t->trials;
	long double qn = tally_get(t, mn), sd, qd, qx, r, var;
	double scale = d->flags & MODEL_FIG_YEARS ? dt : 1;

	f->value = f->lo = f->hi = NAN;
	f->defined = f->has_ci = 0;
	if (d->kind == MODEL_SHARE) {
		sd = u;
		qd = u;
		qx = sn;
	} else {
		sd = tally_get(t, d->den) * u / (long double)t->trials;
		qd = tally_get(t, md);
		qx = tally_get(t, mx);
	}
	if (!(sd > 0))
		return;
	r = sn / sd;
	f->defined = 1;
	f->value = (double)(r * scale);
	if (t->units < 2)
		return;
	/* Var(R) = sum over units of (v - R w)^2 / ((u - 1) u mean(w)^2). */
	var = qn - 2 * r * qx + r * r * qd;
	if (var <= rounding(t, d, num, mn, md, mx, r))
		var = 0;
	var = var * u / ((u - 1) * sd * sd);
	f->has_ci = 1;
	if (d->kind == MODEL_MEAN_GIVEN) {
		double se = sqrt((double)(var > 0 ? var : 0)) * scale;

		f->lo = f->value - SIM_Z95 * se;
		f->hi = f->value + SIM_Z95 * se;
		return;
	}
	f->value = f->value < 0 ? 0 : f->value > 1 ? 1 : f->value;
	summary_wilson_var(f->value, (double)var, &f->lo, &f->hi);
}

void summary_figure(const struct model_layout *L, size_t i, const struct tally *t, double dt,
		    struct figure *f)
{
	const struct model_figure *d = summary_decl(L, i);
	size_t num = summary_num(L, i);

	if (t->frac[num] != 0) {
		real_figure(d, num, t, summary_moment(L, i, 0), summary_moment(L, i, 1),
			    summary_moment(L, i, 2), dt, f);
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

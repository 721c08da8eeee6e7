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
 * of the unit sums V of the numerator and W of the denominator (over the
 * unit's one or two trials), of V^2, W^2 and V W; and what the fixed
 * point's rounding can leave in each unit's terms of the sum of squares
 * about the ratio R: EN + 2 |R| EX + R^2 ED. */
struct sums {
	long double sv, sw, qvv, qww, qvw;
	long double en, ex, ed;
};

/* The quantum of counter I of T. */
static long double quantum(const struct tally *t, size_t i)
{
	return ldexpl(1, -t->frac[i]);
}

/* The sums of a share of all trials: the contributions to counter NUM,
 * V^2 in counter MQ and, with antithetic pairs, the sum of V over the
 * units of one trial in counter MS. Each unit's W is its number of
 * trials: with P pairs and S single trials (P = trials - units, S = 2
 * units - trials), sum W^2 = 4 P + S and sum V W = 2 sum V - (V of the
 * singles); without pairs (units = trials) every W is 1. */
static struct sums share_sums(const struct tally *t, size_t num, size_t mq, size_t ms)
{
	long double n = (long double)t->trials, u = (long double)t->units;
	long double sv = tally_get(t, num), pairs = n - u, singles = 2 * u - n;
	struct sums x = { sv, n, tally_get(t, mq), 4 * pairs + singles, sv,
			  quantum(t, mq), 2 * quantum(t, num), 0 };

	if (t->units < t->trials) {
		x.qvw = 2 * sv - tally_get(t, ms);
		x.ex += quantum(t, ms);
	}
	return x;
}

/* Fills *F with the ratio of the sums X over T's units, in units of SCALE,
 * with the delta method's variance for a ratio over clusters; a share or
 * a share given an event (KIND) gets the Wilson interval at that
 * variance, a mean the normal one; a share of one unit, whose spread
 * cannot be told, gets [0, 1]. A spread within rounding (a quantum of
 * each fixed-point counter per unit and term, the engine forming the
 * moments in long double from the very values the sums hold; and 64
 * long-double epsilons of the terms for the subtraction) is not
 * randomness where the terms are far above it (beyond 1e12 times):
 * nothing random is left (a unit spread below about 1e-6 of the units'
 * size), and the figure is exact. Where the contributions are so small
 * that their squares are not far above the quanta (chances of 1e-9 a
 * trial), the spread cannot be told: it is counted at its bound, with
 * the normal interval (clipped to [0, 1]), since Wilson's would widen an
 * interval that no count of trials underlies. */
static void ratio(const struct tally *t, const struct sums *x, int kind, double scale,
		  struct figure *f)
{
	long double u = (long double)t->units, r, var, tol;
	int unresolved;

	f->value = f->lo = f->hi = NAN;
	f->defined = f->has_ci = 0;
	if (!(x->sw > 0))
		return;
	r = x->sv / x->sw;
	f->defined = 1;
	f->value = (double)(r * scale);
	if (kind != MODEL_MEAN_GIVEN)
		f->value = f->value < 0 ? 0 : f->value > 1 ? 1 : f->value;
	if (t->units < 2) {
		if (kind != MODEL_MEAN_GIVEN) {
			f->has_ci = 1;
			f->lo = 0;
			f->hi = 1;
		}
		return;
	}
	/* Var(R) = sum over units of (V - R W)^2 u / ((u - 1) (sum W)^2). */
	var = x->qvv - 2 * r * x->qvw + r * r * x->qww;
	tol = u * (x->en + 2 * fabsl(r) * x->ex + r * r * x->ed) +
	      64 * LDBL_EPSILON * (x->qvv + r * r * x->qww);
	/* Within rounding, the spread is none where the terms are far above
	 * the rounding (the units agree), and unknown where they are not
	 * (the contributions are so small that their squares fall below the
	 * quanta): then it is counted at its bound. */
	unresolved = var <= tol && tol > 1e-12L * (x->qvv + r * r * x->qww);
	if (var <= tol)
		var = unresolved ? tol : 0;
	var = var * u / ((u - 1) * x->sw * x->sw);
	f->has_ci = 1;
	if (kind == MODEL_MEAN_GIVEN || unresolved) {
		double se = sqrt((double)var) * scale;

		f->lo = f->value - SIM_Z95 * se;
		f->hi = f->value + SIM_Z95 * se;
		if (kind != MODEL_MEAN_GIVEN) {
			f->lo = fmax(0, f->lo);
			f->hi = fmin(1, f->hi);
		}
		return;
	}
	summary_wilson_var(f->value, (double)var, &f->lo, &f->hi);
}

/* Figure I of L, declared D with numerator NUM, of real contributions:
 * a share of all trials, or the ratio of two sums. */
static void real_figure(const struct model_layout *L, size_t i, const struct model_figure *d,
			size_t num, const struct tally *t, double dt, struct figure *f)
{
	size_t mv = summary_moment(L, i, 0), mw = summary_moment(L, i, 1);
	size_t mx = summary_moment(L, i, 2);
	struct sums x;

	if (d->kind == MODEL_SHARE) {
		x = share_sums(t, num, mv, mw);
	} else {
		struct sums y = { tally_get(t, num), tally_get(t, d->den), tally_get(t, mv),
				  tally_get(t, mw), tally_get(t, mx), quantum(t, mv),
				  2 * quantum(t, num) + quantum(t, mx),
				  quantum(t, mw) + 2 * quantum(t, d->den) };

		x = y;
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
	x = share_sums(t, c, summary_outcome_moment(L, i, 0), summary_outcome_moment(L, i, 1));
	ratio(t, &x, MODEL_SHARE, 1, f);
}

void summary_survival(const struct model_layout *L, long k, const struct tally *t,
		      struct figure *f)
{
	long double a = 0, lo;
	struct sums x;
	long j;

	for (j = 0; j <= k; j++)
		a += tally_get(t, L->curve + (size_t)j);
	if (t->frac[L->curve] == 0) {
		proportion(f, t->trials - (uint64_t)a, t->trials);
		return;
	}
	/* The chance of an attack by step K, reflected. */
	x = share_sums(t, L->curve, summary_curve_moment(L, k, 0), summary_curve_moment(L, k, 1));
	x.sv = a;
	if (t->units < t->trials)
		x.qvw = 2 * a - tally_get(t, summary_curve_moment(L, k, 1));
	else
		x.qvw = a;
	ratio(t, &x, MODEL_SHARE, 1, f);
	lo = f->lo;
	f->value = 1 - f->value;
	f->lo = 1 - f->hi;
	f->hi = 1 - (double)lo;
}

void summary_curve(const struct model_layout *L, long n, const struct tally *t, double *s)
{
	long double a = 0;
	long k;

	for (k = 0; k < n; k++) {
		double v;

		a += tally_get(t, L->curve + (size_t)k);
		v = t->trials ? (double)(1 - a / (long double)t->trials) : NAN;
		s[k] = v < 0 ? 0 : v > 1 ? 1 : v;
	}
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

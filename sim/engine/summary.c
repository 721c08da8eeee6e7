/* summary.c - figures and their confidence intervals. */
#include "engine/summary.h"

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

void summary_figure(const struct model_figure *d, size_t shift, const struct tally *t,
		    double dt, struct figure *f)
{
	size_t num = d->num + shift;

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
		summary_figure(summary_decl(L, i),
			       i < L->nfigures ? 0 : (i - L->nfigures) % (size_t)L->nactors, t, dt,
			       &fig[i]);
}

/* robust.c - satisficing and regret of designs over common futures. */
#include "study/robust.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* The summary of the N values X (sorted here). */
static void describe(double *x, size_t n, double *mean, double *min, double *q10, double *med,
		     double *q90, double *max)
{
	gsl_sort(x, 1, n);
	*mean = gsl_stats_mean(x, 1, n);
	*min = x[0];
	*max = x[n - 1];
	*q10 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.1);
	*med = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.5);
	*q90 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.9);
}

int robust_evaluate(const double *y, size_t nd, size_t nf, double threshold, double *regret,
		    struct robust_stats *out)
{
	double *x = malloc(sizeof(double) * (nf ? nf : 1)), junk;
	size_t d, f;

	if (!x || !nf) {
		free(x);
		return -1;
	}
	for (d = 0; d < nd; d++)
		out[d].best_share = 0;
	for (f = 0; f < nf; f++) {
		double best = -HUGE_VAL;
		size_t ties = 0;

		for (d = 0; d < nd; d++)
			best = y[d * nf + f] > best ? y[d * nf + f] : best;
		for (d = 0; d < nd; d++) {
			regret[d * nf + f] = best - y[d * nf + f];
			ties += y[d * nf + f] == best;
		}
		for (d = 0; d < nd; d++)
			if (y[d * nf + f] == best)
				out[d].best_share += 1.0 / (double)ties / (double)nf;
	}
	for (d = 0; d < nd; d++) {
		size_t met = 0;

		for (f = 0; f < nf; f++) {
			x[f] = y[d * nf + f];
			met += x[f] >= threshold;
		}
		out[d].satisficing = (double)met / (double)nf;
		describe(x, nf, &out[d].mean, &out[d].min, &out[d].q10, &out[d].median, &out[d].q90,
			 &out[d].max);
		for (f = 0; f < nf; f++)
			x[f] = regret[d * nf + f];
		describe(x, nf, &out[d].mean_regret, &junk, &junk, &junk, &out[d].q90_regret,
			 &out[d].max_regret);
	}
	free(x);
	return 0;
}

size_t robust_minimax(const struct robust_stats *s, size_t nd)
{
	size_t d, best = 0;

	for (d = 1; d < nd; d++)
		if (s[d].max_regret < s[best].max_regret ||
		    (s[d].max_regret == s[best].max_regret && s[d].mean > s[best].mean))
			best = d;
	return best;
}

size_t robust_satisficer(const struct robust_stats *s, size_t nd)
{
	size_t d, best = 0;

	for (d = 1; d < nd; d++)
		if (s[d].satisficing > s[best].satisficing ||
		    (s[d].satisficing == s[best].satisficing && s[d].max_regret < s[best].max_regret))
			best = d;
	return best;
}

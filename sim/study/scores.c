/* scores.c - Brier score and AUC. */
#include "study/scores.h"

#include <math.h>

double scores_brier(const double *p, const int *y, size_t n)
{
	double s = 0;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++)
		s += (p[i] - (y[i] ? 1 : 0)) * (p[i] - (y[i] ? 1 : 0));
	return s / (double)n;
}

double scores_auc(const double *p, const int *y, size_t n)
{
	double wins = 0;
	size_t i, j, n1 = 0, n0 = 0;

	for (i = 0; i < n; i++) {
		if (!y[i])
			continue;
		n1++;
		for (j = 0; j < n; j++) {
			if (y[j])
				continue;
			wins += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
		}
	}
	for (i = 0; i < n; i++)
		n0 += !y[i];
	if (!n1 || !n0)
		return NAN;
	return wins / ((double)n1 * (double)n0);
}

/* quad.c - the expected contest over coalitions by Gauss-Laguerre
 * quadrature, for many guarantors at gamma = 1.
 *
 * With gamma = 1 the contest against coalition S is W(S) = 1/lambda_S,
 * lambda_S = 1 + (D + sum_{g in S} G_g)/E, and 1/lambda = integral_0^inf
 * exp(-lambda s) ds. Over coalitions with guarantor g in independently
 * with probability p_g, and with s = t/c,
 *
 *   E[W] = (1/c) integral_0^inf exp(-t) exp(-(lambda_0/c - 1) t)
 *          prod_g (1 - p_g + p_g exp(-t G_g/(E c))) dt,
 *
 * which a Q-point Gauss-Laguerre rule evaluates in O(Q ng) instead of the
 * contraction's O(2^ng). The rule's error on E[W] is at most the largest
 * of its errors on the exponentials exp(-R_S t), R_S = lambda_S/c - 1 (an
 * average of them with weights P(S)), over 1/c <= 1. Scanning the rule's
 * error on exp(-R t) against 1/(1 + R): Q = 16 is within 1e-14 for R in
 * [-0.5, 1], Q = 32 for R in [-0.7, 2.8] (test_kernels checks both). So
 * with c = lambda_0/(1 - a) the rule is used at a step where lambda_all /
 * lambda_0 <= (1 + b)/(1 - a): 4 with Q = 16, 12.7 with Q = 32; elsewhere
 * the step is contracted. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_integration.h>

#include "models/commitment/internal.h"

/* The rules: nodes, the range [-a, b] of R where each is within 1e-14. */
static const struct {
	int q;
	double a, b;
} rules[] = { { 16, 0.5, 1.0 }, { 32, 0.7, 2.8 } };

#define N_RULES (int)(sizeof(rules) / sizeof(rules[0]))

/* The quadrature tables hold at most this many doubles (32 MiB). */
#define QTAB_MAX (1L << 22)

/* Whether the quadrature pays for NG guarantors: measured on configs of
 * 2 to 12 guarantors like configs/bench.cfg at gamma = 1, from 7 its
 * O(Q ng) beats the contraction's O(2^ng) (7: 0.37 s against 0.44 s for
 * 40,000 trials; 6: 0.35 s against 0.31 s). */
int cm_quad_wanted(int ng)
{
	return ng >= CM_QUAD_MIN_NG;
}

/* Allocates TAB's quadrature tables for NG guarantors and N_STEPS steps
 * and the rules' nodes and weights. Returns 0, or -1 (nothing allocated)
 * when they would be too large or memory is short. */
int cm_quad_alloc(struct cm_tables *tab, int ng, long n_steps)
{
	long stride = (long)CM_QUAD_MAX_NODES * (ng + 1);
	int r, j;

	if (n_steps > QTAB_MAX / stride)
		return -1;
	tab->qtab = malloc(sizeof(double) * (size_t)(n_steps * stride));
	tab->qn = calloc((size_t)n_steps, 1);
	for (r = 0; tab->qtab && tab->qn && r < N_RULES; r++) {
		gsl_integration_fixed_workspace *w =
			gsl_integration_fixed_alloc(gsl_integration_fixed_laguerre,
						    (size_t)rules[r].q, 0.0, 1.0, 0.0, 0.0);

		if (!w)
			break;
		for (j = 0; j < rules[r].q; j++) {
			tab->qnode[r][j] = gsl_integration_fixed_nodes(w)[j];
			tab->qweight[r][j] = gsl_integration_fixed_weights(w)[j];
		}
		gsl_integration_fixed_free(w);
	}
	if (r < N_RULES) {
		cm_quad_free(tab);
		return -1;
	}
	return 0;
}

/* Frees TAB's quadrature tables. */
void cm_quad_free(struct cm_tables *tab)
{
	free(tab->qtab);
	free(tab->qn);
	tab->qtab = NULL;
	tab->qn = NULL;
}

/* Fills step K's quadrature of TAB (NG guarantors) for the challenger's
 * effective force E against the target's D and the guarantors' G at
 * gamma = 1, or marks the step for the contraction (qn[k] = 0) where no
 * rule is within 1e-14 or the forces are not finite and positive. Row j
 * of the step holds the weight a_j = (w_j/c) exp(-(lambda_0/c - 1) t_j)
 * and the factors exp(-t_j G_g/(E c)). */
void cm_quad_fill(struct cm_tables *tab, int ng, long k, double E, double D, const double *G)
{
	double *row = tab->qtab + k * (long)CM_QUAD_MAX_NODES * (ng + 1);
	double l0, lall, c;
	int r, j, g;

	tab->qn[k] = 0;
	if (!(E > 0 && E <= DBL_MAX && D >= 0 && D <= DBL_MAX))
		return;
	l0 = 1 + D / E;
	lall = l0;
	for (g = 0; g < ng; g++) {
		if (!(G[g] >= 0 && G[g] <= DBL_MAX))
			return;
		lall += G[g] / E;
	}
	for (r = 0; r < N_RULES; r++)
		if (lall <= DBL_MAX && lall / l0 <= (1 + rules[r].b) / (1 - rules[r].a))
			break;
	if (r == N_RULES)
		return;
	c = l0 / (1 - rules[r].a);
	for (j = 0; j < rules[r].q; j++, row += ng + 1) {
		double t = tab->qnode[r][j];

		row[0] = tab->qweight[r][j] / c * exp(-(l0 / c - 1) * t);
		for (g = 0; g < ng; g++)
			row[1 + g] = exp(-t * (G[g] / E) / c);
	}
	tab->qn[k] = (unsigned char)rules[r].q;
}

/* The quadrature of step K of TAB (NG guarantors) for the probabilities
 * P[g] of each guarantor fighting: E[W] as the batch kernel computes it
 * for one lane (qn[k] must be set). */
double cm_quad_eval(const struct cm_tables *tab, int ng, long k, const double *P)
{
	const double *row = tab->qtab + k * (long)CM_QUAD_MAX_NODES * (ng + 1);
	double sum = 0;
	int j, g;

	for (j = 0; j < tab->qn[k]; j++, row += ng + 1) {
		double prod = row[0];

		for (g = 0; g < ng; g++)
			prod *= 1 + P[g] * (row[1 + g] - 1);
		sum += prod;
	}
	return sum;
}

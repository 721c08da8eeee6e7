/* physics.h - the exact updates and the quantities of a step, shared by
 * the tables and both kernels so that all give the same bits; inline,
 * since the kernels call them every step. */
#ifndef COMMITMENT_PHYSICS_H
#define COMMITMENT_PHYSICS_H

#include <math.h>
#include <gsl/gsl_cdf.h>

#include "models/commitment/internal.h"

/* Tullock contest: the challenger's chance of winning with effective
 * force E against X, 1 / (1 + (X/E)^gamma), which cannot overflow. */
static inline double contest(double E, double X, double gamma)
{
	double r;

	if (E == 0)
		return X == 0 ? 0.5 : 0;
	r = X / E;
	if (isnan(r))		/* both infinite: as good as equal */
		r = 1;
	if (gamma == 1)
		return 1 / (1 + r);
	if (r == 0)
		return 1;
	return 1 / (1 + exp(gamma * log(r)));
}

/* Fills W[S] for every coalition S (bit g: guarantor g fights). */
static inline void contest_row(double *W, int ng, double E, double D,
			const double *gforce, double gamma)
{
	double X[1 << CM_MAX_GUARANTORS];
	unsigned s, n = 1u << ng;

	X[0] = D;
	W[0] = contest(E, D, gamma);
	for (s = 1; s < n; s++) {
		X[s] = X[s & (s - 1)] + gforce[__builtin_ctz(s)];
		W[s] = contest(E, X[s], gamma);
	}
}

/* Logistic growth of C toward K over one step; DECAY = exp(-r dt). */
static inline double grow(double C, double K, double decay)
{
	return K / (1 + (K / C - 1) * decay);
}

/* Honour probability H_g from the numerator of z_g. */
static inline double honour(double num, double sd, int tripwire, double automaticity)
{
	double h = sd > 0 ? gsl_cdf_ugaussian_P(num / sd) : (num > 0 ? 1.0 : 0.0);

	return tripwire ? 1 - (1 - h) * (1 - automaticity) : h;
}

/* Numerator of z_g at time T with resolve moved by SHIFT:
 * mu_g - intervention_cost + strength * (1 + v_g). */
static inline double numerator(const double *v, unsigned mech, int g, double t, double shift)
{
	const double *x = v + GS(g, 0);
	double vote = mech & HAS_RAT ? x[G_VOTE] : 0;

	return (x[G_INTEREST] - x[G_EROSION] * t) + shift - x[G_ICOST] +
	       x[G_STRENGTH] * (1 + vote);
}

static inline int has_tripwire(const double *v, unsigned mech, int g)
{
	return (mech & HAS_TRIP) && v[GS(g, G_TRIP_TROOPS)] > 0;
}

/* Sets the per-trial constants of T from its values T->v. */
static inline void trial_setup(const struct commitment *m, struct trial *t)
{
	const double *v = t->v;
	double dt = m->dt, cap = m->has_cap ? v[T_CAP] : INF;
	int g;

	t->C = v[C_FORCES];
	t->c_decay = v[C_GROWTH] > 0 ? exp(-v[C_GROWTH] * dt) : 1;
	t->T = fmin(v[T_TROOPS], cap);
	t->level = fmin(cap, m->present[T_SUST] ? v[T_SUST] : cap);
	t->t_decay = exp(-v[T_DEMOB] * dt);
	for (g = 0; g < m->ng; g++) {
		const double *x = v + GS(g, 0);
		double d = x[G_ARMS_DEP], s = x[G_ARMS_RATE];

		t->gforce[g] = (x[G_FORCES] + (m->mech[g] & HAS_TRIP ? x[G_TRIP_TROOPS] : 0)) *
			       x[G_QUALITY];
		t->A[g] = 0;
		if (!(m->mech[g] & HAS_ARMS)) {
			t->a_decay[g] = 1;
			t->a_inc[g] = 0;
		} else if (d > 0) {
			t->a_decay[g] = exp(-d * dt);
			t->a_inc[g] = s / d * (1 - t->a_decay[g]);
		} else {
			t->a_decay[g] = 1;
			t->a_inc[g] = s * dt;
		}
		t->shift[g] = 0;
	}
}

/* Target force D = T * quality + A at the current state. */
static inline double target_force(const struct commitment *m, const struct trial *t)
{
	double D = t->T * t->v[T_QUALITY];
	int g;

	for (g = 0; g < m->ng; g++)
		D += t->A[g];
	return D;
}

/* Advances forces, troops and arms over one step. */
static inline void advance_forces(const struct commitment *m, struct trial *t)
{
	int g;

	if (t->c_decay != 1)
		t->C = grow(t->C, t->v[C_MAX], t->c_decay);
	if (t->t_decay != 1)
		t->T = t->level + (t->T - t->level) * t->t_decay;
	for (g = 0; g < m->ng; g++)
		t->A[g] = t->A[g] * t->a_decay[g] + t->a_inc[g];
}

#endif

/* tables.c - what does not depend on the trial, computed once per run,
 * and the choice of kernel. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "models/commitment/commitment.h"
#include "models/commitment/internal.h"
#include "models/commitment/physics.h"

static int build_tables(const struct commitment *m, const volatile sig_atomic_t *stop);
static int choose_kernel(const struct commitment *m, const volatile sig_atomic_t *stop);

/* Builds the run's tables and picks the kernel, once, on first use: a
 * config that is only checked never pays for them. Safe to call from many
 * threads. */
int cm_prepare(const struct commitment *m, const volatile sig_atomic_t *stop)
{
	int ret = 0;

#pragma omp critical(commitment_prepare)
	{
		if (!m->tab->prepared) {
			if (build_tables(m, stop) < 0 || choose_kernel(m, stop) < 0) {
				cm_free_tables(m->tab, m->ng);
				ret = -1;
			} else {
				m->tab->prepared = 1;
			}
		}
	}
	return ret;
}

/* Frees the tables of TAB (of NG guarantors) and forgets the kernel. */
void cm_free_tables(struct cm_tables *tab, int ng)
{
	int g;

	free(tab->wtab);
	free(tab->ltab);
	free(tab->ptab);
	free(tab->el_count);
	cm_quad_free(tab);
	tab->wtab = NULL;
	tab->ltab = NULL;
	tab->ptab = NULL;
	tab->el_count = NULL;
	for (g = 0; g < ng; g++) {
		free(tab->htab[g]);
		tab->htab[g] = NULL;
	}
	tab->batch = 0;
}

/* ---------------------------------------------------------------- */
/* Tables of the run */

static int all_fixed(const struct commitment *m, const int *slots, int n, int per_g)
{
	int i, g;

	for (i = 0; i < n; i++) {
		if (!per_g) {
			if (!cm_fixed_slot(m, slots[i]))
				return 0;
			continue;
		}
		for (g = 0; g < m->ng; g++)
			if (!cm_fixed_slot(m, GS(g, slots[i])))
				return 0;
	}
	return 1;
}

/* The contest table holds at most this many entries (128 MiB). */
#define WTAB_MAX (1L << 24)

/* Whether a table build at step K should give up: STOP is read every
 * 65536 steps (tables of 10^7 steps and 12 guarantors take seconds). */
static int stopped(long k, const volatile sig_atomic_t *stop)
{
	return (k & 0xFFFF) == 0xFFFF && stop && *stop;
}

/* Fills LTAB[k][S] with log X(S) at each step k of the fixed opponents'
 * forces of T, summed as contest_row() sums them, NaN where X(S) is not a
 * normal positive number. Returns 0, or -1 when STOP was set midway. */
static int build_ltab(const struct commitment *m, struct trial *t, double *ltab,
		      const volatile sig_atomic_t *stop)
{
	long k, ns = 1L << m->ng;
	unsigned s;

	for (k = 0; k < m->n_steps; k++) {
		double X[1 << CM_MAX_GUARANTORS], *L = ltab + k * ns;

		if (stopped(k, stop))
			return -1;
		X[0] = target_force(m, t);
		for (s = 1; s < (unsigned)ns; s++)
			X[s] = X[s & (s - 1)] + t->gforce[__builtin_ctz(s)];
		for (s = 0; s < (unsigned)ns; s++)
			L[s] = X[s] >= DBL_MIN && X[s] <= DBL_MAX ? log(X[s]) : NAN;
		advance_forces(m, t);
	}
	return 0;
}

/* The table exp(GAMMA L[i]) of the N logs L (NULL when out of memory),
 * NaN where L[i] is NaN or |GAMMA L[i]| >= 700. */
static double *power_table(const double *L, long n, double gamma)
{
	double *P = malloc(sizeof(double) * (size_t)n);
	long i;

	for (i = 0; P && i < n; i++)
		P[i] = fabs(gamma * L[i]) < 700 ? exp(gamma * L[i]) : NAN;
	return P;
}

/* Builds the tables of forces and honour that fixed parameters allow.
 * Returns 0, or -1 when STOP was set midway (the caller frees them). */
static int build_tables(const struct commitment *m, const volatile sig_atomic_t *stop)
{
	static const int force_slots[] = {
		C_FORCES, C_QUALITY, C_GROWTH, C_MAX, C_GAMMA,
		T_TROOPS, T_CAP, T_SUST, T_DEMOB, T_QUALITY
	};
	static const int gforce_slots[] = {
		G_FORCES, G_QUALITY, G_TRIP_TROOPS, G_ARMS_RATE, G_ARMS_DEP
	};
	static const int resolve_slots[] = {
		G_INTEREST, G_RESOLVE_SD, G_ICOST, G_EROSION, G_STRENGTH, G_VOTE,
		G_TRIP_TROOPS, G_AUTOMATICITY
	};
	struct trial *t = calloc(1, sizeof(*t));
	long k, ns = 1L << m->ng;
	int g, i, ok;

	if (!t)
		return 0;
	for (i = 0; i < N_SLOTS; i++)
		t->v[i] = m->p[i].a;
	trial_setup(m, t);
	if (all_fixed(m, force_slots, 10, 0) && all_fixed(m, gforce_slots, 5, 1) &&
	    m->n_steps * ns <= WTAB_MAX) {
		int quad = t->v[C_GAMMA] == 1 && cm_quad_wanted(m->ng) &&
			   cm_quad_alloc(m->tab, m->ng, m->n_steps) == 0;

		m->tab->wtab = malloc(sizeof(double) * (size_t)(m->n_steps * ns));
		for (k = 0; m->tab->wtab && k < m->n_steps; k++) {
			if (stopped(k, stop))
				goto stop;
			contest_row(m->tab->wtab + k * ns, m->ng, t->C * t->v[C_QUALITY],
				    target_force(m, t), t->gforce, t->v[C_GAMMA]);
			if (quad)
				cm_quad_fill(m->tab, m->ng, k, t->C * t->v[C_QUALITY],
					     target_force(m, t), t->gforce);
			advance_forces(m, t);
		}
		if (!m->tab->wtab)
			cm_quad_free(m->tab);
	}
	if (!m->tab->wtab && all_fixed(m, force_slots + 5, 5, 0) &&
	    all_fixed(m, gforce_slots, 5, 1) && m->n_steps * ns <= WTAB_MAX) {
		m->tab->ltab = malloc(sizeof(double) * (size_t)(m->n_steps * ns));
		if (m->tab->ltab && build_ltab(m, t, m->tab->ltab, stop) < 0)
			goto stop;
		trial_setup(m, t);
		if (m->tab->ltab && cm_fixed_slot(m, C_GAMMA) && t->v[C_GAMMA] != 1)
			m->tab->ptab = power_table(m->tab->ltab, m->n_steps * ns, t->v[C_GAMMA]);
	}
	for (g = 0; g < m->ng; g++) {
		for (ok = 1, i = 0; i < 8; i++)
			ok &= cm_fixed_slot(m, GS(g, resolve_slots[i]));
		if (!ok)
			continue;
		m->tab->htab[g] = malloc(sizeof(double) * (size_t)m->n_steps);
		for (k = 0; m->tab->htab[g] && k < m->n_steps; k++) {
			if (stopped(k, stop))
				goto stop;
			m->tab->htab[g][k] = honour(numerator(t->v, m->mech[g], g,
							 (double)k / (double)m->steps_per_year, 0),
					       t->v[GS(g, G_RESOLVE_SD)],
					       has_tripwire(t->v, m->mech[g], g),
					       t->v[GS(g, G_AUTOMATICITY)]);
		}
	}
	free(t);
	return 0;
stop:
	free(t);
	return -1;
}

/* Picks the batch kernel when it applies (see struct commitment) and
 * the reference kernel was not asked for, and makes its tables. Returns 0, or -1
 * when STOP was set midway. */
static int choose_kernel(const struct commitment *m, const volatile sig_atomic_t *stop)
{
	long k;
	int g;

	if (m->reference)
		return 0;
	for (g = 0; g < m->ng; g++) {
		double lo, hi;

		cm_support(m, GS(g, G_RESOLVE_SD), &lo, &hi);
		if (!(lo > 0) || !cm_fixed_slot(m, GS(g, G_EL_INTERVAL)) ||
		    !cm_fixed_slot(m, GS(g, G_NEXT_EL)))
			return 0;
	}
	m->tab->phi = cm_shared_phi();
	m->tab->el_count = calloc((size_t)(m->ng ? m->ng : 1) * (size_t)m->n_steps, 1);
	if (!m->tab->phi || !m->tab->el_count)
		return 0;
	for (g = 0; g < m->ng; g++) {
		double next = m->p[GS(g, G_NEXT_EL)].a, iv = m->p[GS(g, G_EL_INTERVAL)].a;
		long before = 0, by;

		for (k = 0; k < m->n_steps; k++) {
			if (stopped(k, stop))
				return -1;
			by = commitment_elections_by(next, iv, (double)(k + 1) / (double)m->steps_per_year,
						     m->tol);
			if (by - before > 255)
				return 0;
			m->tab->el_count[g * m->n_steps + k] = (unsigned char)(by - before);
			before = by;
		}
	}
	m->tab->batch = 1;
	return 0;
}

const char *commitment_kernel(const void *instance)
{
	const struct commitment *m = instance;

	cm_prepare(m, NULL);
	return m->tab->batch ? "batch" : "reference";
}

/* lanes_forces.c - the batch kernel's per-lane forces, for runs whose
 * force parameters are drawn per trial (no contest table): each lane
 * carries the force state of its trial, set up and advanced with the
 * exact updates of physics.h, and the contest rows W(S) of every lane are
 * built each step with the arithmetic of contest_row(), in loops over
 * lanes that the compiler vectorises. */
#include <float.h>
#include <stdlib.h>

#include "models/commitment/fastmath.h"
#include "models/commitment/internal.h"
#include "models/commitment/physics.h"

/* Frees the force state F (NULL is fine). */
void cm_forces_free(struct lane_forces *F)
{
	if (!F)
		return;
	free(F->A);
	free(F->W);
	free(F);
}

/* Allocates the force state of LANES lanes of NG guarantors, or NULL. */
struct lane_forces *cm_forces_alloc(int ng)
{
	struct lane_forces *F = calloc(1, sizeof(*F));
	size_t per_g = (size_t)LANES * (size_t)(ng ? ng : 1);

	if (!F)
		return NULL;
	F->A = malloc(sizeof(double) * per_g * 4);
	F->W = malloc(sizeof(double) * LANES * ((size_t)1 << ng));
	if (!F->A || !F->W) {
		cm_forces_free(F);
		return NULL;
	}
	F->a_decay = F->A + per_g;
	F->a_inc = F->A + 2 * per_g;
	F->gforce = F->A + 3 * per_g;
	return F;
}

/* Puts into lane J the force state of trial T, which trial_setup() has
 * just set up from its values. */
void cm_forces_setup(const struct commitment *m, struct lane_forces *F, int j,
		     const struct trial *t)
{
	int g;

	F->C[j] = t->C;
	F->c_decay[j] = t->c_decay;
	F->cmax[j] = t->v[C_MAX];
	F->cq[j] = t->v[C_QUALITY];
	F->T[j] = t->T;
	F->level[j] = t->level;
	F->t_decay[j] = t->t_decay;
	F->tq[j] = t->v[T_QUALITY];
	F->gamma[j] = t->v[C_GAMMA];
	for (g = 0; g < m->ng; g++) {
		int k = g * LANES + j;

		F->A[k] = t->A[g];
		F->a_decay[k] = t->a_decay[g];
		F->a_inc[k] = t->a_inc[g];
		F->gforce[k] = t->gforce[g];
	}
}

/* Moves the force state of lane FROM into lane TO (not the rows: a lane
 * moves after its step's rows were used). */
void cm_forces_move(struct lane_forces *F, int ng, int to, int from)
{
	int g;

	F->C[to] = F->C[from];
	F->c_decay[to] = F->c_decay[from];
	F->cmax[to] = F->cmax[from];
	F->cq[to] = F->cq[from];
	F->T[to] = F->T[from];
	F->level[to] = F->level[from];
	F->t_decay[to] = F->t_decay[from];
	F->tq[to] = F->tq[from];
	F->gamma[to] = F->gamma[from];
	for (g = 0; g < ng; g++) {
		int a = g * LANES + to, b = g * LANES + from;

		F->A[a] = F->A[b];
		F->a_decay[a] = F->a_decay[b];
		F->a_inc[a] = F->a_inc[b];
		F->gforce[a] = F->gforce[b];
	}
}

/* contest(E, X, 1) without branches, so that a loop of it vectorises:
 * the same cases and the same bits. */
static inline double contest_unit(double E, double X)
{
	double r = X / E, w;

	r = r != r ? 1 : r;
	w = 1 / (1 + r);
	return E == 0 ? (X == 0 ? 0.5 : 0) : w;
}

/* Converts the forces XS of one coalition in the first N lanes into the
 * challenger's chances against them at each lane's gamma (not 1 in every
 * lane), given each lane's E and 1/E: r = X (1/E) and r^gamma by
 * fast_pow() of fastmath.h (within 1e-13 of contest()) when r is a normal
 * positive number in every lane; contest() per element otherwise (E = 0,
 * X/E zero, subnormal, infinite or NaN). Lanes of gamma 1 (when ANY_UNIT)
 * get contest()'s exact 1/(1 + X/E). */
static inline __attribute__((always_inline)) void contest_gamma(const double *restrict E,
								const double *restrict inv,
								const double *restrict gamma,
								double *restrict Xs, int n,
								int any_unit)
{
	double r[LANES];
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		r[i] = Xs[i] * inv[i];
		bad |= !(r[i] >= DBL_MIN && r[i] <= DBL_MAX);
	}
	if (bad) {
		for (i = 0; i < n; i++)
			Xs[i] = contest(E[i], Xs[i], gamma[i]);
	} else if (any_unit) {
		for (i = 0; i < n; i++)
			Xs[i] = 1 / (1 + (gamma[i] == 1 ? Xs[i] / E[i] : fast_pow(r[i], gamma[i])));
	} else {
		for (i = 0; i < n; i++)
			Xs[i] = 1 / (1 + fast_pow(r[i], gamma[i]));
	}
}

/* Sets row 0 of F->W to each lane's target force D and the other rows S
 * to the forces X(S) = D + the forces of the guarantors in S, summed in
 * the order of contest_row(). */
static inline __attribute__((always_inline)) void fill_forces(const struct lane_forces *F,
							      int ng, double *restrict W, int n)
{
	unsigned s, ns = 1u << ng;
	int g, i;

	for (i = 0; i < n; i++)
		W[i] = F->T[i] * F->tq[i];
	for (g = 0; g < ng; g++) {
		const double *restrict A = F->A + g * LANES;

		for (i = 0; i < n; i++)
			W[i] += A[i];
	}
	for (s = 1; s < ns; s++) {
		const double *restrict Wp = W + (s & (s - 1)) * LANES;
		const double *restrict gf = F->gforce + __builtin_ctz(s) * LANES;
		double *restrict Ws = W + s * LANES;

		for (i = 0; i < n; i++)
			Ws[i] = Wp[i] + gf[i];
	}
}

/* The contest rows of the first N lanes at step K from the table of
 * X(S)^gamma (gamma fixed, not 1) and each lane's E^-gamma by fast_log_e()
 * and fast_exp_e(): 1/(1 + X^gamma E^-gamma), within 1e-13 of contest().
 * Returns 0, writing nothing, when an E is not a normal positive number,
 * |gamma log E| >= 700 or an X(S)^gamma is missing (NaN). */
static inline __attribute__((always_inline)) int rows_powered(const struct commitment *m,
							      struct lane_forces *F,
							      const double *restrict E,
							      int n, long k)
{
	const unsigned ns = 1u << m->ng;
	const double *P = m->tab->ptab + k * (long)ns, *restrict gamma = F->gamma;
	double eg[LANES];
	unsigned s;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		double y = -gamma[i] * fast_log_e(E[i]);

		bad |= !(E[i] >= DBL_MIN && E[i] <= DBL_MAX) || !(fabs(y) < 700);
		eg[i] = fast_exp_e(y);
	}
	for (s = 0; s < ns; s++)
		bad |= P[s] != P[s];
	if (bad)
		return 0;
	for (s = 0; s < ns; s++) {
		double *restrict Ws = F->W + s * LANES, ps = P[s];

		for (i = 0; i < n; i++)
			Ws[i] = 1 / (1 + ps * eg[i]);
	}
	return 1;
}

/* The contest rows of the first N lanes at step K from the table of log
 * X(S) (the opponents' forces, the same in every lane), each lane's E and
 * its gamma (not 1): 1/(1 + exp(gamma (log X - log E))), by fast_log_e()
 * and fast_exp_e() (within 1e-13 of contest()). Returns 0, writing
 * nothing, when an E or an X(S) is not a normal positive number or a lane
 * has gamma 1: then contest_gamma() does it. */
static inline __attribute__((always_inline)) int rows_logged(const struct commitment *m,
							     struct lane_forces *F,
							     const double *restrict E,
							     int n, long k)
{
	const unsigned ns = 1u << m->ng;
	const double *L = m->tab->ltab + k * (long)ns, *restrict gamma = F->gamma;
	double le[LANES];
	unsigned s;
	int i, bad = 0;

	for (i = 0; i < n; i++)
		bad |= !(E[i] >= DBL_MIN && E[i] <= DBL_MAX) || gamma[i] == 1;
	for (s = 0; s < ns; s++)
		bad |= L[s] != L[s];
	if (bad)
		return 0;
	for (i = 0; i < n; i++)
		le[i] = fast_log_e(E[i]);
	for (s = 0; s < ns; s++) {
		double *restrict Ws = F->W + s * LANES, ls = L[s];

		for (i = 0; i < n; i++)
			Ws[i] = 1 / (1 + fast_exp_e(gamma[i] * (ls - le[i])));
	}
	return 1;
}

/* Fills the contest rows F->W[S][lane] of the first N lanes at their
 * current forces (step K), as contest_row() fills one trial's row: a
 * vectorised division when gamma is 1 in every lane (the same bits as
 * contest()), else rows_powered() or rows_logged() when the tables of
 * X(S)^gamma or log X(S) exist, else contest_gamma(). */
__attribute__((target_clones("avx512f", "avx2", "default")))
void cm_forces_rows(const struct commitment *m, struct lane_forces *F, int n, long k)
{
	const int ng = m->ng;
	const unsigned ns = 1u << ng;
	double *restrict W = F->W, E[LANES], inv[LANES];
	unsigned s;
	int i, unit = 1, any_unit = 0;

	for (i = 0; i < n; i++) {
		E[i] = F->C[i] * F->cq[i];
		inv[i] = 1 / E[i];
		unit &= F->gamma[i] == 1;
		any_unit |= F->gamma[i] == 1;
	}
	if (!unit && m->tab->ptab && rows_powered(m, F, E, n, k))
		return;
	if (!unit && m->tab->ltab && rows_logged(m, F, E, n, k))
		return;
	fill_forces(F, ng, W, n);
	for (s = 0; s < ns; s++) {
		double *restrict Ws = W + s * LANES;

		if (unit) {
			for (i = 0; i < n; i++)
				Ws[i] = contest_unit(E[i], Ws[i]);
		} else {
			contest_gamma(E, inv, F->gamma, Ws, n, any_unit);
		}
	}
}

/* Advances the forces, troops and arms of the first N lanes over one
 * step, with the updates of advance_forces(). */
__attribute__((target_clones("avx512f", "avx2", "default")))
void cm_forces_advance(const struct commitment *m, struct lane_forces *F, int n)
{
	int g, i;

	for (i = 0; i < n; i++) {
		double c = grow(F->C[i], F->cmax[i], F->c_decay[i]);
		double T = F->level[i] + (F->T[i] - F->level[i]) * F->t_decay[i];

		F->C[i] = F->c_decay[i] != 1 ? c : F->C[i];
		F->T[i] = F->t_decay[i] != 1 ? T : F->T[i];
	}
	for (g = 0; g < m->ng; g++) {
		double *restrict A = F->A + g * LANES;
		const double *restrict d = F->a_decay + g * LANES, *restrict a = F->a_inc + g * LANES;

		for (i = 0; i < n; i++)
			A[i] = A[i] * d[i] + a[i];
	}
}

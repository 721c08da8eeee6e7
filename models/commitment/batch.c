/* batch.c - the batch kernel: LANES trials advance together, step by
 * step, in loops over lanes that the compiler vectorises. It computes the
 * same quantities as the reference kernel, with Phi from a cubic table
 * and exp from a polynomial (fastmath.h), and draws from the same
 * streams. */
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "models/commitment/fastmath.h"
#include "models/commitment/internal.h"
#include "models/commitment/physics.h"

/* Frees the lanes L (NULL is fine). */
void cm_lanes_free(struct lanes *L)
{
	int i;

	if (!L)
		return;
	free(L->gv[0]);
	free(L->buf);
	free(L->buf2);
	cm_forces_free(L->F);
	for (i = 0; i < LANES; i++)
		gsl_rng_free(L->elect[i]);
	free(L);
}

/* Allocates the lanes of a batch of NG guarantors, with their own force
 * state when FORCES; NULL when out of memory. */
struct lanes *cm_lanes_alloc(int ng, const gsl_rng_type *type, int forces)
{
	struct lanes *L = calloc(1, sizeof(*L));
	size_t per_g = (size_t)LANES * (size_t)(ng ? ng : 1);
	size_t nbuf = (size_t)1 << (ng ? ng - 1 : 0);
	int i, ok;

	if (!L)
		return NULL;
	L->gv[0] = malloc(sizeof(double) * per_g * (N_LV + 2));
	L->buf = malloc(sizeof(double) * LANES * nbuf);
	L->buf2 = malloc(sizeof(double) * LANES * nbuf);
	L->F = forces ? cm_forces_alloc(ng) : NULL;
	ok = L->gv[0] && L->buf && L->buf2 && (L->F || !forces);
	for (i = 1; ok && i <= N_LV + 1; i++)
		L->gv[i] = L->gv[0] + per_g * (size_t)i;
	for (i = 0; i < LANES && ok; i++)
		ok = (L->elect[i] = gsl_rng_alloc(type)) != NULL;
	if (!ok) {
		cm_lanes_free(L);
		return NULL;
	}
	return L;
}

/* Puts trial I into lane J: draws its parameters, threshold and
 * perception errors from the same streams as cm_reference_trial(). */
static void lane_setup(const struct commitment *m, struct work *w, uint64_t seed,
		       uint64_t i, int j)
{
	struct lanes *L = w->L;
	double *v = w->t.v, base;
	uint64_t si = cm_stream_trial(m, i);
	int g, ng = m->ng, anti = cm_anti(m, i);

	if (m->n_random) {
		rng_stream(w->r_params, seed, si, STREAM_PARAMS);
		for (g = 0; g < m->n_random; g++)
			v[m->random[g]] = dist_draw(&m->p[m->random[g]], w->r_params, anti);
	}
	if (L->F) {
		trial_setup(m, &w->t);
		cm_forces_setup(m, L->F, j, &w->t);
	}
	rng_stream(w->r_seen, seed, si, STREAM_SEEN);
	L->trial[j] = i;
	L->anti[j] = anti;
	L->cum[j] = 0;
	L->thr[j] = -log(rng_u(w->r_seen, anti));
	L->stake[j] = v[C_STAKE];
	L->nit[j] = -1 / v[C_TEMPERATURE];
	L->mhdt[j] = v[C_MAX_HAZARD] * m->dt;
	base = -v[C_WAR_COST];
	for (g = 0; g < ng; g++) {
		const double *x = v + GS(g, 0);
		double vote = m->mech[g] & HAS_RAT ? x[G_VOTE] : 0;
		double sd = x[G_RESOLVE_SD];
		int k = g * LANES + j;

		L->gv[LV_ZA][k] = (x[G_INTEREST] - x[G_ICOST] + x[G_STRENGTH] * (1 + vote)) / sd;
		L->gv[LV_ZB][k] = x[G_EROSION] / sd;
		L->gv[LV_ZC][k] = 0;
		L->gv[LV_AUT][k] = has_tripwire(v, m->mech[g], g) ? x[G_AUTOMATICITY] : 0;
		L->gv[LV_BIAS][k] = m->mech[g] & HAS_MON
				    ? x[G_PBIAS] + rng_normal(w->r_seen, anti) * x[G_PSD]
				    : 0;
		L->gv[LV_ESC][k] = x[G_ECOST];
		L->gv[LV_TURNOVER][k] = x[G_TURNOVER];
		L->gv[LV_SHOCK][k] = x[G_SHOCK] * (1 - vote) / sd;
		if (m->mech[g] & HAS_SANC)
			base -= x[G_SANCTIONS];
	}
	L->base[j] = base;
	if (m->any_elections)
		rng_stream(L->elect[j], seed, si, STREAM_ELECTIONS);
}

/* Moves lane FROM into lane TO. */
static void lane_move(struct lanes *L, int ng, int to, int from)
{
	gsl_rng *r;
	int g, v;

	L->trial[to] = L->trial[from];
	L->anti[to] = L->anti[from];
	L->cum[to] = L->cum[from];
	L->thr[to] = L->thr[from];
	L->base[to] = L->base[from];
	L->stake[to] = L->stake[from];
	L->nit[to] = L->nit[from];
	L->mhdt[to] = L->mhdt[from];
	for (g = 0; g < ng; g++)
		for (v = 0; v < N_LV; v++)
			L->gv[v][g * LANES + to] = L->gv[v][g * LANES + from];
	r = L->elect[to];
	L->elect[to] = L->elect[from];
	L->elect[from] = r;
	if (L->F)
		cm_forces_move(L->F, ng, to, from);
}

/* The contraction's guarantors ng - 2 .. 0, once the last one has filled
 * BUF's 2^(ng-1) rows: contract() and contract_lanes() share it. */
static inline __attribute__((always_inline)) void contract_rest(int ng, const double *P,
								double *restrict buf, int n)
{
	int g, i, s, half = 1 << (ng - 1);

	for (g = ng - 2; g >= 0; g--) {
		const double *restrict Pg = P + g * LANES;

		half >>= 1;
		for (s = 0; s < half; s++) {
			double *restrict b = buf + s * LANES;
			const double *restrict b2 = buf + (s + half) * LANES;

			for (i = 0; i < n; i++)
				b[i] += Pg[i] * (b2[i] - b[i]);
		}
	}
}

/* For each of the N lanes, the sum over coalitions S of P(S) W[S], each
 * guarantor g in S independently with probability P[g * LANES + lane]:
 * the multilinear extension of the contest row W, contracted one
 * guarantor at a time, into BUF[0 .. N - 1] (BUF holds 2^(ng-1) rows of
 * LANES). */
static inline __attribute__((always_inline)) void contract(const double *W, int ng,
							   const double *P, double *restrict buf,
							   int n)
{
	int i, s, half;

	if (ng == 0) {
		for (i = 0; i < n; i++)
			buf[i] = W[0];
		return;
	}
	half = 1 << (ng - 1);
	for (s = 0; s < half; s++) {
		const double *restrict Pl = P + (ng - 1) * LANES;
		double w0 = W[s], dw = W[s + half] - W[s];
		double *restrict b = buf + s * LANES;

		for (i = 0; i < n; i++)
			b[i] = w0 + Pl[i] * dw;
	}
	contract_rest(ng, P, buf, n);
}

/* As contract(), with a row of its own for each lane: W holds 2^ng rows
 * of LANES, W[S * LANES + lane]. */
static inline __attribute__((always_inline)) void contract_lanes(const double *W, int ng,
								 const double *P,
								 double *restrict buf, int n)
{
	int i, s, half;

	if (ng == 0) {
		for (i = 0; i < n; i++)
			buf[i] = W[i];
		return;
	}
	half = 1 << (ng - 1);
	for (s = 0; s < half; s++) {
		const double *restrict Pl = P + (ng - 1) * LANES;
		const double *restrict w0 = W + s * LANES, *restrict w1 = W + (s + half) * LANES;
		double *restrict b = buf + s * LANES;

		for (i = 0; i < n; i++)
			b[i] = w0[i] + Pl[i] * (w1[i] - w0[i]);
	}
	contract_rest(ng, P, buf, n);
}

/* For each of the N lanes, E[W] over coalitions by the quadrature rule
 * of step K of TAB (quad.c): the sum over its nodes of the node's weight
 * times prod_g (1 + P_g (e_g - 1)), into BUF[0 .. N - 1]. */
static inline __attribute__((always_inline)) void quadrature(const struct cm_tables *tab,
							     int ng, long k, const double *P,
							     double *restrict buf, int n)
{
	const double *row = tab->qtab + k * (long)CM_QUAD_MAX_NODES * (ng + 1);
	double prod[LANES];
	int i, j, g;

	for (i = 0; i < n; i++)
		buf[i] = 0;
	for (j = 0; j < tab->qn[k]; j++, row += ng + 1) {
		for (i = 0; i < n; i++)
			prod[i] = row[0];
		for (g = 0; g < ng; g++) {
			const double *restrict Pg = P + g * LANES;
			const double d = row[1 + g] - 1;

			for (i = 0; i < n; i++)
				prod[i] *= 1 + Pg[i] * d;
		}
		for (i = 0; i < n; i++)
			buf[i] += prod[i];
	}
}

/* The step's contraction of the contest rows against the probabilities P
 * into BUF: the lanes' own rows, or row K of the contest table (by its
 * quadrature where the table has one). */
static inline __attribute__((always_inline)) void contract_step(const struct commitment *m,
								const struct lanes *L, long k,
								const double *P,
								double *restrict buf)
{
	if (L->F)
		contract_lanes(L->F->W, m->ng, P, buf, L->n);
	else if (m->tab->qn && m->tab->qn[k])
		quadrature(m->tab, m->ng, k, P, buf, L->n);
	else
		contract(m->tab->wtab + k * (1L << m->ng), m->ng, P, buf, L->n);
}

/* The hazard of step k for every lane: accumulates it into cum. This is
 * the hot loop of the program. */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void lanes_hazard(const struct commitment *m, struct lanes *L, long k)
{
	const int n = L->n, ng = m->ng;
	const double *c = m->tab->phi;
	const double t = (double)k / (double)m->steps_per_year;
	double *restrict buf = L->buf;
	double eu[LANES], fr[LANES], q0[LANES], q1[LANES], q2[LANES], q3[LANES];
	int idx[LANES];
	int g, i;

	for (i = 0; i < n; i++)
		eu[i] = L->base[i];
	for (g = 0; g < ng; g++) {
		const double *restrict za = L->gv[LV_ZA] + g * LANES;
		const double *restrict zb = L->gv[LV_ZB] + g * LANES;
		const double *restrict zc = L->gv[LV_ZC] + g * LANES;
		const double *restrict aut = L->gv[LV_AUT] + g * LANES;
		const double *restrict bias = L->gv[LV_BIAS] + g * LANES;
		const double *restrict esc = L->gv[LV_ESC] + g * LANES;
		double *restrict Hh = L->gv[LV_HH] + g * LANES;
		double *restrict Ht = L->gv[LV_H] + g * LANES;

		/* Phi in three loops: where each z falls in the table
		 * (vectorised), the four coefficients of its piece (scalar
		 * loads: gathers do not pay), and the cubic (vectorised). */
		for (i = 0; i < n; i++) {
			double u = (za[i] - zb[i] * t + zc[i] - PHI_LO) * PHI_SCALE;
			int j;

			u = u >= 0 ? u : 0;
			u = u > PHI_N ? PHI_N : u;
			j = (int)u;
			j = j > PHI_N - 1 ? PHI_N - 1 : j;
			fr[i] = u - j;
			idx[i] = j;
		}
		for (i = 0; i < n; i++) {
			int j = idx[i];

			q0[i] = c[j];
			q1[i] = c[PHI_N + j];
			q2[i] = c[2 * PHI_N + j];
			q3[i] = c[3 * PHI_N + j];
		}
		for (i = 0; i < n; i++) {
			double f = fr[i];
			double h = q0[i] + f * (q1[i] + f * (q2[i] + f * q3[i]));
			double x = 1 - (1 - h) * (1 - aut[i]);
			double y = x + bias[i];

			Ht[i] = x;
			y = y < 0 ? 0 : y;
			y = y > 1 ? 1 : y;
			Hh[i] = y;
			eu[i] -= y * esc[i];
		}
	}
	contract_step(m, L, k, L->gv[LV_HH], buf);
	for (i = 0; i < n; i++) {
		double e = eu[i] + L->stake[i] * buf[i];

		L->cum[i] += L->mhdt[i] / (1 + fast_exp(e * L->nit[i]));
	}
}

/* Adds to each lane's record (the conditional estimator's contributions)
 * those of step K, whose hazard lanes_hazard() has just added to cum: an
 * attack in it with probability alive - exp(-cum), against the true
 * honour probabilities, as the reference kernel's accumulate() does. */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void lanes_conditional(const struct commitment *m, struct lanes *L, long k)
{
	const int n = L->n, ng = m->ng;
	const long all = (1L << ng) - 1;
	double p[LANES], every[LANES], none[LANES], r0[LANES], ra[LANES];
	double (*restrict a)[LANES] = L->acc;
	const double *restrict w0 = r0, *restrict wa = ra, *restrict won = L->buf2;
	int g, i;

	/* The contest against nobody and against everybody: the lanes' own
	 * rows, or the table's, spread over the lanes so that the loop
	 * below has one form (and vectorises). */
	if (L->F) {
		w0 = L->F->W;
		wa = L->F->W + all * LANES;
	} else {
		for (i = 0; i < n; i++) {
			r0[i] = m->tab->wtab[k * (all + 1)];
			ra[i] = m->tab->wtab[k * (all + 1) + all];
		}
	}

	contract_step(m, L, k, L->gv[LV_H], L->buf2);
	for (i = 0; i < n; i++) {
		double next = fast_exp(-L->cum[i]);

		p[i] = L->alive[i] - next;
		L->alive[i] = next;
		every[i] = ng ? 1 : 0;
		none[i] = 1;
	}
	for (g = 0; g < ng; g++) {
		const double *restrict H = L->gv[LV_H] + g * LANES;

		for (i = 0; i < n; i++) {
			every[i] *= H[i];
			none[i] *= 1 - H[i];
			a[K_INTERVENED + g][i] += p[i] * H[i];
		}
	}
	for (i = 0; i < n; i++) {
		double wn = won[i], e = every[i], q = p[i];
		double wev = ng ? e * wa[i] : 0;
		double wno = none[i] * w0[i];

		a[K_ATTACKED][i] += q;
		a[K_HONORED][i] += q * e;
		a[K_ABANDONED][i] += q * none[i];
		a[K_PARTIAL][i] += q * (1 - e - none[i]);
		a[K_WON][i] += q * wn;
		a[K_CELL + 0][i] += q * (e - wev);
		a[K_CELL + 1][i] += q * wev;
		a[K_CELL + 2][i] += q * (1 - e - none[i] - (wn - wev - wno));
		a[K_CELL + 3][i] += q * (wn - wev - wno);
		a[K_CELL + 4][i] += q * (none[i] - wno);
		a[K_CELL + 5][i] += q * wno;
		a[K_STEP_SUM][i] += q * (double)k;
		a[K_STEP_SQ][i] += q * (double)k * (double)k;
	}
	for (i = 0; i < n; i++)
		L->rec[i][K_INTERVENED + ng + k] = p[i];
}

/* Writes the sums the conditional estimator kept per lane (L->acc) and
 * the survival into the records of the first N lanes. */
static void lanes_flush(const struct commitment *m, struct lanes *L, int n)
{
	int f, g, i;

	for (i = 0; i < n; i++) {
		double *x = L->rec[i];

		for (f = K_ATTACKED; f <= K_STEP_SQ; f++)
			x[f] = L->acc[f][i];
		for (g = 0; g < m->ng; g++)
			x[K_INTERVENED + g] = L->acc[K_INTERVENED + g][i];
		x[K_DETERRED] = L->alive[i];
	}
}

/* The true honour probability of guarantor G in lane I at step K, as
 * lanes_hazard() computed it. */
static double lane_honour(const struct commitment *m, const struct lanes *L, int g,
			  int i, long k)
{
	const double t = (double)k / (double)m->steps_per_year;
	int x = g * LANES + i;
	double h = fast_phi(m->tab->phi, L->gv[LV_ZA][x] - L->gv[LV_ZB][x] * t + L->gv[LV_ZC][x]);

	return 1 - (1 - h) * (1 - L->gv[LV_AUT][x]);
}

/* Applies the elections of step K to every running lane. */
static void lanes_elections(const struct commitment *m, struct lanes *L, long k)
{
	int g, i, e;

	for (g = 0; g < m->ng && m->any_elections; g++) {
		const unsigned char nel = m->tab->el_count[g * m->n_steps + k];

		for (e = 0; e < nel; e++)
			for (i = 0; i < L->n; i++) {
				int x = g * LANES + i;

				if (rng_u(L->elect[i], L->anti[i]) < L->gv[LV_TURNOVER][x])
					L->gv[LV_ZC][x] += rng_normal(L->elect[i], L->anti[i]) *
							   L->gv[LV_SHOCK][x];
			}
	}
}

/* Runs the trials FIRST .. FIRST+COUNT-1 (at most LANES) as one batch of
 * the conditional estimator: every lane walks every step. */
static void run_conditional(const struct commitment *m, struct work *w, uint64_t seed,
			    uint64_t first, int count, void *rec)
{
	struct lanes *L = w->L;
	size_t size = m->layout->pub.record_size;
	long k;
	int i;

	for (i = 0; i < count; i++) {
		lane_setup(m, w, seed, first + (uint64_t)i, i);
		L->rec[i] = (double *)((char *)rec + (size_t)i * size);
		memset(L->rec[i], 0, size);
		L->alive[i] = 1;
	}
	memset(L->acc, 0, sizeof(L->acc));
	L->n = count;
	for (k = 0; k < m->n_steps; k++) {
		if ((k & STOP_STEPS) == STOP_STEPS && w->stop && *w->stop)
			break;
		if (L->F)
			cm_forces_rows(m, L->F, L->n, k);
		lanes_hazard(m, L, k);
		lanes_conditional(m, L, k);
		if (L->F)
			cm_forces_advance(m, L->F, L->n);
		lanes_elections(m, L, k);
	}
	lanes_flush(m, L, count);
}

/* Runs the trials FIRST .. FIRST+COUNT-1 (at most LANES) as one batch. */
void cm_run_batch(const struct commitment *m, struct work *w, uint64_t seed,
		  uint64_t first, int count, void *rec)
{
	struct lanes *L = w->L;
	struct cm_record *out = rec;
	const int ng = m->ng;
	long k;
	int i, g;

	if (m->estimator == MODEL_CONDITIONAL) {
		run_conditional(m, w, seed, first, count, rec);
		return;
	}
	for (i = 0; i < count; i++)
		lane_setup(m, w, seed, first + (uint64_t)i, i);
	L->n = count;
	for (k = 0; k < m->n_steps && L->n > 0; k++) {
		if ((k & STOP_STEPS) == STOP_STEPS && w->stop && *w->stop)
			return;
		if (L->F)
			cm_forces_rows(m, L->F, L->n, k);
		lanes_hazard(m, L, k);
		for (i = L->n - 1; i >= 0; i--) {
			struct cm_record *o;
			unsigned S = 0;

			if (!(L->cum[i] > L->thr[i]))
				continue;
			o = &out[L->trial[i] - first];
			rng_stream(w->r_outcome, seed, cm_stream_trial(m, L->trial[i]), STREAM_OUTCOME);
			o->n_intervened = 0;
			for (g = 0; g < ng; g++)
				if (rng_u(w->r_outcome, L->anti[i]) < lane_honour(m, L, g, i, k)) {
					S |= 1u << g;
					o->n_intervened++;
				}
			o->attacked = 1;
			o->step = k;
			o->intervened = S;
			o->challenger_won = rng_u(w->r_outcome, L->anti[i]) <
					    (L->F ? L->F->W[S * LANES + i]
						  : m->tab->wtab[k * (1L << ng) + S]);
			lane_move(L, ng, i, --L->n);
		}
		if (L->F)
			cm_forces_advance(m, L->F, L->n);
		lanes_elections(m, L, k);
	}
	for (i = 0; i < L->n; i++) {
		struct cm_record *o = &out[L->trial[i] - first];

		memset(o, 0, sizeof(*o));
		o->step = m->n_steps;
	}
}

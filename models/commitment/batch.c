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

void cm_lanes_free(struct lanes *L)
{
	int i;

	if (!L)
		return;
	free(L->gv[0]);
	free(L->buf);
	for (i = 0; i < LANES; i++)
		gsl_rng_free(L->elect[i]);
	free(L);
}

struct lanes *cm_lanes_alloc(int ng, const gsl_rng_type *type)
{
	struct lanes *L = calloc(1, sizeof(*L));
	size_t per_g = (size_t)LANES * (size_t)(ng ? ng : 1);
	size_t nbuf = (size_t)1 << (ng ? ng - 1 : 0);
	int i, ok;

	if (!L)
		return NULL;
	L->gv[0] = malloc(sizeof(double) * per_g * (N_LV + 1));
	L->buf = malloc(sizeof(double) * LANES * nbuf);
	ok = L->gv[0] && L->buf;
	for (i = 1; ok && i <= N_LV; i++)
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
	int g, ng = m->ng;

	if (m->n_random) {
		rng_stream(w->r_params, seed, i, STREAM_PARAMS);
		for (g = 0; g < m->n_random; g++)
			v[m->random[g]] = dist_draw(&m->p[m->random[g]], w->r_params);
	}
	rng_stream(w->r_seen, seed, i, STREAM_SEEN);
	L->trial[j] = i;
	L->cum[j] = 0;
	L->thr[j] = gsl_ran_exponential(w->r_seen, 1.0);
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
				    ? x[G_PBIAS] + gsl_ran_gaussian_ziggurat(w->r_seen, 1.0) * x[G_PSD]
				    : 0;
		L->gv[LV_ESC][k] = x[G_ECOST];
		L->gv[LV_TURNOVER][k] = x[G_TURNOVER];
		L->gv[LV_SHOCK][k] = x[G_SHOCK] * (1 - vote) / sd;
		if (m->mech[g] & HAS_SANC)
			base -= x[G_SANCTIONS];
	}
	L->base[j] = base;
	if (m->any_elections)
		rng_stream(L->elect[j], seed, i, STREAM_ELECTIONS);
}

/* Moves lane FROM into lane TO. */
static void lane_move(struct lanes *L, int ng, int to, int from)
{
	gsl_rng *r;
	int g, v;

	L->trial[to] = L->trial[from];
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
}

/* The hazard of step k for every lane: accumulates it into cum. This is
 * the hot loop of the program. */
__attribute__((target_clones("avx512f", "avx2", "default")))
static void lanes_hazard(const struct commitment *m, struct lanes *L, long k)
{
	const int n = L->n, ng = m->ng;
	const double *W = m->tab->wtab + k * (1L << ng), *c = m->tab->phi;
	const double t = (double)k / (double)m->steps_per_year;
	double *restrict buf = L->buf;
	double eu[LANES], fr[LANES], q0[LANES], q1[LANES], q2[LANES], q3[LANES];
	int idx[LANES];
	int g, i, s, half;

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

			y = y < 0 ? 0 : y;
			y = y > 1 ? 1 : y;
			Hh[i] = y;
			eu[i] -= y * esc[i];
		}
	}
	if (ng == 0) {
		for (i = 0; i < n; i++)
			buf[i] = W[0];
	} else {
		const double *restrict P = L->gv[LV_HH] + (ng - 1) * LANES;

		half = 1 << (ng - 1);
		for (s = 0; s < half; s++) {
			double w0 = W[s], dw = W[s + half] - W[s];
			double *restrict b = buf + s * LANES;

			for (i = 0; i < n; i++)
				b[i] = w0 + P[i] * dw;
		}
		for (g = ng - 2; g >= 0; g--) {
			const double *restrict Pg = L->gv[LV_HH] + g * LANES;

			half >>= 1;
			for (s = 0; s < half; s++) {
				double *restrict b = buf + s * LANES;
				const double *restrict b2 = buf + (s + half) * LANES;

				for (i = 0; i < n; i++)
					b[i] += Pg[i] * (b2[i] - b[i]);
			}
		}
	}
	for (i = 0; i < n; i++) {
		double e = eu[i] + L->stake[i] * buf[i];

		L->cum[i] += L->mhdt[i] / (1 + fast_exp(e * L->nit[i]));
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

/* Runs the trials FIRST .. FIRST+COUNT-1 (at most LANES) as one batch. */
void cm_run_batch(const struct commitment *m, struct work *w, uint64_t seed,
		      uint64_t first, int count, struct cm_record *out)
{
	struct lanes *L = w->L;
	const int ng = m->ng;
	long k;
	int i, g, e;

	for (i = 0; i < count; i++)
		lane_setup(m, w, seed, first + (uint64_t)i, i);
	L->n = count;
	for (k = 0; k < m->n_steps && L->n > 0; k++) {
		if ((k & STOP_STEPS) == STOP_STEPS && w->stop && *w->stop)
			return;
		lanes_hazard(m, L, k);
		for (i = L->n - 1; i >= 0; i--) {
			struct cm_record *o;
			unsigned S = 0;

			if (!(L->cum[i] > L->thr[i]))
				continue;
			o = &out[L->trial[i] - first];
			rng_stream(w->r_outcome, seed, L->trial[i], STREAM_OUTCOME);
			o->n_intervened = 0;
			for (g = 0; g < ng; g++)
				if (gsl_rng_uniform(w->r_outcome) < lane_honour(m, L, g, i, k)) {
					S |= 1u << g;
					o->n_intervened++;
				}
			o->attacked = 1;
			o->step = k;
			o->intervened = S;
			o->challenger_won = gsl_rng_uniform(w->r_outcome) < m->tab->wtab[k * (1L << ng) + S];
			lane_move(L, ng, i, --L->n);
		}
		for (g = 0; g < ng && m->any_elections; g++) {
			const unsigned char nel = m->tab->el_count[g * m->n_steps + k];

			for (e = 0; e < nel; e++)
				for (i = 0; i < L->n; i++) {
					int x = g * LANES + i;

					if (gsl_rng_uniform(L->elect[i]) < L->gv[LV_TURNOVER][x])
						L->gv[LV_ZC][x] += gsl_ran_gaussian_ziggurat(L->elect[i], 1.0) *
								   L->gv[LV_SHOCK][x];
				}
		}
	}
	for (i = 0; i < L->n; i++) {
		struct cm_record *o = &out[L->trial[i] - first];

		o->attacked = 0;
		o->step = m->n_steps;
		o->n_intervened = 0;
		o->intervened = 0;
		o->challenger_won = 0;
	}
}

/* reference.c - the reference kernel: one trial, one step at a time, in
 * the plainest code; it also tells traced trials. */
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "models/commitment/commitment.h"
#include "models/commitment/internal.h"
#include "models/commitment/physics.h"

/* Sum over coalitions S of P(S) * W[S], where each guarantor g is in S
 * independently with probability P[g]: the multilinear extension of W,
 * contracted one guarantor at a time (2^ng - 1 multiply-adds). */
static double expect(const double *W, const double *P, int ng, double *buf)
{
	int g;
	unsigned s, half;

	if (ng == 0)
		return W[0];
	half = 1u << (ng - 1);
	for (s = 0; s < half; s++)
		buf[s] = W[s] + P[ng - 1] * (W[s + half] - W[s]);
	for (g = ng - 2; g >= 0; g--) {
		half >>= 1;
		for (s = 0; s < half; s++)
			buf[s] += P[g] * (buf[s + half] - buf[s]);
	}
	return buf[0];
}

/* Applies the elections of every guarantor that fall in (t_k, t_k+1],
 * counted as the batch kernel counts them; tells each to SINK. */
static void elections(const struct commitment *m, struct work *w, double t_now,
		      double t_next, long k, const struct model_trace_sink *sink)
{
	struct trial *t = &w->t;
	int g;
	long e, n;

	for (g = 0; g < m->ng; g++) {
		const double *x = t->v + GS(g, 0);
		double vote = m->mech[g] & HAS_RAT ? x[G_VOTE] : 0;

		if (t->next_el[g] > t_next + m->tol)
			continue;
		n = commitment_elections_by(x[G_NEXT_EL], x[G_EL_INTERVAL], t_next, m->tol) -
		    commitment_elections_by(x[G_NEXT_EL], x[G_EL_INTERVAL], t_now, m->tol);
		for (e = 0; e < n; e++) {
			/* Fields: the guarantor, turnover, shock. */
			double f[3] = { g, 0, 0 };
			struct model_trace_event ev = { CM_EV_ELECTION, k, t_next, f };

			if (rng_u(w->r_elect, w->anti) < x[G_TURNOVER]) {
				f[1] = 1;
				f[2] = rng_normal(w->r_elect, w->anti) * (x[G_SHOCK] * (1 - vote));
				t->shift[g] += f[2];
			}
			if (sink)
				sink->event(sink->ctx, &ev);
		}
		while (t->next_el[g] <= t_next + m->tol)
			t->next_el[g] += x[G_EL_INTERVAL];
	}
}

/* Time of the first election after t = 0, or infinity. */
static double first_election(const struct commitment *m, const double *x)
{
	double iv = x[G_EL_INTERVAL], te = x[G_NEXT_EL];

	if (!(iv > 0))
		return INF;
	while (te <= m->tol)
		te += iv;
	return te;
}

/* Reports step K of trial T to SINK, in the layout's columns: challenger,
 * troops, arms, then H, Hhat and shift per guarantor, then EU, hazard,
 * the cumulative hazard and the threshold. */
static void trace_step(const struct commitment *m, const struct trial *t,
		       const struct model_trace_sink *sink, long k, double tk, double eu,
		       double lambda, double cum, double threshold)
{
	double v[CM_COLS(CM_MAX_GUARANTORS)], arms = 0;
	struct model_trace_step s = { k, tk, v };
	int g, n = CM_COL_H;

	for (g = 0; g < m->ng; g++) {
		arms += t->A[g];
		v[n++] = t->H[g];
		v[n++] = t->Hhat[g];
		v[n++] = t->shift[g];
	}
	v[0] = t->C;
	v[1] = t->T;
	v[2] = arms;
	v[n++] = eu;
	v[n++] = lambda;
	v[n++] = cum;
	v[n] = threshold;
	sink->step(sink->ctx, &s);
}

/* One trial, one step at a time; with SINK, reports its story there. */
/* Draws trial I's uncertain parameters (in slot order; the fixed ones
 * were set when the workspace was made), its threshold, the challenger's
 * misreading of each guarantor and its first elections; returns the
 * threshold and sets *BASE (the part of EU that does not depend on who
 * fights) and ESCAL. */
static double begin_trial(const struct commitment *m, struct work *w, uint64_t seed,
			  uint64_t i, double *base, double *escal)
{
	struct trial *t = &w->t;
	double *v = t->v, threshold;
	uint64_t si = cm_stream_trial(m, i);
	int g, anti = w->anti = cm_anti(m, i);

	if (m->n_random) {
		rng_stream(w->r_params, seed, si, STREAM_PARAMS);
		for (g = 0; g < m->n_random; g++)
			v[m->random[g]] = dist_draw(&m->p[m->random[g]], w->r_params, anti);
	}
	trial_setup(m, t);
	rng_stream(w->r_seen, seed, si, STREAM_SEEN);
	threshold = -log(rng_u(w->r_seen, anti));
	for (g = 0; g < m->ng; g++)
		t->bias[g] = m->mech[g] & HAS_MON
			     ? v[GS(g, G_PBIAS)] + rng_normal(w->r_seen, anti) * v[GS(g, G_PSD)]
			     : 0;
	if (m->any_elections) {
		rng_stream(w->r_elect, seed, si, STREAM_ELECTIONS);
		for (g = 0; g < m->ng; g++)
			t->next_el[g] = first_election(m, v + GS(g, 0));
	}
	*base = -v[C_WAR_COST];
	for (g = 0; g < m->ng; g++) {
		escal[g] = v[GS(g, G_ECOST)];
		if (m->mech[g] & HAS_SANC)
			*base -= v[GS(g, G_SANCTIONS)];
	}
	return threshold;
}

/* The challenger's expected utility of war at step K (time TK) of trial
 * T, contest row W, honour computed afresh for the guarantors in SHOCKED;
 * sets T->H and T->Hhat. */
static double utility(const struct commitment *m, struct work *w, long k, double tk,
		      const double *W, double base, const double *escal, int shocked)
{
	struct trial *t = &w->t;
	const double *v = t->v;
	double eu = base;
	int g;

	for (g = 0; g < m->ng; g++) {
		double H, Hh;

		if (m->tab->htab[g] && !(shocked >> g & 1))
			H = m->tab->htab[g][k];
		else
			H = honour(numerator(v, m->mech[g], g, tk, t->shift[g]),
				   v[GS(g, G_RESOLVE_SD)], has_tripwire(v, m->mech[g], g),
				   v[GS(g, G_AUTOMATICITY)]);
		t->H[g] = H;
		Hh = H + t->bias[g];
		Hh = Hh < 0 ? 0 : Hh > 1 ? 1 : Hh;
		t->Hhat[g] = Hh;
		eu -= Hh * escal[g];
	}
	return eu + v[C_STAKE] * expect(W, t->Hhat, m->ng, w->buf);
}

/* The attack of trial I at step K (time TK): who intervenes and who wins,
 * into OUT, told to SINK when not NULL. */
static void attack(const struct commitment *m, struct work *w, uint64_t seed, uint64_t i,
		   long k, double tk, const double *W, struct cm_record *out,
		   const struct model_trace_sink *sink)
{
	unsigned S = 0;
	int g;

	rng_stream(w->r_outcome, seed, cm_stream_trial(m, i), STREAM_OUTCOME);
	out->n_intervened = 0;
	for (g = 0; g < m->ng; g++)
		if (rng_u(w->r_outcome, w->anti) < w->t.H[g]) {
			S |= 1u << g;
			out->n_intervened++;
		}
	out->attacked = 1;
	out->step = k;
	out->intervened = S;
	out->challenger_won = rng_u(w->r_outcome, w->anti) < W[S];
	if (sink) {
		/* Fields: who intervened, the challenger's chance, who won. */
		double f[3] = { S, W[S], out->challenger_won };
		struct model_trace_event ev = { CM_EV_ATTACK, k, tk, f };

		sink->event(sink->ctx, &ev);
	}
}

/* Adds to X, a trial's contributions (the conditional estimator's
 * record), those of an attack in step K with probability P: against the
 * true honour probabilities of W's trial, the chance every guarantor,
 * none, or some come, that each comes, and that the challenger wins
 * (against each coalition, W). */
static void accumulate(const struct commitment *m, struct work *w, double *x, long k, double p,
		       const double *W)
{
	const double *H = w->t.H;
	const long all = (1L << m->ng) - 1;
	double every = 1, none = 1, won, wev, wno;
	int g;

	for (g = 0; g < m->ng; g++) {
		every *= H[g];
		none *= 1 - H[g];
		x[K_INTERVENED + g] += p * H[g];
	}
	if (m->ng == 0)
		every = 0;	/* no guarantor: every attack is abandoned */
	won = expect(W, H, m->ng, w->buf);
	wev = m->ng ? every * W[all] : 0;
	wno = none * W[0];
	x[K_ATTACKED] += p;
	x[K_HONORED] += p * every;
	x[K_ABANDONED] += p * none;
	x[K_PARTIAL] += p * (1 - every - none);
	x[K_WON] += p * won;
	x[K_CELL + 0] += p * (every - wev);
	x[K_CELL + 1] += p * wev;
	x[K_CELL + 2] += p * (1 - every - none - (won - wev - wno));
	x[K_CELL + 3] += p * (won - wev - wno);
	x[K_CELL + 4] += p * (none - wno);
	x[K_CELL + 5] += p * wno;
	x[K_STEP_SUM] += p * (double)k;
	x[K_STEP_SQ] += p * (double)k * (double)k;
	x[K_INTERVENED + m->ng + k] = p;
}

void cm_reference_trial(const struct commitment *m, struct work *w, uint64_t seed, uint64_t i,
			void *rec, const struct model_trace_sink *sink)
{
	struct trial *t = &w->t;
	const double *v = t->v;
	const long ns = 1L << m->ng;
	const int cond = m->estimator == MODEL_CONDITIONAL;
	double threshold, cum = 0, base, escal[CM_MAX_GUARANTORS], *x = rec, alive = 1;
	struct cm_record *out = rec, told;
	const double *W;
	long k;
	int g, shocked = 0, attacked = 0;

	threshold = begin_trial(m, w, seed, i, &base, escal);
	if (cond)
		memset(x, 0, m->layout->pub.record_size);
	for (k = 0; k < m->n_steps; k++) {
		double tk = (double)k / (double)m->steps_per_year, eu, lambda;

		if ((k & STOP_STEPS) == STOP_STEPS && !sink && w->stop && *w->stop)
			return;
		if (m->tab->wtab) {
			W = m->tab->wtab + k * ns;
		} else {
			contest_row(w->wrow, m->ng, t->C * v[C_QUALITY], target_force(m, t),
				    t->gforce, v[C_GAMMA]);
			W = w->wrow;
		}
		eu = utility(m, w, k, tk, W, base, escal, shocked);
		lambda = v[C_MAX_HAZARD] / (1 + exp(-eu / v[C_TEMPERATURE]));
		cum += lambda * m->dt;
		if (sink && !attacked)
			trace_step(m, t, sink, k, tk, eu, lambda, cum, threshold);
		if (cond) {
			/* P(attack in step k | environment): survival to its
			 * start, exp(-cum before), less survival past it. */
			double next = exp(-cum);

			accumulate(m, w, x, k, alive - next, W);
			alive = next;
		}
		if (!attacked && cum > threshold) {
			/* The story's attack; the conditional estimator goes on. */
			attacked = 1;
			attack(m, w, seed, i, k, tk, W, cond ? &told : out, sink);
			if (!cond)
				return;
		}
		if (!m->tab->wtab || sink)
			advance_forces(m, t);
		if (m->any_elections) {
			elections(m, w, tk, (double)(k + 1) / (double)m->steps_per_year, k,
				  attacked ? NULL : sink);
			for (g = 0; g < m->ng; g++)
				if (t->shift[g] != 0)
					shocked |= 1 << g;
		}
	}
	if (cond) {
		x[K_DETERRED] = alive;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->step = m->n_steps;
}

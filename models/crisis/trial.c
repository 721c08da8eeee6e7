/* trial.c - one trial of the crisis model (docs/models/crisis.md,
 * "A step"): the draws, the quantities of each step, the chance of war
 * at its crises, probes and learning, the exact updates of the state,
 * and the trial's contribution to every counter under either estimator. */
#include <math.h>
#include <string.h>

#include "core/rng.h"
#include "models/crisis/crisis.h"

/* A trial's state, at the start of the current step. */
struct state {
	double C, T;
	double A[CR_MAX_GUARANTORS], mu[CR_MAX_GUARANTORS], dil[CR_MAX_GUARANTORS];
	double yes[CR_MAX_GUARANTORS], no[CR_MAX_GUARANTORS];	/* probes answered, not */
	/* The tripwire's chance of bringing guarantor g in, for troops
	 * trip_at[g] (NaN: to be computed). */
	double trip[CR_MAX_GUARANTORS], trip_at[CR_MAX_GUARANTORS];
};

/* What a trial's values give, recomputed when a scheduled change
 * applies: the exact decay of each state variable over one step, and
 * each guarantor's ratification and the share of a downward revision
 * that passes. */
struct rates {
	double grow, demob;			/* exp(-rate dt) */
	double arms[CR_MAX_GUARANTORS];		/* exp(-depreciation dt) */
	/* What a delivery rate of 1 at the step's start, decaying with the
	 * provisions at kappa = pressure delta, adds to the stock by the
	 * step's end: e^{-kappa dt} (1 - e^{-(d - kappa) dt}) / (d - kappa). */
	double gain[CR_MAX_GUARANTORS];
	double keep[CR_MAX_GUARANTORS];		/* exp(-pressure delta dt) */
	double delta[CR_MAX_GUARANTORS];
	int rat[CR_MAX_GUARANTORS];
};

/* The quantities of one step. */
struct view {
	double H[CR_MAX_GUARANTORS];	/* true chance of honouring */
	double B[CR_MAX_GUARANTORS];	/* the challenger's belief in it */
	const double *W;		/* [2^ng]: the challenger's chance against each coalition */
	double eu, q;
};

/* What one trial is running with. */
struct run {
	const struct crisis *m;
	struct cr_work *w;
	const struct model_trace_sink *sink;
	double v[N_SLOTS];
	struct rates rt;
	int anti;
};

/* Sets RT from the values V of a trial of M. */
static void set_rates(const struct crisis *m, const double *v, struct rates *rt)
{
	double dt = m->dt;
	int g;

	rt->grow = exp(-v[C_GROWTH] * dt);
	rt->demob = exp(-v[T_DEMOB] * dt);
	for (g = 0; g < m->ng; g++) {
		const double *y = v + GS(g, 0);

		rt->rat[g] = (m->mech[g] & HAS_RAT) && y[G_VOTE] >= y[G_REQUIRED];
		rt->delta[g] = (1 - (rt->rat[g] ? y[G_LOCK] : 0)) * (1 - y[G_BIPARTISAN]);
		double kappa = v[C_PRESSURE] * rt->delta[g], x = (y[G_ARMS_DEP] - kappa) * dt;

		rt->arms[g] = exp(-y[G_ARMS_DEP] * dt);
		rt->keep[g] = exp(-kappa * dt);
		rt->gain[g] = rt->keep[g] * (x != 0 ? -expm1(-x) / (y[G_ARMS_DEP] - kappa) : dt);
	}
}

/* The tripwire troops of guarantor G at the state X. */
static double troops_of(const struct crisis *m, const double *v, const struct state *x, int g)
{
	return m->mech[g] & HAS_TRIP ? v[GS(g, G_TRIP_TROOPS)] * x->dil[g] : 0;
}

/* Fills W[S], the challenger's chance against each coalition S, at the
 * state X of a trial with values V. */
static void contests(const struct crisis *m, const double *v, const struct state *x, double *W)
{
	double X[1 << CR_MAX_GUARANTORS], G[CR_MAX_GUARANTORS], warn = 1, arms = 0, E, D;
	unsigned s, n = 1u << m->ng;
	int g;

	for (g = 0; g < m->ng; g++) {
		const double *y = v + GS(g, 0);

		G[g] = (y[G_FORCES] + troops_of(m, v, x, g)) * y[G_QUALITY];
		if (m->mech[g] & HAS_MON)
			warn *= 1 + y[G_WARNING] * x->dil[g];
		arms += x->A[g];
	}
	E = x->C * v[C_QUALITY];
	D = (x->T * v[T_QUALITY] + arms) * warn;
	X[0] = D;
	W[0] = cr_contest(E, D, v[C_GAMMA]);
	for (s = 1; s < n; s++) {
		X[s] = X[s & (s - 1)] + G[__builtin_ctz(s)];
		W[s] = cr_contest(E, X[s], v[C_GAMMA]);
	}
}

/* Advances the forces of X (the challenger's, the target's troops, the
 * arms stocks) and the provisions pressure has left over one step. */
static void advance_forces(const struct crisis *m, const double *v, const struct rates *rt,
			   struct state *x)
{
	double L = fmin(v[T_CAP], v[T_SUST]);
	int g;

	if (v[C_GROWTH] > 0)
		x->C = v[C_MAX] / (1 + (v[C_MAX] / x->C - 1) * rt->grow);
	if (v[T_DEMOB] > 0 && isfinite(L))
		x->T = L + (x->T - L) * rt->demob;
	for (g = 0; g < m->ng; g++) {
		const double *y = v + GS(g, 0);

		if (m->mech[g] & HAS_ARMS)
			x->A[g] = x->A[g] * rt->arms[g] + y[G_ARMS_RATE] * x->dil[g] * rt->gain[g];
		x->dil[g] *= rt->keep[g];
	}
}

/* Sets the state X of a trial with values V at t = 0. */
static void initial_state(const struct crisis *m, const double *v, struct state *x)
{
	int g;

	memset(x, 0, sizeof(*x));
	x->C = v[C_FORCES];
	x->T = fmin(v[T_TROOPS], v[T_CAP]);
	for (g = 0; g < m->ng; g++) {
		x->mu[g] = v[GS(g, G_INTEREST)];
		x->dil[g] = 1;
		x->trip_at[g] = NAN;
	}
}

/* Applies to V and X the changes due at the start of step K from *NEXT
 * on, telling SINK; returns how many applied. */
static int changes_due(const struct crisis *m, double *v, struct state *x, long k, int *next,
		       const struct model_trace_sink *sink)
{
	double t = (double)k * m->dt;
	int n = 0;

	while (*next < m->nchanges && m->changes[*next].at <= t + m->tol) {
		const struct cr_change *c = &m->changes[*next];
		int g = c->slot >= N_BASE ? (c->slot - N_BASE) / N_G : -1;

		v[c->slot] = c->value;
		if (c->slot == C_FORCES)
			x->C = c->value;
		else if (c->slot == T_TROOPS)
			x->T = c->value;
		else if (g >= 0 && c->slot == GS(g, G_INTEREST))
			x->mu[g] = c->value;
		x->T = fmin(x->T, v[T_CAP]);
		if (g >= 0)
			x->trip_at[g] = NAN;
		if (sink) {
			double ev[2] = { (double)c->entry, c->value };
			struct model_trace_event e = { CR_EV_CHANGE, k, t, ev };

			sink->event(sink->ctx, &e);
		}
		++*next;
		n++;
	}
	return n;
}

/* The slots the forces depend on (through the contest, the arms, the
 * tripwire troops, warning, and the pressure that dilutes them). */
static const int force_slots[] = {
	C_FORCES, C_QUALITY, C_GROWTH, C_MAX, C_GAMMA, C_PRESSURE,
	T_TROOPS, T_CAP, T_SUST, T_DEMOB, T_QUALITY,
};
static const int guarantor_force_slots[] = {
	G_FORCES, G_QUALITY, G_TRIP_TROOPS, G_ARMS_RATE, G_ARMS_DEP, G_WARNING,
	G_VOTE, G_REQUIRED, G_LOCK, G_BIPARTISAN,
};

int cr_forces_table(struct crisis *m)
{
	size_t i, n = (size_t)1 << m->ng;
	double v[N_SLOTS];
	struct rates rt;
	struct state x;
	int g, next = 0;
	long k;

	for (i = 0; i < sizeof(force_slots) / sizeof(force_slots[0]); i++)
		if (m->p[force_slots[i]].kind != DIST_FIXED)
			return 0;
	for (g = 0; g < m->ng; g++)
		for (i = 0; i < sizeof(guarantor_force_slots) / sizeof(guarantor_force_slots[0]); i++)
			if (m->p[GS(g, guarantor_force_slots[i])].kind != DIST_FIXED)
				return 0;
	if ((double)m->n_steps * (double)n > (double)CR_WTAB_MAX)
		return 0;
	if (!(m->wtab = malloc(sizeof(double) * n * (size_t)m->n_steps)))
		return -1;
	for (i = 0; i < N_SLOTS; i++)
		v[i] = m->p[i].a;
	initial_state(m, v, &x);
	set_rates(m, v, &rt);
	for (k = 0; k < m->n_steps; k++) {
		if (changes_due(m, v, &x, k, &next, NULL))
			set_rates(m, v, &rt);
		contests(m, v, &x, m->wtab + (size_t)k * n);
		advance_forces(m, v, &rt, &x);
	}
	return 0;
}

static double honour(double num, double sd)
{
	return sd > 0 ? cr_phi(num / sd) : (num > 0 ? 1.0 : 0.0);
}

/* Fills P[S] = prod_{g in S} p_g prod_{g not in S} (1 - p_g). */
static void coalitions(double *P, int ng, const double *p)
{
	unsigned n = 1, s;
	int g;

	P[0] = 1;
	for (g = 0; g < ng; g++, n <<= 1)
		for (s = 0; s < n; s++) {
			P[s | n] = P[s] * p[g];
			P[s] *= 1 - p[g];
		}
}

/* The quantities of step K at the state X (docs: "The quantities of a
 * step"). */
static void look(const struct run *r, struct state *x, long k, struct view *o)
{
	const struct crisis *m = r->m;
	const double *v = r->v;
	double sanctions = 0, escalation = 0, ew = 0, *P = r->w->P;
	unsigned s, n = 1u << m->ng;
	int g;

	for (g = 0; g < m->ng; g++) {
		const double *y = v + GS(g, 0);
		unsigned mech = m->mech[g];
		int rat = r->rt.rat[g];
		double dil = x->dil[g], troops = troops_of(m, v, x, g);
		double num, h, a, doubt, seen;

		num = x->mu[g] - y[G_ICOST] + y[G_STRENGTH] * dil * (1 + (rat ? y[G_VOTE] : 0));
		h = honour(num, y[G_RESOLVE_SD]);
		if (!(troops == x->trip_at[g])) {
			x->trip[g] = troops > 0 ? y[G_AUTOMATICITY] * -expm1(-troops / y[G_TRIP_SCALE]) : 0;
			x->trip_at[g] = troops;
		}
		a = x->trip[g];
		o->H[g] = 1 - (1 - h) * (1 - a);
		doubt = y[G_DOUBT] * (1 - (mech & HAS_MON ? y[G_MONITOR] * dil : 0));
		seen = o->H[g] * (1 - doubt);
		o->B[g] = m->learning ? (v[C_PRIOR] * seen + x->yes[g]) /
					(v[C_PRIOR] + x->yes[g] + x->no[g])
				      : seen;
		if (mech & HAS_SANC)
			sanctions += y[G_SANCTIONS] * dil;
		escalation += o->B[g] * y[G_ECOST];
	}
	if (m->wtab) {
		o->W = m->wtab + (size_t)k * n;
	} else {
		contests(m, v, x, r->w->W);
		o->W = r->w->W;
	}
	coalitions(P, m->ng, o->B);
	for (s = 0; s < n; s++)
		ew += P[s] * o->W[s];
	o->eu = v[C_STAKE] * ew - v[C_WAR_COST] - escalation - sanctions;
	o->q = cr_phi(o->eu / v[C_SHOCK_SD]);
}

/* The Poisson(MEAN) quantile of U, at most CR_MAX_CRISES. */
static long poisson_quantile(double u, double mean)
{
	double p = exp(-mean), F = p;
	long k = 0;

	while (u > F && k < CR_MAX_CRISES) {
		k++;
		p *= mean / (double)k;
		F += p;
	}
	return k;
}

static void event(const struct run *r, size_t kind, long k, const double *vals)
{
	struct model_trace_event e = { kind, k, (double)k * r->m->dt, vals };

	if (r->sink)
		r->sink->event(r->sink->ctx, &e);
}

/* The number of guarantor G's elections in (0, T]. */
static long elections_by(const struct crisis *m, const double *y, double t)
{
	double first = y[G_NEXT_EL], interval = y[G_EL_INTERVAL];

	if (!(interval > 0))
		return 0;
	while (first <= m->tol)
		first += interval;
	if (first > t + m->tol)
		return 0;
	return (long)floor((t + m->tol - first) / interval) + 1;
}

/* Advances X over step K (docs: "Updates at the end of a step"): the
 * forces, then each guarantor's resolve (erosion, then its elections in
 * the step). */
static void advance(struct run *r, struct state *x, long k)
{
	const struct crisis *m = r->m;
	const double *v = r->v;
	double t0 = (double)k * m->dt;
	long e, n;
	int g;

	advance_forces(m, v, &r->rt, x);
	for (g = 0; g < m->ng; g++) {
		const double *y = v + GS(g, 0);
		double delta = r->rt.delta[g];

		x->mu[g] -= y[G_EROSION] * delta * m->dt;
		if (!(y[G_EL_INTERVAL] > 0))
			continue;
		n = elections_by(m, y, t0 + m->dt) - elections_by(m, y, t0);
		for (e = 0; e < n && e < CR_MAX_ELECTIONS_PER_STEP; e++) {
			double u = rng_u(r->w->r_elect, r->anti), z = rng_normal(r->w->r_elect, r->anti);
			double shock = y[G_EL_SHOCK] * z, ev[3] = { g, u < y[G_TURNOVER], 0 };

			if (u < y[G_TURNOVER]) {
				if (shock < 0)
					shock *= delta;
				x->mu[g] += shock;
				ev[2] = shock;
			}
			event(r, CR_EV_ELECTION, k, ev);
		}
	}
}

/* The expected number of crises in step K: the integral over the step
 * of crisis_rate exp(-crisis_decay t). */
static double step_crises(const struct run *r, long k)
{
	double a = r->v[C_DECAY], dt = r->m->dt;

	if (!(a > 0))
		return r->v[C_RATE] * dt;
	return r->v[C_RATE] * exp(-a * (double)k * dt) * -expm1(-a * dt) / a;
}

/* Draws the crises of step K and the probes among them, updating the
 * challenger's tallies of answered and unanswered probes and keeping
 * each answer in W->probe (guarantor times 2, plus 1 if answered) for
 * the trace, W->nprobe of them. Returns the number of crises. */
static long crises(struct run *r, struct state *x, const struct view *o, long k)
{
	const struct crisis *m = r->m;
	gsl_rng *g_r = r->w->r_crises;
	long n = poisson_quantile(rng_u(g_r, r->anti), step_crises(r, k)), j;
	int g;

	r->w->nprobe = 0;
	for (j = 0; j < n; j++) {
		int probe = rng_u(g_r, r->anti) < r->v[C_PROBE];

		for (g = 0; g < m->ng; g++) {
			int yes = rng_u(g_r, r->anti) < o->H[g];

			if (!probe)
				continue;
			if (yes)
				x->yes[g]++;
			else
				x->no[g]++;
			r->w->probe[r->w->nprobe++] = (unsigned char)(2 * g + yes);
		}
	}
	return n;
}

/* Tells the probes of step K (a step without war). */
static void tell_probes(const struct run *r, long k)
{
	int j;

	for (j = 0; j < r->w->nprobe; j++) {
		double ev[2] = { r->w->probe[j] >> 1, r->w->probe[j] & 1 };

		event(r, CR_EV_PROBE, k, ev);
	}
}

/* Adds to OUT what an attack in step K with probability P (given the
 * view O) contributes: by the guarantors' true chances, each coalition's
 * share of P and the challenger's chance against it. */
static void attack_chances(const struct run *r, const struct view *o, long k, double p,
			   double *out)
{
	const struct crisis *m = r->m;
	unsigned s, n = 1u << m->ng, all = n - 1;
	double *P = r->w->P;
	int g;

	coalitions(P, m->ng, o->H);
	for (s = 0; s < n; s++) {
		double c = p * P[s], w = c * o->W[s];
		int sup = m->ng > 0 && s == all ? 0 : s ? 1 : 2;

		out[K_WON] += w;
		out[K_HONORED + sup] += c;
		out[K_CELL + 2 * sup] += c - w;
		out[K_CELL + 2 * sup + 1] += w;
	}
	for (g = 0; g < m->ng; g++)
		out[K_INTERVENED + g] += p * o->H[g];
	out[K_ATTACKED] += p;
	out[K_STEP_SUM] += p * (double)k;
	out[K_STEP_SQ] += p * (double)k * (double)k;
	out[K_INTERVENED + m->ng + k] = p;
}

/* Draws the attack's outcome in step K, tells it, and returns the set
 * of guarantors that fight, with whether the challenger won in *WON. */
static unsigned draw_attack(const struct run *r, const struct view *o, long k, int *won)
{
	unsigned s = 0;
	double ev[3];
	int g;

	for (g = 0; g < r->m->ng; g++)
		if (rng_u(r->w->r_outcome, 0) < o->H[g])
			s |= 1u << g;
	*won = rng_u(r->w->r_outcome, 0) < o->W[s];
	ev[0] = s;
	ev[1] = o->W[s];
	ev[2] = *won;
	event(r, CR_EV_ATTACK, k, ev);
	return s;
}

/* Draws the attack's outcome in step K and counts it into OUT. */
static void attack_drawn(const struct run *r, const struct view *o, long k, double *out)
{
	const struct crisis *m = r->m;
	unsigned all = (1u << m->ng) - 1, s;
	int g, sup, won;

	s = draw_attack(r, o, k, &won);
	for (g = 0; g < m->ng; g++)
		if (s >> g & 1)
			out[K_INTERVENED + g] = 1;
	sup = m->ng > 0 && s == all ? 0 : s ? 1 : 2;
	out[K_ATTACKED] = 1;
	out[K_WON] = won;
	out[K_HONORED + sup] = 1;
	out[K_CELL + 2 * sup + won] = 1;
	out[K_STEP_SUM] = (double)k;
	out[K_STEP_SQ] = (double)k * (double)k;
	out[K_INTERVENED + m->ng + k] = 1;
}

static void trace_step(const struct run *r, const struct state *x, const struct view *o,
		       long k, double crises_n, double cum, double threshold)
{
	double vals[8 + 3 * CR_MAX_GUARANTORS], arms = 0;
	struct model_trace_step st = { k, (double)k * r->m->dt, vals };
	int g, ng = r->m->ng;

	for (g = 0; g < ng; g++) {
		arms += x->A[g];
		vals[3 + 3 * g] = o->H[g];
		vals[4 + 3 * g] = o->B[g];
		vals[5 + 3 * g] = x->dil[g];
	}
	vals[0] = x->C;
	vals[1] = x->T;
	vals[2] = arms;
	vals[3 + 3 * ng] = o->eu;
	vals[4 + 3 * ng] = o->q;
	vals[5 + 3 * ng] = crises_n;
	vals[6 + 3 * ng] = cum;
	vals[7 + 3 * ng] = threshold;
	r->sink->step(r->sink->ctx, &st);
}

static void start(struct run *r, uint64_t seed, uint64_t i, struct state *x)
{
	const struct crisis *m = r->m;
	uint64_t si = m->antithetic ? i & ~(uint64_t)1 : i;
	int s, n = N_BASE + m->ng * N_G;

	r->anti = m->antithetic && (i & 1);
	rng_stream(r->w->r_params, seed, si, STREAM_PARAMS);
	for (s = 0; s < n; s++)
		r->v[s] = dist_draw(&m->p[s], r->w->r_params, r->anti);
	rng_stream(r->w->r_seen, seed, si, STREAM_SEEN);
	rng_stream(r->w->r_elect, seed, si, STREAM_ELECTIONS);
	rng_stream(r->w->r_outcome, seed, i, STREAM_OUTCOME);
	rng_stream(r->w->r_crises, seed, si, STREAM_CRISES);
	initial_state(m, r->v, x);
	set_rates(m, r->v, &r->rt);
}

void cr_trial(const struct crisis *m, struct cr_work *w, uint64_t seed, uint64_t i,
	      double *out, const struct model_trace_sink *sink)
{
	struct run r = { .m = m, .w = w, .sink = sink };
	size_t nc = m->layout.ncounters;
	int cond = m->estimator == MODEL_CONDITIONAL, next = 0;
	double threshold, cum = 0, S = 1;
	struct state x;
	struct view o;
	long k;

	start(&r, seed, i, &x);
	threshold = -log(rng_u(w->r_seen, r.anti));
	memset(out, 0, sizeof(double) * (nc + 1));
	for (k = 0; k < m->n_steps; k++) {
		double inc, n = step_crises(&r, k);
		int war;

		if (changes_due(m, r.v, &x, k, &next, r.sink))
			set_rates(m, r.v, &r.rt);
		look(&r, &x, k, &o);
		if (m->learning) {
			n = (double)crises(&r, &x, &o, k);
			inc = n == 0 ? 0 : o.q >= 1 ? INFINITY : -n * log1p(-o.q);
		} else {
			inc = n * o.q;
		}
		if (r.sink)
			trace_step(&r, &x, &o, k, n, cum + inc, threshold);
		cum += inc;
		/* The threshold tells the story's attack; under the conditional
		 * estimator the trial goes on, and the trace ends there. */
		war = r.sink || !cond ? cum > threshold : 0;
		if (r.sink && !war && m->learning)
			tell_probes(&r, k);
		if (cond) {
			double p = S * -expm1(-inc);

			attack_chances(&r, &o, k, p, out);
			S *= exp(-inc);
			if (war) {
				int won;

				draw_attack(&r, &o, k, &won);
				r.sink = NULL;
			}
		} else if (war) {
			attack_drawn(&r, &o, k, out);
			out[nc] = (double)(k + 1);
			return;
		}
		advance(&r, &x, k);
	}
	out[K_DETERRED] = cond ? S : 1;
	out[nc] = (double)m->n_steps;
}

/* commitment.c - the "commitment" deterrence model, as specified in
 * docs/model.md (the specification, v1, restated and explained).
 *
 * A trial draws its uncertain parameters, its perception biases and one
 * Exp(1) threshold, then walks the steps: the challenger's hazard of
 * attack accumulates until it passes the threshold (the attack) or the
 * horizon ends (deterred). Passing an Exp(1) threshold with the
 * cumulative hazard is exactly the same law as drawing "attack with
 * probability 1 - exp(-lambda dt)" step by step, and it needs one exp()
 * less per step.
 *
 * Speed: whatever does not depend on the trial is computed once per run.
 * When the force parameters are fixed numbers, the contest probabilities
 * W(S) of every step and coalition are tabulated; when a guarantor's
 * resolve parameters are fixed, its honour probability per step is
 * tabulated, and a trial computes it itself only after an election shock
 * moved that guarantor's resolve. */
#include "models/model.h"
#include "models/commitment/commitment.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "core/rng.h"

/* ---------------------------------------------------------------- */
/* Parameters: one slot each in a trial's value vector. */

enum {
	C_FORCES, C_QUALITY, C_GROWTH, C_MAX, C_STAKE, C_WAR_COST, C_GAMMA,
	C_MAX_HAZARD, C_TEMPERATURE,
	T_TROOPS, T_CAP, T_SUST, T_DEMOB, T_QUALITY,
	N_BASE
};

enum {
	G_FORCES, G_QUALITY, G_INTEREST, G_RESOLVE_SD, G_ICOST, G_ECOST,
	G_EROSION, G_EL_INTERVAL, G_NEXT_EL, G_TURNOVER, G_SHOCK,
	G_STRENGTH, G_VOTE, G_TRIP_TROOPS, G_AUTOMATICITY, G_SANCTIONS,
	G_ARMS_RATE, G_ARMS_DEP, G_PBIAS, G_PSD,
	N_G
};

#define N_SLOTS (N_BASE + MODEL_MAX_GUARANTORS * N_G)
#define GS(g, k) (N_BASE + (g) * N_G + (k))

#define INF INFINITY
#define REQ CFG_REQUIRED
#define OPT CFG_OPTIONAL
#define LO_OPEN CFG_LO_OPEN

static const struct cfg_field challenger_fields[] = {
	{ "forces", C_FORCES, 0, INF, REQ | LO_OPEN, 700000, "forces at t = 0 (troops)" },
	{ "quality", C_QUALITY, 0, INF, LO_OPEN, 1, "force multiplier" },
	{ "growth_rate", C_GROWTH, 0, INF, 0, 0, "logistic growth rate per year" },
	{ "max_forces", C_MAX, 0, INF, OPT | LO_OPEN, 1000000, "ceiling of growth; at least forces; required when growth_rate > 0" },
	{ "stake", C_STAKE, 0, INF, 0, 1, "value of the prize" },
	{ "war_cost", C_WAR_COST, 0, INF, REQ, 0.3, "cost of war to the challenger" },
	{ "decisiveness", C_GAMMA, 0, INF, LO_OPEN, 1, "contest exponent gamma" },
	{ "max_hazard", C_MAX_HAZARD, 0, INF, REQ | LO_OPEN, 0.5, "attacks per year at most" },
	{ "temperature", C_TEMPERATURE, 0, INF, REQ | LO_OPEN, 0.1, "how sharply the hazard follows expected utility" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct cfg_field target_fields[] = {
	{ "troops", T_TROOPS, 0, INF, REQ, 880000, "troops at t = 0 (before the cap)" },
	{ "troop_cap", T_CAP, 0, INF, OPT | LO_OPEN, 800000, "most troops allowed; absent: no cap" },
	{ "sustainable_troops", T_SUST, 0, INF, OPT, 600000, "level the army relaxes toward; default troop_cap" },
	{ "demobilization_rate", T_DEMOB, 0, INF, 0, 0, "rate of relaxation per year" },
	{ "quality", T_QUALITY, 0, INF, LO_OPEN, 1, "force multiplier" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct cfg_field guarantor_fields[] = {
	{ "forces", G_FORCES, 0, INF, 0, 0, "forces it can commit" },
	{ "quality", G_QUALITY, 0, INF, LO_OPEN, 1, "force multiplier" },
	{ "interest", G_INTEREST, -INF, INF, REQ, 0.2, "mean resolve at t = 0" },
	{ "resolve_sd", G_RESOLVE_SD, 0, INF, 0, 0.3, "sd of resolve" },
	{ "intervention_cost", G_ICOST, -INF, INF, 0, 0, "its cost of fighting" },
	{ "escalation_cost", G_ECOST, 0, INF, 0, 0, "extra cost to the challenger when it fights" },
	{ "erosion_rate", G_EROSION, -INF, INF, 0, 0, "resolve lost per year" },
	{ "election_interval", G_EL_INTERVAL, 0, INF, 0, 0, "years between elections; 0: none" },
	{ "next_election", G_NEXT_EL, 0, INF, 0, 0, "time of the first election (years)" },
	{ "turnover_prob", G_TURNOVER, 0, 1, 0, 0, "chance an election moves resolve" },
	{ "election_shock", G_SHOCK, 0, INF, 0, 0, "sd of the resolve jump" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct cfg_field guarantee_fields[] = {
	{ "strength", G_STRENGTH, 0, 1, REQ, 0.5, "from vague assurance (0) to automatic pledge (1)" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field ratification_fields[] = {
	{ "vote_share", G_VOTE, 0, 1, REQ, 0.67, "share of the ratifying vote" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field tripwire_fields[] = {
	{ "troops", G_TRIP_TROOPS, 0, INF, REQ, 5000, "troops stationed in the target" },
	{ "automaticity", G_AUTOMATICITY, 0, 1, REQ, 0.5, "chance an attack on them brings the guarantor in" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field sanctions_fields[] = {
	{ "cost", G_SANCTIONS, 0, INF, REQ, 0.05, "snapback cost to the challenger of attacking" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field arms_fields[] = {
	{ "per_year", G_ARMS_RATE, 0, INF, REQ, 10000, "effective force delivered per year" },
	{ "depreciation", G_ARMS_DEP, 0, INF, 0, 0, "rate at which the stock wears out per year" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field monitoring_fields[] = {
	{ "perception_bias", G_PBIAS, -INF, INF, 0, 0, "mean error of the challenger's reading" },
	{ "perception_sd", G_PSD, 0, INF, 0, 0, "sd of that error" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const char *const name_key[] = { "name", NULL };
static const char *const guarantor_groups[] = { "name", "guarantee", NULL };
static const char *const guarantee_groups[] = {
	"ratification", "tripwire", "sanctions", "arms_supply", "monitoring", NULL
};

static const char *const sections[] = { "challenger", "target", "guarantors", NULL };

/* ---------------------------------------------------------------- */
/* The instance: checked parameters and the run's tables. */

enum { HAS_RAT = 1, HAS_TRIP = 2, HAS_SANC = 4, HAS_ARMS = 8, HAS_MON = 16 };

struct commitment {
	int ng;
	const char *names[MODEL_MAX_GUARANTORS];
	unsigned mech[MODEL_MAX_GUARANTORS];
	struct dist p[N_SLOTS];
	unsigned char present[N_SLOTS];
	int random[N_SLOTS];		/* slots drawn per trial, in order */
	int n_random;
	int has_cap, has_level;

	long n_steps;
	long steps_per_year;
	double dt, tol;

	/* The batch kernel runs when the contest table exists, every resolve
	 * sd is > 0 in every trial, and election times are fixed; else each
	 * trial runs through the reference code. */
	int prepared;			/* tables built (prepare()) */
	int batch;
	const double *phi;		/* the process's table of Phi (shared_phi()) */
	unsigned char *el_count;	/* [ng][n_steps] elections per step */

	/* Tables of the run, NULL when a trial must compute its own. */
	double *wtab;			/* [n_steps][2^ng] contest W(S) */
	double *htab[MODEL_MAX_GUARANTORS];	/* [n_steps] honour H_g */
	int any_elections;
};

/* The per-trial values a step needs. */
struct trial {
	double v[N_SLOTS];
	double C, T, A[MODEL_MAX_GUARANTORS];
	double gforce[MODEL_MAX_GUARANTORS];	/* G_g */
	double c_decay, t_decay, level;
	double a_decay[MODEL_MAX_GUARANTORS], a_inc[MODEL_MAX_GUARANTORS];
	double shift[MODEL_MAX_GUARANTORS];	/* resolve moved by elections */
	double bias[MODEL_MAX_GUARANTORS];	/* perception error b_g */
	double next_el[MODEL_MAX_GUARANTORS];
	double H[MODEL_MAX_GUARANTORS];		/* true honour, this step */
	double Hhat[MODEL_MAX_GUARANTORS];	/* as the challenger sees it */
};

/* Trials advanced together, step by step, by the batch kernel. */
#define LANES 64

/* Per-guarantor values of a lane, each an array [ng][LANES]. */
enum {
	LV_ZA, LV_ZB, LV_ZC,	/* z = za - zb * t + zc */
	LV_AUT,			/* tripwire automaticity, 0 without */
	LV_BIAS, LV_ESC,
	LV_TURNOVER, LV_SHOCK,	/* shock sd in units of z */
	N_LV,
	LV_HH = N_LV		/* perceived honour: scratch, not moved */
};

/* The lanes of a batch, one array element per trial (structure of
 * arrays, so that the compiler vectorises the step over trials). */
struct lanes {
	int n;				/* lanes still running */
	uint64_t trial[LANES];
	double cum[LANES];		/* cumulative hazard */
	double thr[LANES];		/* Exp(1) threshold */
	double base[LANES];		/* -war_cost - sanctions */
	double stake[LANES];
	double nit[LANES];		/* -1 / temperature */
	double mhdt[LANES];		/* max_hazard * dt */
	double *gv[N_LV + 1];		/* per guarantor, in one allocation */
	double *buf;			/* [2^(ng-1)][LANES] coalition sums */
	gsl_rng *elect[LANES];
};

struct work {
	struct trial t;
	double *wrow;		/* [2^ng] */
	double *buf;		/* [2^(ng-1)] */
	gsl_rng *r_params, *r_seen, *r_elect, *r_outcome;
	struct lanes *L;	/* NULL unless the batch kernel runs */
	const volatile sig_atomic_t *stop;	/* of the current trials() call */
};

/* Steps between readings of the stop flag, minus 1 (a power of 2). */
#define STOP_STEPS 255

/* ---------------------------------------------------------------- */
/* The exact updates and the quantities of a step (shared by the tables
 * and the trials, so both give the same bits). */

/* Tullock contest: the challenger's chance of winning with effective
 * force E against X, 1 / (1 + (X/E)^gamma), which cannot overflow. */
static double contest(double E, double X, double gamma)
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
static void contest_row(double *W, int ng, double E, double D,
			const double *gforce, double gamma)
{
	double X[1 << MODEL_MAX_GUARANTORS];
	unsigned s, n = 1u << ng;

	X[0] = D;
	W[0] = contest(E, D, gamma);
	for (s = 1; s < n; s++) {
		X[s] = X[s & (s - 1)] + gforce[__builtin_ctz(s)];
		W[s] = contest(E, X[s], gamma);
	}
}

/* Logistic growth of C toward K over one step; DECAY = exp(-r dt). */
static double grow(double C, double K, double decay)
{
	return K / (1 + (K / C - 1) * decay);
}

/* Honour probability H_g from the numerator of z_g. */
static double honour(double num, double sd, int tripwire, double automaticity)
{
	double h = sd > 0 ? gsl_cdf_ugaussian_P(num / sd) : (num > 0 ? 1.0 : 0.0);

	return tripwire ? 1 - (1 - h) * (1 - automaticity) : h;
}

/* Numerator of z_g at time T with resolve moved by SHIFT:
 * mu_g - intervention_cost + strength * (1 + v_g). */
static double numerator(const double *v, unsigned mech, int g, double t, double shift)
{
	const double *x = v + GS(g, 0);
	double vote = mech & HAS_RAT ? x[G_VOTE] : 0;

	return (x[G_INTEREST] - x[G_EROSION] * t) + shift - x[G_ICOST] +
	       x[G_STRENGTH] * (1 + vote);
}

static int has_tripwire(const double *v, unsigned mech, int g)
{
	return (mech & HAS_TRIP) && v[GS(g, G_TRIP_TROOPS)] > 0;
}

/* Sets the per-trial constants of T from its values T->v. */
double commitment_contest(double E, double X, double gamma)
{
	return contest(E, X, gamma);
}

double commitment_step_forces(double C, double K, double r, double dt)
{
	return r > 0 ? grow(C, K, exp(-r * dt)) : C;
}

double commitment_step_troops(double T, double L, double m, double dt)
{
	return L + (T - L) * exp(-m * dt);
}

double commitment_step_arms(double A, double s, double d, double dt)
{
	double decay;

	if (d > 0) {
		decay = exp(-d * dt);
		return A * decay + s / d * (1 - decay);
	}
	return A + s * dt;
}

double commitment_honour(double num, double sd, int tripwire, double automaticity)
{
	return honour(num, sd, tripwire, automaticity);
}

long commitment_elections_by(double next, double interval, double t, double tol)
{
	double first = next;
	long n;

	if (!(interval > 0) || t + tol < first)
		return 0;
	while (first <= tol)
		first += interval;
	if (first > t + tol)
		return 0;
	n = (long)floor((t + tol - first) / interval) + 1;
	return n;
}

static void trial_setup(const struct commitment *m, struct trial *t)
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
static double target_force(const struct commitment *m, const struct trial *t)
{
	double D = t->T * t->v[T_QUALITY];
	int g;

	for (g = 0; g < m->ng; g++)
		D += t->A[g];
	return D;
}

/* Advances forces, troops and arms over one step. */
static void advance_forces(const struct commitment *m, struct trial *t)
{
	int g;

	if (t->c_decay != 1)
		t->C = grow(t->C, t->v[C_MAX], t->c_decay);
	if (t->t_decay != 1)
		t->T = t->level + (t->T - t->level) * t->t_decay;
	for (g = 0; g < m->ng; g++)
		t->A[g] = t->A[g] * t->a_decay[g] + t->a_inc[g];
}

/* ---------------------------------------------------------------- */
/* Checking the config */

static int fixed_slot(const struct commitment *m, int slot)
{
	return m->p[slot].kind == DIST_FIXED;
}

static void read_mechanism(struct diag *d, config_setting_t *guarantee,
			   const char *path, const char *key,
			   const struct cfg_field *fields, struct commitment *m,
			   int g, unsigned flag)
{
	char p[256];
	config_setting_t *s = cfg_group(d, guarantee, path, key, 0);

	if (!s)
		return;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	cfg_check_keys(d, s, p, fields, NULL);
	cfg_read_fields(d, s, p, fields, m->p + GS(g, 0), m->present + GS(g, 0));
	m->mech[g] |= flag;
}

/* At most this many elections fall in one step: an interval shorter than
 * a step's share of it would make a step's work unbounded. */
#define MAX_ELECTIONS_PER_STEP 100

/* Checks that guarantor G's election interval (of group S at PATH) is 0
 * or at least a step / MAX_ELECTIONS_PER_STEP, for every value it can
 * draw. */
static void check_interval(struct diag *d, config_setting_t *s, const char *path,
			   struct commitment *m, int g)
{
	double lo, hi, min = m->dt / MAX_ELECTIONS_PER_STEP;
	char p[96], a[32], b[32], c[32];

	dist_support(&m->p[GS(g, G_EL_INTERVAL)], &lo, &hi);
	if (hi == 0 || lo >= min)
		return;
	snprintf(p, sizeof(p), "%s.election_interval", path);
	snprintf(a, sizeof(a), "%.6g", min);
	if (lo == hi)
		diag_error(d, config_setting_get_member(s, "election_interval"), p,
			   "must be 0 (no elections) or at least %s years (%d elections a step "
			   "at most), got %s", a, MAX_ELECTIONS_PER_STEP,
			   cfg_format_real(b, lo));
	else
		diag_error(d, config_setting_get_member(s, "election_interval"), p,
			   "the distribution can draw values in [%s, %s], but the value must be 0 "
			   "(no elections) or at least %s years (%d elections a step at most)",
			   cfg_format_real(b, lo), cfg_format_real(c, hi), a, MAX_ELECTIONS_PER_STEP);
}

static void read_guarantor(struct diag *d, config_setting_t *s, int g,
			   struct commitment *m)
{
	char path[64], p[96], def[32];
	config_setting_t *gu;

	snprintf(path, sizeof(path), "guarantors.[%d]", g);
	if (!config_setting_is_group(s)) {
		diag_error(d, s, path, "must be a group { name = ...; ... }");
		return;
	}
	cfg_check_keys(d, s, path, guarantor_fields, guarantor_groups);
	snprintf(def, sizeof(def), "guarantor %d", g + 1);
	m->names[g] = cfg_string(d, s, path, "name", def, 0);
	cfg_read_fields(d, s, path, guarantor_fields, m->p + GS(g, 0), m->present + GS(g, 0));
	check_interval(d, s, path, m, g);
	gu = cfg_group(d, s, path, "guarantee", 1);
	if (!gu)
		return;
	snprintf(p, sizeof(p), "%s.guarantee", path);
	cfg_check_keys(d, gu, p, guarantee_fields, guarantee_groups);
	cfg_read_fields(d, gu, p, guarantee_fields, m->p + GS(g, 0), m->present + GS(g, 0));
	read_mechanism(d, gu, p, "ratification", ratification_fields, m, g, HAS_RAT);
	read_mechanism(d, gu, p, "tripwire", tripwire_fields, m, g, HAS_TRIP);
	read_mechanism(d, gu, p, "sanctions", sanctions_fields, m, g, HAS_SANC);
	read_mechanism(d, gu, p, "arms_supply", arms_fields, m, g, HAS_ARMS);
	read_mechanism(d, gu, p, "monitoring", monitoring_fields, m, g, HAS_MON);
	/* Absent mechanisms take neutral values. */
	if (!(m->mech[g] & HAS_MON)) {
		m->p[GS(g, G_PBIAS)] = dist_fixed(0);
		m->p[GS(g, G_PSD)] = dist_fixed(0);
	}
}

static void support(const struct commitment *m, int slot, double *lo, double *hi)
{
	dist_support(&m->p[slot], lo, hi);
}

/* Cross-key rules, checked on the supports of uncertain values so that no
 * trial can draw a combination that breaks them. */
static void check_cross(struct diag *d, struct cfg *c, struct commitment *m)
{
	config_setting_t *ch = config_lookup(&c->lc, "challenger");
	config_setting_t *ta = config_lookup(&c->lc, "target");
	double flo, fhi, mlo, mhi, glo, ghi;
	char a[32], b[32];

	support(m, C_GROWTH, &glo, &ghi);
	if (ghi > 0 && !m->present[C_MAX])
		diag_error(d, config_setting_get_member(ch, "growth_rate"), "challenger.max_forces",
			   "required when growth_rate > 0");
	if (m->present[C_MAX]) {
		support(m, C_FORCES, &flo, &fhi);
		support(m, C_MAX, &mlo, &mhi);
		if (mlo < fhi)
			diag_error(d, config_setting_get_member(ch, "max_forces"), "challenger.max_forces",
				   "must be >= forces (%s), got %s", cfg_format_real(a, fhi),
				   cfg_format_real(b, mlo));
	}
	m->has_cap = m->present[T_CAP];
	m->has_level = m->present[T_CAP] || m->present[T_SUST];
	support(m, T_DEMOB, &glo, &ghi);
	if (ghi > 0 && !m->has_level)
		diag_error(d, config_setting_get_member(ta, "demobilization_rate"),
			   "target.demobilization_rate",
			   "needs troop_cap or sustainable_troops to relax toward");
	/* The resolved config states the level the army relaxes toward. */
	if (m->has_cap && !m->present[T_SUST] && fixed_slot(m, T_CAP)) {
		config_setting_t *s = config_setting_add(ta, "sustainable_troops", CONFIG_TYPE_FLOAT);

		config_setting_set_float(s, m->p[T_CAP].a);
	}
}

static int build_tables(struct commitment *m, const volatile sig_atomic_t *stop);
static int choose_kernel(struct commitment *m, const volatile sig_atomic_t *stop);
static double *phi_table(void);
static const double *shared_phi(void);

static void *commitment_create(struct cfg *c, const struct scenario *sc, struct diag *d)
{
	config_setting_t *root = config_root_setting(&c->lc), *ch, *ta, *gl;
	struct commitment *m = calloc(1, sizeof(*m));
	int before = d->errors, i, j, n;

	if (!m)
		return NULL;
	m->n_steps = sc->n_steps;
	m->steps_per_year = sc->steps_per_year;
	m->dt = sc->dt;
	m->tol = 1e-9 * sc->dt;
	for (i = 0; i < N_SLOTS; i++)
		m->p[i] = dist_fixed(0);

	ch = cfg_group(d, root, "", "challenger", 1);
	if (ch) {
		cfg_check_keys(d, ch, "challenger", challenger_fields, name_key);
		cfg_string(d, ch, "challenger", "name", "challenger", 0);
		cfg_read_fields(d, ch, "challenger", challenger_fields, m->p, m->present);
	}
	ta = cfg_group(d, root, "", "target", 1);
	if (ta) {
		cfg_check_keys(d, ta, "target", target_fields, name_key);
		cfg_string(d, ta, "target", "name", "target", 0);
		cfg_read_fields(d, ta, "target", target_fields, m->p, m->present);
	}
	gl = config_setting_get_member(root, "guarantors");
	if (!gl) {
		gl = config_setting_add(root, "guarantors", CONFIG_TYPE_LIST);
	} else if (!config_setting_is_list(gl)) {
		diag_error(d, gl, "guarantors", "must be a list ( { ... }, ... )%s",
			   config_setting_is_array(gl) ? ", not an array [ ... ]" : "");
		gl = NULL;
	}
	if (gl) {
		n = config_setting_length(gl);
		if (n > MODEL_MAX_GUARANTORS) {
			diag_error(d, gl, "guarantors", "has %d entries, more than the %d allowed",
				   n, MODEL_MAX_GUARANTORS);
			n = 0;
		}
		m->ng = n;
		for (i = 0; i < n; i++)
			read_guarantor(d, config_setting_get_elem(gl, (unsigned)i), i, m);
		for (i = 0; i < n; i++)
			for (j = 0; j < i; j++)
				if (m->names[i] && m->names[j] && !strcasecmp(m->names[i], m->names[j])) {
					char p[64];

					snprintf(p, sizeof(p), "guarantors.[%d].name", i);
					diag_error(d, config_setting_get_member(config_setting_get_elem(gl, (unsigned)i), "name"),
						   p, "duplicate name '%s' (also guarantors.[%d])", m->names[i], j);
				}
	}
	if (d->errors == before && ch && ta)
		check_cross(d, c, m);
	if (d->errors > before) {
		free(m);
		return NULL;
	}
	for (i = 0; i < N_BASE + m->ng * N_G; i++)
		if (!fixed_slot(m, i))
			m->random[m->n_random++] = i;
	for (i = 0; i < m->ng; i++)
		if (m->p[GS(i, G_EL_INTERVAL)].kind != DIST_FIXED ||
		    m->p[GS(i, G_EL_INTERVAL)].a > 0)
			m->any_elections = 1;
	return m;
}

/* Builds the run's tables and picks the kernel, once, on first use: a
 * config that is only checked never pays for them. Safe to call from many
 * threads. */
static void free_tables(struct commitment *m);

static int prepare(const struct commitment *cm, const volatile sig_atomic_t *stop)
{
	struct commitment *m = (struct commitment *)cm;
	int ret = 0;

#pragma omp critical(commitment_prepare)
	{
		if (!m->prepared) {
			if (build_tables(m, stop) < 0 || choose_kernel(m, stop) < 0) {
				free_tables(m);
				ret = -1;
			} else {
				m->prepared = 1;
			}
		}
	}
	return ret;
}

/* Frees the run's tables and forgets the kernel chosen. */
static void free_tables(struct commitment *m)
{
	int g;

	free(m->wtab);
	free(m->el_count);
	m->wtab = NULL;
	m->el_count = NULL;
	for (g = 0; g < m->ng; g++) {
		free(m->htab[g]);
		m->htab[g] = NULL;
	}
	m->batch = 0;
}

static void commitment_destroy(void *vm)
{
	struct commitment *m = vm;

	if (!m)
		return;
	free_tables(m);
	free(m);
}

/* ---------------------------------------------------------------- */
/* Tables of the run */

static int all_fixed(const struct commitment *m, const int *slots, int n, int per_g)
{
	int i, g;

	for (i = 0; i < n; i++) {
		if (!per_g) {
			if (!fixed_slot(m, slots[i]))
				return 0;
			continue;
		}
		for (g = 0; g < m->ng; g++)
			if (!fixed_slot(m, GS(g, slots[i])))
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

/* Builds the tables of forces and honour that fixed parameters allow.
 * Returns 0, or -1 when STOP was set midway (the caller frees them). */
static int build_tables(struct commitment *m, const volatile sig_atomic_t *stop)
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
		m->wtab = malloc(sizeof(double) * (size_t)(m->n_steps * ns));
		for (k = 0; m->wtab && k < m->n_steps; k++) {
			if (stopped(k, stop))
				goto stop;
			contest_row(m->wtab + k * ns, m->ng, t->C * t->v[C_QUALITY],
				    target_force(m, t), t->gforce, t->v[C_GAMMA]);
			advance_forces(m, t);
		}
	}
	for (g = 0; g < m->ng; g++) {
		for (ok = 1, i = 0; i < 8; i++)
			ok &= fixed_slot(m, GS(g, resolve_slots[i]));
		if (!ok)
			continue;
		m->htab[g] = malloc(sizeof(double) * (size_t)m->n_steps);
		for (k = 0; m->htab[g] && k < m->n_steps; k++) {
			if (stopped(k, stop))
				goto stop;
			m->htab[g][k] = honour(numerator(t->v, m->mech[g], g,
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
 * GSIM_REFERENCE is not set to 1, and makes its tables. Returns 0, or -1
 * when STOP was set midway. */
static int choose_kernel(struct commitment *m, const volatile sig_atomic_t *stop)
{
	const char *ref = getenv("GSIM_REFERENCE");
	long k;
	int g;

	if ((ref && !strcmp(ref, "1")) || !m->wtab)
		return 0;
	for (g = 0; g < m->ng; g++) {
		double lo, hi;

		support(m, GS(g, G_RESOLVE_SD), &lo, &hi);
		if (!(lo > 0) || !fixed_slot(m, GS(g, G_EL_INTERVAL)) ||
		    !fixed_slot(m, GS(g, G_NEXT_EL)))
			return 0;
	}
	m->phi = shared_phi();
	m->el_count = calloc((size_t)(m->ng ? m->ng : 1) * (size_t)m->n_steps, 1);
	if (!m->phi || !m->el_count)
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
			m->el_count[g * m->n_steps + k] = (unsigned char)(by - before);
			before = by;
		}
	}
	m->batch = 1;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Trials */

static struct lanes *lanes_alloc(int ng, const gsl_rng_type *type);
static void lanes_free(struct lanes *L);
static void commitment_work_free(void *vw);

static void *commitment_work_alloc(const void *vm, const gsl_rng_type *type,
				   const volatile sig_atomic_t *stop)
{
	const struct commitment *m = vm;
	struct work *w;
	size_t ns = (size_t)1 << m->ng;
	int i;

	if (prepare(m, stop) < 0 || !(w = calloc(1, sizeof(*w))))
		return NULL;
	w->wrow = malloc(sizeof(double) * ns);
	w->buf = malloc(sizeof(double) * (ns / 2 + 1));
	w->r_params = gsl_rng_alloc(type);
	w->r_seen = gsl_rng_alloc(type);
	w->r_elect = gsl_rng_alloc(type);
	w->r_outcome = gsl_rng_alloc(type);
	for (i = 0; i < N_SLOTS; i++)
		w->t.v[i] = m->p[i].a;
	if (m->batch && !(w->L = lanes_alloc(m->ng, type))) {
		commitment_work_free(w);
		return NULL;
	}
	if (!w->wrow || !w->buf || !w->r_params || !w->r_seen || !w->r_elect || !w->r_outcome) {
		free(w->wrow);
		free(w->buf);
		gsl_rng_free(w->r_params);
		gsl_rng_free(w->r_seen);
		gsl_rng_free(w->r_elect);
		gsl_rng_free(w->r_outcome);
		free(w);
		return NULL;
	}
	return w;
}

static void commitment_work_free(void *vw)
{
	struct work *w = vw;

	if (!w)
		return;
	free(w->wrow);
	free(w->buf);
	gsl_rng_free(w->r_params);
	gsl_rng_free(w->r_seen);
	gsl_rng_free(w->r_elect);
	gsl_rng_free(w->r_outcome);
	lanes_free(w->L);
	free(w);
}

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
 * counted as the batch kernel counts them. */
static void elections(const struct commitment *m, struct work *w, double t_now,
		      double t_next, long k, const struct trace_sink *sink)
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
			struct trace_event ev = { TRACE_ELECTION, k, t_next, g, 0, 0, 0, 0, 0 };

			if (gsl_rng_uniform(w->r_elect) < x[G_TURNOVER]) {
				ev.turnover = 1;
				ev.shock = gsl_ran_gaussian_ziggurat(w->r_elect, x[G_SHOCK] * (1 - vote));
				t->shift[g] += ev.shock;
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

/* Reports step K of trial T to SINK. */
static void trace_step(const struct commitment *m, const struct trial *t,
		       const struct trace_sink *sink, long k, double tk, double eu,
		       double lambda, double cum, double threshold)
{
	struct trace_step s;
	int g;

	memset(&s, 0, sizeof(s));
	s.k = k;
	s.t = tk;
	s.challenger = t->C;
	s.troops = t->T;
	for (g = 0; g < m->ng; g++) {
		s.arms += t->A[g];
		s.H[g] = t->H[g];
		s.Hhat[g] = t->Hhat[g];
		s.shift[g] = t->shift[g];
	}
	s.eu = eu;
	s.hazard = lambda;
	s.cum = cum;
	s.threshold = threshold;
	sink->step(sink->ctx, &s);
}

/* One trial, one step at a time; with SINK, reports its story there. */
static void reference_trial(const void *vm, void *vw, uint64_t seed, uint64_t i,
			    struct outcome *out, const struct trace_sink *sink)
{
	const struct commitment *m = vm;
	struct work *w = vw;
	struct trial *t = &w->t;
	double *v = t->v;
	const double dt = m->dt;
	const long ns = 1L << m->ng;
	const int ng = m->ng;
	double threshold, cum = 0, base, escal[MODEL_MAX_GUARANTORS];
	const double *W;
	long k;
	int g, shocked = 0;

	/* Uncertain parameters, drawn once per trial in slot order; the
	 * fixed ones were set when the workspace was made. */
	if (m->n_random) {
		rng_stream(w->r_params, seed, i, STREAM_PARAMS);
		for (g = 0; g < m->n_random; g++)
			v[m->random[g]] = dist_draw(&m->p[m->random[g]], w->r_params);
	}
	trial_setup(m, t);

	/* The challenger's threshold and its misreading of each guarantor. */
	rng_stream(w->r_seen, seed, i, STREAM_SEEN);
	threshold = gsl_ran_exponential(w->r_seen, 1.0);
	for (g = 0; g < ng; g++)
		t->bias[g] = m->mech[g] & HAS_MON
			     ? v[GS(g, G_PBIAS)] + gsl_ran_gaussian_ziggurat(w->r_seen, 1.0) * v[GS(g, G_PSD)]
			     : 0;

	if (m->any_elections) {
		rng_stream(w->r_elect, seed, i, STREAM_ELECTIONS);
		for (g = 0; g < ng; g++)
			t->next_el[g] = first_election(m, v + GS(g, 0));
	}

	/* The part of EU that does not depend on who fights. */
	base = -v[C_WAR_COST];
	for (g = 0; g < ng; g++) {
		escal[g] = v[GS(g, G_ECOST)];
		if (m->mech[g] & HAS_SANC)
			base -= v[GS(g, G_SANCTIONS)];
	}

	for (k = 0; k < m->n_steps; k++) {
		double tk = (double)k / (double)m->steps_per_year, eu, lambda;

		if ((k & STOP_STEPS) == STOP_STEPS && !sink && w->stop && *w->stop)
			return;

		if (m->wtab) {
			W = m->wtab + k * ns;
		} else {
			contest_row(w->wrow, ng, t->C * v[C_QUALITY], target_force(m, t),
				    t->gforce, v[C_GAMMA]);
			W = w->wrow;
		}
		eu = base;
		for (g = 0; g < ng; g++) {
			double H, Hh;

			if (m->htab[g] && !(shocked >> g & 1))
				H = m->htab[g][k];
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
		eu += v[C_STAKE] * expect(W, t->Hhat, ng, w->buf);
		lambda = v[C_MAX_HAZARD] / (1 + exp(-eu / v[C_TEMPERATURE]));
		cum += lambda * dt;
		if (sink)
			trace_step(m, t, sink, k, tk, eu, lambda, cum, threshold);
		if (cum > threshold) {
			unsigned S = 0;

			rng_stream(w->r_outcome, seed, i, STREAM_OUTCOME);
			out->n_intervened = 0;
			for (g = 0; g < ng; g++)
				if (gsl_rng_uniform(w->r_outcome) < t->H[g]) {
					S |= 1u << g;
					out->n_intervened++;
				}
			out->attacked = 1;
			out->step = k;
			out->intervened = S;
			out->challenger_won = gsl_rng_uniform(w->r_outcome) < W[S];
			if (sink) {
				struct trace_event ev = { TRACE_ATTACK, k, tk, -1, 0, 0, S, W[S],
							  out->challenger_won };

				sink->event(sink->ctx, &ev);
			}
			return;
		}
		if (!m->wtab || sink)
			advance_forces(m, t);
		if (m->any_elections) {
			elections(m, w, tk, (double)(k + 1) / (double)m->steps_per_year, k, sink);
			for (g = 0; g < ng; g++)
				if (t->shift[g] != 0)
					shocked |= 1 << g;
		}
	}
	out->attacked = 0;
	out->step = m->n_steps;
	out->n_intervened = 0;
	out->intervened = 0;
	out->challenger_won = 0;
}

/* ---------------------------------------------------------------- */
/* The batch kernel: LANES trials advance together, step by step, in
 * loops over lanes that the compiler vectorises. It computes the same
 * quantities as reference_trial(), with Phi from a cubic table and exp
 * from a polynomial (both within 1e-9 of libm and GSL; see
 * tests/test_units.c), and draws from the same streams. */

/* Phi on [PHI_LO, -PHI_LO] in PHI_N cubic Hermite pieces of width 1/64
 * (four arrays of coefficients, one after the other);
 * beyond, Phi is within 1e-15 of 0 or 1. Interpolation error < 3e-10. */
#define PHI_LO (-8.0)
#define PHI_SCALE 64.0
#define PHI_N 1024

static double *phi_table(void)
{
	double *c = malloc(sizeof(double) * 4 * PHI_N);
	double h = 1 / PHI_SCALE;
	int j;

	for (j = 0; c && j < PHI_N; j++) {
		double z0 = PHI_LO + j * h, z1 = z0 + h;
		double p0 = gsl_cdf_ugaussian_P(z0), p1 = gsl_cdf_ugaussian_P(z1);
		double d0 = h * gsl_ran_ugaussian_pdf(z0), d1 = h * gsl_ran_ugaussian_pdf(z1);

		c[j] = p0;
		c[PHI_N + j] = d0;
		c[2 * PHI_N + j] = 3 * (p1 - p0) - 2 * d0 - d1;
		c[3 * PHI_N + j] = 2 * (p0 - p1) + d0 + d1;
	}
	return c;
}

static inline double fast_phi(const double *c, double z)
{
	double u = (z - PHI_LO) * PHI_SCALE, f;
	int j;

	u = u >= 0 ? u : 0;		/* NaN too */
	u = u > PHI_N ? PHI_N : u;
	j = (int)u;
	j = j > PHI_N - 1 ? PHI_N - 1 : j;
	f = u - j;
	return c[j] + f * (c[PHI_N + j] + f * (c[2 * PHI_N + j] + f * c[3 * PHI_N + j]));
}

/* exp(x) for x in [-708, 708] (clamped), within 2e-16 relative: x = k ln2
 * + r with |r| <= ln2/2, e^r by its Taylor polynomial of degree 13, and
 * 2^k put into the exponent bits. Branch-free, so it vectorises. */
static inline double fast_exp(double x)
{
	const double shift = 0x1.8p52;
	double t, kd, r, p, scale;
	uint64_t ki, bits;

	x = x < -708.0 ? -708.0 : x;
	x = x > 708.0 ? 708.0 : x;
	t = x * 1.4426950408889634 + shift;
	kd = t - shift;
	memcpy(&ki, &t, sizeof(ki));
	r = (x - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
	p = 1.0 / 6227020800.0;		/* 1/13! */
	p = p * r + 1.0 / 479001600.0;
	p = p * r + 1.0 / 39916800.0;
	p = p * r + 1.0 / 3628800.0;
	p = p * r + 1.0 / 362880.0;
	p = p * r + 1.0 / 40320.0;
	p = p * r + 1.0 / 5040.0;
	p = p * r + 1.0 / 720.0;
	p = p * r + 1.0 / 120.0;
	p = p * r + 1.0 / 24.0;
	p = p * r + 1.0 / 6.0;
	p = p * r + 0.5;
	p = p * r + 1.0;
	p = p * r + 1.0;
	bits = (ki + 1023) << 52;
	memcpy(&scale, &bits, sizeof(scale));
	return p * scale;
}

double commitment_fast_phi(const double *table, double z)
{
	return fast_phi(table, z);
}

const char *commitment_kernel(const void *instance)
{
	prepare(instance, NULL);
	return ((const struct commitment *)instance)->batch ? "batch" : "reference";
}

double commitment_fast_exp(double x)
{
	return fast_exp(x);
}

/* The table of Phi, made once per process and never changed after, so
 * every instance and thread reads the same one. */
static pthread_once_t phi_once = PTHREAD_ONCE_INIT;
static double *phi_shared;

static void phi_init(void)
{
	phi_shared = phi_table();
}

static const double *shared_phi(void)
{
	pthread_once(&phi_once, phi_init);
	return phi_shared;
}

double *commitment_phi_table(void)
{
	return phi_table();
}

static void lanes_free(struct lanes *L)
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

static struct lanes *lanes_alloc(int ng, const gsl_rng_type *type)
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
		lanes_free(L);
		return NULL;
	}
	return L;
}

/* Puts trial I into lane J: draws its parameters, threshold and
 * perception errors from the same streams as reference_trial(). */
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
	const double *W = m->wtab + k * (1L << ng), *c = m->phi;
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
	double h = fast_phi(m->phi, L->gv[LV_ZA][x] - L->gv[LV_ZB][x] * t + L->gv[LV_ZC][x]);

	return 1 - (1 - h) * (1 - L->gv[LV_AUT][x]);
}

/* Runs the trials FIRST .. FIRST+COUNT-1 (at most LANES) as one batch. */
static void run_batch(const struct commitment *m, struct work *w, uint64_t seed,
		      uint64_t first, int count, struct outcome *out)
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
			struct outcome *o;
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
			o->challenger_won = gsl_rng_uniform(w->r_outcome) < m->wtab[k * (1L << ng) + S];
			lane_move(L, ng, i, --L->n);
		}
		for (g = 0; g < ng && m->any_elections; g++) {
			const unsigned char nel = m->el_count[g * m->n_steps + k];

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
		struct outcome *o = &out[L->trial[i] - first];

		o->attacked = 0;
		o->step = m->n_steps;
		o->n_intervened = 0;
		o->intervened = 0;
		o->challenger_won = 0;
	}
}

static void commitment_trials(const void *vm, void *vw, uint64_t seed, uint64_t first,
			      uint64_t count, struct outcome *out, const volatile sig_atomic_t *stop)
{
	const struct commitment *m = vm;
	struct work *w = vw;
	uint64_t i;

	w->stop = stop;
	if (!w->L) {
		for (i = 0; i < count && !(stop && *stop); i++)
			reference_trial(m, w, seed, first + i, &out[i], NULL);
		return;
	}
	for (i = 0; i < count && !(stop && *stop); i += LANES)
		run_batch(m, w, seed, first + i,
			  (int)(count - i < LANES ? count - i : LANES), out + i);
}

static void commitment_trace(const void *vm, void *vw, uint64_t seed, uint64_t i,
			     const struct trace_sink *sink, struct outcome *out)
{
	reference_trial(vm, vw, seed, i, out, sink);
}

static int commitment_n_guarantors(const void *vm)
{
	return ((const struct commitment *)vm)->ng;
}

static const char *commitment_guarantor_name(const void *vm, int g)
{
	return ((const struct commitment *)vm)->names[g];
}

static void template_group(FILE *f, const char *name, const char *about,
			   const struct cfg_field *fields, int indent)
{
	fprintf(f, "%*s# %s\n%*s%s = {\n", indent, "", about, indent, "", name);
	cfg_template(f, fields, indent + 2);
	fprintf(f, "%*s};\n", indent, "");
}

static void commitment_template(FILE *f)
{
	fputs("\n# The challenger: the state that may attack.\nchallenger = {\n"
	      "  # a name for output; default \"challenger\".\n  name = \"Challenger\";\n", f);
	cfg_template(f, challenger_fields, 2);
	fputs("};\n\n# The target: the state the guarantors promised to defend.\ntarget = {\n"
	      "  # a name for output; default \"target\".\n  name = \"Target\";\n", f);
	cfg_template(f, target_fields, 2);
	fputs("};\n\n# The guarantors: a list of 0 to 12, each with its guarantee and any of\n"
	      "# the enforcement mechanisms (each group optional: delete those that do\n"
	      "# not apply). Copy the group to add a guarantor.\nguarantors = (\n  {\n"
	      "    # a name for output and for --set 'guarantors.[NAME]...'; unique.\n"
	      "    name = \"Guarantor A\";\n", f);
	cfg_template(f, guarantor_fields, 4);
	fputs("    # The promise. Required.\n    guarantee = {\n", f);
	cfg_template(f, guarantee_fields, 6);
	template_group(f, "ratification", "Optional: ratified by a vote; a larger share ties "
		       "hands more and damps election shocks.", ratification_fields, 6);
	template_group(f, "tripwire", "Optional: troops stationed in the target; their forces "
		       "count, and an attack on them may bring the guarantor in.", tripwire_fields, 6);
	template_group(f, "sanctions", "Optional: sanctions that snap back on attack.",
		       sanctions_fields, 6);
	template_group(f, "arms_supply", "Optional: arms delivered to the target, adding to "
		       "its force.", arms_fields, 6);
	template_group(f, "monitoring", "Optional: how well the challenger reads the "
		       "guarantor's resolve (default: exactly).", monitoring_fields, 6);
	fputs("    };\n  }\n);\n", f);
}

const model_type model_commitment_type = {
	"commitment",
	"guarantors' promises of varying strength and enforcement deter a challenger (spec v1)",
	sections,
	commitment_create,
	commitment_destroy,
	commitment_n_guarantors,
	commitment_guarantor_name,
	commitment_work_alloc,
	commitment_work_free,
	commitment_template,
	commitment_trials,
	commitment_trace,
};

const model_type *const model_commitment = &model_commitment_type;

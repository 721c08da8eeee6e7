/* schema.c - the crisis model's keys, their checking into an instance,
 * its schedule of changes, and its starter config. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/actors.h"
#include "models/crisis/crisis.h"

#define REQ CFG_REQUIRED
#define OPT CFG_OPTIONAL
#define LO_OPEN CFG_LO_OPEN

static const struct cfg_field challenger_fields[] = {
	{ "forces", C_FORCES, 0, INF, REQ | LO_OPEN, 700000, "forces at t = 0 (troops)" },
	{ "quality", C_QUALITY, 0, INF, LO_OPEN, 1, "force multiplier" },
	{ "growth_rate", C_GROWTH, 0, INF, 0, 0, "logistic growth rate of its forces per year" },
	{ "max_forces", C_MAX, 0, INF, OPT | LO_OPEN, 1000000, "ceiling of growth; at least forces; required when growth_rate > 0" },
	{ "stake", C_STAKE, 0, INF, 0, 1, "value of winning the war; every cost is on this scale" },
	{ "war_cost", C_WAR_COST, 0, INF, REQ, 0.3, "cost of a war to the challenger, won or lost" },
	{ "decisiveness", C_GAMMA, 0, INF, LO_OPEN, 1, "contest exponent gamma: larger makes superiority count more" },
	{ "crisis_rate", C_RATE, 0, INF, 0, 1, "opportunities for war (crises) per year" },
	{ "decision_sd", C_SHOCK_SD, 0, INF, LO_OPEN, 0.1, "sd of the private shock to the value of war at a crisis" },
	{ "pressure", C_PRESSURE, 0, INF, 0, 0, "how hard it pushes to weaken provisions: the rate per year at which they decay (kept = exp(-pressure t) before locks)" },
	{ "probe_prob", C_PROBE, 0, 1, 0, 0.5, "chance a crisis without war brings a probe (gray-zone action)" },
	{ "prior_weight", C_PRIOR, 0, INF, LO_OPEN, 4, "weight of its prior belief in each guarantor, in probes" },
	{ "crisis_decay", C_DECAY, 0, INF, 0, 0, "rate per year at which crises grow rarer from the start: crisis_rate exp(-crisis_decay t)" },
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
	{ "interest", G_INTEREST, -INF, INF, REQ, 0.2, "mean resolve at t = 0, on the scale of its costs (the challenger's stake does not enter)" },
	{ "resolve_sd", G_RESOLVE_SD, 0, INF, 0, 0.3, "sd of its resolve when the moment comes" },
	{ "intervention_cost", G_ICOST, -INF, INF, 0, 0, "its cost of fighting" },
	{ "escalation_cost", G_ECOST, 0, INF, 0, 0, "extra cost to the challenger when it fights" },
	{ "erosion_rate", G_EROSION, 0, INF, 0, 0, "resolve lost per year, before locks" },
	{ "election_interval", G_EL_INTERVAL, 0, INF, 0, 0, "years between elections; 0: none" },
	{ "next_election", G_NEXT_EL, 0, INF, 0, 0, "time of the first election (years)" },
	{ "turnover_prob", G_TURNOVER, 0, 1, 0, 0, "chance an election moves resolve" },
	{ "election_shock", G_EL_SHOCK, 0, INF, 0, 0, "sd of the resolve jump at a turnover" },
	{ "bipartisan", G_BIPARTISAN, 0, 1, 0, 0, "share of erosion, pressure and adverse election shocks that cross-party consensus blocks" },
	{ "doubt", G_DOUBT, 0, 1, 0, 0, "how far the challenger underrates its chance of honouring: it reads H (1 - doubt)" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct cfg_field guarantee_fields[] = {
	{ "strength", G_STRENGTH, 0, 1, REQ, 0.5, "from vague assurance (0) to automatic pledge (1)" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field ratification_fields[] = {
	{ "vote_share", G_VOTE, 0, 1, REQ, 0.67, "share of the ratifying vote" },
	{ "required", G_REQUIRED, 0, 1, LO_OPEN, 2.0 / 3, "share needed to ratify; below it the treaty fails" },
	{ "lock", G_LOCK, 0, 1, 0, 0.75, "share of erosion, pressure and adverse election shocks a ratified treaty blocks" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};
static const struct cfg_field tripwire_fields[] = {
	{ "troops", G_TRIP_TROOPS, 0, INF, REQ, 5000, "troops stationed in the target" },
	{ "automaticity", G_AUTOMATICITY, 0, 1, REQ, 0.5, "chance a large tripwire hit brings the guarantor in" },
	{ "scale", G_TRIP_SCALE, 0, INF, LO_OPEN, 5000, "troops at which the tripwire has 63% of its full effect" },
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
	{ "quality", G_MONITOR, 0, 1, REQ, 0.5, "share of the challenger's doubt that monitoring and accountability remove" },
	{ "warning", G_WARNING, 0, INF, 0, 0, "share by which warning of a build-up raises the target's defence" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const char *const challenger_known[] = { "name", "learning", NULL };
static const char *const name_key[] = { "name", NULL };
static const char *const guarantor_groups[] = { "name", "guarantee", NULL };
static const char *const guarantee_groups[] = {
	"ratification", "tripwire", "sanctions", "arms_supply", "monitoring", NULL
};

/* The mechanism groups: key, fields, flag. */
static const struct mech {
	const char *key;
	const struct cfg_field *fields;
	unsigned flag;
	const char *about;
} mechs[] = {
	{ "ratification", ratification_fields, HAS_RAT,
	  "Optional: a vote to ratify; at the required share it adds credibility and locks the "
	  "commitment against downward revisions." },
	{ "tripwire", tripwire_fields, HAS_TRIP,
	  "Optional: troops stationed in the target; their effect grows with their number and "
	  "saturates at the scale." },
	{ "sanctions", sanctions_fields, HAS_SANC, "Optional: sanctions that snap back on attack." },
	{ "arms_supply", arms_fields, HAS_ARMS,
	  "Optional: arms delivered to the target, adding to its force." },
	{ "monitoring", monitoring_fields, HAS_MON,
	  "Optional: monitoring and accountability, removing doubt and warning of a build-up." },
};

#define NMECH (sizeof(mechs) / sizeof(mechs[0]))

static void check_interval(struct diag *d, config_setting_t *s, const char *path,
			   struct crisis *m, int g)
{
	double lo, hi, min = m->dt / CR_MAX_ELECTIONS_PER_STEP;
	char p[96], a[32], b[32];

	dist_support(&m->p[GS(g, G_EL_INTERVAL)], &lo, &hi);
	if (hi == 0 || lo >= min)
		return;
	snprintf(p, sizeof(p), "%s.election_interval", path);
	snprintf(a, sizeof(a), "%.6g", min);
	diag_error(d, config_setting_get_member(s, "election_interval"), p,
		   "must be 0 (no elections) or at least %s years (%d elections a step at most), "
		   "and can be %s", a, CR_MAX_ELECTIONS_PER_STEP, cfg_format_real(b, lo));
}

static void read_guarantor(struct diag *d, config_setting_t *s, int g, struct crisis *m)
{
	char path[64], p[96], q[128], def[32];
	config_setting_t *gu, *x;
	size_t i;

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
	for (i = 0; i < NMECH; i++) {
		if (!(x = cfg_group(d, gu, p, mechs[i].key, 0)))
			continue;
		snprintf(q, sizeof(q), "%s.%s", p, mechs[i].key);
		cfg_check_keys(d, x, q, mechs[i].fields, NULL);
		cfg_read_fields(d, x, q, mechs[i].fields, m->p + GS(g, 0), m->present + GS(g, 0));
		m->mech[g] |= mechs[i].flag;
	}
	if (!(m->mech[g] & HAS_TRIP))
		m->p[GS(g, G_TRIP_SCALE)] = dist_fixed(1);
}

static void read_guarantors(struct diag *d, config_setting_t *root, struct crisis *m)
{
	config_setting_t *gl = config_setting_get_member(root, "guarantors");
	int i, j, n;
	char p[64];

	if (!gl) {
		config_setting_add(root, "guarantors", CONFIG_TYPE_LIST);
		return;
	}
	if (!config_setting_is_list(gl)) {
		diag_error(d, gl, "guarantors", "must be a list ( { ... }, ... )%s",
			   config_setting_is_array(gl) ? ", not an array [ ... ]" : "");
		return;
	}
	n = config_setting_length(gl);
	if (n > CR_MAX_GUARANTORS) {
		diag_error(d, gl, "guarantors", "has %d entries, more than the %d the crisis model allows",
			   n, CR_MAX_GUARANTORS);
		n = 0;
	}
	m->ng = n;
	for (i = 0; i < n; i++)
		read_guarantor(d, config_setting_get_elem(gl, (unsigned)i), i, m);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (m->names[i] && m->names[j] && !strcasecmp(m->names[i], m->names[j])) {
				snprintf(p, sizeof(p), "guarantors.[%d].name", i);
				diag_error(d, config_setting_get_member(config_setting_get_elem(gl, (unsigned)i),
									"name"),
					   p, "duplicate name '%s' (also guarantors.[%d])", m->names[i], j);
			}
}

/* Cross-key rules, on the supports of uncertain values. */
static void check_cross(struct diag *d, struct cfg *c, struct crisis *m)
{
	config_setting_t *ch = config_lookup(&c->lc, "challenger");
	config_setting_t *ta = config_lookup(&c->lc, "target");
	double flo, fhi, mlo, mhi, glo, ghi;
	char a[32], b[32];

	dist_support(&m->p[C_GROWTH], &glo, &ghi);
	if (ghi > 0 && !m->present[C_MAX])
		diag_error(d, config_setting_get_member(ch, "growth_rate"), "challenger.max_forces",
			   "required when growth_rate > 0");
	if (m->present[C_MAX]) {
		dist_support(&m->p[C_FORCES], &flo, &fhi);
		dist_support(&m->p[C_MAX], &mlo, &mhi);
		if (mlo < fhi)
			diag_error(d, config_setting_get_member(ch, "max_forces"), "challenger.max_forces",
				   "must be >= forces (%s), got %s", cfg_format_real(a, fhi),
				   cfg_format_real(b, mlo));
	} else {
		m->p[C_MAX] = dist_fixed(INF);
	}
	dist_support(&m->p[C_RATE], &glo, &ghi);
	if (ghi * m->dt > CR_MAX_STEP_RATE)
		diag_error(d, config_setting_get_member(ch, "crisis_rate"), "challenger.crisis_rate",
			   "must be at most %g crises a step (%s a year at this step size), and can be %s",
			   CR_MAX_STEP_RATE, cfg_format_real(a, CR_MAX_STEP_RATE / m->dt),
			   cfg_format_real(b, ghi));
	m->has_cap = m->present[T_CAP];
	m->has_level = m->present[T_CAP] || m->present[T_SUST];
	if (!m->present[T_CAP])
		m->p[T_CAP] = dist_fixed(INF);
	if (!m->present[T_SUST])
		m->p[T_SUST] = dist_fixed(INF);
	dist_support(&m->p[T_DEMOB], &glo, &ghi);
	if (ghi > 0 && !m->has_level)
		diag_error(d, config_setting_get_member(ta, "demobilization_rate"),
			   "target.demobilization_rate",
			   "needs troop_cap or sustainable_troops to relax toward");
}

static config_setting_t *read_actor(struct diag *d, config_setting_t *root, const char *key,
				    const struct cfg_field *fields, const char *const *known,
				    struct crisis *m)
{
	config_setting_t *g = cfg_group(d, root, "", key, 1);

	if (g) {
		cfg_check_keys(d, g, key, fields, known);
		cfg_string(d, g, key, "name", key, 0);
		cfg_read_fields(d, g, key, fields, m->p, m->present);
	}
	return g;
}

/* The field tables cr_schedule_read() resolves paths against: the
 * challenger's, the target's, a guarantor's, its guarantee's, then each
 * mechanism's (in the order of mechs[]). */
static const struct cfg_field *const path_tables[] = {
	challenger_fields, target_fields, guarantor_fields, guarantee_fields,
	ratification_fields, tripwire_fields, sanctions_fields, arms_fields, monitoring_fields,
};

/* The key of mechanism I, and its flag (for schedule.c). */
const char *cr_mech_key(int i, unsigned *flag)
{
	if (i < 0 || (size_t)i >= NMECH)
		return NULL;
	*flag = mechs[i].flag;
	return mechs[i].key;
}

/* Lists the slots a trial draws (those not fixed) in the order start()
 * draws them, with their config paths, into M and its layout's params.
 * Returns 0 or -1 when out of memory. */
static int name_random(struct crisis *m)
{
	int i, s;

	for (s = 0; s < N_BASE + m->ng * N_G; s++)
		if (m->p[s].kind != DIST_FIXED)
			m->random[m->n_random++] = s;
	if (!(m->random_path = calloc((size_t)m->n_random + 1, sizeof(char *))))
		return -1;
	for (i = 0; i < m->n_random; i++)
		if (!(m->random_path[i] = actors_slot_path(path_tables, m->random[i], N_BASE, N_G,
							   m->names)))
			return -1;
	m->layout.nparams = (size_t)m->n_random;
	m->layout.params = (const char *const *)m->random_path;
	return 0;
}

long cr_keys(const void *vm, struct model_key *out, size_t max)
{
	const struct crisis *m = vm;

	return actors_keys(path_tables, N_BASE, N_G, m->ng, (const char *const *)m->names, m->p,
			   m->present, out, max);
}

void *cr_create(struct cfg *c, const struct model_setup *sc, struct diag *d)
{
	config_setting_t *root = config_root_setting(&c->lc), *ch, *ta;
	struct crisis *m = calloc(1, sizeof(*m));
	int before = d->errors, i;

	if (!m)
		return NULL;
	m->n_steps = sc->n_steps;
	m->dt = sc->dt;
	m->tol = 1e-9 * sc->dt;
	m->estimator = sc->estimator;
	m->antithetic = sc->antithetic;
	for (i = 0; i < N_SLOTS; i++)
		m->p[i] = dist_fixed(0);
	ch = read_actor(d, root, "challenger", challenger_fields, challenger_known, m);
	ta = read_actor(d, root, "target", target_fields, name_key, m);
	if (ch)
		cfg_bool(d, ch, "challenger", "learning", 1, &m->learning);
	read_guarantors(d, root, m);
	if (d->errors == before && ch && ta)
		check_cross(d, c, m);
	if (d->errors == before)
		cr_schedule_read(d, root, m, path_tables);
	if (d->errors > before || cr_layout_build(m) < 0 || cr_forces_table(m) < 0 ||
	    name_random(m) < 0) {
		cr_destroy(m);
		return NULL;
	}
	return m;
}

void cr_destroy(void *vm)
{
	struct crisis *m = vm;
	int i;

	if (!m)
		return;
	cr_layout_free(m);
	if (m->random_path)
		for (i = 0; i < m->n_random; i++)
			free(m->random_path[i]);
	free(m->random_path);
	free(m->wtab);
	free(m);
}

void cr_template(FILE *f)
{
	static const struct cfg_example challenger_examples[] = {
		{ "crisis_rate", 0.3, "about three crises a decade" },
		{ NULL, 0, NULL }
	};
	static const struct cfg_example cr_guarantor_examples[] = {
		{ "forces", 150000, "what it would send" },
		{ "intervention_cost", 0.2, "fighting costs it something" },
		{ "escalation_cost", 0.3, "the challenger fears a war with it" },
		{ NULL, 0, NULL }
	};

	size_t i;

	fputs("\n# The challenger: the state that may attack. Crises come at crisis_rate a\n"
	      "# year; at each it attacks when the value of war plus a private shock beats\n"
	      "# the status quo, and otherwise may probe the guarantors and learn.\n"
	      "challenger = {\n  # a name for output; default \"challenger\".\n"
	      "  name = \"Challenger\";\n"
	      "  # whether probes teach the challenger about each guarantor (true) or its\n"
	      "  # belief follows only the current balance of interests (false); default true.\n"
	      "  learning = true;\n", f);
	cfg_template(f, challenger_fields, 2, challenger_examples);
	fputs("};\n\n# The target: the state the guarantors promised to defend.\ntarget = {\n"
	      "  # a name for output; default \"target\".\n  name = \"Target\";\n", f);
	cfg_template(f, target_fields, 2, actors_target_examples);
	fputs("};\n\n# The guarantors: a list of 0 to 8, each with its guarantee and any of\n"
	      "# the mechanisms (each group optional). Copy the group to add one.\nguarantors = (\n  {\n"
	      "    # a name for output, for --set and schedule paths 'guarantors.[NAME]...'; unique.\n"
	      "    name = \"Guarantor A\";\n", f);
	cfg_template(f, guarantor_fields, 4, cr_guarantor_examples);
	fputs("    # The promise. Required.\n    guarantee = {\n", f);
	cfg_template(f, guarantee_fields, 6, actors_guarantee_examples);
	for (i = 0; i < NMECH; i++) {
		fprintf(f, "      # %s\n      %s = {\n", mechs[i].about, mechs[i].key);
		cfg_template(f, mechs[i].fields, 8, NULL);
		fputs("      };\n", f);
	}
	fputs("    };\n  }\n);\n\n"
	      "# Optional: changes on a date. From the first step starting at or after\n"
	      "# 'at' (years), the numeric key at 'path' holds 'value'.\n"
	      "schedule = (\n"
	      "  { at = 3.0; path = \"guarantors.[Guarantor A].guarantee.tripwire.troops\"; value = 0.0; }\n"
	      ");\n", f);
}

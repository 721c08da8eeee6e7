/* schema.c - the commitment model's keys, their checking into an
 * instance, and its starter config. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/actors.h"
#include "models/commitment/internal.h"

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

/* ---------------------------------------------------------------- */
/* Checking the config */

int cm_fixed_slot(const struct commitment *m, int slot)
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

void cm_support(const struct commitment *m, int slot, double *lo, double *hi)
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

	cm_support(m, C_GROWTH, &glo, &ghi);
	if (ghi > 0 && !m->present[C_MAX])
		diag_error(d, config_setting_get_member(ch, "growth_rate"), "challenger.max_forces",
			   "required when growth_rate > 0");
	if (m->present[C_MAX]) {
		cm_support(m, C_FORCES, &flo, &fhi);
		cm_support(m, C_MAX, &mlo, &mhi);
		if (mlo < fhi)
			diag_error(d, config_setting_get_member(ch, "max_forces"), "challenger.max_forces",
				   "must be >= forces (%s), got %s", cfg_format_real(a, fhi),
				   cfg_format_real(b, mlo));
	}
	m->has_cap = m->present[T_CAP];
	m->has_level = m->present[T_CAP] || m->present[T_SUST];
	cm_support(m, T_DEMOB, &glo, &ghi);
	if (ghi > 0 && !m->has_level)
		diag_error(d, config_setting_get_member(ta, "demobilization_rate"),
			   "target.demobilization_rate",
			   "needs troop_cap or sustainable_troops to relax toward");
	/* The resolved config states the level the army relaxes toward. */
	if (m->has_cap && !m->present[T_SUST] && cm_fixed_slot(m, T_CAP)) {
		config_setting_t *s = config_setting_add(ta, "sustainable_troops", CONFIG_TYPE_FLOAT);

		config_setting_set_float(s, m->p[T_CAP].a);
	}
}

/* Reads the list "guarantors" of ROOT (created empty when absent) into M. */
static void read_guarantors(struct diag *d, config_setting_t *root, struct commitment *m)
{
	config_setting_t *gl = config_setting_get_member(root, "guarantors");
	int i, j, n;

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
	if (n > CM_MAX_GUARANTORS) {
		diag_error(d, gl, "guarantors", "has %d entries, more than the %d allowed",
			   n, CM_MAX_GUARANTORS);
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
				diag_error(d, config_setting_get_member(config_setting_get_elem(gl, (unsigned)i),
									"name"),
					   p, "duplicate name '%s' (also guarantors.[%d])", m->names[i], j);
			}
}

/* Reads the group KEY of ROOT with FIELDS into M's values. */
static config_setting_t *read_actor(struct diag *d, config_setting_t *root, const char *key,
				    const struct cfg_field *fields, struct commitment *m)
{
	config_setting_t *g = cfg_group(d, root, "", key, 1);

	if (g) {
		cfg_check_keys(d, g, key, fields, name_key);
		cfg_string(d, g, key, "name", key, 0);
		cfg_read_fields(d, g, key, fields, m->p, m->present);
	}
	return g;
}

/* Names the slots drawn per trial by their config paths, into
 * M->random_path and the layout's params. Returns 0 or -1 when out of
 * memory. */
static const struct cfg_field *const tables[ACTORS_TABLES] = {
	challenger_fields, target_fields, guarantor_fields, guarantee_fields,
	ratification_fields, tripwire_fields, sanctions_fields, arms_fields,
	monitoring_fields,
};

static int name_random(struct commitment *m)
{
	int i;

	if (!(m->random_path = calloc((size_t)m->n_random + 1, sizeof(char *))))
		return -1;
	for (i = 0; i < m->n_random; i++)
		if (!(m->random_path[i] = actors_slot_path(tables, m->random[i], N_BASE, N_G,
							   m->names)))
			return -1;
	m->layout->pub.nparams = (size_t)m->n_random;
	m->layout->pub.params = (const char *const *)m->random_path;
	return 0;
}

long cm_keys(const void *vm, struct model_key *out, size_t max)
{
	const struct commitment *m = vm;

	return actors_keys(tables, N_BASE, N_G, m->ng, m->names, m->p, m->present, out, max);
}

void *cm_create(struct cfg *c, const struct model_setup *sc, struct diag *d)
{
	config_setting_t *root = config_root_setting(&c->lc), *ch, *ta;
	struct commitment *m = calloc(1, sizeof(*m));
	int before = d->errors, i;

	if (!m || !(m->tab = calloc(1, sizeof(*m->tab)))) {
		free(m);
		return NULL;
	}
	m->n_steps = sc->n_steps;
	m->steps_per_year = sc->steps_per_year;
	m->dt = sc->dt;
	m->tol = 1e-9 * sc->dt;
	m->reference = sc->reference;
	m->horizon = sc->horizon;
	m->estimator = sc->estimator;
	m->antithetic = sc->antithetic;
	for (i = 0; i < N_SLOTS; i++)
		m->p[i] = dist_fixed(0);
	ch = read_actor(d, root, "challenger", challenger_fields, m);
	ta = read_actor(d, root, "target", target_fields, m);
	read_guarantors(d, root, m);
	if (d->errors == before && ch && ta)
		check_cross(d, c, m);
	if (d->errors > before || cm_layout_build(m) < 0) {
		cm_destroy(m);
		return NULL;
	}
	for (i = 0; i < N_BASE + m->ng * N_G; i++)
		if (!cm_fixed_slot(m, i))
			m->random[m->n_random++] = i;
	if (name_random(m) < 0) {
		cm_destroy(m);
		return NULL;
	}
	for (i = 0; i < m->ng; i++)
		if (m->p[GS(i, G_EL_INTERVAL)].kind != DIST_FIXED ||
		    m->p[GS(i, G_EL_INTERVAL)].a > 0)
			m->any_elections = 1;
	return m;
}

void cm_destroy(void *vm)
{
	struct commitment *m = vm;
	int i;

	if (!m)
		return;
	if (m->random_path)
		for (i = 0; i < m->n_random; i++)
			free(m->random_path[i]);
	free(m->random_path);
	if (m->tab)
		cm_free_tables(m->tab, m->ng);
	free(m->tab);
	cm_layout_free(m);
	free(m);
}

static void template_group(FILE *f, const char *name, const char *about,
			   const struct cfg_field *fields, int indent, const struct cfg_example *ex)
{
	fprintf(f, "%*s# %s\n%*s%s = {\n", indent, "", about, indent, "", name);
	cfg_template(f, fields, indent + 2, ex);
	fprintf(f, "%*s};\n", indent, "");
}

void cm_template(FILE *f)
{
	static const struct cfg_example vote_example[] = {
		{ "vote_share", 0.5, "ratified, narrowly" },
		{ NULL, 0, NULL }
	};

	fputs("\n# The challenger: the state that may attack.\nchallenger = {\n"
	      "  # a name for output; default \"challenger\".\n  name = \"Challenger\";\n", f);
	cfg_template(f, challenger_fields, 2, NULL);
	fputs("};\n\n# The target: the state the guarantors promised to defend.\ntarget = {\n"
	      "  # a name for output; default \"target\".\n  name = \"Target\";\n", f);
	cfg_template(f, target_fields, 2, actors_target_examples);
	fputs("};\n\n# The guarantors: a list of 0 to 12, each with its guarantee and any of\n"
	      "# the enforcement mechanisms (each group optional: delete those that do\n"
	      "# not apply). Copy the group to add a guarantor.\nguarantors = (\n  {\n"
	      "    # a name for output and for --set 'guarantors.[NAME]...'; unique.\n"
	      "    name = \"Guarantor A\";\n", f);
	cfg_template(f, guarantor_fields, 4, actors_guarantor_examples);
	fputs("    # The promise. Required.\n    guarantee = {\n", f);
	cfg_template(f, guarantee_fields, 6, actors_guarantee_examples);
	template_group(f, "ratification", "Optional: ratified by a vote; a larger share ties "
		       "hands more and damps election shocks.", ratification_fields, 6, vote_example);
	template_group(f, "tripwire", "Optional: troops stationed in the target; their forces "
		       "count, and an attack on them may bring the guarantor in.", tripwire_fields, 6, NULL);
	template_group(f, "sanctions", "Optional: sanctions that snap back on attack.",
		       sanctions_fields, 6, NULL);
	template_group(f, "arms_supply", "Optional: arms delivered to the target, adding to "
		       "its force.", arms_fields, 6, NULL);
	template_group(f, "monitoring", "Optional: how well the challenger reads the "
		       "guarantor's resolve (default: exactly).", monitoring_fields, 6, NULL);
	fputs("    };\n  }\n);\n", f);
}

/* layout.c - what the commitment model counts and reports: its counters,
 * its figures (docs/model.md, "Outcomes and summary figures"), the
 * per-guarantor breakdown, the outcome categories, the survival curve,
 * the columns and events of a traced trial, and a report's sections. */
#include <stdlib.h>
#include <string.h>

#include "models/actors.h"
#include "models/commitment/internal.h"


static const char *const fixed_names[K_INTERVENED] = {
	"deterred", "attacked", "honored", "partial", "abandoned", "won",
	"honored_defended", "honored_defeated", "partial_defended", "partial_defeated",
	"abandoned_defended", "abandoned_defeated", "attack_step_sum", "attack_step_squares",
};

static const struct model_figure figures[] = {
	{ "p_deterred", "deterred over the whole horizon",
	  "the share of trials in which the challenger never attacks within the horizon",
	  "P(deterred): no attack within the horizon",
	  MODEL_SHARE, K_DETERRED, 0, 0, MODEL_FIG_JSON | MODEL_FIG_PAIR | MODEL_FIG_CI },
	{ "p_attack", "attacked within the horizon",
	  "the share of trials in which the challenger attacks (1 - p_deterred)",
	  "P(attack within the horizon)",
	  MODEL_SHARE, K_ATTACKED, 0, 0, MODEL_FIG_JSON | MODEL_FIG_PAIR },
	{ "p_honored_given_attack", "every guarantor intervened | attack",
	  "among attacks, the share in which every guarantor came to the target's defence",
	  "P(every guarantor intervened | attack)",
	  MODEL_SHARE_GIVEN, K_HONORED, K_ATTACKED, 0, MODEL_FIG_JSON },
	{ "p_partial_given_attack", "some guarantors intervened | attack",
	  "among attacks, the share in which some but not all guarantors intervened",
	  "P(some but not all intervened | attack)",
	  MODEL_SHARE_GIVEN, K_PARTIAL, K_ATTACKED, 0, 0 },
	{ "p_abandoned_given_attack", "no guarantor intervened | attack",
	  "among attacks, the share in which no guarantor intervened",
	  "P(no guarantor intervened | attack)",
	  MODEL_SHARE_GIVEN, K_ABANDONED, K_ATTACKED, 0, MODEL_FIG_JSON },
	{ "p_challenger_wins", "challenger attacked and won",
	  "the share of all trials in which the challenger attacks and wins the war",
	  "P(challenger attacked and won)",
	  MODEL_SHARE, K_WON, 0, 0, MODEL_FIG_JSON | MODEL_FIG_PAIR },
	{ "p_challenger_wins_given_attack", "challenger won | attack",
	  "among attacks, the share the challenger wins",
	  "P(challenger won | attack)",
	  MODEL_SHARE_GIVEN, K_WON, K_ATTACKED, 0, MODEL_FIG_JSON },
	{ "mean_attack_year", "mean year of attack | attack",
	  "among attacks, the mean time of the attack in years from the start",
	  "Mean year of attack, among attacks",
	  MODEL_MEAN_GIVEN, K_STEP_SUM, K_ATTACKED, K_STEP_SQ, MODEL_FIG_JSON | MODEL_FIG_YEARS },
};

static const struct model_breakdown breakdowns[] = {
	{ "guarantor intervenes | attack", "intervened | attack",
	  "How often each guarantor intervened when the challenger attacked:",
	  { "p_intervenes_given_attack", NULL,
	    "among attacks, the share in which this guarantor intervened",
	    "P(this guarantor intervened | attack)",
	    MODEL_SHARE_GIVEN, K_INTERVENED, K_ATTACKED, 0, 0 } },
};

static const struct model_outcome outcomes[] = {
	{ "deterred", "deterred: no attack", K_DETERRED, 0, 0 },
	{ "honored_defended", "attacked: all guarantors fought, target held", K_CELL + 0, 1, 0 },
	{ "honored_defeated", "attacked: all guarantors fought, target defeated", K_CELL + 1, 1, 1 },
	{ "partial_defended", "attacked: some guarantors fought, target held", K_CELL + 2, 2, 0 },
	{ "partial_defeated", "attacked: some guarantors fought, target defeated", K_CELL + 3, 2, 1 },
	{ "abandoned_defended", "attacked: no guarantor came, target held", K_CELL + 4, 3, 0 },
	{ "abandoned_defeated", "attacked: no guarantor came, target defeated", K_CELL + 5, 3, 1 },
};

static const struct model_column columns[] = {
	{ "challenger", "the challenger's forces C", 10, 0 },
	{ "troops", "the target's troops T", 10, 0 },
	{ "arms", "the arms stock A delivered by every guarantor", 10, 0 },
	{ "H", "the guarantor's true chance of honouring its promise", 6, 1 },
	{ "Hhat", "that chance as the challenger reads it", 6, 1 },
	{ "shift", "the guarantor's resolve moved by elections so far", 6, 1 },
	{ "eu", "the challenger's expected utility of war", 6, 0 },
	{ "hazard", "attacks per year", 6, 0 },
	{ "cum", "the cumulative hazard", 6, 0 },
	{ "threshold", "the Exp(1) threshold at which this trial's challenger attacks", 6, 0 },
};

static const struct model_field election_fields[] = {
	{ "guarantor", MODEL_FIELD_ACTOR, NULL },
	{ "turnover", MODEL_FIELD_INT, NULL },
	{ "shock", MODEL_FIELD_REAL, NULL },
};

static const char *const winners[] = { "target", "challenger", NULL };

static const struct model_field attack_fields[] = {
	{ "intervened", MODEL_FIELD_ACTORS, NULL },
	{ "win_prob", MODEL_FIELD_REAL, NULL },
	{ "winner", MODEL_FIELD_CHOICE, winners },
};

static const struct model_event events[] = {
	[CM_EV_ELECTION] = { "election", "an election in a guarantor, and whether it moved resolve",
			     3, election_fields },
	[CM_EV_ATTACK] = { "attack", "the attack: who intervened, the challenger's chance, who won",
			   3, attack_fields },
};

static const struct model_section report_sections[] = {
	{ "challenger", "Challenger", 0 },
	{ "target", "Target (defended state)", 0 },
	{ "guarantors", "Guarantors: guarantees and enforcement mechanisms", 1 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))


/* Sets the bound on one trial's contribution to each of the N counters
 * C, and their fraction bits: whole counts for the indicator estimator,
 * fixed point for conditional expectations. */
static void set_bounds(const struct commitment *m, struct model_counter *c, size_t n)
{
	double steps = (double)m->n_steps;
	unsigned char one = m->estimator == MODEL_CONDITIONAL ? tally_frac(1) : 0;
	size_t i;

	for (i = 0; i < n; i++)
		c[i].max = i == K_STEP_SUM ? steps : i == K_STEP_SQ ? steps * steps : 1;
	for (i = 0; i < n; i++)
		c[i].frac = c[i].max == 1 ? one
			    : m->estimator == MODEL_CONDITIONAL ? tally_frac(c[i].max) : 0;
}

int cm_layout_build(struct commitment *m)
{
	struct cm_layout *l = calloc(1, sizeof(*l));
	size_t n = K_INTERVENED + (size_t)m->ng + (size_t)m->n_steps, i;
	char buf[64];

	if (!l)
		return -1;
	m->layout = l;
	l->counters = calloc(n, sizeof(*l->counters));
	l->names = calloc((size_t)m->ng + 2, sizeof(*l->names));
	if (!l->counters || !l->names)
		return -1;
	for (i = 0; i < K_INTERVENED; i++)
		l->counters[i].name = fixed_names[i];
	for (i = 0; i < (size_t)m->ng; i++) {
		snprintf(buf, sizeof(buf), "intervened_%zu", i + 1);
		if (!(l->names[i] = strdup(buf)))
			return -1;
		l->counters[K_INTERVENED + i].name = l->names[i];
	}
	for (i = K_INTERVENED + (size_t)m->ng; i < n; i++)
		l->counters[i].name = "attacks_in_step";
	set_bounds(m, l->counters, n);
	l->pub = (struct model_layout){
		.record_size = m->estimator == MODEL_CONDITIONAL ? sizeof(double) * n
								 : sizeof(struct cm_record),
		.record_values = m->estimator == MODEL_CONDITIONAL,
		.ncounters = n, .counters = l->counters,
		.nfigures = COUNT(figures), .figures = figures,
		.actor = "guarantor", .nactors = m->ng, .actor_names = m->names,
		.nbreakdowns = COUNT(breakdowns), .breakdowns = breakdowns,
		.noutcomes = COUNT(outcomes), .outcomes = outcomes,
		.outcomes_note = actors_outcomes_note(m->ng),
		.outcomes_caption = "How the trials ended: deterred, or attacked and defended or "
				    "defeated, by how many guarantors intervened.",
		.curve = K_INTERVENED + (size_t)m->ng,
		.curve_caption = "Probability that deterrence still holds, by year, with its 95% band.",
		.ncolumns = COUNT(columns), .columns = columns,
		.nevents = COUNT(events), .events = events,
		.nsections = COUNT(report_sections), .sections = report_sections,
	};
	return 0;
}

void cm_layout_free(struct commitment *m)
{
	struct cm_layout *l = m->layout;
	int i;

	if (!l)
		return;
	for (i = 0; l->names && i < m->ng; i++)
		free(l->names[i]);
	free(l->names);
	free(l->counters);
	free(l);
	m->layout = NULL;
}

const struct model_layout *cm_layout_get(const struct commitment *m)
{
	return &m->layout->pub;
}

/* The support of an attack recorded in O: 0 every guarantor came, 1 some,
 * 2 none. */
static int support_of(const struct commitment *m, const struct cm_record *o)
{
	if (m->ng > 0 && o->n_intervened == m->ng)
		return 0;
	return o->n_intervened > 0 ? 1 : 2;
}

static void indicator_add(const struct commitment *m, const struct cm_record *o, struct tally *t)
{
	int sup, g;

	if (!o->attacked) {
		tally_count(t, K_DETERRED);
		t->steps += (uint64_t)m->n_steps;
		return;
	}
	sup = support_of(m, o);
	t->steps += (uint64_t)o->step + 1;
	tally_count(t, K_ATTACKED);
	tally_count(t, K_INTERVENED + (size_t)m->ng + (size_t)o->step);
	tally_add_int(t, K_STEP_SUM, o->step);
	t->sum[K_STEP_SQ] += (tally_sum)o->step * o->step;
	tally_count(t, K_HONORED + (size_t)sup);
	tally_count(t, K_CELL + 2 * (size_t)sup + (o->challenger_won != 0));
	if (o->challenger_won)
		tally_count(t, K_WON);
	for (g = 0; g < m->ng; g++)
		if (o->intervened >> g & 1)
			tally_count(t, K_INTERVENED + (size_t)g);
}

void cm_add(const void *vm, const void *rec, struct tally *t)
{
	const struct commitment *m = vm;
	const double *x = rec;
	size_t i, n = m->layout->pub.ncounters;

	if (m->estimator != MODEL_CONDITIONAL) {
		indicator_add(m, rec, t);
		return;
	}
	for (i = 0; i < n; i++)
		if (x[i] != 0)
			tally_add(t, i, x[i]);
	t->steps += (uint64_t)m->n_steps;
}

static double indicator_contribution(const struct commitment *m, const struct cm_record *o,
				     size_t i)
{
	size_t ng = (size_t)m->ng;

	if (i == K_DETERRED)
		return !o->attacked;
	if (!o->attacked)
		return 0;
	if (i == K_ATTACKED)
		return 1;
	if (i >= K_HONORED && i <= K_ABANDONED)
		return (int)(i - K_HONORED) == support_of(m, o);
	if (i == K_WON)
		return o->challenger_won != 0;
	if (i >= K_CELL && i < K_CELL + 6)
		return (int)(i - K_CELL) == 2 * support_of(m, o) + (o->challenger_won != 0);
	if (i == K_STEP_SUM)
		return (double)o->step;
	if (i == K_STEP_SQ)
		return (double)o->step * (double)o->step;
	if (i < K_INTERVENED + ng)
		return o->intervened >> (i - K_INTERVENED) & 1;
	return (long)(i - K_INTERVENED - ng) == o->step;
}

double cm_contribution(const void *vm, const void *rec, size_t i)
{
	const struct commitment *m = vm;

	if (m->estimator == MODEL_CONDITIONAL)
		return ((const double *)rec)[i];
	return indicator_contribution(m, rec, i);
}

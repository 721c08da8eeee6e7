/* layout.c - what the crisis model counts and reports: the figures of
 * the commitment model (the same keys, so that sim compare can set the
 * two side by side), the per-guarantor breakdown, the outcome
 * categories, the survival curve, and a traced trial's columns and
 * events. */
#include <stdlib.h>
#include <string.h>

#include "core/tally.h"
#include "models/actors.h"
#include "models/crisis/crisis.h"

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
	{ "belief", "the challenger's belief in that chance", 6, 1 },
	{ "kept", "the share of the guarantee's provisions pressure has left", 6, 1 },
	{ "eu", "the challenger's expected value of war over the status quo", 6, 0 },
	{ "q", "the chance a crisis brings war", 6, 0 },
	{ "crises", "the crises of the step (their expected number without learning)", 6, 0 },
	{ "cum", "the cumulative hazard of war at the step's end", 6, 0 },
	{ "threshold", "the Exp(1) threshold at which this trial's challenger attacks", 6, 0 },
};

static const struct model_field election_fields[] = {
	{ "guarantor", MODEL_FIELD_ACTOR, NULL },
	{ "turnover", MODEL_FIELD_INT, NULL },
	{ "shock", MODEL_FIELD_REAL, NULL },
};

static const struct model_field probe_fields[] = {
	{ "guarantor", MODEL_FIELD_ACTOR, NULL },
	{ "answered", MODEL_FIELD_INT, NULL },
};

static const struct model_field change_fields[] = {
	{ "entry", MODEL_FIELD_INT, NULL },
	{ "value", MODEL_FIELD_REAL, NULL },
};

static const char *const winners[] = { "target", "challenger", NULL };

static const struct model_field attack_fields[] = {
	{ "intervened", MODEL_FIELD_ACTORS, NULL },
	{ "win_prob", MODEL_FIELD_REAL, NULL },
	{ "winner", MODEL_FIELD_CHOICE, winners },
};

static const struct model_event events[] = {
	[CR_EV_ELECTION] = { "election", "an election in a guarantor, and the shock to its resolve",
			     3, election_fields },
	[CR_EV_PROBE] = { "probe", "a probe in a crisis without war, and whether the guarantor "
			  "answered it", 2, probe_fields },
	[CR_EV_CHANGE] = { "change", "a scheduled change (its entry in the schedule, the new value)",
			   2, change_fields },
	[CR_EV_ATTACK] = { "attack", "the attack: who intervened, the challenger's chance, who won",
			   3, attack_fields },
};

static const struct model_section report_sections[] = {
	{ "challenger", "Challenger", 0 },
	{ "target", "Target (defended state)", 0 },
	{ "guarantors", "Guarantors: guarantees and mechanisms", 1 },
	{ "schedule", "Scheduled changes (from the first step at or after 'at', in years)", 1 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int cr_layout_build(struct crisis *m)
{
	size_t n = K_INTERVENED + (size_t)m->ng + (size_t)m->n_steps, i;
	unsigned char one = m->estimator == MODEL_CONDITIONAL ? tally_frac(1) : 0;
	double steps = (double)m->n_steps;
	char buf[64];

	m->counters = calloc(n, sizeof(*m->counters));
	m->counter_names = calloc((size_t)m->ng + 1, sizeof(*m->counter_names));
	if (!m->counters || !m->counter_names)
		return -1;
	for (i = 0; i < n; i++) {
		struct model_counter *c = &m->counters[i];

		if (i < K_INTERVENED) {
			c->name = fixed_names[i];
		} else if (i < K_INTERVENED + (size_t)m->ng) {
			snprintf(buf, sizeof(buf), "intervened_%zu", i - K_INTERVENED + 1);
			if (!(m->counter_names[i - K_INTERVENED] = strdup(buf)))
				return -1;
			c->name = m->counter_names[i - K_INTERVENED];
		} else {
			c->name = "attacks_in_step";
		}
		c->max = i == K_STEP_SUM ? steps : i == K_STEP_SQ ? steps * steps : 1;
		c->frac = c->max == 1 ? one
			  : m->estimator == MODEL_CONDITIONAL ? tally_frac(c->max) : 0;
	}
	m->layout = (struct model_layout){
		/* Every counter's contribution, then the steps simulated. */
		.record_size = sizeof(double) * (n + 1),
		.record_values = 1,
		.ncounters = n, .counters = m->counters,
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

void cr_layout_free(struct crisis *m)
{
	int i;

	for (i = 0; m->counter_names && i < m->ng; i++)
		free(m->counter_names[i]);
	free(m->counter_names);
	free(m->counters);
}

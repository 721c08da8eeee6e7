/* story.c - a traced trial of the commitment model in words, for the
 * classroom ('sim trace'): a line a year of forces, troops, arms, each
 * guarantor's true and perceived honour, the challenger's expected utility
 * and hazard; the elections; then the attack and who came, or that
 * deterrence held. */
#include <stdlib.h>
#include <string.h>

#include "models/commitment/internal.h"

struct story {
	const struct commitment *m;
	FILE *f;
	long every;
	long k;				/* the step seen last */
	int attacked;			/* the story's challenger attacked */
	double t;
	double v[CM_COLS(CM_MAX_GUARANTORS)];	/* its values */
};

/* Value I of guarantor G's block (0 H, 1 Hhat, 2 shift). */
#define GV(v, g, i) ((v)[CM_COL_H + 3 * (g) + (i)])
/* The values after the guarantors: 0 EU, 1 hazard, 2 cum, 3 threshold. */
#define TV(st, i) ((st)->v[CM_COL_H + 3 * (st)->m->ng + (i)])

static void *story_begin(const void *vm, FILE *f, long every)
{
	const struct commitment *m = vm;
	struct story *st = calloc(1, sizeof(*st));
	int g;

	if (!st)
		return NULL;
	st->m = m;
	st->f = f;
	st->every = every;
	fprintf(f, "Honour: each guarantor's true chance of intervening, and in brackets\n"
		"the challenger's reading of it. EU: the challenger's expected utility\n"
		"of war; hazard: attacks per year; cum/thr: the cumulative hazard and\n"
		"the threshold at which this trial's challenger attacks.\n\n");
	fprintf(f, "%6s %10s %9s %8s", "year", "challenger", "troops", "arms");
	for (g = 0; g < m->ng; g++)
		fprintf(f, " %15.15s", m->names[g]);
	fprintf(f, " %7s %7s  %s\n", "EU", "hazard", "cum/thr");
	return st;
}

/* Prints the line of the step seen last. */
static void line(const struct story *st)
{
	const double *v = st->v;
	int g;

	fprintf(st->f, "%6.2f %10.0f %9.0f %8.0f", st->t, v[0], v[1], v[2]);
	for (g = 0; g < st->m->ng; g++) {
		char cell[32];

		snprintf(cell, sizeof(cell), "%4.2f (%4.2f)", GV(v, g, 0), GV(v, g, 1));
		fprintf(st->f, " %15s", cell);
	}
	fprintf(st->f, " %7.3f %7.3f  %5.3f/%5.3f\n", TV(st, 0), TV(st, 1), TV(st, 2), TV(st, 3));
}

/* Whether the step seen last has a line of its own. */
static int shown(const struct story *st)
{
	return st->k % st->every == 0 || st->k + 1 == st->m->n_steps;
}

static void story_step(void *vst, const struct model_trace_step *s)
{
	struct story *st = vst;

	st->k = s->k;
	st->t = s->t;
	memcpy(st->v, s->values, sizeof(double) * (size_t)CM_COLS(st->m->ng));
	if (shown(st))
		line(st);
}

static void attack(const struct story *st, const struct model_trace_event *e)
{
	const struct commitment *m = st->m;
	unsigned S = (unsigned)e->values[0];
	int g, n = 0;

	if (!shown(st))
		line(st);
	fprintf(st->f, "\nIn year %.2f (step %ld) the challenger attacks: its cumulative hazard\n"
		"%.3f passed its threshold %.3f.\n", e->t, e->k, TV(st, 2), TV(st, 3));
	for (g = 0; g < m->ng; g++) {
		int in = S >> g & 1;

		n += in;
		fprintf(st->f, "  %s %s (it would with probability %.2f; the challenger counted "
			"on %.2f).\n", m->names[g], in ? "intervenes" : "stays out",
			GV(st->v, g, 0), GV(st->v, g, 1));
	}
	if (!m->ng)
		fprintf(st->f, "  No guarantor promised anything.\n");
	fprintf(st->f, "Against %s, the challenger's chance of winning is %.2f: %s.\n",
		n == m->ng && n ? "every guarantor" : n ? "this coalition" : "the target alone",
		e->values[1], e->values[2] != 0 ? "the challenger wins" : "the target holds");
}

static void story_event(void *vst, const struct model_trace_event *e)
{
	struct story *st = vst;
	const char *name;

	if (e->kind == CM_EV_ATTACK) {
		st->attacked = 1;
		attack(st, e);
		return;
	}
	name = st->m->names[(int)e->values[0]];
	if (e->values[1] != 0)
		fprintf(st->f, "       year %.2f: election in %s: turnover, resolve %+.3f\n", e->t,
			name, e->values[2] + 0.0);
	else
		fprintf(st->f, "       year %.2f: election in %s: no change of course\n", e->t, name);
}

static void story_end(void *vst, const void *rec)
{
	struct story *st = vst;

	if (!st->attacked)
		fprintf(st->f, "\nNo attack in %g years: deterrence held in this trial (cumulative "
			"hazard %.3f, threshold %.3f).\n", st->m->horizon, TV(st, 2), TV(st, 3));
	/* A conditional run counts the chance, not the story's outcome. */
	if (st->m->estimator == MODEL_CONDITIONAL)
		fprintf(st->f, "A run counts this trial's chance of deterrence over the horizon, "
			"%.3f,\nnot the outcome of this one story.\n",
			((const double *)rec)[K_DETERRED]);
	free(st);
}

const struct model_story cm_story = { story_begin, story_step, story_event, story_end };

/* cmd_trace.c - "sim trace": the story of one trial, for the classroom. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "io/output.h"
#include "engine/scenario.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim trace [CONFIG] --trial K [--every STEPS] [--tsv] [-s SEED]\n"
	"                 [--set PATH=VALUE]... [--estimator NAME]\n\n"
	"Tells the story of trial K (0 to trials - 1) of the scenario: year by\n"
	"year the forces, the troops, the arms stock, each guarantor's true and\n"
	"perceived chance of honouring its promise, the challenger's expected\n"
	"utility of war and its hazard of attack, the elections and their\n"
	"shocks; then the attack, who intervened and who won, or that deterrence\n"
	"held. Trial K here is trial K of 'sim run' with the same config and seed:\n"
	"the same draws; under the conditional estimator (the default) the run\n"
	"counts the trial's chances of attack and of each outcome given those\n"
	"draws, and the story shows one way the trial could end.\n\n"
	"  --trial K      the trial to tell (required)\n"
	"  --every STEPS  a line every STEPS steps (default: one a year)\n"
	"  --tsv          every step as tab-separated data, events as '#' lines\n"
	"  -s, --seed S   seed (overrides scenario.seed)\n"
	"      --set PATH=VALUE  override a config value\n"
	"      --estimator NAME  conditional or indicator (see 'sim run --help')\n"
	"  -h, --help     show this help\n";

/* What a trace prints to: the layout of the scenario, TSV or the model's
 * story (or a plain table of the columns when it has none). */
struct tracer {
	const struct scenario *sc;
	const struct model_layout *L;
	int tsv;
	long every;
	void *story;			/* the model's story state */
};

/* The number of values a traced step of L carries. */
static size_t ncolumns(const struct model_layout *L)
{
	size_t i, n = 0;

	for (i = 0; i < L->ncolumns; i++)
		n += L->columns[i].per_actor ? (size_t)L->nactors : 1;
	return n;
}

/* Calls FN(ctx, column, actor) for the values of a step in order: a block
 * of consecutive per-actor columns once per actor. */
static void each_value(const struct model_layout *L,
		       void (*fn)(void *ctx, const struct model_column *c, int actor), void *ctx)
{
	size_t i = 0, j, end;
	int a;

	while (i < L->ncolumns) {
		if (!L->columns[i].per_actor) {
			fn(ctx, &L->columns[i++], -1);
			continue;
		}
		for (end = i; end < L->ncolumns && L->columns[end].per_actor; end++)
			;
		for (a = 0; a < L->nactors; a++)
			for (j = i; j < end; j++)
				fn(ctx, &L->columns[j], a);
		i = end;
	}
}

/* Prints the name of a value: tab-separated (CTX NULL) or in a column
 * of 12 (CTX not NULL). */
static void print_name(void *ctx, const struct model_column *c, int actor)
{
	char name[64];

	if (actor < 0)
		snprintf(name, sizeof(name), "%s", c->name);
	else
		snprintf(name, sizeof(name), "%s_%d", c->name, actor + 1);
	printf(ctx ? " %12.12s" : "\t%s", name);
}

struct cursor {
	const double *v;
	size_t k;
};

static void print_value(void *ctx, const struct model_column *c, int actor)
{
	struct cursor *cu = ctx;

	(void)actor;
	printf("\t%.*g", c->digits, cu->v[cu->k++]);
}

static void on_step(void *ctx, const struct model_trace_step *s0)
{
	struct tracer *tr = ctx;
	struct cursor cu = { s0->values, 0 };
	struct model_trace_step shifted = *s0;
	const struct model_trace_step *s = s0;
	size_t i;

	/* With scenario.start, the text tells calendar years. */
	if (!tr->tsv && tr->sc->start) {
		shifted.t += tr->sc->start_year;
		s = &shifted;
	}
	if (tr->story) {
		tr->sc->model->story->step(tr->story, s);
		return;
	}
	if (!tr->tsv && s->k % tr->every && s->k + 1 != tr->sc->n_steps)
		return;
	if (tr->tsv) {
		printf("%ld\t%.10g", s->k, s->t);
		each_value(tr->L, print_value, &cu);
	} else {
		printf("%8.2f", s->t);
		for (i = 0; i < ncolumns(tr->L); i++)
			printf(" %12.6g", s->values[i]);
	}
	putchar('\n');
}

static void print_field(const struct tracer *tr, const struct model_field *f, double v)
{
	int a;

	switch (f->type) {
	case MODEL_FIELD_ACTOR:
		fputs(tr->L->actor_names[(int)v], stdout);
		break;
	case MODEL_FIELD_INT:
		printf("%d", (int)v);
		break;
	case MODEL_FIELD_ACTORS:
		for (a = 0; a < tr->L->nactors; a++)
			printf("%s%d", a ? "," : "", (int)((unsigned long)v >> a & 1));
		break;
	case MODEL_FIELD_CHOICE:
		fputs(f->choices[(int)v], stdout);
		break;
	default:
		printf("%.6g", v);
	}
}

static void on_event(void *ctx, const struct model_trace_event *e0)
{
	struct tracer *tr = ctx;
	const struct model_event *ev = &tr->L->events[e0->kind];
	struct model_trace_event shifted = *e0;
	const struct model_trace_event *e = e0;
	size_t i;

	if (!tr->tsv && tr->sc->start) {
		shifted.t += tr->sc->start_year;
		e = &shifted;
	}
	if (tr->story) {
		tr->sc->model->story->event(tr->story, e);
		return;
	}
	printf(tr->tsv ? "# event\t%s\t%ld\t%.10g" : "  %s in step %ld (year %.2f):", ev->name,
	       e->k, e->t);
	for (i = 0; i < ev->nfields; i++) {
		if (tr->tsv)
			putchar('\t');
		else
			printf(" %s ", ev->fields[i].name);
		print_field(tr, &ev->fields[i], e->values[i]);
	}
	putchar('\n');
}

/* The lines before the steps: TSV provenance and columns, or the story's
 * opening (or a plain header). */
static void begin(struct tracer *tr, const struct cfg *cfg, unsigned long long trial)
{
	const struct scenario *sc = tr->sc;
	size_t i;

	if (tr->tsv) {
		output_header(stdout, cfg, sc, "1 (a traced trial)");
		printf("# trial: %llu\nstep\tyear", trial);
		each_value(tr->L, print_name, NULL);
		putchar('\n');
		return;
	}
	fputs("Trial ", stdout);
	printf("%llu of '", trial);
	output_escape(stdout, sc->name);
	printf("' (seed %llu, ", (unsigned long long)sc->seed);
	output_escape(stdout, cfg->name);
	printf("), a line every %ld step%s.\n", tr->every, tr->every == 1 ? "" : "s");
	if (sc->start)
		printf("The horizon starts in %s: years are calendar years (%.2f is %s).\n",
		       sc->start, sc->start_year, sc->start);
	if (sc->model->story) {
		tr->story = sc->model->story->begin(sc->instance, stdout, tr->every);
		return;
	}
	for (i = 0; i < tr->L->ncolumns; i++)
		printf("%s: %s%s.\n", tr->L->columns[i].name, tr->L->columns[i].meaning,
		       tr->L->columns[i].per_actor ? " (one per actor)" : "");
	printf("\n%8s", "year");
	each_value(tr->L, print_name, tr);
	putchar('\n');
}

struct trace_args {
	unsigned long long trial;
	int have_trial, tsv;
	long every;
};

static int trace_option(void *ctx, int c, const char *arg)
{
	struct trace_args *ta = ctx;
	unsigned long long v;

	switch (c) {
	case 'K':
		if (parse_u64(arg, 0, SCENARIO_MAX_TRIALS, &ta->trial) < 0)
			return usage_error("trace", "--trial: expected a trial number, got '%s'", arg);
		ta->have_trial = 1;
		return 0;
	case 'E':
		if (parse_u64(arg, 1, SCENARIO_MAX_STEPS, &v) < 0)
			return usage_error("trace", "--every: expected a number of steps >= 1, got '%s'",
					   arg);
		ta->every = (long)v;
		return 0;
	case 'T':
		ta->tsv = 1;
		return 0;
	}
	return EXIT_USAGE;
}

/* Runs trial TRIAL of SC traced into TR, then once more as a run would,
 * warning when the two ended differently. Returns the exit code. */
static int tell(struct tracer *tr, unsigned long long trial)
{
	const struct scenario *sc = tr->sc;
	const model_type *m = sc->model;
	struct model_trace_sink sink = { tr, on_step, on_event };
	void *w = m->work_alloc(sc->instance, sc->rng, NULL);
	void *rec = calloc(1, sc->layout->record_size + 1), *check = calloc(1, sc->layout->record_size + 1);
	int same;

	if (!w || !rec || !check) {
		if (w)
			m->work_free(w);
		free(rec);
		free(check);
		error("out of memory");
		return EXIT_RUNTIME;
	}
	m->trace(sc->instance, w, sc->seed, trial, &sink, rec);
	if (tr->story)
		m->story->end(tr->story, rec);
	/* The trace must tell what a run counts for this trial. */
	m->trials(sc->instance, w, sc->seed, trial, 1, check, NULL);
	m->work_free(w);
	same = m->same ? m->same(sc->instance, rec, check) : !memcmp(rec, check, sc->layout->record_size);
	free(rec);
	free(check);
	if (!same)
		warning("trial %llu ended differently in the run's kernel: its hazard came within "
			"rounding of its threshold (see docs/model.md, 'Two kernels')", trial);
	return EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trial", required_argument, NULL, 'K' },
		{ "every", required_argument, NULL, 'E' },
		{ "tsv", no_argument, NULL, 'T' },
		CLIOPT_SEED, CLIOPT_SET, CLIOPT_ESTIMATOR,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	int ret, r;
	struct trace_args ta = { 0, 0, 0, 0 };
	struct cliopt opt;
	struct cfg cfg;
	struct scenario sc;
	struct tracer tr;

	memset(&tr, 0, sizeof(tr));
	cliopt_init(&opt);
	r = cliopt_parse(&opt, argc, argv, ":s:h", opts, "trace", usage_text, trace_option, &ta);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return usage_error("trace", "more than one CONFIG given ('%s')", argv[optind]);
	if (!ta.have_trial)
		return usage_error("trace", "no --trial K given");
	if (scenario_open(&sc, &cfg, path, opt.sets, opt.nsets, NULL, opt.seed_p) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	if (ta.trial >= sc.trials) {
		error("--trial %llu: the scenario has trials 0 to %llu", ta.trial,
		      (unsigned long long)sc.trials - 1);
		ret = EXIT_USAGE;
		goto out;
	}
	tr.sc = &sc;
	tr.L = sc.layout;
	tr.tsv = ta.tsv;
	tr.every = ta.every ? ta.every : sc.steps_per_year;
	begin(&tr, &cfg, ta.trial);
	ret = tell(&tr, ta.trial);
	if (cliopt_flush())
		ret = EXIT_RUNTIME;
out:
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

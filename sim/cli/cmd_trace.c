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
	"                 [--set PATH=VALUE]...\n\n"
	"Tells the story of trial K (0 to trials - 1) of the scenario: year by\n"
	"year the forces, the troops, the arms stock, each guarantor's true and\n"
	"perceived chance of honouring its promise, the challenger's expected\n"
	"utility of war and its hazard of attack, the elections and their\n"
	"shocks; then the attack, who intervened and who won, or that deterrence\n"
	"held. Trial K here is trial K of 'sim run' with the same config and seed.\n\n"
	"  --trial K      the trial to tell (required)\n"
	"  --every STEPS  a line every STEPS steps (default: one a year)\n"
	"  --tsv          every step as tab-separated data, events as '#' lines\n"
	"  -s, --seed S   seed (overrides scenario.seed)\n"
	"      --set PATH=VALUE  override a config value\n"
	"  -h, --help     show this help\n";

struct story {
	const struct scenario *sc;
	int ng, tsv;
	long every;
	struct trace_step last;		/* the step printed last */
};

static const char *gname(const struct story *st, int g)
{
	return st->sc->model->guarantor_name(st->sc->instance, g);
}

static void on_step(void *ctx, const struct trace_step *s)
{
	struct story *st = ctx;
	int g;

	st->last = *s;
	if (st->tsv) {
		printf("%ld\t%.10g\t%.10g\t%.10g\t%.10g", s->k, s->t, s->challenger, s->troops,
		       s->arms);
		for (g = 0; g < st->ng; g++)
			printf("\t%.6g\t%.6g\t%.6g", s->H[g], s->Hhat[g], s->shift[g]);
		printf("\t%.6g\t%.6g\t%.6g\t%.6g\n", s->eu, s->hazard, s->cum, s->threshold);
		return;
	}
	if (s->k % st->every && s->k + 1 != st->sc->n_steps)
		return;
	printf("%6.2f %10.0f %9.0f %8.0f", s->t, s->challenger, s->troops, s->arms);
	for (g = 0; g < st->ng; g++) {
		char cell[32];

		snprintf(cell, sizeof(cell), "%4.2f (%4.2f)", s->H[g], s->Hhat[g]);
		printf(" %15s", cell);
	}
	printf(" %7.3f %7.3f  %5.3f/%5.3f\n", s->eu, s->hazard, s->cum, s->threshold);
}

static void on_event(void *ctx, const struct trace_event *e)
{
	struct story *st = ctx;
	int g, n = 0;

	if (e->kind == TRACE_ELECTION) {
		if (st->tsv)
			printf("# event\telection\t%ld\t%.10g\t%s\t%d\t%.6g\n", e->k, e->t,
			       gname(st, e->g), e->turnover, e->shock);
		else if (e->turnover)
			printf("       year %.2f: election in %s: turnover, resolve %+.3f\n", e->t,
			       gname(st, e->g), e->shock + 0.0);
		else
			printf("       year %.2f: election in %s: no change of course\n", e->t,
			       gname(st, e->g));
		return;
	}
	if (st->tsv) {
		printf("# event\tattack\t%ld\t%.10g\t", e->k, e->t);
		for (g = 0; g < st->ng; g++)
			printf("%s%d", g ? "," : "", (int)(e->intervened >> g & 1));
		printf("\t%.6g\t%s\n", e->win_prob, e->challenger_won ? "challenger" : "target");
		return;
	}
	if (st->last.k % st->every && st->last.k + 1 != st->sc->n_steps) {
		struct story one = *st;

		one.every = 1;
		on_step(&one, &st->last);
	}
	printf("\nIn year %.2f (step %ld) the challenger attacks: its cumulative hazard\n"
	       "%.3f passed its threshold %.3f.\n", e->t, e->k, st->last.cum, st->last.threshold);
	for (g = 0; g < st->ng; g++) {
		int in = e->intervened >> g & 1;

		n += in;
		printf("  %s %s (it would with probability %.2f; the challenger counted on %.2f).\n",
		       gname(st, g), in ? "intervenes" : "stays out", st->last.H[g], st->last.Hhat[g]);
	}
	if (!st->ng)
		printf("  No guarantor promised anything.\n");
	printf("Against %s, the challenger's chance of winning is %.2f: %s.\n",
	       n == st->ng && n ? "every guarantor" : n ? "this coalition" : "the target alone",
	       e->win_prob, e->challenger_won ? "the challenger wins" : "the target holds");
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

int cmd_trace(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "trial", required_argument, NULL, 'K' },
		{ "every", required_argument, NULL, 'E' },
		{ "tsv", no_argument, NULL, 'T' },
		CLIOPT_SEED, CLIOPT_SET,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	int g, ret = EXIT_OK, r;
	unsigned long long trial;
	struct trace_args tr = { 0, 0, 0, 0 };
	struct cliopt opt;
	struct cfg cfg;
	struct scenario sc;
	struct story st;
	struct trace_sink sink;
	struct outcome o, check;
	void *w;

	memset(&st, 0, sizeof(st));
	cliopt_init(&opt);
	r = cliopt_parse(&opt, argc, argv, ":s:h", opts, "trace", usage_text, trace_option, &tr);
	if (r)
		return r < 0 ? EXIT_OK : r;
	st.every = tr.every;
	st.tsv = tr.tsv;
	trial = tr.trial;
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return usage_error("trace", "more than one CONFIG given ('%s')", argv[optind]);
	if (!tr.have_trial)
		return usage_error("trace", "no --trial K given");
	if (scenario_open(&sc, &cfg, path, opt.sets, opt.nsets, NULL, opt.seed_p) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	if (trial >= sc.trials) {
		error("--trial %llu: the scenario has trials 0 to %llu", trial,
		      (unsigned long long)sc.trials - 1);
		ret = EXIT_USAGE;
		goto out;
	}
	st.sc = &sc;
	st.ng = sc.model->n_guarantors(sc.instance);
	if (!st.every)
		st.every = sc.steps_per_year;
	w = sc.model->work_alloc(sc.instance, sc.rng, NULL);
	if (!w) {
		error("out of memory");
		ret = EXIT_RUNTIME;
		goto out;
	}
	if (st.tsv) {
		output_header(stdout, cfg.name, &sc, "1 (a traced trial)");
		printf("# trial: %llu\n# step\tyear\tchallenger\ttroops\tarms", trial);
		for (g = 0; g < st.ng; g++)
			printf("\tH_%d\tHhat_%d\tshift_%d", g + 1, g + 1, g + 1);
		printf("\teu\thazard\tcum\tthreshold\n");
	} else {
		printf("Trial %llu of '%s' (seed %llu, %s), a line every %ld step%s.\n",
		       trial, sc.name, (unsigned long long)sc.seed, cfg.name, st.every,
		       st.every == 1 ? "" : "s");
		printf("Honour: each guarantor's true chance of intervening, and in brackets\n"
		       "the challenger's reading of it. EU: the challenger's expected utility\n"
		       "of war; hazard: attacks per year; cum/thr: the cumulative hazard and\n"
		       "the threshold at which this trial's challenger attacks.\n\n");
		printf("%6s %10s %9s %8s", "year", "challenger", "troops", "arms");
		for (g = 0; g < st.ng; g++)
			printf(" %15.15s", gname(&st, g));
		printf(" %7s %7s  %s\n", "EU", "hazard", "cum/thr");
	}
	sink.ctx = &st;
	sink.step = on_step;
	sink.event = on_event;
	sc.model->trace(sc.instance, w, sc.seed, trial, &sink, &o);
	if (!o.attacked && !st.tsv)
		printf("\nNo attack in %g years: deterrence held in this trial (cumulative hazard "
		       "%.3f, threshold %.3f).\n", sc.horizon, st.last.cum, st.last.threshold);
	/* The trace must tell what a run counts for this trial. */
	sc.model->trials(sc.instance, w, sc.seed, trial, 1, &check, NULL);
	sc.model->work_free(w);
	if (check.attacked != o.attacked || check.step != o.step ||
	    check.intervened != o.intervened || check.challenger_won != o.challenger_won)
		warning("trial %llu ended differently in the run's kernel: its hazard came within "
			"rounding of its threshold (see docs/model.md, 'Two kernels')", trial);
	if (cliopt_flush())
		ret = EXIT_RUNTIME;
out:
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

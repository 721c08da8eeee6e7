/* main.c - the "sim" command: dispatches to the subcommands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/cluster.h"
#include "core/gslerr.h"
#include "io/output.h"
#include "io/provenance.h"
#include "cli/usage.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd commands[] = {
	{ "run", cmd_run, "simulate a scenario and summarise how often deterrence holds" },
	{ "sweep", cmd_sweep, "run a scenario over a grid of parameter values" },
	{ "sample", cmd_sample, "run a scenario at a Latin hypercube of parameter values" },
	{ "sensitivity", cmd_sensitivity, "Sobol' indices: which inputs drive the figures" },
	{ "screen", cmd_screen, "Morris elementary effects: screen many inputs cheaply" },
	{ "discover", cmd_discover, "PRIM: the input box where a condition on a figure holds" },
	{ "robust", cmd_robust, "designs over the same uncertain futures: satisficing, regret" },
	{ "compare", cmd_compare, "run scenarios side by side on the same random numbers" },
	{ "report", cmd_report, "run a scenario and write a report with its charts" },
	{ "plot", cmd_plot, "draw charts of results with gnuplot" },
	{ "backtest", cmd_backtest, "score the model on historical guarantees" },
	{ "calibrate", cmd_calibrate, "fit a model's mapping to the coded case base" },
	{ "trace", cmd_trace, "tell the story of one trial, year by year" },
	{ "serve", cmd_serve, "a page for the classroom: move a guarantee, watch deterrence" },
	{ "init", cmd_init, "write a fully commented starter config" },
	{ "check", cmd_check, "check a config without running it" },
	{ "models", cmd_models, "list the registered deterrence models" },
	{ NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f, "usage: sim [--version] [--help] COMMAND [ARGS]\n\n"
		"Simulates how credible a security guarantee is: how likely a challenger\n"
		"is deterred from attacking a state that guarantors promised to defend.\n\n"
		"Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fprintf(f, "  %-12s %s\n", "help", "show help for a command ('sim help run')");
	fprintf(f, "\nExit codes: 0 success, 1 runtime failure (I/O), 2 usage or config error.\n"
		"'sim COMMAND --help' describes each command; docs/model.md the model.\n");
}

static const struct cmd *find(const char *name)
{
	const struct cmd *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
	int ret;

	cluster_init(&argc, &argv);
	provenance_command(argc, argv);
	ret = dispatch(argc, argv);
	if (ret == EXIT_OK)
		ret = cliopt_convert_tables();
	/* Whatever the command printed (help and --version included) must
	 * have reached stdout. */
	if (ret == EXIT_OK && cliopt_flush())
		ret = EXIT_RUNTIME;
	cluster_finalize();
	return ret;
}

static int dispatch(int argc, char **argv)
{
	const struct cmd *c;
	char *help[] = { NULL, "--help", NULL };

	gslerr_install();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("sim (gsim) %s\n", SIM_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		/* "sim help", "sim help --help" and "sim help help": the list. */
		if (argc < 3 || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h") ||
		    !strcmp(argv[2], "help")) {
			usage(stdout);
			return EXIT_OK;
		}
		c = find(argv[2]);
		if (!c) {
			error("'%s' is not a sim command; see 'sim help'", argv[2]);
			return EXIT_USAGE;
		}
		help[0] = argv[2];
		return c->fn(2, help);
	}
	c = find(argv[1]);
	if (!c) {
		error("'%s' is not a sim command; see 'sim help'", argv[1]);
		return EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}

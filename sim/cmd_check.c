/* cmd_check.c - "sim check": validate a config without running it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "scenario.h"
#include "usage.h"
#include "../models/model.h"

static const char usage_text[] =
	"usage: sim check [CONFIG] [--set PATH=VALUE]...\n\n"
	"Checks CONFIG (without one, the embedded default) as 'sim run' would,\n"
	"without running it: every key for its type and range, unknown keys\n"
	"(with the nearest known one), distributions and the rules between keys.\n"
	"Errors are printed as FILE:LINE: error: PATH: what is wrong.\n\n"
	"  --set PATH=VALUE  override a value first (see 'sim run --help')\n"
	"  -h, --help        show this help\n\n"
	"Exit codes: 0 valid, 2 invalid (or bad usage).\n";

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "set", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *sets[256];
	int nsets = 0, c, ret;
	struct cfg cfg;
	struct scenario sc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			if (nsets == 256)
				return usage_error("check", "too many --set options (256 at most)");
			sets[nsets++] = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return usage_error("check", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc - 1)
		return usage_error("check", "more than one CONFIG given ('%s')", argv[optind + 1]);
	ret = scenario_open(&sc, &cfg, optind < argc ? argv[optind] : NULL, sets, nsets, NULL, NULL);
	if (ret == 0) {
		printf("%s: ok: scenario '%s', model %s, %d guarantor%s, %ld steps\n",
		       cfg.name, sc.name, sc.model->name,
		       sc.model->n_guarantors(sc.instance),
		       sc.model->n_guarantors(sc.instance) == 1 ? "" : "s", sc.n_steps);
		scenario_release(&sc);
	}
	cfg_release(&cfg);
	if (ret)
		return EXIT_USAGE;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("cannot write to stdout");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

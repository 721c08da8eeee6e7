/* cmd_check.c - "sim check": validate a config without running it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/scenario.h"
#include "cli/usage.h"
#include "models/model.h"

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
		CLIOPT_SET,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ret;
	struct cliopt o;
	struct cfg cfg;
	struct scenario sc;

	cliopt_init(&o);
	ret = cliopt_parse(&o, argc, argv, "h", opts, "check", usage_text, NULL, NULL);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (optind < argc - 1)
		return usage_error("check", "more than one CONFIG given ('%s')", argv[optind + 1]);
	ret = scenario_open(&sc, &cfg, optind < argc ? argv[optind] : NULL, o.sets, o.nsets, NULL, NULL);
	if (ret == 0) {
		const struct model_layout *L = sc.layout;

		printf("%s: ok: scenario '%s', model %s, ", cfg.name, sc.name, sc.model->name);
		if (L->actor)
			printf("%d %s%s, ", L->nactors, L->actor, L->nactors == 1 ? "" : "s");
		printf("%ld steps\n", sc.n_steps);
		scenario_release(&sc);
	}
	cfg_release(&cfg);
	if (ret)
		return EXIT_USAGE;
	return cliopt_flush() ? EXIT_RUNTIME : EXIT_OK;
}

/* cmd_init.c - "sim init": a fully commented starter config. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/scenario.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim init [FILE] [--model NAME] [--name NAME] [--force]\n\n"
	"Writes a starter config to FILE (default scenario.cfg; '-' for stdout):\n"
	"every key of the model with its meaning, range and default (for the\n"
	"commitment model, one example guarantor with every enforcement\n"
	"mechanism), ready to edit and run ('sim check FILE', then 'sim run FILE').\n\n"
	"  --model NAME  the model ('sim models' lists them; default commitment)\n"
	"  --name NAME   the scenario's name (default \"My scenario\")\n"
	"  --force       overwrite FILE if it exists: a regular file or a link is\n"
	"                replaced (the link's target untouched); a character device\n"
	"                or a FIFO is written into, as '>' would; a directory, a\n"
	"                socket or a block device is refused\n"
	"  -h, --help    show this help\n";

static void write_template(FILE *f, const char *name, const model_type *m)
{
	fprintf(f, "# A gsim scenario (libconfig syntax). Every key is listed with its\n"
		"# meaning, its range and its default; keys marked required must stay.\n"
		"# Any number of the challenger, the target or a guarantor may instead be\n"
		"# a distribution, drawn once per trial, for example\n"
		"#   interest = { dist = \"normal\"; mean = 0.2; sd = 0.1; };\n"
		"# (also uniform min/max, lognormal mu/sigma, beta a/b [min/max],\n"
		"# triangular min/mode/max). docs/model.md explains the model.\n\n");
	scenario_template(f, name, m->name);
	m->template(f);
}

struct init_args {
	const char *name;
	const model_type *model;
	int force;
};

/* Whether S holds a control character (a newline, a tab, ...). */
static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int init_option(void *ctx, int c, const char *arg)
{
	struct init_args *ia = ctx;

	if (c == 'F') {
		ia->force = 1;
		return 0;
	}
	if (c == 'L') {
		ia->model = model_lookup(arg);
		if (!ia->model)
			return usage_error("init", "--model: unknown model '%s' (see 'sim models')", arg);
		return 0;
	}
	if (c != 'N')
		return EXIT_USAGE;
	if (strpbrk(arg, "\"\\") || has_control(arg) || strlen(arg) > 200)
		return usage_error("init", "--name: at most 200 characters, without quotes, "
				   "backslashes or control characters (newlines, tabs)");
	ia->name = arg;
	return 0;
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'N' },
		{ "model", required_argument, NULL, 'L' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *file = "scenario.cfg", *name;
	struct init_args ia = { "My scenario", NULL, 0 };
	struct cliopt o;
	int c, force;
	struct afile af;
	char dir[4096], *slash;

	cliopt_init(&o);
	c = cliopt_parse(&o, argc, argv, ":h", opts, "init", usage_text, init_option, &ia);
	if (c)
		return c < 0 ? EXIT_OK : c;
	name = ia.name;
	force = ia.force;
	if (!ia.model)
		ia.model = model_lookup("commitment");
	if (optind < argc)
		file = argv[optind++];
	if (optind < argc)
		return usage_error("init", "more than one FILE given");
	if (!strcmp(file, "-")) {
		write_template(stdout, name, ia.model);
		return cliopt_flush() ? EXIT_RUNTIME : EXIT_OK;
	}
	if (!force && access(file, F_OK) == 0) {
		error("'%s' exists; use --force to overwrite it", file);
		return EXIT_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s", file);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (atomic_open_named(&af, slash ? dir : ".", slash ? slash + 1 : file) < 0)
		return EXIT_RUNTIME;
	write_template(af.f, name, ia.model);
	if (atomic_commit(&af) < 0)
		return EXIT_RUNTIME;
	fprintf(stderr, "wrote %s; check it with 'sim check %s'\n", file, file);
	return EXIT_OK;
}

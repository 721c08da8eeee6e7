/* cmd_models.c - "sim models": the registered deterrence models. */
#include <stdio.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "engine/scenario.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim models\n\n"
	"Lists the registered deterrence models, each with what it does and the\n"
	"figures it reports (their keys in JSON and TSV files, and what they\n"
	"mean). A config chooses one with: model = \"NAME\";\n"
	"'sim init --model NAME' writes a starter config for it.\n";

/* Prints model M and its figures, from an instance of its starter config. */
static int print_model(const model_type *m)
{
	struct cfg c;
	struct scenario s;
	size_t i;

	printf("%-12s %s\n", m->name, m->description);
	if (scenario_example(&s, &c, m) < 0) {
		cfg_release(&c);
		return error("model %s: its starter config does not check", m->name);
	}
	for (i = 0; i < s.layout->nfigures; i++)
		printf("  %-32s %s\n", s.layout->figures[i].key, s.layout->figures[i].meaning);
	for (i = 0; i < s.layout->nbreakdowns; i++)
		printf("  %-32s per %s: %s\n", s.layout->breakdowns[i].title, s.layout->actor,
		       s.layout->breakdowns[i].fig.meaning);
	scenario_release(&s);
	cfg_release(&c);
	return 0;
}

int cmd_models(int argc, char **argv)
{
	const model_type *const *t;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_error("models", "unexpected argument '%s'", argv[1]);
	for (t = model_types; *t; t++)
		if ((t != model_types && putchar('\n') == EOF) || print_model(*t) < 0)
			return EXIT_RUNTIME;
	return cliopt_flush() ? EXIT_RUNTIME : EXIT_OK;
}

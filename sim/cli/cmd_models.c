/* cmd_models.c - "sim models": the registered deterrence models. */
#include <stdio.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim models\n\n"
	"Lists the registered deterrence models, one a line with what it does.\n"
	"A config chooses one with: model = \"NAME\";\n";

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
		printf("%-12s %s\n", (*t)->name, (*t)->description);
	return cliopt_flush() ? EXIT_RUNTIME : EXIT_OK;
}

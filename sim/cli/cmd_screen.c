/* cmd_screen.c - "sim screen": Morris elementary effects (being written). */
#include <stdio.h>

#include "cli/builtin.h"
#include "cli/usage.h"

int cmd_screen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	error("screen: not built yet");
	return EXIT_RUNTIME;
}

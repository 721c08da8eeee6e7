/* cmd_discover.c - "sim discover": PRIM scenario discovery (being written). */
#include <stdio.h>

#include "cli/builtin.h"
#include "cli/usage.h"

int cmd_discover(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	error("discover: not built yet");
	return EXIT_RUNTIME;
}

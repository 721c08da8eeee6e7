/* usage.c - error reporting for the command line. */
#include "cli/usage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	exit(EXIT_RUNTIME);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'sim %s --help'.\n", cmd);
	return EXIT_USAGE;
}


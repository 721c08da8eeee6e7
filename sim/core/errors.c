/* errors.c - messages for the user. */
#include "core/errors.h"

#include <stdarg.h>
#include <stdio.h>

/* Prints "sim: PREFIX: MESSAGE" as one line, whatever other threads print. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	flockfile(stderr);
	fprintf(stderr, "sim: %s: ", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
	return -1;
}

void verror(const char *fmt, va_list ap)
{
	vreport("error", fmt, ap);
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}

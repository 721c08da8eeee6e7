/* errors.c - messages for the user. */
#include "core/errors.h"

#include <stdarg.h>
#include <stdio.h>

/* Prints "sim: PREFIX: MESSAGE" as one line, whatever other threads print,
 * in one write where it fits in 4 KiB: a process killed while it reports
 * (mpirun ends its processes at once after a signal) leaves the whole line
 * or none of it, never "sim: error: " alone. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "sim: %s: ", prefix), m;
	va_list copy;

	va_copy(copy, ap);
	m = n >= 0 && (size_t)n < sizeof(buf) ? vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, copy)
					       : -1;
	va_end(copy);
	flockfile(stderr);
	if (m >= 0 && (size_t)n + (size_t)m + 1 < sizeof(buf)) {
		buf[n + m] = '\n';
		buf[n + m + 1] = '\0';
		fputs(buf, stderr);
	} else {
		fprintf(stderr, "sim: %s: ", prefix);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
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

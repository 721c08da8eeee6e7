/* usage.h - error reporting for the command line, in the manner of git. */
#ifndef SIM_USAGE_H
#define SIM_USAGE_H

#include <stdarg.h>

#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"

/* Exit codes shared by every command: a command exits with the status of
 * what it ran (core/status.h), or 128 + N when stopped by signal N. */
enum {
	EXIT_OK = STATUS_OK,
	EXIT_RUNTIME = STATUS_FAILED,	/* I/O or other failure while running */
	EXIT_USAGE = STATUS_BAD		/* bad command line or bad config */
};

/* Prints "sim: error: MESSAGE" and exits with EXIT_RUNTIME. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Prints "sim: error: MESSAGE" and a hint to run "sim CMD --help", and
 * returns EXIT_USAGE so that a command can write "return usage_error(...)". */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

/* usage.h - error reporting for the command line, in the manner of git. */
#ifndef SIM_USAGE_H
#define SIM_USAGE_H

#include <stdarg.h>

/* Exit codes shared by every command. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* I/O or other failure while running */
	EXIT_USAGE = 2		/* bad command line or bad config */
};

/* Prints "sim: error: MESSAGE" on stderr and returns -1, so that a caller
 * can write "return error(...)". */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "sim: warning: MESSAGE" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "sim: error: MESSAGE" and exits with EXIT_RUNTIME. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Prints "sim: error: MESSAGE" and a hint to run "sim CMD --help", and
 * returns EXIT_USAGE so that a command can write "return usage_error(...)". */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses a whole decimal number in [LO, HI] from S into *OUT: digits only,
 * without spaces or a sign. Returns 0, or -1 (printing nothing) when S is
 * not such a number. */
int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out);

#endif

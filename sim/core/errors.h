/* errors.h - messages for the user on stderr, in the manner of git:
 * "sim: error: ..." and "sim: warning: ...". */
#ifndef SIM_ERRORS_H
#define SIM_ERRORS_H

#include <stdarg.h>

/* Prints "sim: error: MESSAGE" on stderr and returns -1, so that a caller
 * can write "return error(...)". */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As error(), with the arguments in AP; returns nothing. */
void verror(const char *fmt, va_list ap);

/* Prints "sim: warning: MESSAGE" on stderr. */
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

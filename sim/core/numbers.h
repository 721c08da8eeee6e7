/* numbers.h - numbers given as text (options, --vary values, resumed
 * rows), parsed strictly: what is not exactly a number is refused. */
#ifndef SIM_NUMBERS_H
#define SIM_NUMBERS_H

/* Parses a whole decimal number in [LO, HI] from S into *OUT: digits only,
 * without spaces or a sign. Returns 0, or -1 (printing nothing) when S is
 * not such a number. */
int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out);

/* Parses the decimal number S into *OUT: an optional sign (only when
 * SIGNED_OK), digits with an optional point, an optional exponent; no
 * spaces, no hexadecimal, no infinity or NaN, nothing that overflows.
 * Returns 0 or -1 (printing nothing). */
int parse_real(const char *s, int signed_ok, double *out);

#endif

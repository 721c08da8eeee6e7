/* pretty.h - numbers written for people in reports: thousands grouped
 * (800,000, not 8e+05), no exponents, probabilities as percentages with
 * as many decimals as their intervals need, small whole numbers in words. */
#ifndef SIM_PRETTY_H
#define SIM_PRETTY_H

#include <stddef.h>

/* Bytes a buffer of these functions needs. */
#define PRETTY_SIZE 96

/* Writes X exactly (the shortest decimal that reads back as X), in fixed
 * notation with its thousands grouped: 800000 as "800,000", 1e-05 as
 * "0.00001". Returns BUF (of SIZE bytes). */
const char *pretty_number(char *buf, size_t size, double x);

/* Writes the whole number X with its thousands grouped. Returns BUF. */
const char *pretty_int(char *buf, size_t size, long long x);

/* Writes X rounded to SIG significant digits (its whole part kept),
 * thousands grouped, trailing zeros of the decimals dropped: 553871.2 at
 * 3 as "554,000", 0.08333 at 2 as "0.083". Returns BUF. */
const char *pretty_sig(char *buf, size_t size, double x, int sig);

/* Writes X with DECIMALS decimals, thousands grouped. Returns BUF. */
const char *pretty_fixed(char *buf, size_t size, double x, int decimals);

/* The decimals (0 to 3) a percentage needs so that the value and the ends
 * of its interval [LO, HI] read differently where they differ, and a
 * value that is not 0 does not read as 0. */
int pretty_decimals(double v, double lo, double hi);

/* Writes the probability P as a percentage with DECIMALS decimals:
 * "95.3%". Returns BUF. */
const char *pretty_percent(char *buf, size_t size, double p, int decimals);

/* Writes the interval [LO, HI] of a probability as percentages, "94%–96%".
 * Returns BUF. */
const char *pretty_percent_range(char *buf, size_t size, double lo, double hi, int decimals);

/* Writes the difference D of two probabilities in percentage points with
 * its sign, "+8.0" or "−8.0" (a minus sign). Returns BUF. */
const char *pretty_points(char *buf, size_t size, double d, int decimals);

/* Writes X in words when it is a whole number from 0 to 12 ("ten"), else
 * as pretty_number() does. Returns BUF. */
const char *pretty_words(char *buf, size_t size, double x);

#endif

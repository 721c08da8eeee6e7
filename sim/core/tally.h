/* tally.h - sums over trials that are exact whatever their order.
 *
 * A model declares its counters (models/model.h); a tally holds one sum
 * per counter in one flat array. Each sum is a 128-bit fixed-point
 * integer: a whole count (0 fraction bits), or real contributions each
 * rounded to a multiple of 2^-frac. Integer addition is associative, so
 * the sums of trials merged from any number of threads or processes, in
 * any order, are the same bits, and so is every figure computed from
 * them. */
#ifndef SIM_TALLY_H
#define SIM_TALLY_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef __int128 tally_sum;

/* The most fraction bits a counter may have: 2^-60 resolves probabilities
 * far below double's own rounding, with room for 2^40 trials of values up
 * to 2^26 in 127 bits. */
#define TALLY_MAX_FRAC 60

struct tally {
	size_t n;			/* counters */
	tally_sum *sum;			/* [n] */
	const unsigned char *frac;	/* [n] fraction bits (the model's) */
	uint64_t trials;		/* trials counted */
	uint64_t units;			/* independent units among them (antithetic
					 * pairs count once) */
	uint64_t steps;			/* steps simulated, for speed figures */
};

/* The fraction bits for contributions of at most MAX in magnitude: as many
 * as leave room for 2^40 trials in 127 bits, at most TALLY_MAX_FRAC. */
static inline unsigned char tally_frac(double max)
{
	int e = 0;

	if (!(max > 1))
		return TALLY_MAX_FRAC;
	frexp(max, &e);
	e = 86 - e;
	return (unsigned char)(e > TALLY_MAX_FRAC ? TALLY_MAX_FRAC : e < 0 ? 0 : e);
}

/* Sets up T with N counters of FRAC fraction bits each (FRAC is kept, not
 * copied), all zero. Returns 0, or -1 when out of memory. */
int tally_init(struct tally *t, size_t n, const unsigned char *frac);

/* Sets every sum of T to zero. */
void tally_clear(struct tally *t);

/* Adds the sums of FROM to T (same layout). */
void tally_merge(struct tally *t, const struct tally *from);

/* Frees what T holds. */
void tally_release(struct tally *t);

/* Adds 1 to whole counter I. */
static inline void tally_count(struct tally *t, size_t i)
{
	t->sum[i] += 1;
}

/* Adds the whole number K to counter I. */
static inline void tally_add_int(struct tally *t, size_t i, int64_t k)
{
	t->sum[i] += k;
}

/* X in the fixed point of FRAC fraction bits: X 2^FRAC rounded to the
 * nearest integer, ties to even. Below 2^52 the rounding is that of adding
 * and taking away 2^52 (exact under the default rounding mode, and
 * -ffp-contract=off keeps it two additions); from 2^52 the double is an
 * integer already. This spares libm's ldexp and nearbyint and libgcc's
 * slow conversion to 128 bits, a quarter of a conditional run's time. */
static inline tally_sum tally_fixed(double x, unsigned char frac)
{
	double y = x * (double)(UINT64_C(1) << frac), a = fabs(y);

	if (a < 0x1p52)
		return (tally_sum)(int64_t)(y >= 0 ? (y + 0x1p52) - 0x1p52 : (y - 0x1p52) + 0x1p52);
	if (a < 0x1p63)
		return (tally_sum)(int64_t)y;
	return (tally_sum)y;
}

/* 2^E, for -1022 <= E <= 1023, from its bits (spares ldexp and a
 * division). */
static inline double tally_pow2(int e)
{
	uint64_t bits = (uint64_t)(1023 + e) << 52;
	double q;

	memcpy(&q, &bits, sizeof(q));
	return q;
}

/* X rounded to the fixed point of FRAC fraction bits, as a long double:
 * exactly the value tally_add() adds, when it fits 64 bits (a value of at
 * most 1 at 60 fraction bits, say), else within 2^-64 of it. */
static inline long double tally_rounded(double x, unsigned char frac)
{
	tally_sum v = tally_fixed(x, frac);
	double q = tally_pow2(-(int)frac);

	if (v >= INT64_MIN && v <= INT64_MAX)
		return (long double)(int64_t)v * q;
	return (long double)v * q;
}

/* Adds the long double X to counter I, rounded to its fraction bits (half
 * away from zero). For the engine's moments, whose terms it computes in
 * long double from tally_rounded() values. */
static inline void tally_add_ld(struct tally *t, size_t i, long double x)
{
	long double y = x * (long double)(UINT64_C(1) << t->frac[i]);

	if (fabsl(y) < 0x1p62L)
		t->sum[i] += (int64_t)(y >= 0 ? y + 0.5L : y - 0.5L);
	else
		t->sum[i] += (tally_sum)y;
}

/* Adds the real X to counter I, rounded to its fraction bits. */
static inline void tally_add(struct tally *t, size_t i, double x)
{
	t->sum[i] += tally_fixed(x, t->frac[i]);
}

/* The sum of counter I as a real. */
long double tally_get(const struct tally *t, size_t i);

/* The sum of whole counter I (its low 64 bits: counts never exceed the
 * trials). */
static inline uint64_t tally_whole(const struct tally *t, size_t i)
{
	return (uint64_t)t->sum[i];
}

#endif

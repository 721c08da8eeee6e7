/* design.c - Latin hypercube and Owen-scrambled Sobol' sequence designs
 * with GSL. */
#include "study/design.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>

#include "core/rng.h"

/* The most coordinates design_saltelli() asks of the Sobol' generator;
 * GSL's gsl_qrng_sobol supports 40. */
#define DESIGN_QRNG_MAX 40

/* The bits of each coordinate of GSL's Sobol' points (SOBOL_BIT_COUNT in
 * its sobol.c): every value is a multiple of 2^-30. */
#define DESIGN_SOBOL_BITS 30

/* The random bits past them, to fill a double's 53. */
#define DESIGN_FILL_BITS (53 - DESIGN_SOBOL_BITS)

/* Returns a point of stratum J of N at relative position U in [0,1): a
 * value in [J/N, (J+1)/N), both ends as computed in double. Rounding can
 * carry LO + (HI - LO) * U up to HI; such a value is moved to the largest
 * double below HI. */
static double lhs_point(size_t j, size_t n, double u)
{
	double lo = (double)j / (double)n, hi = (double)(j + 1) / (double)n;
	double v = lo + (hi - lo) * u;

	if (v >= hi)
		v = nextafter(hi, lo);
	return v;
}

/* Column d is written in stratum order (row j in stratum j) and then the
 * rows are shuffled whole, which also moves columns 0..d-1. Column d thus
 * ends up permuted by shuffles d..K-1; the map from the K independent
 * uniform shuffles to these K composite permutations is one-to-one, so
 * the columns' stratum orders are independent uniform permutations, as
 * if each column had been shuffled alone, without a scratch array. */
void design_lhs(const gsl_rng *r, size_t n, size_t k, double *x)
{
	size_t d, j;

	if (n == 0 || k == 0)
		return;
	memset(x, 0, sizeof(double) * n * k);	/* the shuffles copy every byte */
	for (d = 0; d < k; d++) {
		for (j = 0; j < n; j++)
			x[j * k + d] = lhs_point(j, n, gsl_rng_uniform(r));
		gsl_ran_shuffle(r, x, n, sizeof(double) * k);
	}
}

/* Owen's scrambling (Owen 1995, "Randomly permuted (t,m,s)-nets and
 * (t,s)-sequences", in Niederreiter and Shiue (eds.), Monte Carlo and
 * Quasi-Monte Carlo Methods in Scientific Computing, LNS 106, Springer,
 * 299-317), in base 2: the digits of a coordinate are a path down a
 * binary tree, and every node of the tree carries an independent random
 * bit that flips the next digit of every value passing through it. Digit
 * d of the scrambled value is digit d of the original XOR a random bit
 * that depends on digits 0..d-1 of the original: nested uniform
 * scrambling. (The linear matrix scrambling of Matousek 1998, "On the
 * L2-discrepancy for anchored boxes", J. Complexity 14, 527-556, is the
 * special case whose flips are linear in those digits; a random digital
 * shift, the case whose flips depend on d alone.) The bits are drawn
 * lazily, as a hash of the dimension's key and the node's heap index (1
 * for the root, 2 NODE + DIGIT for a child), which stands for the table
 * of random permutations of Owen's definition. The original digits past
 * the 30 the sequence gives are all 0, so they scramble into independent
 * random bits: 23 of them fill the double's 53 bits, and each value is a
 * uniform double in [0,1). Owen (1997, "Scrambled net variance for
 * integrals of smooth functions", Ann. Statist. 25, 1541-1562) gives the
 * variance of estimates from such points; Hong and Hickernell (2003,
 * "Algorithm 823", ACM TOMS 29, 95-109) implement these scramblings with
 * tables instead of a hash. */

/* SplitMix64's output function (Steele, Lea and Flood 2014), a bijection
 * of 64-bit words whose every output bit depends on every input bit. */
static uint64_t design_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The random word of tree node NODE of the dimension keyed KEY: the
 * NODE-th output of a SplitMix64 generator seeded with KEY. */
static uint64_t design_node(uint64_t key, uint64_t node)
{
	return design_mix(key + node * 0x9e3779b97f4a7c15ULL);
}

/* The Owen scrambling of the 30-bit coordinate U (digit 0 its most
 * significant bit) in the dimension keyed KEY, as a double in [0,1). */
static double design_owen(uint32_t u, uint64_t key)
{
	uint64_t out = 0, node = 1;
	int d;

	for (d = 0; d < DESIGN_SOBOL_BITS; d++) {
		uint64_t bit = (u >> (DESIGN_SOBOL_BITS - 1 - d)) & 1;

		out = out << 1 | (bit ^ (design_node(key, node) & 1));
		node = node << 1 | bit;
	}
	/* The digits past the 30th: node now names the leaf of U, below
	 * which every original digit is 0. */
	out = out << DESIGN_FILL_BITS | design_node(key, node) >> (64 - DESIGN_FILL_BITS);
	return ldexp((double)out, -53);
}

/* The 30-bit integer of the Sobol' coordinate X (GSL's values are exact
 * multiples of 2^-30), or -1 if X is not one. */
static int64_t design_digits(double x)
{
	double u = ldexp(x, DESIGN_SOBOL_BITS);

	if (!(u >= 0 && u < ldexp(1, DESIGN_SOBOL_BITS)) || u != floor(u))
		return -1;
	return (int64_t)u;
}

/* Point J of the sequence (the origin, then GSL's points in order) from
 * Q into V[D]. Returns 0, or -1 past the end or on a value that is not a
 * 30-bit fraction. */
static int design_point(gsl_qrng *q, size_t j, unsigned d, double *v)
{
	unsigned i;

	if (j == 0) {
		memset(v, 0, sizeof(double) * d);
		return 0;
	}
	if (gsl_qrng_get(q, v))
		return -1;
	for (i = 0; i < d; i++)
		if (design_digits(v[i]) < 0)
			return -1;
	return 0;
}

/* The origin is kept: the first 2^m points of the sequence, with it, are
 * a (t,m,s)-net, which scrambling keeps and which the variance of
 * scrambled estimates owes much to; without it they are not (Owen 2022,
 * "On dropping the first Sobol' point", in Keller (ed.), Monte Carlo and
 * Quasi-Monte Carlo Methods 2020, Springer, 71-86). */
int design_saltelli(size_t n, size_t k, uint64_t seed, uint64_t rep, double *a, double *b)
{
	double v[DESIGN_QRNG_MAX];
	uint64_t key[DESIGN_QRNG_MAX], base;
	gsl_qrng *q;
	size_t i, j;

	if (k > gsl_qrng_sobol->max_dimension / 2 || k > DESIGN_QRNG_MAX / 2)
		return -1;
	if (n == 0 || k == 0)
		return 0;
	q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * k));
	if (!q)
		return -1;
	base = rng_key(seed, rep, STREAM_SCRAMBLE);
	for (i = 0; i < 2 * k; i++)
		key[i] = design_mix(base ^ design_mix(i + 1));
	for (j = 0; j < n; j++) {
		if (design_point(q, j, (unsigned)(2 * k), v)) {
			gsl_qrng_free(q);
			return -1;
		}
		for (i = 0; i < k; i++) {
			a[j * k + i] = design_owen((uint32_t)design_digits(v[i]), key[i]);
			b[j * k + i] = design_owen((uint32_t)design_digits(v[k + i]), key[k + i]);
		}
	}
	gsl_qrng_free(q);
	return 0;
}

void design_scale(double *x, size_t n, size_t k, const double *lo, const double *hi)
{
	size_t i, j;

	for (i = 0; i < k; i++) {
		double d = hi[i] - lo[i];

		/* Where HI - LO overflows (opposite signs, both huge), each end is
		 * weighted instead, which cannot overflow. */
		for (j = 0; j < n; j++) {
			double u = x[j * k + i];

			x[j * k + i] = isfinite(d) ? lo[i] + d * u : lo[i] * (1 - u) + hi[i] * u;
		}
	}
}

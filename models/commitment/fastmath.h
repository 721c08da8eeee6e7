/* fastmath.h - the batch kernel's Phi and exp: a table of cubic pieces
 * and a polynomial, both within 1e-9 of libm and GSL (tests/test_units.c),
 * inline and branch-free so that the loops over lanes vectorise. */
#ifndef COMMITMENT_FASTMATH_H
#define COMMITMENT_FASTMATH_H

#include <stdint.h>
#include <string.h>


/* Phi on [PHI_LO, -PHI_LO] in PHI_N cubic Hermite pieces of width 1/64
 * (four arrays of coefficients, one after the other);
 * beyond, Phi is within 1e-15 of 0 or 1. Interpolation error < 3e-10. */
#define PHI_LO (-8.0)
#define PHI_SCALE 64.0
#define PHI_N 1024

static inline double fast_phi(const double *c, double z)
{
	double u = (z - PHI_LO) * PHI_SCALE, f;
	int j;

	u = u >= 0 ? u : 0;		/* NaN too */
	u = u > PHI_N ? PHI_N : u;
	j = (int)u;
	j = j > PHI_N - 1 ? PHI_N - 1 : j;
	f = u - j;
	return c[j] + f * (c[PHI_N + j] + f * (c[2 * PHI_N + j] + f * c[3 * PHI_N + j]));
}

/* exp(x) for x in [-708, 708] (clamped), within 2e-16 relative: x = k ln2
 * + r with |r| <= ln2/2, e^r by its Taylor polynomial of degree 13, and
 * 2^k put into the exponent bits. Branch-free, so it vectorises. */
static inline double fast_exp(double x)
{
	const double shift = 0x1.8p52;
	double t, kd, r, p, scale;
	uint64_t ki, bits;

	x = x < -708.0 ? -708.0 : x;
	x = x > 708.0 ? 708.0 : x;
	t = x * 1.4426950408889634 + shift;
	kd = t - shift;
	memcpy(&ki, &t, sizeof(ki));
	r = (x - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
	p = 1.0 / 6227020800.0;		/* 1/13! */
	p = p * r + 1.0 / 479001600.0;
	p = p * r + 1.0 / 39916800.0;
	p = p * r + 1.0 / 3628800.0;
	p = p * r + 1.0 / 362880.0;
	p = p * r + 1.0 / 40320.0;
	p = p * r + 1.0 / 5040.0;
	p = p * r + 1.0 / 720.0;
	p = p * r + 1.0 / 120.0;
	p = p * r + 1.0 / 24.0;
	p = p * r + 1.0 / 6.0;
	p = p * r + 0.5;
	p = p * r + 1.0;
	p = p * r + 1.0;
	bits = (ki + 1023) << 52;
	memcpy(&scale, &bits, sizeof(scale));
	return p * scale;
}

/* The range reduction of fast_log() and fast_log_e(): x = 2^e m with m
 * in [sqrt(1/2), sqrt(2)), e (into *E) read from the exponent bits
 * without an integer conversion; returns f = (m - 1)/(m + 1), so that
 * log m = 2 atanh(f). Branch-free, so it vectorises. */
static inline double log_reduce(double x, double *E)
{
	const double two52 = 0x1p52;
	uint64_t bits, eb;
	double m, e, big;

	memcpy(&bits, &x, sizeof(bits));
	eb = (bits >> 52) | 0x4330000000000000ULL;	/* 2^52 + biased exponent */
	bits = (bits & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL;
	memcpy(&m, &bits, sizeof(m));
	memcpy(&e, &eb, sizeof(e));
	big = m > 1.4142135623730951 ? 1.0 : 0.0;
	m = big != 0 ? m * 0.5 : m;
	*E = (e - two52) - 1023.0 + big;
	return (m - 1) / (m + 1);
}

/* log(x) for normal positive finite x (the caller keeps to those),
 * within 4e-16 relative: x = 2^e m with m in [sqrt(1/2), sqrt(2)),
 * log m = 2 atanh(f), f = (m - 1)/(m + 1), by its series to f^21, and e
 * read from the exponent bits without an integer conversion. Branch-free,
 * so it vectorises. */
static inline double fast_log(double x)
{
	double e, f = log_reduce(x, &e), f2, p;

	f2 = f * f;
	p = 1.0 / 21;
	p = p * f2 + 1.0 / 19;
	p = p * f2 + 1.0 / 17;
	p = p * f2 + 1.0 / 15;
	p = p * f2 + 1.0 / 13;
	p = p * f2 + 1.0 / 11;
	p = p * f2 + 1.0 / 9;
	p = p * f2 + 1.0 / 7;
	p = p * f2 + 1.0 / 5;
	p = p * f2 + 1.0 / 3;
	p = p * f2;
	return e * 6.93147180369123816490e-01 +
	       (e * 1.90821492927058770002e-10 + (2 * f + 2 * f * p));
}

/* log(x) for normal positive finite x as fast_log() computes it, with
 * the atanh series to f^17 evaluated by Estrin's scheme (a shorter chain
 * of dependent operations than Horner's, so that the loops over lanes do
 * not wait on latency): within 1e-15 relative to 1 + |log x|. */
static inline double fast_log_e(double x)
{
	double e, f = log_reduce(x, &e), f2, f4, f8, s;

	f2 = f * f;
	f4 = f2 * f2;
	f8 = f4 * f4;
	s = ((1.0 / 3 + f2 * (1.0 / 5)) + f4 * (1.0 / 7 + f2 * (1.0 / 9))) +
	    f8 * ((1.0 / 11 + f2 * (1.0 / 13)) + f4 * (1.0 / 15 + f2 * (1.0 / 17)));
	return e * 6.93147180369123816490e-01 +
	       (e * 1.90821492927058770002e-10 + (2 * f + 2 * f * (f2 * s)));
}

/* exp(y), y clamped to [-708, 708], as fast_exp() computes it but with
 * the Taylor polynomial to degree 11 evaluated by Estrin's scheme: within
 * 1e-14 relative. */
static inline double fast_exp_e(double y)
{
	const double shift = 0x1.8p52;
	uint64_t ki, bits;
	double t, kd, x, x2, x4, x8, p, scale;

	y = y < -708.0 ? -708.0 : y;
	y = y > 708.0 ? 708.0 : y;
	t = y * 1.4426950408889634 + shift;
	kd = t - shift;
	memcpy(&ki, &t, sizeof(ki));
	x = (y - kd * 6.93147180369123816490e-01) - kd * 1.90821492927058770002e-10;
	x2 = x * x;
	x4 = x2 * x2;
	x8 = x4 * x4;
	p = (((1.0 + x) + x2 * (0.5 + x * (1.0 / 6))) +
	     x4 * ((1.0 / 24 + x * (1.0 / 120)) + x2 * (1.0 / 720 + x * (1.0 / 5040)))) +
	    x8 * ((1.0 / 40320 + x * (1.0 / 362880)) +
		  x2 * (1.0 / 3628800 + x * (1.0 / 39916800)));
	bits = (ki + 1023) << 52;
	memcpy(&scale, &bits, sizeof(scale));
	return p * scale;
}

/* r^g = exp(g log r) for normal positive finite r and g > 0, within
 * 2e-14 relative for |g log r| <= 30 and 2e-13 out to 700 (clamped
 * beyond, as fast_exp): fast_exp_e(g fast_log_e(r)). */
static inline double fast_pow(double r, double g)
{
	return fast_exp_e(g * fast_log_e(r));
}

#endif

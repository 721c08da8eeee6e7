/* paired.c - intervals for paired differences: Tango's score interval for
 * proportions, the normal interval for real contributions. */
#include "core/paired.h"

#include <math.h>

/* The most bisection steps. Each halves a bracket of width at most 2, and
 * bisection stops when the bracket's ends are neighbouring doubles: about
 * 55 steps for an end near 1, about 100 for one near z^2 / N with N =
 * 10^12 trials (the nearest an end gets to 0). */
#define PAIRED_STEPS 128

/* The maximum likelihood estimate of the "only x" cell's probability
 * under the difference D, from the shares PB and PC of the discordant
 * trials: the root q >= 0 of 2 q^2 + BB q + CC = 0 with BB = -PB - PC +
 * (2 - PB + PC) D and CC = -PC D (1 - D) (Tango 1998, eq. 5, divided by
 * N), in the form that does not cancel when BB > 0. */
static double paired_q(double pb, double pc, double d)
{
	double bb = -pb - pc + (2 - pb + pc) * d, cc = -pc * d * (1 - d);
	double disc = bb * bb - 8 * cc, r = sqrt(disc > 0 ? disc : 0);
	double q = bb > 0 ? (r + bb > 0 ? -2 * cc / (r + bb) : 0) : (r - bb) / 4;

	return q > 0 ? q : 0;
}

/* Tango's score statistic at D, times 1/sqrt(N): (PB - PC - D) /
 * sqrt(2 q + D (1 - D)), with 0 / 0 taken as 0 and x / 0 as +/- infinity. */
static double paired_z(double pb, double pc, double d)
{
	double num = pb - pc - d, v = 2 * paired_q(pb, pc, d) + d * (1 - d);

	if (!(v > 0))
		return num == 0 ? 0 : num > 0 ? INFINITY : -INFINITY;
	return num / sqrt(v);
}

/* The end of the interval between the estimate EST (inside) and the
 * bound OUT (-1 or 1): the point where |Z| crosses ZN (Z over sqrt(N)),
 * found by bisection. Z falls as D rises, so from the estimate outwards
 * it leaves [-ZN, ZN] once. */
static double paired_end(double pb, double pc, double est, double out, double zn)
{
	double in = est;
	int i;

	if (fabs(paired_z(pb, pc, out)) <= zn)
		return out;
	for (i = 0; i < PAIRED_STEPS; i++) {
		double mid = in + (out - in) / 2;

		if (mid == in || mid == out)
			break;
		if (fabs(paired_z(pb, pc, mid)) <= zn)
			in = mid;
		else
			out = mid;
	}
	return in;
}

void paired_score(uint64_t b, uint64_t c, uint64_t n, double z, double *lo, double *hi)
{
	double pb, pc, est, zn;

	if (n == 0 || b > n || c > n - b) {
		*lo = *hi = NAN;
		return;
	}
	pb = (double)b / (double)n;
	pc = (double)c / (double)n;
	est = pb - pc;
	zn = z / sqrt((double)n);
	*lo = paired_end(pb, pc, est, -1, zn) + 0.0;	/* no negative zero */
	*hi = paired_end(pb, pc, est, 1, zn) + 0.0;
}

void paired_normal(double s1, double s2, double n, double z, double *lo, double *hi)
{
	double d = s1 / n, var = (s2 - s1 * s1 / n) / (n * n);
	double h = var > 0 ? z * sqrt(var) : z * z / (n + z * z);

	*lo = d - h + 0.0;
	*hi = d + h + 0.0;
}

void paired_clusters(double s1, double s2, double s3, uint64_t trials, uint64_t units, double z,
		     double *lo, double *hi)
{
	double n = (double)trials, u = (double)units, pairs = n - u, singles = 2 * u - n;
	double d = s1 / n, qww = 4 * pairs + singles, qwd = units < trials ? 2 * s1 - s3 : s1;
	double var = s2 - 2 * d * qwd + d * d * qww, h;

	if (units < 2) {
		*lo = *hi = NAN;
		return;
	}
	var = var * u / ((u - 1) * n * n);
	h = var > 0 ? z * sqrt(var) : z * z / (u + z * z);
	*lo = d - h + 0.0;
	*hi = d + h + 0.0;
}

int paired_discordant(double s1, double s2, uint64_t n, uint64_t *b, uint64_t *c)
{
	if (s1 != floor(s1) || s2 != floor(s2) || !(fabs(s1) <= s2) || !(s2 <= (double)n) ||
	    fmod(s2 - s1, 2) != 0)
		return 0;
	*b = (uint64_t)((s2 + s1) / 2);
	*c = (uint64_t)((s2 - s1) / 2);
	return 1;
}

/* pretty.c - numbers written for people in reports. */
#include "cli/pretty.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes the decimal text NUM (an optional '-', digits, an optional
 * fraction) into BUF with commas between the thousands of its whole part. */
static const char *group(char *buf, size_t size, const char *num)
{
	const char *p = num, *dot;
	size_t digits, i, n = 0;

	if (*p == '-') {
		if (n + 1 < size)
			buf[n++] = '-';
		p++;
	}
	dot = strchr(p, '.');
	digits = dot ? (size_t)(dot - p) : strlen(p);
	for (i = 0; i < digits; i++) {
		if (i > 0 && (digits - i) % 3 == 0 && n + 1 < size)
			buf[n++] = ',';
		if (n + 1 < size)
			buf[n++] = p[i];
	}
	for (p += digits; *p && n + 1 < size; p++)
		buf[n++] = *p;
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return buf;
}

/* Drops the trailing zeros of S's fraction, and its point when nothing is
 * left after it. */
static void trim(char *s)
{
	char *dot = strchr(s, '.'), *e;

	if (!dot)
		return;
	e = s + strlen(s);
	while (e > dot + 1 && e[-1] == '0')
		*--e = '\0';
	if (e == dot + 1)
		*dot = '\0';
}

/* Writes "-0" as "0". */
static void no_negative_zero(char *s)
{
	const char *p = s + (*s == '-');

	if (*s == '-' && strspn(p, "0.") == strlen(p))
		memmove(s, s + 1, strlen(s));
}

const char *pretty_number(char *buf, size_t size, double x)
{
	char num[80];
	int prec, e;

	if (!isfinite(x)) {
		snprintf(buf, size, "%s", isnan(x) ? "n/a" : x > 0 ? "infinity" : "-infinity");
		return buf;
	}
	if (x == floor(x) && fabs(x) < 1e15) {
		snprintf(num, sizeof(num), "%.0f", x);
		no_negative_zero(num);
		return group(buf, size, num);
	}
	/* The shortest %g that reads back, then in fixed notation with as many
	 * decimals as its significant digits need. */
	for (prec = 1; prec < 17; prec++) {
		snprintf(num, sizeof(num), "%.*g", prec, x);
		if (strtod(num, NULL) == x)
			break;
	}
	e = prec - 1 - (int)floor(log10(fabs(x)));
	snprintf(num, sizeof(num), "%.*f", e > 0 ? (e > 40 ? 40 : e) : 0, x);
	trim(num);
	no_negative_zero(num);
	return group(buf, size, num);
}

const char *pretty_int(char *buf, size_t size, long long x)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", x);
	return group(buf, size, num);
}

const char *pretty_sig(char *buf, size_t size, double x, int sig)
{
	char num[80];
	int e, decimals;

	if (!isfinite(x))
		return pretty_number(buf, size, x);
	if (x == 0)
		return group(buf, size, "0");
	if (sig < 1)
		sig = 1;
	e = (int)floor(log10(fabs(x)));
	decimals = sig - 1 - e;
	if (decimals <= 0) {
		double unit = pow(10, -decimals);

		snprintf(num, sizeof(num), "%.0f", round(x / unit) * unit);
	} else {
		snprintf(num, sizeof(num), "%.*f", decimals > 40 ? 40 : decimals, x);
		trim(num);
	}
	no_negative_zero(num);
	return group(buf, size, num);
}

const char *pretty_fixed(char *buf, size_t size, double x, int decimals)
{
	char num[80];

	if (!isfinite(x))
		return pretty_number(buf, size, x);
	snprintf(num, sizeof(num), "%.*f", decimals < 0 ? 0 : decimals > 40 ? 40 : decimals, x);
	no_negative_zero(num);
	return group(buf, size, num);
}

/* X rounded to D decimals. */
static double at(double x, int d)
{
	double s = pow(10, d);

	return round(x * s) / s;
}

int pretty_decimals(double v, double lo, double hi)
{
	int d;

	v *= 100;
	lo *= 100;
	hi *= 100;
	/* (an interval narrower than the finest decimal shown is no reason
	 * for more decimals) */
	if (!(hi - lo >= 0.001))
		lo = hi = v;
	for (d = 0; d < 3; d++) {
		int same_lo = lo < v && at(lo, d) == at(v, d);
		int same_hi = hi > v && at(hi, d) == at(v, d);

		if (!same_lo && !same_hi && !(v != 0 && at(v, d) == 0) &&
		    !(v != 100 && at(v, d) == 100))
			break;
	}
	return d;
}

const char *pretty_percent(char *buf, size_t size, double p, int decimals)
{
	char num[48];

	snprintf(num, sizeof(num), "%.*f", decimals, 100 * p);
	no_negative_zero(num);
	snprintf(buf, size, "%s%%", num);
	return buf;
}

const char *pretty_percent_range(char *buf, size_t size, double lo, double hi, int decimals)
{
	char a[48], b[48];

	pretty_percent(a, sizeof(a), lo, decimals);
	pretty_percent(b, sizeof(b), hi, decimals);
	snprintf(buf, size, "%s–%s", a, b);
	return buf;
}

const char *pretty_points(char *buf, size_t size, double d, int decimals)
{
	char num[48];

	snprintf(num, sizeof(num), "%.*f", decimals, fabs(100 * d));
	if (strspn(num, "0.") == strlen(num))
		snprintf(buf, size, "%s", num);
	else
		snprintf(buf, size, "%s%s", d < 0 ? "−" : "+", num);
	return buf;
}

const char *pretty_words(char *buf, size_t size, double x)
{
	static const char *const words[] = {
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve"
	};

	if (x >= 0 && x <= 12 && x == floor(x)) {
		snprintf(buf, size, "%s", words[(int)x]);
		return buf;
	}
	return pretty_number(buf, size, x);
}

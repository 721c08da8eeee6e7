/* numbers.c - strict parsing of numbers given as text. */
#include "core/numbers.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out)
{
	char *end;
	unsigned long long v;

	/* strtoull would skip leading spaces and take a sign: only digits. */
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int parse_real(const char *s, int signed_ok, double *out)
{
	const char *p = s;
	char *end;
	int digits = 0;

	if (signed_ok && (*p == '-' || *p == '+'))
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	/* A value too small for a double reads as 0 or a subnormal: taken. */
	return *end || !isfinite(*out) ? -1 : 0;
}

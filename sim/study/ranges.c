/* ranges.c - the ranges PATH=LO:HI of sample and sensitivity, and the
 * header lines of a study. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/study.h"

/* Check point P: the low or high end (P odd) of range P / 2. */
static void ends_values(const void *ctx, uint64_t p, double *x)
{
	const struct study_ranges *r = ctx;

	memcpy(x, r->lo, sizeof(double) * r->n);
	x[p / 2] = p % 2 ? r->hi[p / 2] : r->lo[p / 2];
}

int study_check_ranges(struct study *s, const struct study_ranges *r, struct cfg *c0,
		       struct scenario *s0)
{
	struct study chk;

	s->nvar = r->n;
	s->paths = (char **)r->paths;
	s->po.vary_name = "--range";
	if (points_check_paths(&s->po, r->n, (char *const *)r->paths, "--range") < 0)
		return -1;
	chk = *s;
	chk.values = ends_values;
	chk.ctx = r;
	return study_check(&chk, 2 * r->n, c0, s0);
}

void study_ranges_release(struct study_ranges *r)
{
	size_t j;

	for (j = 0; j < r->n; j++)
		vary_release(&r->r[j]);
	r->n = 0;
}

char *study_line(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void study_range_lines(const struct study_ranges *r, char **extra, size_t *n)
{
	char a[40], b[40];
	size_t j;

	for (j = 0; j < r->n; j++)
		extra[(*n)++] = study_line("range: %s = %s:%s", r->paths[j],
					   points_format_value(a, r->lo[j]),
					   points_format_value(b, r->hi[j]));
}

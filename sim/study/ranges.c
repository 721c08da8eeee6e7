/* ranges.c - the ranges PATH=LO:HI of sample and sensitivity, and the
 * header lines of a study. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/study.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

#include "core/errors.h"
#include "study/design.h"

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

	static const char *const names[] = { "uniform", "normal", "lognormal", "triangular" };

	for (j = 0; j < r->n; j++) {
		if (r->dist[j] == RANGE_UNIFORM) {
			extra[(*n)++] = study_line("range: %s = %s:%s", r->paths[j],
						   points_format_value(a, r->lo[j]),
						   points_format_value(b, r->hi[j]));
			continue;
		}
		char spec[128];

		if (r->dist[j] == RANGE_TRIANGULAR)
			snprintf(spec, sizeof(spec), "%s:%.10g:%.10g:%.10g", names[r->dist[j]],
				 r->par[j][0], r->par[j][1], r->par[j][2]);
		else
			snprintf(spec, sizeof(spec), "%s:%.10g:%.10g", names[r->dist[j]], r->par[j][0],
				 r->par[j][1]);
		extra[(*n)++] = study_line("range: %s = %s (truncated to its %g%% and %g%% "
					   "quantiles, %s to %s)", r->paths[j], spec,
					   100 * RANGE_TAIL, 100 * (1 - RANGE_TAIL),
					   points_format_value(a, r->lo[j]),
					   points_format_value(b, r->hi[j]));
	}
}

/* Quantile P of range J of R (a distribution). */
static double quantile(const struct study_ranges *r, size_t j, double p)
{
	const double *a = r->par[j];

	switch (r->dist[j]) {
	case RANGE_NORMAL:
		return a[0] + gsl_cdf_gaussian_Pinv(p, a[1]);
	case RANGE_LOGNORMAL:
		return gsl_cdf_lognormal_Pinv(p, a[0], a[1]);
	case RANGE_TRIANGULAR: {
		double lo = a[0], mode = a[1], hi = a[2], f = (mode - lo) / (hi - lo);

		return p < f ? lo + sqrt(p * (hi - lo) * (mode - lo))
			     : hi - sqrt((1 - p) * (hi - lo) * (hi - mode));
	}
	default:
		return a[0] + (a[1] - a[0]) * p;
	}
}

int study_range_dist(struct study_ranges *r, size_t j, const char *spec, const char *arg)
{
	static const struct { const char *name; int kind, npar; } kinds[] = {
		{ "uniform:", RANGE_UNIFORM, 2 }, { "normal:", RANGE_NORMAL, 2 },
		{ "lognormal:", RANGE_LOGNORMAL, 2 }, { "triangular:", RANGE_TRIANGULAR, 3 },
	};
	const char *p = NULL;
	double *a = r->par[j];
	size_t k;
	int n = 0, ok;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (!strncmp(spec, kinds[k].name, strlen(kinds[k].name))) {
			p = spec + strlen(kinds[k].name);
			break;
		}
	if (!p && spec[0] >= 'a' && spec[0] <= 'z') {
		error("--range '%s': unknown distribution (uniform:LO:HI, normal:MEAN:SD, "
		      "lognormal:MU:SIGMA, triangular:MIN:MODE:MAX)", arg);
		return -1;
	}
	if (!p)
		return 1;
	while (n < 3) {
		char *end;

		a[n] = strtod(p, &end);
		if (end == p || !isfinite(a[n]))
			break;
		n++;
		if (*end != ':') {
			p = end;
			break;
		}
		p = end + 1;
	}
	r->dist[j] = kinds[k].kind;
	ok = n == kinds[k].npar && !*p;
	if (ok && r->dist[j] == RANGE_UNIFORM)
		ok = a[0] < a[1];
	else if (ok && r->dist[j] == RANGE_TRIANGULAR)
		ok = a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2];
	else if (ok)
		ok = a[1] > 0;
	if (!ok) {
		error("--range '%s': expected %s with %s", arg, kinds[k].kind == RANGE_TRIANGULAR
		      ? "triangular:MIN:MODE:MAX" : kinds[k].kind == RANGE_UNIFORM ? "uniform:LO:HI"
		      : kinds[k].kind == RANGE_NORMAL ? "normal:MEAN:SD" : "lognormal:MU:SIGMA",
		      kinds[k].kind == RANGE_TRIANGULAR ? "MIN <= MODE <= MAX, MIN < MAX"
		      : kinds[k].kind == RANGE_UNIFORM ? "numbers LO < HI" : "a spread > 0");
		return -1;
	}
	r->lo[j] = r->dist[j] == RANGE_UNIFORM ? a[0] : quantile(r, j, RANGE_TAIL);
	r->hi[j] = r->dist[j] == RANGE_UNIFORM ? a[1] : quantile(r, j, 1 - RANGE_TAIL);
	return 0;
}

void study_ranges_scale(const struct study_ranges *r, double *x, size_t n)
{
	size_t i, j, k = r->n;

	for (j = 0; j < k; j++) {
		if (r->dist[j] == RANGE_UNIFORM) {
			for (i = 0; i < n; i++) {
				double d = r->hi[j] - r->lo[j], u = x[i * k + j];

				x[i * k + j] = isfinite(d) ? r->lo[j] + d * u
							   : r->lo[j] * (1 - u) + r->hi[j] * u;
			}
			continue;
		}
		for (i = 0; i < n; i++)
			x[i * k + j] = quantile(r, j, RANGE_TAIL + (1 - 2 * RANGE_TAIL) * x[i * k + j]);
	}
}

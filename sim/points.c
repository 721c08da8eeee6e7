/* points.c - a scenario evaluated at points of its parameter space. */
#include "points.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "usage.h"

static int parse_real(const char *s, double *x)
{
	char *end;

	errno = 0;
	*x = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*x) ? 0 : -1;
}

/* Splits "PATH=REST" into a new PATH and REST. */
static int split(const char *arg, const char *option, char **path, const char **rest)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return error("%s '%s': expected PATH=VALUES", option, arg);
	*path = strndup(arg, (size_t)(eq - arg));
	*rest = eq + 1;
	return 0;
}

int vary_parse(const char *arg, const char *option, struct vary *out)
{
	const char *rest = NULL;
	char *copy, *tok, *save, *colon;
	unsigned long long n;
	double lo, hi;
	size_t i, cap;

	memset(out, 0, sizeof(*out));
	if (split(arg, option, &out->path, &rest) < 0)
		return -1;
	copy = strdup(rest);
	colon = strchr(copy, ':');
	if (colon && !strchr(copy, ',')) {
		char *c2 = strchr(colon + 1, ':');

		*colon = '\0';
		if (c2)
			*c2 = '\0';
		if (!c2 || parse_real(copy, &lo) || parse_real(colon + 1, &hi) ||
		    parse_u64(c2 + 1, 1, 1000000, &n)) {
			free(copy);
			vary_release(out);
			return error("%s '%s': expected PATH=LO:HI:N with numbers LO, HI and "
				     "a count N from 1 to 1000000", option, arg);
		}
		out->n = (size_t)n;
		out->v = malloc(sizeof(double) * out->n);
		/* Interior values are rounded to 15 significant digits, so that
		 * 0:0.6:4 gives 0.2 and 0.4 as the user means them, not
		 * 0.19999999999999998. */
		for (i = 0; i < out->n; i++) {
			char buf[32];

			out->v[i] = n == 1 ? lo : i + 1 == out->n ? hi
				    : lo + (hi - lo) * (double)i / (double)(n - 1);
			snprintf(buf, sizeof(buf), "%.15g", out->v[i]);
			out->v[i] = strtod(buf, NULL);
		}
		free(copy);
		return 0;
	}
	cap = 8;
	out->v = malloc(sizeof(double) * cap);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_real(tok, &lo)) {
			error("%s '%s': '%s' is not a number", option, arg, tok);
			free(copy);
			vary_release(out);
			return -1;
		}
		if (out->n == cap)
			out->v = realloc(out->v, sizeof(double) * (cap *= 2));
		out->v[out->n++] = lo;
	}
	free(copy);
	if (!out->n) {
		vary_release(out);
		return error("%s '%s': no values", option, arg);
	}
	return 0;
}

int range_parse(const char *arg, const char *option, struct vary *out)
{
	const char *rest = NULL;
	char *copy, *colon;
	double lo, hi;

	memset(out, 0, sizeof(*out));
	if (split(arg, option, &out->path, &rest) < 0)
		return -1;
	copy = strdup(rest);
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (!colon || parse_real(copy, &lo) || parse_real(colon + 1, &hi) || !(lo < hi)) {
		free(copy);
		vary_release(out);
		return error("%s '%s': expected PATH=LO:HI with numbers LO < HI", option, arg);
	}
	free(copy);
	out->n = 2;
	out->v = malloc(2 * sizeof(double));
	out->v[0] = lo;
	out->v[1] = hi;
	return 0;
}

void vary_release(struct vary *v)
{
	free(v->path);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

char *points_format_value(char *buf, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, 40, "%.0f", v);
	else
		cfg_format_real(buf, v);
	return buf;
}

int point_open(const struct points_opts *o, size_t nv, char *const *paths,
	       const double *values, uint64_t index, struct cfg *c,
	       struct scenario *s)
{
	struct diag d = { c, NULL, 0 };
	char val[40], *arg;
	size_t j;
	int i;

	memset(s, 0, sizeof(*s));
	if (cfg_load(c, o->config) < 0)
		return -1;
	c->vary_name = o->vary_name;
	for (i = 0; i < o->nsets; i++)
		cfg_set(c, o->sets[i], i + 1, &d);
	for (j = 0; j < nv; j++) {
		size_t len = strlen(paths[j]) + 48;

		arg = malloc(len);
		snprintf(arg, len, "%s=%s", paths[j], points_format_value(val, values[j]));
		cfg_set(c, arg, -(int)(j + 1), &d);
		free(arg);
	}
	if (d.errors || scenario_load(s, c, o->trials, o->seed) < 0)
		return -1;
	if (o->independent) {
		s->seed = rng_key(s->seed, index, 0x5eedULL) & (uint64_t)INT64_MAX;
		cfg_put_int(config_lookup(&c->lc, "scenario"), "seed", (long long)s->seed);
	}
	return 0;
}

int point_run(const struct points_opts *o, const struct scenario *s,
	      struct tally *t, struct figure *fig)
{
	int r;

	if (tally_init(t, s) < 0)
		return error("out of memory");
	r = engine_run_precise(s, &o->prec, o->threads, t, NULL, NULL, o->stop);
	if (r < 0)
		return error("out of memory while running trials");
	if (r == 0)
		summary_compute(t, s->dt, fig);
	return r;
}

void points_figure_columns(FILE *f)
{
	int i;

	fputs("\ttrials", f);
	for (i = 0; i < N_FIGURES; i++)
		fprintf(f, "\t%s\t%s_ci_lo\t%s_ci_hi", summary_key(i), summary_key(i),
			summary_key(i));
}

static void field(FILE *f, int ok, double x)
{
	if (ok)
		fprintf(f, "\t%.10g", x);
	else
		fputs("\tNaN", f);
}

void points_figure_fields(FILE *f, uint64_t trials, const struct figure *fig)
{
	int i;

	fprintf(f, "\t%llu", (unsigned long long)trials);
	for (i = 0; i < N_FIGURES; i++) {
		field(f, fig[i].defined, fig[i].value);
		field(f, fig[i].has_ci, fig[i].lo);
		field(f, fig[i].has_ci, fig[i].hi);
	}
}

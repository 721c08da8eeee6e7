/* points.c - a scenario evaluated at points of its parameter space. */
#include "study/points.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"

/* Parses one value TOK of option argument ARG into *X, or says what is
 * wrong with it: empty, not a decimal number, or beyond a double. */
static int parse_value(const char *tok, const char *option, const char *arg, double *x)
{
	if (!*tok)
		return error("%s '%s': an empty value", option, arg);
	if (parse_real(tok, 1, x) == 0)
		return 0;
	if (strspn(tok, "+-0123456789.eE") == strlen(tok) && isinf(strtod(tok, NULL)))
		return error("%s '%s': '%s' is beyond the largest number, about 1.8e308", option,
			     arg, tok);
	return error("%s '%s': '%s' is not a number", option, arg, tok);
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

/* Value I of N evenly spaced from LO to HI. Where HI - LO overflows (LO
 * and HI of opposite signs, both huge), each end is weighted instead,
 * which cannot overflow; elsewhere the first form, so that grids keep
 * their values. Interior values are rounded to 15 significant digits, so
 * that 0:0.6:4 gives 0.2 and 0.4 as the user means them, not
 * 0.19999999999999998 (unless the rounding would leave the doubles). */
static double grid_point(double lo, double hi, size_t i, size_t n)
{
	double d = hi - lo, t, v;
	char buf[32];

	if (n == 1 || i == 0)
		return lo;
	if (i + 1 == n)
		return hi;
	t = (double)i / (double)(n - 1);
	v = isfinite(d) ? lo + d * (double)i / (double)(n - 1) : lo * (1 - t) + hi * t;
	snprintf(buf, sizeof(buf), "%.15g", v);
	d = strtod(buf, NULL);
	return isfinite(d) ? d : v;
}

/* Parses "LO:HI:N" (REST, with its colons at C1 and C2) into OUT. */
static int parse_grid(char *rest, char *c1, char *c2, const char *option, const char *arg,
		      struct vary *out)
{
	unsigned long long n;
	double lo, hi;
	size_t i;

	*c1 = *c2 = '\0';
	if (parse_value(rest, option, arg, &lo) < 0 || parse_value(c1 + 1, option, arg, &hi) < 0)
		return -1;
	if (parse_u64(c2 + 1, 1, VARY_MAX_VALUES, &n) < 0)
		return error("%s '%s': expected PATH=LO:HI:N with numbers LO, HI and a count N "
			     "from 1 to %d", option, arg, VARY_MAX_VALUES);
	out->n = (size_t)n;
	out->v = malloc(sizeof(double) * out->n);
	if (!out->v)
		return error("out of memory");
	for (i = 0; i < out->n; i++)
		out->v[i] = grid_point(lo, hi, i, out->n);
	return 0;
}

/* Parses "V1,V2,..." (REST) into OUT; every item must be a number. */
static int parse_list(char *rest, const char *option, const char *arg, struct vary *out)
{
	size_t n = 1, i = 0;
	char *p, *tok = rest;

	for (p = rest; *p; p++)
		n += *p == ',';
	if (n > VARY_MAX_VALUES)
		return error("%s '%s': more than %d values", option, arg, VARY_MAX_VALUES);
	out->v = malloc(sizeof(double) * n);
	if (!out->v)
		return error("out of memory");
	for (;;) {
		char *comma = strchr(tok, ',');

		if (comma)
			*comma = '\0';
		if (!*tok)
			return error("%s '%s': value %zu is empty", option, arg, i + 1);
		if (parse_value(tok, option, arg, &out->v[i]) < 0)
			return -1;
		i++;
		if (!comma)
			break;
		tok = comma + 1;
	}
	out->n = i;
	return 0;
}

int vary_parse(const char *arg, const char *option, struct vary *out)
{
	const char *rest = NULL;
	char *copy, *colon, *c2;
	int r;

	memset(out, 0, sizeof(*out));
	if (split(arg, option, &out->path, &rest) < 0)
		return -1;
	copy = strdup(rest);
	colon = strchr(copy, ':');
	c2 = colon ? strchr(colon + 1, ':') : NULL;
	if (colon && !strchr(copy, ',')) {
		if (!c2 || strchr(c2 + 1, ':'))
			r = error("%s '%s': expected PATH=LO:HI:N with numbers LO, HI and a count N "
				  "from 1 to %d", option, arg, VARY_MAX_VALUES);
		else
			r = parse_grid(copy, colon, c2, option, arg, out);
	} else {
		r = parse_list(copy, option, arg, out);
	}
	free(copy);
	if (r < 0)
		vary_release(out);
	return r;
}

int range_parse(const char *arg, const char *option, struct vary *out)
{
	const char *rest = NULL;
	char *copy, *colon;
	double lo, hi;
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (split(arg, option, &out->path, &rest) < 0)
		return -1;
	copy = strdup(rest);
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (!colon || strchr(colon + 1, ':'))
		error("%s '%s': expected PATH=LO:HI with numbers LO < HI", option, arg);
	else if (parse_value(copy, option, arg, &lo) == 0 &&
		 parse_value(colon + 1, option, arg, &hi) == 0) {
		if (!(lo < hi))
			error("%s '%s': expected PATH=LO:HI with numbers LO < HI", option, arg);
		else
			r = 0;
	}
	free(copy);
	if (r < 0) {
		vary_release(out);
		return -1;
	}
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

	memset(s, 0, sizeof(*s));
	if (scenario_read_config(c, o->config, o->sets, o->nsets, &d) < 0)
		return -1;
	c->vary_name = o->vary_name;
	for (j = 0; j < nv; j++) {
		size_t len = strlen(paths[j]) + 48;

		/* "inf" would be set as a string; say what is wrong instead. */
		if (!isfinite(values[j])) {
			diag_at(&d, diag_override_file(c, -(int)(j + 1)), (int)(j + 1), paths[j],
				"the value at point %llu is not a finite number (%g)",
				(unsigned long long)index, values[j]);
			continue;
		}

		arg = malloc(len);
		snprintf(arg, len, "%s=%s", paths[j], points_format_value(val, values[j]));
		cfg_set(c, arg, -(int)(j + 1), &d);
		free(arg);
	}
	if (d.errors || scenario_load(s, c, o->trials, o->seed) < 0)
		return -1;
	if (o->independent) {
		s->seed = rng_key(s->seed, index, STREAM_POINT_SEED) & (uint64_t)INT64_MAX;
		cfg_put_int(config_lookup(&c->lc, "scenario"), "seed", (long long)s->seed);
	}
	return 0;
}

int point_run(const struct points_opts *o, const struct scenario *s,
	      struct tally *t, struct figure *fig)
{
	struct engine_run r = { .s = &s, .m = 1, .count = s->trials, .prec = o->prec,
				.threads = o->threads, .stop = o->stop };
	int k;

	if (engine_tally(t, s) < 0)
		return error("out of memory");
	k = engine_run(&r, t, NULL);
	if (k < 0)
		return error("out of memory while running trials");
	if (k == 0)
		summary_compute(s->layout, t, s->dt, fig);
	return k;
}

void points_figure_columns(FILE *f, char *const *keys, size_t n)
{
	size_t i;

	fputs("\ttrials", f);
	for (i = 0; i < n; i++)
		fprintf(f, "\t%s\t%s_ci_lo\t%s_ci_hi", keys[i], keys[i], keys[i]);
}

#define FIELD_FORMAT "%.10g"

double points_as_written(double x)
{
	char buf[40];

	snprintf(buf, sizeof(buf), FIELD_FORMAT, x);
	return strtod(buf, NULL);
}

static void field(FILE *f, int ok, double x)
{
	if (ok)
		fprintf(f, "\t" FIELD_FORMAT, x);
	else
		fputs("\tNaN", f);
}

void points_figure_fields(FILE *f, uint64_t trials, const struct figure *fig, size_t n)
{
	size_t i;

	fprintf(f, "\t%llu", (unsigned long long)trials);
	for (i = 0; i < n; i++) {
		field(f, fig[i].defined, fig[i].value);
		field(f, fig[i].has_ci, fig[i].lo);
		field(f, fig[i].has_ci, fig[i].hi);
	}
}

/* The setting of CUR that segment SEG names, as find_elem() of cfgset.c
 * resolves it: in a list, "[N]", "[NAME]" or "NAME" (NAME matching an
 * element's "name" without regard to case); in a group, a member. Writes
 * the segment into OUT ("[N]" for an element) and returns the setting,
 * or NULL when there is none (OUT is then SEG). */
static config_setting_t *canon_seg(config_setting_t *cur, const char *seg, char *out,
				   size_t size)
{
	size_t len = strlen(seg);
	const char *s;
	char *end, name[256];
	long i;
	int n;

	snprintf(out, size, "%s", seg);
	if (!cur)
		return NULL;
	if (config_setting_is_group(cur))
		return config_setting_get_member(cur, seg);
	if (!config_setting_is_list(cur) && !config_setting_is_array(cur))
		return NULL;
	n = config_setting_length(cur);
	snprintf(name, sizeof(name), "%.*s", len >= 2 && seg[0] == '[' && seg[len - 1] == ']'
		 ? (int)len - 2 : (int)len, len >= 2 && seg[0] == '[' && seg[len - 1] == ']'
		 ? seg + 1 : seg);
	errno = 0;
	i = strtol(name, &end, 10);
	if (seg[0] == '[' && *name && !*end && !errno) {
		if (i < 0 || i >= n)
			return NULL;
		snprintf(out, size, "[%ld]", i);
		return config_setting_get_elem(cur, (unsigned)i);
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(cur, (unsigned)i);

		if (config_setting_is_group(e) && config_setting_lookup_string(e, "name", &s) &&
		    !strcasecmp(s, name)) {
			snprintf(out, size, "[%ld]", i);
			return e;
		}
	}
	return NULL;
}

/* PATH as a new string with every list element named by its index, as
 * config C resolves it: the same setting gives the same string. */
static char *canon_path(const struct cfg *c, const char *path)
{
	config_setting_t *cur = config_root_setting(&c->lc);
	char *copy = strdup(path), *p, *seg, *out, part[300];
	size_t cap = strlen(path) + 64, len = 0;
	int depth = 0;

	out = calloc(1, cap);
	for (seg = p = copy;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		if (*p && (*p != '.' || depth > 0))
			continue;
		*p = '\0';
		cur = canon_seg(cur, seg, part, sizeof(part));
		if (len + strlen(part) + 2 > cap)
			out = realloc(out, cap = 2 * cap + strlen(part));
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "." : "", part);
		if (p == copy + strlen(path))
			break;
		seg = p + 1;
	}
	free(copy);
	return out;
}

/* Whether canonical path A is B or a setting inside B. */
static int within(const char *a, const char *b)
{
	size_t n = strlen(b);

	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '.');
}

int points_check_paths(const struct points_opts *o, size_t nv, char *const *paths,
		       const char *option)
{
	struct cfg c;
	struct diag d = { &c, NULL, 0 };
	char **canon = calloc(nv ? nv : 1, sizeof(char *)), *set;
	size_t i, j;
	int k, r = -1;

	if (scenario_read_config(&c, o->config, o->sets, o->nsets, &d) < 0 || d.errors)
		goto out;
	for (i = 0; i < nv; i++) {
		canon[i] = canon_path(&c, paths[i]);
		if (!strcmp(canon[i], "scenario.trials")) {
			error("%s %zu (%s): the trials are not varied (-n would override them); "
			      "give -n N, or --precision EPS to let each point find its own", option,
			      i + 1, paths[i]);
			goto out;
		}
		if (!strcmp(canon[i], "scenario.seed")) {
			error("%s %zu (%s): the seed is not varied (-s would override it); give "
			      "-s SEED, or --independent for streams of each point's own", option,
			      i + 1, paths[i]);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (within(canon[i], canon[j]) || within(canon[j], canon[i])) {
				error("%s %zu (%s) %s %s %zu (%s); vary each setting once", option, i + 1,
				      paths[i], !strcmp(canon[i], canon[j]) ? "names the same setting as"
				      : within(canon[i], canon[j]) ? "is a part of" : "contains", option,
				      j + 1, paths[j]);
				goto out;
			}
	}
	/* A --set that every point overrides would be recorded, never used. */
	for (k = 0; k < o->nsets; k++) {
		set = strndup(o->sets[k], strcspn(o->sets[k], "="));
		for (i = 0; i < nv; i++) {
			char *cs = canon_path(&c, set);
			int hit = within(cs, canon[i]);

			free(cs);
			if (hit) {
				error("--set %d (%s) is overridden by %s %zu (%s) at every point; drop "
				      "one of them", k + 1, o->sets[k], option, i + 1, paths[i]);
				free(set);
				goto out;
			}
		}
		free(set);
	}
	r = 0;
out:
	for (i = 0; i < nv; i++)
		free(canon[i]);
	free(canon);
	cfg_release(&c);
	return r;
}

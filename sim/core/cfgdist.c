/* cfgdist.c - reading a distribution group of a config, such as
 * { dist = "normal"; mean = 0.5; sd = 0.1; min = 0; max = 1; }. */
#include "core/cfgpriv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const dist_names[] = {
	"uniform", "normal", "lognormal", "beta", "triangular", NULL
};

/* The keys each distribution takes, in the order of dist_names. */
static const char *const dist_keys[][6] = {
	{ "dist", "min", "max", NULL },
	{ "dist", "mean", "sd", "min", "max", NULL },
	{ "dist", "mu", "sigma", NULL },
	{ "dist", "a", "b", "min", "max", NULL },
	{ "dist", "min", "mode", "max", NULL },
};

/* Reads the "dist" key of distribution group G (at PATH). Returns the
 * index of its name in dist_names, or -1 after reporting. */
static int read_name(struct diag *d, const config_setting_t *g, const char *path)
{
	const config_setting_t *s = config_setting_get_member(g, "dist");
	const char *name, *near;
	char p[512];
	int kind;

	snprintf(p, sizeof(p), "%s.dist", path);
	if (!s) {
		diag_error(d, g, p, "required key is missing (a number or a distribution "
			   "{ dist = \"uniform\" | \"normal\" | \"lognormal\" | \"beta\" | \"triangular\"; ... })");
		return -1;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		diag_error(d, s, p, "must be a string, got %s", cfg_type_name(config_setting_type(s)));
		return -1;
	}
	name = config_setting_get_string(s);
	for (kind = 0; dist_names[kind] && strcmp(dist_names[kind], name); kind++)
		;
	if (dist_names[kind])
		return kind;
	near = cfg_nearest(name, dist_names);
	if (near)
		diag_error(d, s, p, "unknown distribution '%s' (did you mean '%s'?)", name, near);
	else
		diag_error(d, s, p, "unknown distribution '%s' (known: uniform, normal, "
			   "lognormal, beta, triangular)", name);
	return -1;
}

/* Reads a number KEY of distribution group G; *X keeps its value when the
 * key is absent and not required. Returns 0 or -1. */
static int dist_number(struct diag *d, const config_setting_t *g, const char *path,
		       const char *key, int required, double *x)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	char p[512];

	snprintf(p, sizeof(p), "%s.%s", path, key);
	if (!s) {
		if (required) {
			diag_error(d, g, p, "required key is missing");
			return -1;
		}
		return 0;
	}
	if (!cfg_is_number(s)) {
		diag_error(d, s, p, "must be a number, got %s", cfg_type_name(config_setting_type(s)));
		return -1;
	}
	*x = cfg_number(s);
	if (!isfinite(*x)) {
		diag_error(d, s, p, "must be finite");
		return -1;
	}
	return 0;
}

/* Reports that parameter KEY of distribution group G, whose value is V,
 * must be OP 0 (OP is ">" or ">="). Returns -1. */
static int bad_param(struct diag *d, const config_setting_t *g, const char *path,
		     const char *key, const char *op, double v)
{
	char p[512], buf[32];

	snprintf(p, sizeof(p), "%s.%s", path, key);
	diag_error(d, config_setting_get_member(g, key), p, "must be %s 0, got %s", op,
		   cfg_format_real(buf, v));
	return -1;
}

/* The readers of each distribution's parameters from group G (at PATH)
 * into *X. Each returns 0, or -1 after reporting. */

static int read_uniform(struct diag *d, const config_setting_t *g, const char *path,
			struct dist *x)
{
	int e = 0;

	e |= dist_number(d, g, path, "min", 1, &x->lo);
	e |= dist_number(d, g, path, "max", 1, &x->hi);
	return e;
}

static int read_normal(struct diag *d, const config_setting_t *g, const char *path,
		       struct dist *x)
{
	int e = 0;

	e |= dist_number(d, g, path, "mean", 1, &x->a);
	e |= dist_number(d, g, path, "sd", 1, &x->b);
	e |= dist_number(d, g, path, "min", 0, &x->lo);
	e |= dist_number(d, g, path, "max", 0, &x->hi);
	if (!e && x->b < 0)
		return bad_param(d, g, path, "sd", ">=", x->b);
	return e;
}

static int read_lognormal(struct diag *d, const config_setting_t *g, const char *path,
			  struct dist *x)
{
	int e = 0;

	e |= dist_number(d, g, path, "mu", 1, &x->a);
	e |= dist_number(d, g, path, "sigma", 1, &x->b);
	if (!e && x->b < 0)
		return bad_param(d, g, path, "sigma", ">=", x->b);
	x->lo = 0;
	return e;
}

static int read_beta(struct diag *d, const config_setting_t *g, const char *path,
		     struct dist *x)
{
	int e = 0;

	x->lo = 0;
	x->hi = 1;
	e |= dist_number(d, g, path, "a", 1, &x->a);
	e |= dist_number(d, g, path, "b", 1, &x->b);
	e |= dist_number(d, g, path, "min", 0, &x->lo);
	e |= dist_number(d, g, path, "max", 0, &x->hi);
	if (!e && x->a <= 0)
		return bad_param(d, g, path, "a", ">", x->a);
	if (!e && x->b <= 0)
		return bad_param(d, g, path, "b", ">", x->b);
	return e;
}

static int read_triangular(struct diag *d, const config_setting_t *g, const char *path,
			   struct dist *x)
{
	int e = 0;

	e |= dist_number(d, g, path, "min", 1, &x->lo);
	e |= dist_number(d, g, path, "mode", 1, &x->c);
	e |= dist_number(d, g, path, "max", 1, &x->hi);
	if (!e && !(x->lo <= x->c && x->c <= x->hi && x->lo < x->hi)) {
		diag_error(d, g, path, "triangular needs min <= mode <= max and min < max");
		return -1;
	}
	return e;
}

/* Checks the window [min, max] of the distribution X read from group G:
 * ordered, of a width a double holds (but for the normal and lognormal,
 * whose draws need no width), and holding enough of a normal's mass.
 * Returns 0, or -1 after reporting. */
static int check_window(struct diag *d, const config_setting_t *g, const char *path,
			const struct dist *x)
{
	char p[512];

	if (x->lo > x->hi) {
		snprintf(p, sizeof(p), "%s.min", path);
		diag_error(d, config_setting_get_member(g, "min"), p, "is greater than max");
		return -1;
	}
	if (x->kind != DIST_NORMAL && x->kind != DIST_LOGNORMAL && !isfinite(x->hi - x->lo)) {
		diag_error(d, g, path, "max - min is beyond what a double holds; narrow the interval");
		return -1;
	}
	if (x->kind == DIST_NORMAL && dist_normal_window_mass(x) < 1e-3) {
		diag_error(d, g, path, "the window [min, max] holds %.3g of the normal's "
			   "probability, less than 0.001; widen it", dist_normal_window_mass(x));
		return -1;
	}
	return 0;
}

int cfg_read_dist(struct diag *d, const config_setting_t *g, const char *path,
		  struct dist *out)
{
	static int (*const read[])(struct diag *, const config_setting_t *, const char *,
				   struct dist *) = {
		read_uniform, read_normal, read_lognormal, read_beta, read_triangular,
	};
	struct dist x = { DIST_FIXED, 0, 0, 0, -INFINITY, INFINITY };
	int kind, before;

	before = d->errors;
	kind = read_name(d, g, path);
	if (kind < 0)
		return -1;
	cfg_check_keys(d, g, path, NULL, dist_keys[kind]);
	x.kind = (enum dist_kind)(kind + 1);
	if (read[kind](d, g, path, &x) < 0 || d->errors > before)
		return -1;
	if (check_window(d, g, path, &x) < 0)
		return -1;
	*out = x;
	return 0;
}

/* cfg.c - scenario configs: loading, overrides, diagnostics, checking. */
#include "core/cfg.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/usage.h"

/* The embedded default scenario, generated from configs/default.cfg. */
extern const char sim_default_cfg[];

/* Overrides name themselves in messages as "--set:N" (index N > 0) or
 * "--vary:N" (index -N < 0). */
#define SET_FILE (index > 0 ? "--set" : vary_name(c))
#define SET_LINE (index > 0 ? index : -index)

/* ---------------------------------------------------------------- */
/* Diagnostics */

static const char *vary_name(const struct cfg *c)
{
	return c->vary_name ? c->vary_name : "--vary";
}

static void locate(const struct diag *d, const config_setting_t *at,
		   const char **file, int *line)
{
	int l = 0;
	intptr_t set_index;

	for (; at; at = config_setting_parent(at)) {
		set_index = (intptr_t)config_setting_get_hook(at);
		if (set_index != 0) {
			*file = set_index > 0 ? "--set" : vary_name(d->cfg);
			*line = (int)(set_index > 0 ? set_index : -set_index);
			return;
		}
		l = config_setting_source_line(at);
		if (l > 0)
			break;
	}
	if (l > 0 && d->cfg->src.nspan) {
		cfgsrc_where(&d->cfg->src, l, file, line);
		return;
	}
	*file = d->cfg->name;
	*line = l > 0 ? l : 1;
}

void diag_error(struct diag *d, const config_setting_t *at, const char *path,
		const char *fmt, ...)
{
	FILE *out = d->out ? d->out : stderr;
	const char *file;
	int line;
	va_list ap;

	locate(d, at, &file, &line);
	fprintf(out, "%s:%d: error: ", file, line);
	if (path && *path)
		fprintf(out, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	d->errors++;
}

/* ---------------------------------------------------------------- */
/* Loading */

/* Parses C's source text with libconfig, reporting a syntax error at the
 * file and line it came from. */
static int parse(struct cfg *c)
{
	const char *file;
	int line;

	if (config_read_string(&c->lc, c->src.text))
		return 0;
	cfgsrc_where(&c->src, config_error_line(&c->lc) > 0 ? config_error_line(&c->lc) : 1,
		     &file, &line);
	fprintf(stderr, "%s:%d: error: %s\n", file, line, config_error_text(&c->lc));
	return -1;
}

int cfg_load(struct cfg *c, const char *path)
{
	if (!path)
		return cfg_load_string(c, "(default)", sim_default_cfg);
	memset(c, 0, sizeof(*c));
	config_init(&c->lc);
	c->name = strdup(path);
	if (cfgsrc_read_file(&c->src, path) < 0)
		return -1;
	return parse(c);
}

int cfg_load_string(struct cfg *c, const char *name, const char *text)
{
	memset(c, 0, sizeof(*c));
	config_init(&c->lc);
	c->name = strdup(name);
	if (cfgsrc_read_text(&c->src, name, text, strlen(text)) < 0)
		return -1;
	return parse(c);
}

void cfg_release(struct cfg *c)
{
	config_destroy(&c->lc);
	cfgsrc_release(&c->src);
	free(c->name);
	c->name = NULL;
}

/* ---------------------------------------------------------------- */
/* Overrides */

static void hook_tree(config_setting_t *s, int index)
{
	int i, n;

	config_setting_set_hook(s, (void *)(intptr_t)index);
	if (config_setting_is_aggregate(s)) {
		n = config_setting_length(s);
		for (i = 0; i < n; i++)
			hook_tree(config_setting_get_elem(s, i), index);
	}
}

/* Copies the value of FROM into the new setting TO (of the same type). */
static void copy_value(config_setting_t *to, const config_setting_t *from)
{
	int i, n;
	config_setting_t *e, *ne;

	switch (config_setting_type(from)) {
	case CONFIG_TYPE_INT:
		config_setting_set_int(to, config_setting_get_int(from));
		break;
	case CONFIG_TYPE_INT64:
		config_setting_set_int64(to, config_setting_get_int64(from));
		break;
	case CONFIG_TYPE_FLOAT:
		config_setting_set_float(to, config_setting_get_float(from));
		break;
	case CONFIG_TYPE_BOOL:
		config_setting_set_bool(to, config_setting_get_bool(from));
		break;
	case CONFIG_TYPE_STRING:
		config_setting_set_string(to, config_setting_get_string(from));
		break;
	default:
		n = config_setting_length(from);
		for (i = 0; i < n; i++) {
			e = config_setting_get_elem(from, i);
			ne = config_setting_add(to, config_setting_name(e),
						config_setting_type(e));
			if (ne)
				copy_value(ne, e);
		}
	}
}

/* Finds the element of list CUR named by SEG: "[N]", "[NAME]" or "NAME",
 * NAME matching the element's "name" member without regard to case. */
static config_setting_t *find_elem(config_setting_t *cur, const char *seg,
				   int *index)
{
	char name[256];
	size_t len = strlen(seg);
	char *end;
	long i;
	int n = config_setting_length(cur);
	const char *s;

	if (len >= 2 && seg[0] == '[' && seg[len - 1] == ']') {
		if (len - 2 >= sizeof(name))
			return NULL;
		memcpy(name, seg + 1, len - 2);
		name[len - 2] = '\0';
		errno = 0;
		i = strtol(name, &end, 10);
		/* An index is digits alone: "[ 1]" or "[+1]" is a name. */
		if (isdigit((unsigned char)*name) && !*end && !errno) {
			*index = i >= 0 && i < n ? (int)i : -2;
			return i >= 0 && i < n ? config_setting_get_elem(cur, (unsigned)i) : NULL;
		}
	} else {
		if (len >= sizeof(name))
			return NULL;
		strcpy(name, seg);
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(cur, (unsigned)i);

		if (config_setting_is_group(e) &&
		    config_setting_lookup_string(e, "name", &s) &&
		    !strcasecmp(s, name)) {
			*index = (int)i;
			return e;
		}
	}
	*index = -1;
	return NULL;
}

/* Splits PATH at dots outside brackets; returns the number of segments
 * (at most MAX) or -1 when malformed. Writes into BUF. */
static int split_path(char *buf, char **seg, int max)
{
	int n = 0, depth = 0;
	char *p = buf;

	seg[n++] = p;
	for (; *p; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (*p == '.' && depth == 0) {
			*p = '\0';
			if (n == max)
				return -1;
			seg[n++] = p + 1;
		}
		if (depth < 0 || depth > 1)
			return -1;
	}
	for (int i = 0; i < n; i++)
		if (!*seg[i])
			return -1;
	return depth ? -1 : n;
}

static const char *type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_LIST: return "a list";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	default: return "a number";
	}
}

/* Parses the VALUE of override INDEX (of PATH) into setting "v" of VAL.
 * Returns 0, or -1 after reporting to D. */
static int parse_value(const struct cfg *c, const char *value, const char *path, int index,
		       struct diag *d, config_t *val)
{
	struct cfgsrc src;
	size_t len = strlen(value) + 8;
	char *text = malloc(len);
	int ok;

	memset(&src, 0, sizeof(src));
	src.err = d->out;
	src.fixed_line = SET_LINE;
	src.fixed_key = path;
	snprintf(text, len, "v = %s;", value);
	ok = cfgsrc_read_text(&src, SET_FILE, text, strlen(text)) == 0;
	free(text);
	if (!ok) {
		cfgsrc_release(&src);
		d->errors++;
		return -1;
	}
	ok = config_read_string(val, src.text);
	cfgsrc_release(&src);
	if (!ok) {
		config_destroy(val);
		config_init(val);
		config_setting_set_string(config_setting_add(config_root_setting(val), "v",
							     CONFIG_TYPE_STRING), value);
		return 0;
	}
	if (config_setting_length(config_root_setting(val)) != 1) {
		fprintf(d->out ? d->out : stderr, "%s:%d: error: %s: the value '%s' holds more "
			"than one setting; quote a string value (%s=\"...\")\n", SET_FILE, SET_LINE,
			path, value, path);
		d->errors++;
		return -1;
	}
	return 0;
}

int cfg_set(struct cfg *c, const char *arg, int index, struct diag *d)
{
	char buf[1024], norm[1200], *seg[32];
	const char *eq = strchr(arg, '=');
	config_t val;
	config_setting_t *cur = config_root_setting(&c->lc), *s, *v, *ns;
	int nseg, i, k = -1, vtype, ret = -1;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(buf)) {
		fprintf(d->out ? d->out : stderr,
			"%s:%d: error: expected PATH=VALUE, got '%s'\n", SET_FILE, SET_LINE, arg);
		d->errors++;
		return -1;
	}
	memcpy(buf, arg, (size_t)(eq - arg));
	buf[eq - arg] = '\0';

	/* Let libconfig parse the value, read as a one-line config would be
	 * (cfgsrc: 64-bit whole numbers, no @include); a bare word is taken
	 * as a string. */
	config_init(&val);
	if (parse_value(c, eq + 1, buf, index, d, &val) < 0) {
		config_destroy(&val);
		return -1;
	}
	v = config_lookup(&val, "v");
	vtype = config_setting_type(v);

	nseg = split_path(buf, seg, 32);
	if (nseg < 0) {
		fprintf(d->out ? d->out : stderr,
			"%s:%d: error: %s: malformed path\n", SET_FILE, SET_LINE, buf);
		d->errors++;
		goto out;
	}
	norm[0] = '\0';
	for (i = 0; i < nseg; i++) {
		int last = i == nseg - 1;
		size_t nl = strlen(norm);

		if (config_setting_is_list(cur) || config_setting_is_array(cur)) {
			s = find_elem(cur, seg[i], &k);
			if (k >= 0)
				snprintf(norm + nl, sizeof(norm) - nl, "%s[%d]", nl ? "." : "", k);
			else
				snprintf(norm + nl, sizeof(norm) - nl, "%s%s", nl ? "." : "", seg[i]);
			if (!s) {
				if (k == -2)
					fprintf(d->out ? d->out : stderr,
						"%s:%d: error: %s: no such element (the list has %d, "
						"numbered from 0)\n", SET_FILE, SET_LINE, norm,
						config_setting_length(cur));
				else
					fprintf(d->out ? d->out : stderr,
						"%s:%d: error: %s: no element of that name\n",
						SET_FILE, SET_LINE, norm);
				d->errors++;
				goto out;
			}
			if (last) {
				fprintf(d->out ? d->out : stderr,
					"%s:%d: error: %s: cannot replace a whole list element\n",
					SET_FILE, SET_LINE, norm);
				d->errors++;
				goto out;
			}
			cur = s;
			continue;
		}
		snprintf(norm + nl, sizeof(norm) - nl, "%s%s", nl ? "." : "", seg[i]);
		if (!config_setting_is_group(cur)) {
			fprintf(d->out ? d->out : stderr, "%s:%d: error: %s: %s is %s, not a group\n",
				SET_FILE, SET_LINE, norm, config_setting_name(cur), type_name(config_setting_type(cur)));
			d->errors++;
			goto out;
		}
		s = config_setting_get_member(cur, seg[i]);
		if (last) {
			if (s)
				config_setting_remove(cur, seg[i]);
			ns = config_setting_add(cur, seg[i], vtype);
			if (!ns) {
				fprintf(d->out ? d->out : stderr, "%s:%d: error: %s: not a valid key name\n",
					SET_FILE, SET_LINE, norm);
				d->errors++;
				goto out;
			}
			copy_value(ns, v);
			hook_tree(ns, index);
			ret = 0;
			break;
		}
		if (!s) {
			s = config_setting_add(cur, seg[i], CONFIG_TYPE_GROUP);
			if (!s) {
				fprintf(d->out ? d->out : stderr, "%s:%d: error: %s: not a valid key name\n",
					SET_FILE, SET_LINE, norm);
				d->errors++;
				goto out;
			}
			hook_tree(s, index);
		}
		cur = s;
	}
out:
	config_destroy(&val);
	return ret;
}

/* ---------------------------------------------------------------- */
/* Checking */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev, tmp;

	if (lb >= 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *cfg_nearest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t bd = (size_t)-1, dist, limit = strlen(word) / 3 + 1;

	if (limit > 3)
		limit = 3;
	for (; *candidates; candidates++) {
		dist = edit_distance(word, *candidates);
		if (dist < bd) {
			bd = dist;
			best = *candidates;
		}
	}
	return bd <= limit ? best : NULL;
}

void cfg_check_keys(struct diag *d, const config_setting_t *group,
		    const char *path, const struct cfg_field *fields,
		    const char *const *known)
{
	const char *names[64];
	char p[512];
	int n = 0, i, len;
	const char *near;

	for (; fields && fields->key && n < 63; fields++)
		names[n++] = fields->key;
	for (; known && *known && n < 63; known++)
		names[n++] = *known;
	names[n] = NULL;

	len = config_setting_length(group);
	for (i = 0; i < len; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		int j, found = 0;

		for (j = 0; j < n && !found; j++)
			found = !strcmp(names[j], name);
		if (found)
			continue;
		snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", name);
		near = cfg_nearest(name, names);
		if (near)
			diag_error(d, s, p, "unknown key (did you mean '%s'?)", near);
		else
			diag_error(d, s, p, "unknown key");
	}
}

static int is_number(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* The value of the number S. cfgsrc gave every whole number that needs
 * them 64 bits, so an INT is exact. */
static double number(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		return config_setting_get_int(s);
	case CONFIG_TYPE_INT64:
		return (double)config_setting_get_int64(s);
	default:
		return config_setting_get_float(s);
	}
}

char *cfg_format_real(char *buf, double x)
{
	int prec;

	for (prec = 6; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

/* Describes the range of F, e.g. "in [0, 1]" or "> 0". */
static const char *range_text(char *buf, size_t size, const struct cfg_field *f)
{
	char lo[32], hi[32];

	cfg_format_real(lo, f->lo);
	cfg_format_real(hi, f->hi);
	if (isinf(f->lo) && isinf(f->hi))
		snprintf(buf, size, "finite");
	else if (isinf(f->hi))
		snprintf(buf, size, "%s %s", f->flags & CFG_LO_OPEN ? ">" : ">=", lo);
	else if (isinf(f->lo))
		snprintf(buf, size, "%s %s", f->flags & CFG_HI_OPEN ? "<" : "<=", hi);
	else
		snprintf(buf, size, "in %c%s, %s%c", f->flags & CFG_LO_OPEN ? '(' : '[',
			 lo, hi, f->flags & CFG_HI_OPEN ? ')' : ']');
	return buf;
}

static int in_range(const struct cfg_field *f, double x)
{
	if (!isfinite(x))
		return 0;
	if (f->flags & CFG_LO_OPEN ? x <= f->lo : x < f->lo)
		return 0;
	if (f->flags & CFG_HI_OPEN ? x >= f->hi : x > f->hi)
		return 0;
	return 1;
}

/* Whether every value a distribution with support [LO, HI] draws lies in
 * the range of F; every value must also be finite. */
static int support_in_range(const struct cfg_field *f, double lo, double hi)
{
	int lo_ok, hi_ok;

	if (!isfinite(lo) || !isfinite(hi))
		return 0;
	if (isinf(f->lo))
		lo_ok = 1;
	else
		lo_ok = f->flags & CFG_LO_OPEN ? lo > f->lo : lo >= f->lo;
	if (isinf(f->hi))
		hi_ok = 1;
	else
		hi_ok = f->flags & CFG_HI_OPEN ? hi < f->hi : hi <= f->hi;
	return lo_ok && hi_ok;
}

struct dist_key {
	const char *name;
	int required;
};

static const char *const dist_names[] = {
	"uniform", "normal", "lognormal", "beta", "triangular", NULL
};

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
	if (!is_number(s)) {
		diag_error(d, s, p, "must be a number, got %s", type_name(config_setting_type(s)));
		return -1;
	}
	*x = number(s);
	if (!isfinite(*x)) {
		diag_error(d, s, p, "must be finite");
		return -1;
	}
	return 0;
}

/* Parses the distribution group G (at PATH) into *OUT. Returns 0 or -1. */
static int read_dist(struct diag *d, const config_setting_t *g, const char *path,
		     struct dist *out)
{
	static const char *const keys[][6] = {
		{ "dist", "min", "max", NULL },
		{ "dist", "mean", "sd", "min", "max", NULL },
		{ "dist", "mu", "sigma", NULL },
		{ "dist", "a", "b", "min", "max", NULL },
		{ "dist", "min", "mode", "max", NULL },
	};
	const config_setting_t *s = config_setting_get_member(g, "dist");
	const char *name, *near;
	char p[512], buf[32];
	int kind, e = 0, before = d->errors;
	struct dist x = { DIST_FIXED, 0, 0, 0, -INFINITY, INFINITY };

	snprintf(p, sizeof(p), "%s.dist", path);
	if (!s) {
		diag_error(d, g, p, "required key is missing (a number or a distribution "
			   "{ dist = \"uniform\" | \"normal\" | \"lognormal\" | \"beta\" | \"triangular\"; ... })");
		return -1;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		diag_error(d, s, p, "must be a string, got %s", type_name(config_setting_type(s)));
		return -1;
	}
	name = config_setting_get_string(s);
	for (kind = 0; dist_names[kind] && strcmp(dist_names[kind], name); kind++)
		;
	if (!dist_names[kind]) {
		near = cfg_nearest(name, dist_names);
		if (near)
			diag_error(d, s, p, "unknown distribution '%s' (did you mean '%s'?)", name, near);
		else
			diag_error(d, s, p, "unknown distribution '%s' (known: uniform, normal, "
				   "lognormal, beta, triangular)", name);
		return -1;
	}
	cfg_check_keys(d, g, path, NULL, keys[kind]);
	x.kind = (enum dist_kind)(kind + 1);
	switch (x.kind) {
	case DIST_UNIFORM:
		e |= dist_number(d, g, path, "min", 1, &x.lo);
		e |= dist_number(d, g, path, "max", 1, &x.hi);
		break;
	case DIST_NORMAL:
		e |= dist_number(d, g, path, "mean", 1, &x.a);
		e |= dist_number(d, g, path, "sd", 1, &x.b);
		e |= dist_number(d, g, path, "min", 0, &x.lo);
		e |= dist_number(d, g, path, "max", 0, &x.hi);
		if (!e && x.b < 0) {
			snprintf(p, sizeof(p), "%s.sd", path);
			diag_error(d, config_setting_get_member(g, "sd"), p, "must be >= 0, got %s",
				   cfg_format_real(buf, x.b));
			return -1;
		}
		break;
	case DIST_LOGNORMAL:
		e |= dist_number(d, g, path, "mu", 1, &x.a);
		e |= dist_number(d, g, path, "sigma", 1, &x.b);
		if (!e && x.b < 0) {
			snprintf(p, sizeof(p), "%s.sigma", path);
			diag_error(d, config_setting_get_member(g, "sigma"), p, "must be >= 0, got %s",
				   cfg_format_real(buf, x.b));
			return -1;
		}
		x.lo = 0;
		break;
	case DIST_BETA:
		x.lo = 0;
		x.hi = 1;
		e |= dist_number(d, g, path, "a", 1, &x.a);
		e |= dist_number(d, g, path, "b", 1, &x.b);
		e |= dist_number(d, g, path, "min", 0, &x.lo);
		e |= dist_number(d, g, path, "max", 0, &x.hi);
		if (!e && (x.a <= 0 || x.b <= 0)) {
			const char *k = x.a <= 0 ? "a" : "b";

			snprintf(p, sizeof(p), "%s.%s", path, k);
			diag_error(d, config_setting_get_member(g, k), p, "must be > 0, got %s",
				   cfg_format_real(buf, x.a <= 0 ? x.a : x.b));
			return -1;
		}
		break;
	case DIST_TRIANGULAR:
		e |= dist_number(d, g, path, "min", 1, &x.lo);
		e |= dist_number(d, g, path, "mode", 1, &x.c);
		e |= dist_number(d, g, path, "max", 1, &x.hi);
		if (!e && !(x.lo <= x.c && x.c <= x.hi && x.lo < x.hi)) {
			diag_error(d, g, path, "triangular needs min <= mode <= max and min < max");
			return -1;
		}
		break;
	default:
		break;
	}
	if (e || d->errors > before)
		return -1;
	if (x.lo > x.hi) {
		snprintf(p, sizeof(p), "%s.min", path);
		diag_error(d, config_setting_get_member(g, "min"), p, "is greater than max");
		return -1;
	}
	if (x.kind != DIST_NORMAL && x.kind != DIST_LOGNORMAL && !isfinite(x.hi - x.lo)) {
		diag_error(d, g, path, "max - min is beyond what a double holds; narrow the interval");
		return -1;
	}
	if (x.kind == DIST_NORMAL && dist_normal_window_mass(&x) < 1e-3) {
		diag_error(d, g, path, "the window [min, max] holds %.3g of the normal's "
			   "probability, less than 0.001; widen it", dist_normal_window_mass(&x));
		return -1;
	}
	*out = x;
	return 0;
}

static void put_real(config_setting_t *group, const char *key, double v)
{
	config_setting_t *s = config_setting_add(group, key, CONFIG_TYPE_FLOAT);

	if (s)
		config_setting_set_float(s, v);
}

void cfg_read_fields(struct diag *d, config_setting_t *group, const char *path,
		     const struct cfg_field *fields, struct dist *value,
		     unsigned char *present)
{
	const struct cfg_field *f;
	config_setting_t *s;
	char p[512], r[96], a[32], b[32];
	double lo, hi;

	for (f = fields; f->key; f++) {
		snprintf(p, sizeof(p), "%s.%s", path, f->key);
		s = config_setting_get_member(group, f->key);
		if (!s) {
			if (f->flags & CFG_REQUIRED)
				diag_error(d, group, p, "required key is missing");
			else if (!(f->flags & CFG_OPTIONAL)) {
				value[f->slot] = dist_fixed(f->def);
				present[f->slot] = 1;
				put_real(group, f->key, f->def);
			}
			continue;
		}
		if (config_setting_is_group(s) && !(f->flags & CFG_FIXED)) {
			struct dist x;

			if (read_dist(d, s, p, &x) < 0)
				continue;
			dist_support(&x, &lo, &hi);
			if (!support_in_range(f, lo, hi)) {
				if (!isfinite(lo) || !isfinite(hi) || (lo == 0 && x.kind == DIST_LOGNORMAL))
					diag_error(d, s, p, "the distribution can draw values in [%s, %s], "
						   "beyond what a double holds; the value must be %s: "
						   "choose smaller parameters",
						   cfg_format_real(a, lo), cfg_format_real(b, hi),
						   range_text(r, sizeof(r), f));
				else
					diag_error(d, s, p, "the distribution can draw values in [%s, %s], "
						   "but the value must be %s; bound it with min/max "
						   "or choose another distribution",
						   cfg_format_real(a, lo), cfg_format_real(b, hi),
						   range_text(r, sizeof(r), f));
				continue;
			}
			value[f->slot] = x;
			present[f->slot] = 1;
			continue;
		}
		if (!is_number(s)) {
			diag_error(d, s, p, "must be a number%s, got %s",
				   f->flags & CFG_FIXED ? "" : " or a distribution",
				   type_name(config_setting_type(s)));
			continue;
		}
		if (!in_range(f, number(s))) {
			if (!isfinite(number(s)))
				diag_error(d, s, p, "must be finite, got %s", cfg_format_real(a, number(s)));
			else
				diag_error(d, s, p, "must be %s, got %s", range_text(r, sizeof(r), f),
					   cfg_format_real(a, number(s)));
			continue;
		}
		value[f->slot] = dist_fixed(number(s));
		present[f->slot] = 1;
	}
}

config_setting_t *cfg_group(struct diag *d, config_setting_t *group,
			    const char *path, const char *key, int required)
{
	config_setting_t *s = config_setting_get_member(group, key);
	char p[512];

	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!s) {
		if (required)
			diag_error(d, group, p, "required section is missing");
		return NULL;
	}
	if (!config_setting_is_group(s)) {
		diag_error(d, s, p, "must be a group { ... }, got %s",
			   type_name(config_setting_type(s)));
		return NULL;
	}
	return s;
}

/* Decodes the UTF-8 character at *P into *CP and moves *P past it.
 * Returns 0, or -1 when the bytes are not valid UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF included). */
static int utf8_next(const unsigned char **p, unsigned long *cp)
{
	const unsigned char *s = *p;
	unsigned long c = s[0], min;
	int n, i;

	if (c < 0x80)
		n = 0, min = 0;
	else if ((c & 0xE0) == 0xC0)
		n = 1, c &= 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		n = 2, c &= 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		n = 3, c &= 0x07, min = 0x10000;
	else
		return -1;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return -1;
	*cp = c;
	*p = s + n + 1;
	return 0;
}

/* Checks that the string S of setting AT (at PATH) is text fit for tables
 * and data files: valid UTF-8, no control characters, at most 200
 * characters. Returns 0 or -1 after reporting. */
static int check_text(struct diag *d, const config_setting_t *at, const char *path,
		      const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp, n = 0;

	while (*p) {
		if (utf8_next(&p, &cp) < 0) {
			diag_error(d, at, path, "is not valid UTF-8 text (at byte %ld)",
				   (long)(p - (const unsigned char *)s) + 1);
			return -1;
		}
		n++;
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) {
			diag_error(d, at, path, "holds a control character (U+%04lX, character %lu): "
				   "names and texts must be one line without tabs", cp, n);
			return -1;
		}
	}
	if (n > 200) {
		diag_error(d, at, path, "is longer than 200 characters (%lu)", n);
		return -1;
	}
	return 0;
}

const char *cfg_string(struct diag *d, config_setting_t *group,
		       const char *path, const char *key, const char *def,
		       int required)
{
	config_setting_t *s = config_setting_get_member(group, key);
	char p[512];

	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!s) {
		if (required) {
			diag_error(d, group, p, "required key is missing");
			return NULL;
		}
		if (!def)
			return NULL;
		cfg_put_string(group, key, def);
		return config_setting_get_string(config_setting_get_member(group, key));
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		diag_error(d, s, p, "must be a string, got %s", type_name(config_setting_type(s)));
		return NULL;
	}
	if (check_text(d, s, p, config_setting_get_string(s)) < 0)
		return NULL;
	return config_setting_get_string(s);
}

int cfg_int(struct diag *d, config_setting_t *group, const char *path,
	    const char *key, long long lo, long long hi, long long def,
	    long long *out)
{
	config_setting_t *s = config_setting_get_member(group, key);
	char p[512];
	long long v;

	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!s) {
		*out = def;
		cfg_put_int(group, key, def);
		return 0;
	}
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		v = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(s);
	else {
		diag_error(d, s, p, "must be an integer, got %s",
			   config_setting_type(s) == CONFIG_TYPE_FLOAT ? "a real"
			   : type_name(config_setting_type(s)));
		return -1;
	}
	if (v < lo || v > hi) {
		diag_error(d, s, p, "must be in [%lld, %lld], got %lld", lo, hi, v);
		return -1;
	}
	*out = v;
	return 0;
}

void cfg_put_int(config_setting_t *group, const char *key, long long v)
{
	config_setting_t *s = config_setting_get_member(group, key);

	if (s && config_setting_type(s) != CONFIG_TYPE_INT64) {
		config_setting_remove(group, key);
		s = NULL;
	}
	if (!s)
		s = config_setting_add(group, key, CONFIG_TYPE_INT64);
	config_setting_set_int64(s, v);
}

void cfg_put_string(config_setting_t *group, const char *key, const char *v)
{
	config_setting_t *s = config_setting_get_member(group, key);

	if (s && config_setting_type(s) != CONFIG_TYPE_STRING) {
		config_setting_remove(group, key);
		s = NULL;
	}
	if (!s)
		s = config_setting_add(group, key, CONFIG_TYPE_STRING);
	config_setting_set_string(s, v);
}

/* ---------------------------------------------------------------- */
/* Writing */

static void write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void write_setting(FILE *f, const config_setting_t *s, int depth)
{
	char buf[40];
	int i, n, t = config_setting_type(s);
	const char *name = config_setting_name(s);

	fprintf(f, "%*s", depth * 2, "");
	if (name)
		fprintf(f, "%s = ", name);
	switch (t) {
	case CONFIG_TYPE_INT:
		fprintf(f, "%d", config_setting_get_int(s));
		break;
	case CONFIG_TYPE_INT64:
		fprintf(f, "%lld", config_setting_get_int64(s));
		if (config_setting_get_int64(s) > INT32_MAX || config_setting_get_int64(s) < INT32_MIN)
			fputc('L', f);
		break;
	case CONFIG_TYPE_FLOAT:
		cfg_format_real(buf, config_setting_get_float(s));
		fputs(buf, f);
		if (!strpbrk(buf, ".eEn"))
			fputs(".0", f);
		break;
	case CONFIG_TYPE_BOOL:
		fputs(config_setting_get_bool(s) ? "true" : "false", f);
		break;
	case CONFIG_TYPE_STRING:
		write_string(f, config_setting_get_string(s));
		break;
	default:
		n = config_setting_length(s);
		fputs(t == CONFIG_TYPE_GROUP ? "{\n" : t == CONFIG_TYPE_LIST ? "(\n" : "[\n", f);
		for (i = 0; i < n; i++) {
			write_setting(f, config_setting_get_elem(s, (unsigned)i), depth + 1);
			if (t != CONFIG_TYPE_GROUP && i + 1 < n)
				fputc(',', f);
			fputc('\n', f);
		}
		fprintf(f, "%*s%c", depth * 2, "",
			t == CONFIG_TYPE_GROUP ? '}' : t == CONFIG_TYPE_LIST ? ')' : ']');
	}
	if (name)
		fputc(';', f);
}

int cfg_write(FILE *f, const config_t *lc)
{
	const config_setting_t *root = config_root_setting(lc);
	int i, n = config_setting_length(root);

	for (i = 0; i < n; i++) {
		write_setting(f, config_setting_get_elem(root, (unsigned)i), 0);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

void cfg_template(FILE *f, const struct cfg_field *fields, int indent)
{
	char r[96], v[32];

	for (; fields->key; fields++) {
		if (fields->def == floor(fields->def) && fabs(fields->def) < 1e15)
			snprintf(v, sizeof(v), "%.1f", fields->def);
		else
			cfg_format_real(v, fields->def);
		fprintf(f, "%*s# %s; %s; %s%s.\n", indent, "", fields->help,
			isinf(fields->lo) && isinf(fields->hi) ? "any number"
			: range_text(r, sizeof(r), fields),
			fields->flags & CFG_REQUIRED ? "required"
			: fields->flags & CFG_OPTIONAL ? "optional" : "default ",
			fields->flags & (CFG_REQUIRED | CFG_OPTIONAL) ? "" : v);
		fprintf(f, "%*s%s = %s;\n", indent, "", fields->key, v);
	}
}

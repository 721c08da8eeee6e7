/* cfgcheck.c - checking a config against a schema: numeric fields and
 * their ranges, groups, strings, integers, unknown keys. */
#include "core/cfgpriv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *cfg_type_name(int type)
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

/* The Levenshtein distance of A and B, letters compared without regard to
 * case; (size_t)-1 when B is too long to compare. */
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

int cfg_is_number(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

double cfg_number(const config_setting_t *s)
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

const char *cfg_range_text(char *buf, size_t size, const struct cfg_field *f)
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

/* Whether X is finite and in the range of F. */
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

/* Adds the real KEY = V to GROUP. */
static void put_real(config_setting_t *group, const char *key, double v)
{
	config_setting_t *s = config_setting_add(group, key, CONFIG_TYPE_FLOAT);

	if (s)
		config_setting_set_float(s, v);
}

/* Reads the distribution S of field F (at PATH) into *X, checking that
 * every value it draws lies in F's range. Returns 0, or -1 after
 * reporting. */
static int read_dist_field(struct diag *d, const config_setting_t *s, const char *path,
			   const struct cfg_field *f, struct dist *x)
{
	char r[96], a[32], b[32];
	double lo, hi;

	if (cfg_read_dist(d, s, path, x) < 0)
		return -1;
	dist_support(x, &lo, &hi);
	if (support_in_range(f, lo, hi))
		return 0;
	if (!isfinite(lo) || !isfinite(hi) || (lo == 0 && x->kind == DIST_LOGNORMAL))
		diag_error(d, s, path, "the distribution can draw values in [%s, %s], "
			   "beyond what a double holds; the value must be %s: "
			   "choose smaller parameters",
			   cfg_format_real(a, lo), cfg_format_real(b, hi),
			   cfg_range_text(r, sizeof(r), f));
	else
		diag_error(d, s, path, "the distribution can draw values in [%s, %s], "
			   "but the value must be %s; bound it with min/max "
			   "or choose another distribution",
			   cfg_format_real(a, lo), cfg_format_real(b, hi),
			   cfg_range_text(r, sizeof(r), f));
	return -1;
}

/* Reads the number S of field F (at PATH) into *X, checking its range.
 * Returns 0, or -1 after reporting. */
static int read_number_field(struct diag *d, const config_setting_t *s, const char *path,
			     const struct cfg_field *f, struct dist *x)
{
	char r[96], a[32];

	if (!cfg_is_number(s)) {
		diag_error(d, s, path, "must be a number%s, got %s",
			   f->flags & CFG_FIXED ? "" : " or a distribution",
			   cfg_type_name(config_setting_type(s)));
		return -1;
	}
	if (!in_range(f, cfg_number(s))) {
		if (!isfinite(cfg_number(s)))
			diag_error(d, s, path, "must be finite, got %s",
				   cfg_format_real(a, cfg_number(s)));
		else
			diag_error(d, s, path, "must be %s, got %s", cfg_range_text(r, sizeof(r), f),
				   cfg_format_real(a, cfg_number(s)));
		return -1;
	}
	*x = dist_fixed(cfg_number(s));
	return 0;
}

void cfg_read_fields(struct diag *d, config_setting_t *group, const char *path,
		     const struct cfg_field *fields, struct dist *value,
		     unsigned char *present)
{
	const struct cfg_field *f;
	config_setting_t *s;
	struct dist x;
	char p[512];
	int r;

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
		if (config_setting_is_group(s) && !(f->flags & CFG_FIXED))
			r = read_dist_field(d, s, p, f, &x);
		else
			r = read_number_field(d, s, p, f, &x);
		if (r < 0)
			continue;
		value[f->slot] = x;
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
			   cfg_type_name(config_setting_type(s)));
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
		diag_error(d, s, p, "must be a string, got %s", cfg_type_name(config_setting_type(s)));
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
			   : cfg_type_name(config_setting_type(s)));
		return -1;
	}
	if (v < lo || v > hi) {
		diag_error(d, s, p, "must be in [%lld, %lld], got %lld", lo, hi, v);
		return -1;
	}
	*out = v;
	return 0;
}

int cfg_bool(struct diag *d, config_setting_t *group, const char *path, const char *key,
	     int def, int *out)
{
	config_setting_t *s = config_setting_get_member(group, key);
	char p[512];

	snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
	if (!s) {
		*out = def;
		s = config_setting_add(group, key, CONFIG_TYPE_BOOL);
		if (s)
			config_setting_set_bool(s, def);
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		diag_error(d, s, p, "must be true or false, got %s",
			   config_setting_type(s) == CONFIG_TYPE_FLOAT ||
			   config_setting_type(s) == CONFIG_TYPE_INT ||
			   config_setting_type(s) == CONFIG_TYPE_INT64 ? "a number"
			   : cfg_type_name(config_setting_type(s)));
		return -1;
	}
	*out = config_setting_get_bool(s);
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

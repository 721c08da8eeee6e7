/* cfgset.c - "--set PATH=VALUE" overrides: the path language (keys
 * between dots; "[N]", "[NAME]" or NAME for a list element) and values
 * read as a one-line config would be. */
#include "core/cfgpriv.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most segments a path has. */
#define SET_MAX_SEGS 32

/* One override being applied. */
struct override {
	struct cfg *c;
	int index;		/* as cfg_set() takes it */
	struct diag *d;
	/* The element index the last list segment resolved to, or -1 or -2
	 * (see find_elem()); a segment too long to be a name leaves it as it
	 * was, and the path in messages then shows the previous index. */
	int k;
	char norm[1200];	/* the path walked so far, elements by index */
};

/* Reports an error of override O about PATH, at "--set:N" (or
 * "--vary:N", see diag_override_file()). */
#define set_error(o, path, ...)							\
	diag_at((o)->d, diag_override_file((o)->c, (o)->index),			\
		(o)->index > 0 ? (o)->index : -(o)->index, path, __VA_ARGS__)

/* Marks S and everything in it as made by override INDEX, so that
 * diag_error() puts errors about them at the override. */
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

/* Parses the VALUE of override O (of PATH) into setting "v" of VAL: as a
 * one-line config (cfgsrc: 64-bit whole numbers, no @include), or as a
 * string when libconfig cannot read it (a bare word). Returns 0, or -1
 * after reporting. */
static int parse_value(struct override *o, const char *value, const char *path,
		       config_t *val)
{
	struct cfgsrc src;
	size_t len = strlen(value) + 8;
	char *text = malloc(len);
	int ok;

	memset(&src, 0, sizeof(src));
	src.err = o->d->out;
	src.fixed_line = o->index > 0 ? o->index : -o->index;
	src.fixed_key = path;
	snprintf(text, len, "v = %s;", value);
	ok = cfgsrc_read_text(&src, diag_override_file(o->c, o->index), text, strlen(text)) == 0;
	free(text);
	if (!ok) {
		cfgsrc_release(&src);
		o->d->errors++;
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
		set_error(o, path, "the value '%s' holds more than one setting; quote a string "
			  "value (%s=\"...\")", value, path);
		return -1;
	}
	return 0;
}

/* Appends segment SEG to the path O->norm, as "[K]" when K >= 0. */
static void norm_append(struct override *o, const char *seg, int k)
{
	size_t nl = strlen(o->norm);

	if (k >= 0)
		snprintf(o->norm + nl, sizeof(o->norm) - nl, "%s[%d]", nl ? "." : "", k);
	else
		snprintf(o->norm + nl, sizeof(o->norm) - nl, "%s%s", nl ? "." : "", seg);
}

/* Steps from list or array CUR into the element SEG names; LAST says SEG
 * ends the path (a whole element cannot be replaced). Returns the
 * element, or NULL after reporting. */
static config_setting_t *enter_elem(struct override *o, config_setting_t *cur,
				    const char *seg, int last)
{
	config_setting_t *s = find_elem(cur, seg, &o->k);

	norm_append(o, seg, o->k);
	if (!s) {
		if (o->k == -2)
			set_error(o, o->norm, "no such element (the list has %d, numbered from 0)",
				  config_setting_length(cur));
		else
			set_error(o, o->norm, "no element of that name");
		return NULL;
	}
	if (last) {
		set_error(o, o->norm, "cannot replace a whole list element");
		return NULL;
	}
	return s;
}

/* Appends member SEG of CUR to the path and checks that CUR is a group.
 * Returns 0, or -1 after reporting. */
static int into_group(struct override *o, const config_setting_t *cur, const char *seg)
{
	norm_append(o, seg, -1);
	if (config_setting_is_group(cur))
		return 0;
	set_error(o, o->norm, "%s is %s, not a group", config_setting_name(cur),
		  cfg_type_name(config_setting_type(cur)));
	return -1;
}

/* Steps from group CUR into its member SEG, created as a group when
 * absent. Returns the member, or NULL after reporting. */
static config_setting_t *enter_member(struct override *o, config_setting_t *cur,
				      const char *seg)
{
	config_setting_t *s;

	if (into_group(o, cur, seg) < 0)
		return NULL;
	s = config_setting_get_member(cur, seg);
	if (s)
		return s;
	s = config_setting_add(cur, seg, CONFIG_TYPE_GROUP);
	if (!s) {
		set_error(o, o->norm, "not a valid key name");
		return NULL;
	}
	hook_tree(s, o->index);
	return s;
}

/* Sets member SEG of group CUR to a copy of V, replacing what was there.
 * Returns 0, or -1 after reporting. */
static int put_member(struct override *o, config_setting_t *cur, const char *seg,
		      const config_setting_t *v)
{
	config_setting_t *ns;

	if (into_group(o, cur, seg) < 0)
		return -1;
	if (config_setting_get_member(cur, seg))
		config_setting_remove(cur, seg);
	ns = config_setting_add(cur, seg, config_setting_type(v));
	if (!ns) {
		set_error(o, o->norm, "not a valid key name");
		return -1;
	}
	copy_value(ns, v);
	hook_tree(ns, o->index);
	return 0;
}

/* Walks the NSEG segments SEG of a path from the root of O's config,
 * creating missing groups, and sets the last one to V. Returns 0, or -1
 * after reporting. */
static int put_path(struct override *o, char **seg, int nseg, const config_setting_t *v)
{
	config_setting_t *cur = config_root_setting(&o->c->lc);
	int i, last;

	for (i = 0; i < nseg; i++) {
		last = i == nseg - 1;
		if (config_setting_is_list(cur) || config_setting_is_array(cur))
			cur = enter_elem(o, cur, seg[i], last);
		else if (last)
			return put_member(o, cur, seg[i], v);
		else
			cur = enter_member(o, cur, seg[i]);
		if (!cur)
			return -1;
	}
	return -1;
}

int cfg_set(struct cfg *c, const char *arg, int index, struct diag *d)
{
	struct override o = { c, index, d, -1, "" };
	char buf[1024], *seg[SET_MAX_SEGS];
	const char *eq = strchr(arg, '=');
	config_t val;
	int nseg, ret = -1;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(buf)) {
		set_error(&o, NULL, "expected PATH=VALUE, got '%s'", arg);
		return -1;
	}
	memcpy(buf, arg, (size_t)(eq - arg));
	buf[eq - arg] = '\0';

	config_init(&val);
	if (parse_value(&o, eq + 1, buf, &val) < 0) {
		config_destroy(&val);
		return -1;
	}
	/* A malformed path is named as far as split_path() left it. */
	nseg = split_path(buf, seg, SET_MAX_SEGS);
	if (nseg < 0)
		set_error(&o, buf, "malformed path");
	else
		ret = put_path(&o, seg, nseg, config_lookup(&val, "v"));
	config_destroy(&val);
	return ret;
}

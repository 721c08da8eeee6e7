/* cfgwrite.c - writing configs: the resolved config in libconfig syntax,
 * with every real exact, and the commented fields of a starter config. */
#include "core/cfgpriv.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Writes S as a libconfig string literal, escaping what must be. */
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

static void write_setting(FILE *f, const config_setting_t *s, int depth, int sorted);

/* Orders settings by name, for qsort(). */
static int by_name(const void *a, const void *b)
{
	const char *x = config_setting_name(*(config_setting_t *const *)a);
	const char *y = config_setting_name(*(config_setting_t *const *)b);

	return strcmp(x ? x : "", y ? y : "");
}

/* Writes the N members of S, indented DEPTH levels: a group's in order of
 * name when SORTED, else as they stand. */
static void write_members(FILE *f, const config_setting_t *s, int t, int n, int depth, int sorted)
{
	config_setting_t **m = malloc(sizeof(*m) * (size_t)(n ? n : 1));
	int i;

	if (!m) {
		fputs("(out of memory)", f);
		return;
	}
	for (i = 0; i < n; i++)
		m[i] = config_setting_get_elem(s, (unsigned)i);
	if (sorted && t == CONFIG_TYPE_GROUP)
		qsort(m, (size_t)n, sizeof(*m), by_name);
	for (i = 0; i < n; i++) {
		write_setting(f, m[i], depth, sorted);
		if (t != CONFIG_TYPE_GROUP && i + 1 < n)
			fputc(',', f);
		fputc('\n', f);
	}
	free(m);
}

/* Writes setting S, and what it holds, indented DEPTH levels (a group's
 * members in order of name when SORTED). */
static void write_setting(FILE *f, const config_setting_t *s, int depth, int sorted)
{
	char buf[40];
	int n, t = config_setting_type(s);
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
		write_members(f, s, t, n, depth + 1, sorted);
		fprintf(f, "%*s%c", depth * 2, "",
			t == CONFIG_TYPE_GROUP ? '}' : t == CONFIG_TYPE_LIST ? ')' : ']');
	}
	if (name)
		fputc(';', f);
}

int cfg_write(FILE *f, const config_t *lc)
{
	const config_setting_t *root = config_root_setting(lc);

	write_members(f, root, CONFIG_TYPE_GROUP, config_setting_length(root), 0, 0);
	return ferror(f) ? -1 : 0;
}

/* The value of KEY in the NULL-key-terminated EX, or NULL. */
static const struct cfg_example *example_of(const struct cfg_example *ex, const char *key)
{
	for (; ex && ex->key; ex++)
		if (!strcmp(ex->key, key))
			return ex;
	return NULL;
}

/* Writes X into V (32 bytes) as a starter config shows it. */
static char *starter_value(char *v, double x)
{
	if (x == floor(x) && fabs(x) < 1e15)
		snprintf(v, 32, "%.1f", x);
	else
		cfg_format_real(v, x);
	return v;
}

void cfg_template(FILE *f, const struct cfg_field *fields, int indent,
		  const struct cfg_example *ex)
{
	char r[96], v[32], e[32];

	for (; fields->key; fields++) {
		const struct cfg_example *x = example_of(ex, fields->key);

		starter_value(v, fields->def);
		fprintf(f, "%*s# %s; %s; %s%s", indent, "", fields->help,
			isinf(fields->lo) && isinf(fields->hi) ? "any number"
			: cfg_range_text(r, sizeof(r), fields),
			fields->flags & CFG_REQUIRED ? "required"
			: fields->flags & CFG_OPTIONAL ? "optional" : "default ",
			fields->flags & (CFG_REQUIRED | CFG_OPTIONAL) ? "" : v);
		if (x && x->why)
			fprintf(f, "; here %s: %s", starter_value(e, x->value), x->why);
		fprintf(f, ".\n%*s%s = %s;\n", indent, "", fields->key,
			x ? starter_value(e, x->value) : v);
	}
}

char *cfg_slot_path(const struct cfg_place *p, size_t n, int slot, const char *name)
{
	const struct cfg_field *f;
	size_t i, len;
	char *s;

	for (i = 0; i < n; i++)
		for (f = p[i].fields; f && f->key; f++) {
			if (p[i].base + f->slot != slot)
				continue;
			len = strlen(p[i].group) + strlen(f->key) + 8 + (name ? strlen(name) : 0) +
			      (p[i].sub ? strlen(p[i].sub) : 0);
			if (!(s = malloc(len)))
				return NULL;
			snprintf(s, len, "%s%s%s%s%s%s.%s", p[i].group, name ? ".[" : "",
				 name ? name : "", name ? "]" : "", p[i].sub ? "." : "",
				 p[i].sub ? p[i].sub : "", f->key);
			return s;
		}
	return NULL;
}

/* FNV-1a, 64 bits, of the N bytes at P. */
static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int cfg_hash(const struct cfg *c, uint64_t *h)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	if (!f)
		return -1;
	write_members(f, config_root_setting(&c->lc), CONFIG_TYPE_GROUP,
		      config_setting_length(config_root_setting(&c->lc)), 0, 1);
	r = ferror(f) ? -1 : 0;
	if (fclose(f) != 0 || r < 0) {
		free(text);
		return -1;
	}
	*h = fnv1a(text, len);
	free(text);
	return 0;
}

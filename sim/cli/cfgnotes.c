/* cfgnotes.c - the comments a config file gives its keys, for reports. */
#include "cli/cfgnotes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/pretty.h"

/* The embedded default scenario, generated from configs/default.cfg. */
extern const char sim_default_cfg[];

/* The whole regular file PATH (at most CFGSRC_MAX_BYTES) in a new string,
 * or NULL. */
static char *read_file(const char *path)
{
	struct stat st;
	FILE *f;
	char *text;
	size_t n;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CFGSRC_MAX_BYTES)
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	text = malloc((size_t)st.st_size + 1);
	n = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (text)
		text[n] = '\0';
	return text;
}

int cfgnotes_open(struct cfgnotes *n, const char *name)
{
	FILE *quiet = fopen("/dev/null", "w");
	int def = !strcmp(name, "(default)"), ok, i;

	memset(n, 0, sizeof(*n));
	config_init(&n->cfg.lc);
	n->cfg.name = strdup(name);
	n->cfg.src.err = quiet;
	/* As cfg_load() reads it, but silently: a config that is gone or
	 * changed since the run only means a report without its notes. */
	ok = quiet && n->cfg.name &&
	     (def ? cfgsrc_read_text(&n->cfg.src, name, sim_default_cfg, strlen(sim_default_cfg))
		  : cfgsrc_read_file(&n->cfg.src, name)) == 0 &&
	     config_read_string(&n->cfg.lc, n->cfg.src.text);
	n->cfg.src.err = NULL;
	if (quiet)
		fclose(quiet);
	if (ok)
		n->texts = calloc((size_t)n->cfg.src.nfiles + 1, sizeof(char *));
	for (i = 0; ok && n->texts && i < n->cfg.src.nfiles; i++)
		n->texts[i] = def && i == 0 ? strdup(sim_default_cfg) : read_file(n->cfg.src.files[i]);
	if (!ok || !n->texts) {
		cfgnotes_close(n);
		memset(n, 0, sizeof(*n));
		config_init(&n->cfg.lc);
		return -1;
	}
	n->loaded = 1;
	return 0;
}

void cfgnotes_close(struct cfgnotes *n)
{
	int i;

	for (i = 0; n->texts && i < n->cfg.src.nfiles; i++)
		free(n->texts[i]);
	free(n->texts);
	n->texts = NULL;
	free(n->note);
	n->note = NULL;
	cfg_release(&n->cfg);
	n->loaded = 0;
}

/* The setting of N's config at the place of S in its own config, or NULL. */
static const config_setting_t *same_place(const struct cfgnotes *n, const config_setting_t *s)
{
	const config_setting_t *chain[32], *o;
	int depth = 0, i;

	for (; s && config_setting_parent(s) && depth < 32; s = config_setting_parent(s))
		chain[depth++] = s;
	o = config_root_setting(&n->cfg.lc);
	for (i = depth - 1; o && i >= 0; i--) {
		const config_setting_t *p = config_setting_parent(chain[i]);

		if (config_setting_is_list(p) || config_setting_is_array(p)) {
			int k = config_setting_index(chain[i]);

			o = config_setting_is_list(o) && k >= 0 ? config_setting_get_elem(o, (unsigned)k)
								 : NULL;
		} else {
			o = config_setting_is_group(o) ? config_setting_get_member(o, config_setting_name(chain[i]))
						       : NULL;
		}
	}
	return depth > 0 ? o : NULL;
}

/* The start of line LINE (from 1) of TEXT, or NULL. */
static const char *line_at(const char *text, int line)
{
	for (; text && line > 1; line--) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	return text;
}

/* Where a comment starts on the line at P (outside strings), or NULL. */
static const char *comment_in(const char *p)
{
	int quoted = 0;

	for (; *p && *p != '\n'; p++) {
		if (quoted && *p == '\\' && p[1] && p[1] != '\n')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '#' || (p[0] == '/' && (p[1] == '/' || p[1] == '*'))))
			return p;
	}
	return NULL;
}

/* Appends the comment text at C (its marks and the spaces after them
 * dropped, up to the line's end or a closing star-slash) to F. */
static void add_comment(FILE *f, const char *c, int first)
{
	const char *e;

	while (*c == '#' || *c == '/' || *c == '*')
		c++;
	while (*c == ' ' || *c == '\t')
		c++;
	e = c + strcspn(c, "\n");
	if (e - c >= 2 && !strncmp(e - 2, "*/", 2))
		e -= 2;
	while (e > c && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e > c)
		fprintf(f, "%s%.*s", first ? "" : " ", (int)(e - c), c);
}

/* Whether the line at P holds only a comment. */
static int comment_line(const char *p)
{
	p += strspn(p, " \t");
	return *p == '#' || (p[0] == '/' && p[1] == '/');
}

/* The note of the key KEY on line LINE of TEXT: the comment on that line,
 * else, when the key starts it, the comment lines just above. A new
 * string (NULL if none); *AT gets the line the note starts on. */
static char *note_of(const char *text, int line, const char *key, int *at)
{
	const char *p = line_at(text, line), *c, *q;
	char *note = NULL;
	size_t len = 0;
	int k;
	FILE *f;

	if (!p)
		return NULL;
	c = comment_in(p);
	q = p + strspn(p, " \t");
	if (!c && (!key || strncmp(q, key, strlen(key))))
		return NULL;
	f = open_memstream(&note, &len);
	if (!f)
		return NULL;
	*at = line;
	if (c) {
		add_comment(f, c, 1);
	} else {
		for (k = line - 1; k >= 1 && comment_line(line_at(text, k)); k--)
			;
		*at = k + 1;
		for (k = k + 1; k < line; k++) {
			q = line_at(text, k);
			add_comment(f, q + strspn(q, " \t"), k == *at);
		}
	}
	if (fclose(f) != 0 || !note || !*note) {
		free(note);
		return NULL;
	}
	return note;
}

int cfgnotes_get(struct cfgnotes *n, const config_setting_t *s, const char **note,
		 char **was, long *line)
{
	const config_setting_t *o = n->loaded ? same_place(n, s) : NULL;
	const char *file;
	char *a, *b;
	int fline, i, same, at = 0;

	*note = NULL;
	*was = NULL;
	*line = -1;
	free(n->note);
	n->note = NULL;
	if (!o)
		return 0;
	a = cfgnotes_value(s);
	b = cfgnotes_value(o);
	same = a && b && !strcmp(a, b);
	free(a);
	if (same)
		free(b);
	else
		*was = b;
	cfgsrc_where(&n->cfg.src, config_setting_source_line(o), &file, &fline);
	for (i = 0; i < n->cfg.src.nfiles && n->cfg.src.files[i] != file; i++)
		;
	if (i < n->cfg.src.nfiles && n->texts[i] && config_setting_source_line(o) > 0) {
		n->note = note_of(n->texts[i], fline, config_setting_name(o), &at);
		*note = n->note;
		*line = (long)i * 100000000L + at;
	}
	return same ? 1 : 2;
}

/* Whether the header line P (after its '#' and one space) starts a new
 * paragraph after a line indented by PREV: a list item, or a change
 * between a heading (not indented) and its indented text. */
static int new_para(const char *p, int indent, int prev)
{
	size_t digits = strspn(p, "0123456789");
	int numbered = digits > 0 && strchr(".)", p[digits]) && p[digits] && p[digits + 1] == ' ';

	return !strncmp(p, "- ", 2) || numbered || (indent == 0) != (prev == 0);
}

char *cfgnotes_header(const struct cfgnotes *n)
{
	const char *p = n->loaded && n->texts && n->texts[0] ? n->texts[0] : NULL, *e;
	char *text = NULL;
	size_t len = 0;
	int prev = -1, lines = 0;
	FILE *f;

	if (!p || !(f = open_memstream(&text, &len)))
		return NULL;
	for (; *p; p = *e ? e + 1 : e) {
		const char *q = p + strspn(p, " \t");
		int indent;

		e = p + strcspn(p, "\n");
		if (*q != '#')
			break;
		q++;
		q += *q == ' ';
		indent = (int)strspn(q, " ");
		q += indent;
		if (q >= e) {
			fputs(lines ? "\n\n" : "", f);
			prev = -1;
			continue;
		}
		if (lines && prev >= 0)
			fputs(new_para(q, indent, prev) ? "\n\n" : "\n", f);
		fprintf(f, "%.*s", (int)(e - q), q);
		prev = indent;
		lines++;
	}
	if (fclose(f) != 0 || !lines) {
		free(text);
		return NULL;
	}
	return text;
}

char *cfgnotes_value(const config_setting_t *s)
{
	char *text = NULL, num[PRETTY_SIZE];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *dist;
	int i, n, first = 1;

	if (!f)
		return NULL;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		fputs(pretty_int(num, sizeof(num), config_setting_get_int64(s)), f);
		break;
	case CONFIG_TYPE_FLOAT:
		fputs(pretty_number(num, sizeof(num), config_setting_get_float(s)), f);
		break;
	case CONFIG_TYPE_STRING:
		fputs(config_setting_get_string(s), f);
		break;
	case CONFIG_TYPE_BOOL:
		fputs(config_setting_get_bool(s) ? "true" : "false", f);
		break;
	default:
		if (!config_setting_is_group(s) || !config_setting_lookup_string(s, "dist", &dist))
			break;
		fprintf(f, "%s(", dist);
		n = config_setting_length(s);
		for (i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			char *v;

			if (!strcmp(config_setting_name(e), "dist"))
				continue;
			v = cfgnotes_value(e);
			fprintf(f, "%s%s %s", first ? "" : ", ", config_setting_name(e), v ? v : "?");
			first = 0;
			free(v);
		}
		fputc(')', f);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

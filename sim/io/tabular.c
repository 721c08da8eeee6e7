/* tabular.c - gsim's TSV tables as CSV or JSON (tabular.h). */
#include "io/tabular.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/atomic.h"
#include "core/errors.h"
#include "io/output.h"

int tabular_format(const char *name)
{
	if (!strcmp(name, "tsv"))
		return TABULAR_TSV;
	if (!strcmp(name, "csv"))
		return TABULAR_CSV;
	if (!strcmp(name, "json"))
		return TABULAR_JSON;
	return -1;
}

char *tabular_unescape(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r != '\\' || !r[1]) {
			*w++ = *r++;
			continue;
		}
		r++;
		if (*r == 'n' || *r == 't' || *r == 'r' || *r == '\\') {
			*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r == 'r' ? '\r' : '\\';
			r++;
		} else if (*r == 'x' && r[1] && r[2] && strspn(r + 1, "0123456789abcdefABCDEF") >= 2) {
			char hex[3] = { r[1], r[2], 0 };

			*w++ = (char)strtol(hex, NULL, 16);
			r += 3;
		} else {
			*w++ = '\\';
		}
	}
	*w = '\0';
	return s;
}

/* S as a JSON string (invalid UTF-8 as U+FFFD). */
static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		int n = *p < 0x80 ? 1 : output_utf8((const char *)p);

		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (n > 0)
			fwrite(p, 1, (size_t)n, f);
		else
			fputs("\xef\xbf\xbd", f);
		p += n > 0 ? n : 1;
	}
	fputc('"', f);
}

/* Whether S is a number as JSON writes one. */
static int json_number(const char *s)
{
	s += *s == '-';
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		if (!strchr("0123456789", s[1]) || !s[1])
			return 0;
		s += 1 + strspn(s + 1, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s += 1 + (s[1] == '+' || s[1] == '-');
		if (!*s || !strchr("0123456789", *s))
			return 0;
		s += strspn(s, "0123456789");
	}
	return !*s;
}

/* Field S of a row as a JSON value. */
static void json_field(FILE *f, char *s)
{
	char *end;
	double v;

	if (json_number(s)) {
		fputs(s, f);
		return;
	}
	errno = 0;
	v = *s && strspn(s, "+-.0123456789eE") == strlen(s) ? strtod(s, &end) : NAN;
	if (!*s || !strcasecmp(s, "nan") || (isnan(v) && strspn(s, "+-.0123456789eE") == strlen(s)))
		fputs("null", f);
	else if (!isnan(v) && !*end && isfinite(v))
		fprintf(f, "%.17g", v);
	else
		json_str(f, tabular_unescape(s));
}

/* Field S as CSV writes it: quoted when it holds a comma, a quote, a
 * line break or a '#' (which readers told comment='#' would cut at). */
static void csv_field(FILE *f, char *s)
{
	tabular_unescape(s);
	if (!strpbrk(s, ",\"\r\n#")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Writes LINE's tab-separated fields as FORMAT: a JSON array, or a CSV
 * line. */
static void fields(FILE *out, char *line, int format, int header)
{
	char *f = line, *next;
	int first = 1;

	if (format == TABULAR_JSON)
		fputc('[', out);
	do {
		next = strchr(f, '\t');
		if (next)
			*next++ = '\0';
		if (!first)
			fputc(',', out);
		if (format == TABULAR_CSV)
			csv_field(out, f);
		else if (header)
			json_str(out, tabular_unescape(f));
		else
			json_field(out, f);
		first = 0;
	} while ((f = next));
	fputs(format == TABULAR_JSON ? "]" : "\n", out);
}

int tabular_write(FILE *in, FILE *out, int format, const volatile sig_atomic_t *stop)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int named = 0, rows = 0, notes = 0;
	unsigned long k = 0;

	if (format == TABULAR_JSON)
		fputs("{\n  \"provenance\": [", out);
	while ((n = getline(&line, &cap, in)) >= 0) {
		if (stop && ++k % 4096 == 0 && *stop) {
			free(line);
			return 1;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		if (line[0] == '#') {
			if (format == TABULAR_CSV)
				fprintf(out, "%s\n", line);
			else if (!named) {
				fputs(notes++ ? ",\n    " : "\n    ", out);
				json_str(out, tabular_unescape(line + 1 + (line[1] == ' ')));
			}
			continue;
		}
		if (format == TABULAR_JSON)
			fputs(named ? (rows++ ? ",\n    " : "\n    ")
				    : "\n  ],\n  \"columns\": ", out);
		fields(out, line, format, !named);
		if (format == TABULAR_JSON && !named)
			fputs(",\n  \"data\": [", out);
		named = 1;
	}
	if (format == TABULAR_JSON)
		fputs(named ? "\n  ]\n}\n" : "\n  ],\n  \"columns\": [],\n  \"data\": []\n}\n", out);
	free(line);
	return ferror(in) || ferror(out) ? -1 : 0;
}

int tabular_convert(const char *path, int format, const volatile sig_atomic_t *stop)
{
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/'), *ext = format == TABULAR_CSV ? "csv" : "json";
	char *dir = NULL, *name = NULL;
	struct afile af;
	FILE *in;
	int r = -1;

	if (len < 4 || strcmp(path + len - 4, ".tsv"))
		return error("cannot convert '%s': not a .tsv file", path);
	if (!(in = fopen(path, "r")))
		return error("cannot read '%s': %s", path, strerror(errno));
	dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (dir && !*dir) {
		free(dir);
		dir = strdup("/");
	}
	if (dir && asprintf(&name, "%.*s.%s", (int)(len - 4 - (slash ? (size_t)(slash + 1 - path) : 0)),
			    slash ? slash + 1 : path, ext) < 0)
		name = NULL;
	if (dir && name && atomic_open_regular(&af, dir, name) == 0) {
		int k = tabular_write(in, af.f, format, stop);

		if (k != 0) {
			if (k < 0)
				error("cannot write %s/%s: %s", dir, name, strerror(errno));
			atomic_discard(&af);
			r = k > 0 ? 1 : -1;
		} else {
			r = atomic_commit(&af);
		}
	} else if (!dir || !name) {
		error("out of memory");
	}
	fclose(in);
	free(dir);
	free(name);
	return r;
}

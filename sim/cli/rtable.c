/* rtable.c - a table gsim wrote, with the text of its cells and its '#'
 * lines, for a report. */
#include "cli/rtable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"

/* Appends S (LEN bytes) as a new string to the list *V of *N. */
static int push(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 64;
		char **more = realloc(*v, sizeof(char *) * c);

		if (!more)
			return -1;
		*v = more;
		*cap = c;
	}
	(*v)[*n] = strndup(s, len);
	if (!(*v)[*n])
		return -1;
	(*n)++;
	return 0;
}

void rtable_unescape(char *s)
{
	char *w = s;
	const char *p = s;

	while (*p) {
		if (*p != '\\' || !p[1]) {
			*w++ = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': *w++ = '\n'; p++; break;
		case 't': *w++ = '\t'; p++; break;
		case 'r': *w++ = '\r'; p++; break;
		case '\\': *w++ = '\\'; p++; break;
		case 'x':
			if (strchr("0123456789abcdefABCDEF", p[1]) && p[1] &&
			    strchr("0123456789abcdefABCDEF", p[2]) && p[2]) {
				char hex[3] = { p[1], p[2], 0 };
				long c = strtol(hex, NULL, 16);

				*w++ = c ? (char)c : '?';
				p += 3;
				break;
			}
			/* fall through */
		default:
			*w++ = '\\';
		}
	}
	*w = '\0';
}

/* Whether the first tab-separated field of LINE is a number. */
static int first_is_number(const char *line)
{
	char first[64], *end;
	size_t len = strcspn(line, "\t");

	snprintf(first, sizeof(first), "%.*s", (int)(len < 63 ? len : 63), line);
	strtod(first, &end);
	return end != first && !*end;
}

/* Reads the text cells and the '#' lines of the file PATH into R, whose
 * numbers are read. Returns 0 or -1. */
static int read_text(const char *path, struct rtable *r)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t size = 0, ncell = 0, cap = 0, mcap = 0;
	ssize_t len;
	int named = 0, ret = 0;

	if (!f)
		return -1;
	while (ret == 0 && (len = getline(&line, &size, f)) >= 0) {
		char *p, *tab;
		size_t k;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		if (line[0] == '#') {
			p = line + 1 + (line[1] == ' ');
			ret = push(&r->meta, &r->nmeta, &mcap, p, strlen(p));
			continue;
		}
		if (!named++ && !first_is_number(line))
			continue;	/* the column line */
		for (p = line, k = 0; ret == 0 && k < r->t.ncol; k++) {
			tab = strchr(p, '\t');
			ret = push(&r->text, &ncell, &cap, p, tab ? (size_t)(tab - p) : strlen(p));
			if (ret == 0)
				rtable_unescape(r->text[ncell - 1]);
			p = tab ? tab + 1 : p + strlen(p);
		}
	}
	free(line);
	fclose(f);
	if (ret == 0 && ncell != r->t.nrow * r->t.ncol)
		ret = -1;
	while (ret < 0 && ncell > 0)
		free(r->text[--ncell]);
	return ret;
}

int rtable_read(const char *path, struct rtable *r)
{
	memset(r, 0, sizeof(*r));
	if (table_read(path, &r->t, stderr) < 0)
		return -1;
	if (read_text(path, r) < 0) {
		error("cannot read the text of the table %s", path);
		rtable_free(r);
		return -1;
	}
	return 0;
}

const char *rtable_meta(const struct rtable *r, const char *key, size_t n)
{
	size_t i, len = strlen(key);

	for (i = 0; i < r->nmeta; i++)
		if (!strncmp(r->meta[i], key, len) && r->meta[i][len] == ':' &&
		    r->meta[i][len + 1] == ' ' && n-- == 0)
			return r->meta[i] + len + 2;
	return NULL;
}

double rtable_num(const struct rtable *r, size_t row, size_t col)
{
	return r->t.v[row * r->t.ncol + col];
}

const char *rtable_text(const struct rtable *r, size_t row, size_t col)
{
	return r->text ? r->text[row * r->t.ncol + col] : "";
}

void rtable_free(struct rtable *r)
{
	size_t i;

	for (i = 0; r->text && i < r->t.nrow * r->t.ncol; i++)
		free(r->text[i]);
	free(r->text);
	for (i = 0; i < r->nmeta; i++)
		free(r->meta[i]);
	free(r->meta);
	table_free(&r->t);
	memset(r, 0, sizeof(*r));
}

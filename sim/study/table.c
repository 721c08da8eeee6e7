/* table.c - reading a finished study's table back as numbers. */
#include "study/table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the reader keeps between lines. */
struct reader {
	const char *path;
	FILE *err;
	long line;
	char *header;		/* the last '#' line, without "# " */
	char **inputs;		/* paths named by "# range:" and "# vary:" */
	size_t ninputs;
	size_t cap;		/* rows allocated */
};

static void report(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->line > 0)
		fprintf(r->err, "%s:%ld: error: ", r->path, r->line);
	else
		fprintf(r->err, "%s: error: ", r->path);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
}

/* Splits LINE at tabs in place into at most MAX fields; returns their
 * number, or MAX + 1 when there are more. */
static size_t split(char *line, char **field, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');

		if (n == max)
			return max + 1;
		field[n++] = line;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

/* Whether S is a whole number in the C locale's syntax (or nan, inf). */
static int number(const char *s, double *x)
{
	char *end;

	errno = 0;
	*x = strtod(s, &end);
	return end != s && !*end;
}

/* Notes the path of a "# range: PATH = ..." or "# vary: PATH = ..." line. */
static int note_input(struct reader *r, const char *text)
{
	const char *eq = strstr(text, " = ");
	size_t len = eq ? (size_t)(eq - text) : strlen(text);
	char **more;

	if (r->ninputs >= TABLE_MAX_COLUMNS)
		return 0;
	more = realloc(r->inputs, sizeof(char *) * (r->ninputs + 1));
	if (!more || !(more[r->ninputs] = strndup(text, len))) {
		r->inputs = more ? more : r->inputs;
		return -1;
	}
	r->inputs = more;
	r->ninputs++;
	return 0;
}

/* Takes the column names from TEXT (tab-separated). Returns 0 or -1. */
static int set_names(struct reader *r, struct table *t, char *text)
{
	char **field = malloc(sizeof(char *) * (TABLE_MAX_COLUMNS + 1));
	size_t n, j;

	if (!field)
		return -1;
	n = split(text, field, TABLE_MAX_COLUMNS);
	if (n > TABLE_MAX_COLUMNS) {
		report(r, "more than %d columns", TABLE_MAX_COLUMNS);
		free(field);
		return -1;
	}
	t->name = calloc(n, sizeof(char *));
	for (j = 0; t->name && j < n; j++)
		if (!(t->name[j] = strdup(field[j])))
			break;
	free(field);
	if (!t->name || j < n) {
		report(r, "out of memory");
		return -1;
	}
	t->ncol = n;
	return 0;
}

/* Adds the data line TEXT as a row. Returns 0 or -1 (reported). */
static int add_row(struct reader *r, struct table *t, char *text)
{
	char **field = malloc(sizeof(char *) * (t->ncol + 1));
	size_t n, j;

	if (!field) {
		report(r, "out of memory");
		return -1;
	}
	n = split(text, field, t->ncol);
	if (n != t->ncol) {
		if (n > t->ncol)
			report(r, "more than the %zu fields of the column line", t->ncol);
		else
			report(r, "expected %zu tab-separated fields, as the column line has, got %zu",
			       t->ncol, n);
		free(field);
		return -1;
	}
	if (t->nrow == TABLE_MAX_ROWS) {
		report(r, "more than %d rows", TABLE_MAX_ROWS);
		free(field);
		return -1;
	}
	if (t->nrow == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		double *v = realloc(t->v, sizeof(double) * cap * t->ncol);

		if (!v) {
			report(r, "out of memory");
			free(field);
			return -1;
		}
		t->v = v;
		r->cap = cap;
	}
	for (j = 0; j < n; j++)
		if (!number(field[j], &t->v[t->nrow * t->ncol + j]))
			t->v[t->nrow * t->ncol + j] = NAN;
	t->nrow++;
	free(field);
	return 0;
}

/* The first data line: it names the columns itself when its first field
 * is not a number, else the last '#' line does. Returns 1 when LINE was
 * the column line, 0 when it is data, -1 after an error. */
static int first_line(struct reader *r, struct table *t, char *line)
{
	const char *tab = strchr(line, '\t');
	char first[64];
	double x;
	size_t len = tab ? (size_t)(tab - line) : strlen(line);

	snprintf(first, sizeof(first), "%.*s", (int)(len < 63 ? len : 63), line);
	if (!number(first, &x))
		return set_names(r, t, line) < 0 ? -1 : 1;
	if (!r->header) {
		report(r, "no column line (a '#' line naming the columns before the first row)");
		return -1;
	}
	return set_names(r, t, r->header) < 0 ? -1 : 0;
}

/* Marks the input columns: those the "# range:"/"# vary:" lines name, or
 * every column before "trials". Returns 0 or -1. */
static int find_inputs(struct reader *r, struct table *t)
{
	long trials = table_column(t, "trials");
	size_t j;

	t->input = malloc(sizeof(size_t) * (t->ncol ? t->ncol : 1));
	if (!t->input)
		return -1;
	for (j = 0; j < r->ninputs; j++) {
		long c = table_column(t, r->inputs[j]);

		if (c >= 0)
			t->input[t->ninput++] = (size_t)c;
	}
	for (j = 0; !t->ninput && trials > 0 && j < (size_t)trials; j++)
		t->input[t->ninput++] = j;
	return 0;
}

static int read_lines(struct reader *r, struct table *t, FILE *f)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t len;
	int ret = 0, named = 0;

	while (ret == 0 && (len = getline(&line, &size, f)) >= 0) {
		r->line++;
		if (len > TABLE_MAX_LINE) {
			report(r, "line longer than %d bytes", TABLE_MAX_LINE);
			ret = -1;
			break;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		if (line[0] == '#') {
			const char *text = line[1] == ' ' ? line + 2 : line + 1;

			if (!strncmp(text, "range: ", 7) || !strncmp(text, "vary: ", 6))
				ret = note_input(r, strchr(text, ' ') + 1);
			free(r->header);
			if (!(r->header = strdup(text)))
				ret = -1;
			continue;
		}
		if (!named) {
			int k = first_line(r, t, line);

			if (k < 0)
				ret = -1;
			named = 1;
			if (k != 0)
				continue;
		}
		ret = add_row(r, t, line);
	}
	if (ret == 0 && ferror(f)) {
		report(r, "read error");
		ret = -1;
	}
	free(line);
	return ret;
}

int table_read(const char *path, struct table *t, FILE *err)
{
	struct reader r = { path, err, 0, NULL, NULL, 0, 0 };
	/* Opened without blocking, so that a FIFO is refused, not waited on. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), ret;
	struct stat st;
	FILE *f;
	size_t j;

	memset(t, 0, sizeof(*t));
	if (fd < 0) {
		fprintf(err, "%s: error: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(err, "%s: error: not a regular file (a table sim wrote)\n", path);
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 || !(f = fdopen(fd, "r"))) {
		fprintf(err, "%s: error: cannot read: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	ret = read_lines(&r, t, f);
	fclose(f);
	if (ret == 0 && !t->nrow) {
		r.line = 0;
		report(&r, "no rows");
		ret = -1;
	}
	if (ret == 0 && find_inputs(&r, t) < 0) {
		report(&r, "out of memory");
		ret = -1;
	}
	for (j = 0; j < r.ninputs; j++)
		free(r.inputs[j]);
	free(r.inputs);
	free(r.header);
	if (ret < 0)
		table_free(t);
	return ret;
}

long table_column(const struct table *t, const char *name)
{
	size_t j;

	for (j = 0; j < t->ncol; j++)
		if (!strcmp(t->name[j], name))
			return (long)j;
	return -1;
}

void table_free(struct table *t)
{
	size_t j;

	for (j = 0; t->name && j < t->ncol; j++)
		free(t->name[j]);
	free(t->name);
	free(t->v);
	free(t->input);
	memset(t, 0, sizeof(*t));
}

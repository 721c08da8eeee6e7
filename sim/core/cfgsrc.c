/* cfgsrc.c - reading config files for libconfig: regular files only, a
 * size cap, @include expanded, comments dropped, 64-bit whole numbers.
 *
 * The scanner follows libconfig 1.5's lexical rules (lib/scanner.l) as far
 * as they decide where a token ends: strings with their escapes, the three
 * kinds of comment, "@include" at the start of a line, names, and the
 * longest of the float, integer and hex patterns at a number. Everything
 * but comments and @include lines is copied through unchanged, so that
 * libconfig sees the same tokens; a whole number outside 32 bits gets an
 * L suffix, and one outside 64 bits is an error. */
#include "core/cfgsrc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One file (or text) being scanned. */
struct reader {
	struct cfgsrc *s;
	const char *src, *end;
	int file;		/* index in s->files */
	char *dir;		/* directory of its @include files; NULL: refused */
	int depth;
	int line;		/* line of the scanner's position */
	const char *key;	/* the last name seen, for messages */
	size_t keylen;
};

static void report(const struct reader *r, int line, int keyed, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Prints "FILE:LINE: error: MESSAGE" for R's file, with "KEY: " before
 * the message when KEYED and a key is known. */
static void report(const struct reader *r, int line, int keyed, const char *fmt, ...)
{
	const struct cfgsrc *s = r->s;
	FILE *out = s->err ? s->err : stderr;
	va_list ap;

	fprintf(out, "%s:%d: error: ", s->files[r->file], s->fixed_line > 0 ? s->fixed_line : line);
	if (s->fixed_key)
		fprintf(out, "%s: ", s->fixed_key);
	else if (keyed && r->key)
		fprintf(out, "%.*s: ", (int)r->keylen, r->key);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Appends N bytes of P to the text, counting its lines. */
static int emit(struct cfgsrc *s, const char *p, size_t n)
{
	size_t i;

	if (grow((void **)&s->text, &s->cap, s->len + n + 1, 1) < 0)
		return -1;
	memcpy(s->text + s->len, p, n);
	s->len += n;
	s->text[s->len] = '\0';
	for (i = 0; i < n; i++)
		s->line += p[i] == '\n';
	return 0;
}

/* From the text's current line on, lines come from FILE at FILE_LINE. */
static int span_push(struct cfgsrc *s, int file, int file_line)
{
	if (grow((void **)&s->span, &s->spancap, s->nspan + 1, sizeof(*s->span)) < 0)
		return -1;
	s->span[s->nspan].line = s->line;
	s->span[s->nspan].file = file;
	s->span[s->nspan].file_line = file_line;
	s->nspan++;
	return 0;
}

static int add_file(struct cfgsrc *s, const char *name)
{
	char **f = realloc(s->files, sizeof(*f) * (size_t)(s->nfiles + 1));

	if (!f)
		return -1;
	s->files = f;
	f[s->nfiles] = strdup(name);
	if (!f[s->nfiles])
		return -1;
	return s->nfiles++;
}

/* Reads the regular file PATH whole into *BUF (*N bytes), within what is
 * left of the size cap. Returns 0; -1 when it cannot be opened, with
 * strerror's text in WHY; or -2 with what is wrong in WHY. */
static int slurp(struct cfgsrc *s, const char *path, char **buf, size_t *n,
		 char *why, size_t wsize)
{
	size_t left = CFGSRC_MAX_BYTES - s->bytes, len = 0, cap = 0;
	struct stat st;
	ssize_t k;
	char *b = NULL;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(why, wsize, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, wsize, "%s", S_ISDIR(st.st_mode) ? "is a directory, not a config file"
			 : "not a regular file (a device, FIFO or socket)");
		close(fd);
		return -2;
	}
	for (;;) {
		if (grow((void **)&b, &cap, len + 65536 + 1, 1) < 0) {
			snprintf(why, wsize, "out of memory");
			break;
		}
		k = read(fd, b + len, 65536);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(why, wsize, "cannot read: %s", strerror(errno));
			break;
		}
		if (k == 0) {
			close(fd);
			b[len] = '\0';
			s->bytes += len;
			*buf = b;
			*n = len;
			return 0;
		}
		len += (size_t)k;
		if (len > left) {
			snprintf(why, wsize, "a config with what it includes must be at most "
				 "1 MiB (%d bytes)", CFGSRC_MAX_BYTES);
			break;
		}
	}
	free(b);
	close(fd);
	return -2;
}

/* Whether P starts a libconfig "@include" line: [ \t]*@include[ \t]+".
 * Returns the length up to and including the quote, or 0. */
static size_t include_open(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if ((size_t)(end - q) < 9 || memcmp(q, "@include", 8) || (q[8] != ' ' && q[8] != '\t'))
		return 0;
	q += 8;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	return q < end && *q == '"' ? (size_t)(q + 1 - p) : 0;
}

static int scan(struct reader *r);

/* Cuts the file path P to its directory: "" for the current one. */
static void dir_of(char *p)
{
	char *slash = strrchr(p, '/');

	if (!slash)
		p[0] = '\0';
	else if (slash == p)
		p[1] = '\0';
	else
		*slash = '\0';
}

/* Reads the file named at *P (after the opening quote) and scans it in
 * place of the @include line; moves *P past the closing quote. */
static int include(struct reader *r, const char **pp)
{
	struct cfgsrc *s = r->s;
	const char *p = *pp;
	char name[PATH_MAX], path[PATH_MAX + 2], why[256], *text;
	size_t n = 0, len;
	int at = r->line, ret;
	struct reader c;

	for (; p < r->end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < r->end && (p[1] == '\\' || p[1] == '"'))
			p++;
		r->line += *p == '\n';
		if (n + 1 < sizeof(name))
			name[n++] = *p;
	}
	name[n] = '\0';
	if (p == r->end) {
		report(r, at, 0, "@include: the file name has no closing quote");
		return -1;
	}
	*pp = p + 1;
	if (!r->dir) {
		report(r, at, 0, "@include is not allowed here");
		return -1;
	}
	if (n + 1 >= sizeof(name) || strlen(name) != n || !n) {
		report(r, at, 0, "@include: not a usable file name");
		return -1;
	}
	if (name[0] == '/' || !*r->dir)
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	if (r->depth + 1 > CFGSRC_MAX_DEPTH) {
		report(r, at, 0, "cannot include '%s': nested deeper than %d files "
		       "(does it include itself?)", name, CFGSRC_MAX_DEPTH);
		return -1;
	}
	if (slurp(s, path, &text, &len, why, sizeof(why)) < 0) {
		if (strcmp(name, path))
			report(r, at, 0, "cannot include '%s' (%s): %s", name, path, why);
		else
			report(r, at, 0, "cannot include '%s': %s", name, why);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.src = text;
	c.end = text + len;
	c.depth = r->depth + 1;
	c.line = 1;
	c.file = add_file(s, path);
	c.dir = strdup(path);
	if (c.file < 0 || !c.dir || span_push(s, c.file, 1) < 0) {
		free(text);
		free(c.dir);
		report(r, at, 0, "out of memory");
		return -1;
	}
	dir_of(c.dir);
	ret = scan(&c);
	free(text);
	free(c.dir);
	if (ret < 0)
		return -1;
	/* The rest of the @include line goes on in the including file. */
	if (emit(s, "\n", 1) < 0 || span_push(s, r->file, r->line) < 0)
		return -1;
	return 0;
}

/* The end of an exponent [eE][-+]?[0-9]+ at P, or P when there is none. */
static const char *exponent(const char *p, const char *end)
{
	const char *q = p + 1;

	if (p >= end || (*p != 'e' && *p != 'E'))
		return p;
	if (q < end && (*q == '+' || *q == '-'))
		q++;
	if (q >= end || !isdigit((unsigned char)*q))
		return p;
	while (q < end && isdigit((unsigned char)*q))
		q++;
	return q;
}

/* The L or LL suffix at P: its length. */
static size_t suffix(const char *p, const char *end)
{
	if (p < end && *p == 'L')
		return p + 1 < end && p[1] == 'L' ? 2 : 1;
	return 0;
}

/* Reads the digits P .. END in BASE (10 or 16) into *V, with sign NEG.
 * Returns 0, or -1 when the value is outside the 64-bit signed range. */
static int whole(const char *p, const char *end, int base, int neg, long long *v)
{
	unsigned long long x = 0, lim = neg ? (unsigned long long)INT64_MAX + 1 : INT64_MAX;
	int d;

	for (; p < end; p++) {
		d = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
		if (x > (lim - (unsigned long long)d) / (unsigned long long)base)
			return -1;
		x = x * (unsigned long long)base + (unsigned long long)d;
	}
	*v = neg ? (long long)(0 - x) : (long long)x;
	return 0;
}

/* Scans the number-like token at P (a digit, sign or dot), copying it to
 * the text; a whole number beyond 32 bits gets an L. Returns the length
 * consumed, or 0 after an error. */
static size_t number(struct reader *r, const char *p)
{
	const char *end = r->end, *q = p, *d0, *f;
	size_t n_int = 0, n_int64 = 0, n_hex = 0, n_hex64 = 0, n_flt = 0, best;
	long long v = 0;
	int neg = *p == '-', bad = 0, wide = 0;

	if (p + 2 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    isxdigit((unsigned char)p[2])) {
		for (q = p + 2; q < end && isxdigit((unsigned char)*q); q++)
			;
		n_hex = (size_t)(q - p);
		n_hex64 = n_hex + suffix(q, end);
	}
	q = p + (*p == '+' || *p == '-');
	for (d0 = q; q < end && isdigit((unsigned char)*q); q++)
		;
	if (q > d0) {
		n_int = (size_t)(q - p);
		n_int64 = n_int + suffix(q, end);
	}
	if (q < end && *q == '.') {
		for (f = q + 1; f < end && isdigit((unsigned char)*f); f++)
			;
		n_flt = (size_t)(exponent(f, end) - p);
	} else if (q > d0 && exponent(q, end) != q) {
		n_flt = (size_t)(exponent(q, end) - p);
	}
	best = n_flt;
	if (n_int64 > best)
		best = n_int64;
	if (n_hex64 > best)
		best = n_hex64;
	if (best == 0)
		best = 1;	/* a lone sign or anything else: libconfig's business */
	else if (best == n_hex64 && n_hex64 > n_flt) {
		bad = whole(p + 2, p + n_hex, 16, 0, &v);
		wide = n_hex64 == n_hex && v > INT32_MAX;
	} else if (best == n_int64 && n_int64 > n_flt) {
		bad = whole(d0, p + n_int, 10, neg, &v);
		wide = n_int64 == n_int && (v > INT32_MAX || v < INT32_MIN);
	}
	if (bad) {
		report(r, r->line, 1, "%.*s%s is outside the 64-bit range [-9223372036854775808, "
		       "9223372036854775807]", best > 40 ? 40 : (int)best, p, best > 40 ? "..." : "");
		return 0;
	}
	if (emit(r->s, p, best) < 0 || (wide && emit(r->s, "L", 1) < 0))
		return 0;
	return best;
}

/* The end of the string whose opening quote is at P - 1. */
static const char *string_end(const char *p, const char *end)
{
	while (p < end && *p != '"')
		p += *p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\') ? 2 : 1;
	return p < end ? p + 1 : end;
}

static int is_name(int c, int first)
{
	return isalpha(c) || c == '*' || (!first && (isdigit(c) || c == '-' || c == '_'));
}

/* Copies R's source to the text, expanding @include and dropping
 * comments. Returns 0 or -1 after an error. */
static int scan(struct reader *r)
{
	struct cfgsrc *s = r->s;
	const char *p = r->src, *q, *nul = memchr(r->src, '\0', (size_t)(r->end - r->src));
	size_t k;

	if (nul) {
		for (q = r->src; q < nul; q++)
			r->line += *q == '\n';
		report(r, r->line, 0, "holds a NUL byte: not a text file");
		return -1;
	}
	while (p < r->end) {
		unsigned char c = (unsigned char)*p;

		if ((p == r->src || p[-1] == '\n') && (k = include_open(p, r->end)) > 0) {
			p += k;
			if (include(r, &p) < 0)
				return -1;
			continue;
		}
		if (c == '/' && p + 1 < r->end && p[1] == '*') {
			/* A space, lest the tokens either side of it join. */
			if (emit(s, " ", 1) < 0)
				return -1;
			for (p += 2; p < r->end && !(p[0] == '*' && p + 1 < r->end && p[1] == '/'); p++)
				if (*p == '\n' && (r->line++, emit(s, "\n", 1) < 0))
					return -1;
			p = p < r->end ? p + 2 : p;
			continue;
		}
		if (c == '#' || (c == '/' && p + 1 < r->end && p[1] == '/')) {
			while (p < r->end && *p != '\n')
				p++;
			continue;
		}
		if (c == '"')
			q = string_end(p + 1, r->end);
		else if (is_name(c, 1)) {
			for (q = p + 1; q < r->end && is_name((unsigned char)*q, 0); q++)
				;
			r->key = p;
			r->keylen = (size_t)(q - p);
		} else if (isdigit(c) || c == '+' || c == '-' || c == '.') {
			k = number(r, p);
			if (!k)
				return -1;
			p += k;
			continue;
		} else
			q = p + 1;
		if (emit(s, p, (size_t)(q - p)) < 0)
			return -1;
		for (; p < q; p++)
			r->line += *p == '\n';
	}
	return 0;
}

/* Sets up S and scans TEXT as file NAME (including from DIR, or refusing
 * @include when DIR is NULL). */
static int read_text(struct cfgsrc *s, const char *name, const char *text, size_t len,
		     char *dir)
{
	struct reader r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.src = text;
	r.end = text + len;
	r.line = 1;
	r.dir = dir;
	s->line = 1;
	r.file = add_file(s, name);
	if (r.file < 0 || span_push(s, r.file, 1) < 0 || emit(s, "", 0) < 0) {
		fprintf(s->err ? s->err : stderr, "%s:1: error: out of memory\n", name);
		return -1;
	}
	ret = scan(&r);
	return ret;
}

int cfgsrc_read_text(struct cfgsrc *s, const char *name, const char *text, size_t len)
{
	return read_text(s, name, text, len, NULL);
}

int cfgsrc_read_file(struct cfgsrc *s, const char *path)
{
	char why[256], *text, *dir;
	size_t len;
	int ret, k = slurp(s, path, &text, &len, why, sizeof(why));

	if (k < 0) {
		fprintf(s->err ? s->err : stderr, "%s:1: error: %s%s\n", path,
			k == -1 ? "cannot read config: " : "", why);
		return -1;
	}
	dir = strdup(path);
	if (!dir) {
		free(text);
		return -1;
	}
	dir_of(dir);
	ret = read_text(s, path, text, len, dir);
	free(dir);
	free(text);
	return ret;
}

void cfgsrc_where(const struct cfgsrc *s, int line, const char **file, int *file_line)
{
	size_t lo = 0, hi = s->nspan, mid;

	if (!s->nspan) {
		*file = "";
		*file_line = line;
		return;
	}
	/* The last span starting at or before LINE. */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (s->span[mid].line <= line)
			lo = mid;
		else
			hi = mid;
	}
	*file = s->files[s->span[lo].file];
	*file_line = s->span[lo].file_line + (line > s->span[lo].line ? line - s->span[lo].line : 0);
}

void cfgsrc_release(struct cfgsrc *s)
{
	int i;

	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->text);
	free(s->span);
	memset(s, 0, sizeof(*s));
}

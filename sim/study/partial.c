/* partial.c - is this partial file the start of this study? */
#include "study/partial.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfg.h"
#include "study/study.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"

/* ---------------------------------------------------------------- */
/* The config's content */

char *partial_hash_line(const struct study *s)
{
	struct cfg c;
	struct diag d = { &c, NULL, 0 };
	uint64_t h0 = 0, h1 = 0;
	char *line = NULL;
	int i;

	if (cfg_load(&c, s->po.config) == 0 && cfg_hash(&c, &h0) == 0) {
		for (i = 0; i < s->po.nsets; i++)
			cfg_set(&c, s->po.sets[i], i + 1, &d);
		if (!d.errors && cfg_hash(&c, &h1) == 0)
			line = study_line("config hash: %016llx; with --set: %016llx",
					  (unsigned long long)h0, (unsigned long long)h1);
	}
	cfg_release(&c);
	return line;
}

/* ---------------------------------------------------------------- */
/* Header lines */

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_add(struct lines *l, const char *s, size_t n)
{
	if (l->n == l->cap)
		l->v = realloc(l->v, sizeof(char *) * (l->cap = l->cap ? 2 * l->cap : 16));
	l->v[l->n++] = strndup(s, n);
}

static void lines_free(struct lines *l)
{
	while (l->n > 0)
		free(l->v[--l->n]);
	free(l->v);
}

/* The key of header line S (without "# "): what comes before its first
 * ':' (or space, or the whole line); "columns" for the column line. */
static char *line_key(const char *s, const char *columns)
{
	size_t n = strlen(s), k = strlen(columns);

	if (n >= k && !strcmp(s + n - k, columns))
		return strdup("columns");
	return strndup(s, strcspn(s, strchr(s, ':') ? ":" : " "));
}

/* The lines of L whose key is KEY, each without "KEY: ", joined with "; "
 * into a new string (the column line without its figure columns). */
static char *key_values(const struct lines *l, const char *key, const char *columns)
{
	char *out = NULL, *k;
	size_t len = 0, i, kl = strlen(key);
	FILE *f = open_memstream(&out, &len);
	int first = 1;

	for (i = 0; i < l->n; i++) {
		const char *v = l->v[i];

		k = line_key(v, columns);
		if (!strcmp(k, key)) {
			if (!strcmp(key, "columns"))
				fprintf(f, "%s%.*s", first ? "" : "; ",
					(int)(strlen(v) - strlen(columns)), v);
			else
				fprintf(f, "%s%s", first ? "" : "; ",
					!strncmp(v, key, kl) && v[kl] == ':' ? v + kl + 1 +
					(v[kl + 1] == ' ') : v);
			first = 0;
		}
		free(k);
	}
	fclose(f);
	return out;
}

/* What a difference in the lines of KEY means, for the message. */
static const char *key_meaning(const char *key)
{
	static const char *const m[][2] = {
		{ "gsim", "the gsim version or the model differs" },
		{ "scenario", "the scenario's name differs" },
		{ "seed", "the seed differs (-s or scenario.seed)" },
		{ "trials", "the trials differ (-n, --precision, --max-trials or scenario.trials)" },
		{ "rng", "the generator differs (scenario.rng or GSL_RNG_TYPE)" },
		{ "steps", "the steps differ (scenario.horizon_years, scenario.steps_per_year)" },
		{ "estimator", "the estimator differs (--estimator, scenario.estimator or "
		  "scenario.antithetic)" },
		{ "streams", "the streams differ (--independent)" },
		{ "vary", "the --vary options differ" },
		{ "range", "the --range options differ" },
		{ "sweep", "the grid differs" },
		{ "sample", "the design differs (--lhs)" },
		{ "sensitivity", "the design or the indices differ (--base-samples, --replicates, "
		  "--figures)" },
		{ "columns", "the varied paths differ" },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i][0], key))
			return m[i][1];
	return NULL;
}

/* Compares the two hashes of the "config hash" lines THEN and NOW. */
static int compare_hashes(const char *path, const struct lines *then_, const struct lines *now_,
			  const char *columns)
{
	char *a = key_values(then_, "config hash", columns);
	char *b = key_values(now_, "config hash", columns);
	char *sa, *sb;
	int r = 0;

	if (!*a)
		r = error("cannot resume '%s': it records no config hash (an older gsim wrote "
			  "it); start again with -o", path);
	else if (strncmp(a, b, 16))
		r = error("cannot resume '%s': the config differs from the one it was written "
			  "with (hash %.16s then, %.16s now); give the same config as the first "
			  "time, or start again with -o", path, a, b);
	else if (strcmp(a, b)) {
		sa = key_values(then_, "set", columns);
		sb = key_values(now_, "set", columns);
		r = error("cannot resume '%s': the --set options differ: '%s' then, '%s' now; "
			  "give the same options as the first time, or start again with -o", path,
			  sa, sb);
		free(sa);
		free(sb);
	}
	free(a);
	free(b);
	return r;
}

/* Compares the header lines THEN (of the file PATH) and NOW key by key:
 * the config hash first, then the streams (which change the seed line
 * with --independent), then every other key but the config's name and
 * the --set lines, which the hash covers. */
static int compare_headers(const char *path, const struct lines *then_,
			   const struct lines *now_, const char *columns)
{
	static char streams[] = "streams: ";
	const struct lines first = { (char *[]){ streams }, 1, 1 };
	const struct lines *both[3] = { &first, now_, then_ };
	size_t i, w;
	int r = compare_hashes(path, then_, now_, columns);

	for (w = 0; w < 3 && r == 0; w++)
		for (i = 0; i < both[w]->n && r == 0; i++) {
			char *key = line_key(both[w]->v[i], columns), *a, *b;
			const char *m = key_meaning(key);

			/* The run line says when, where and how each run was started. */
			if (strcmp(key, "config") && strcmp(key, "set") && strcmp(key, "config hash") &&
			    strcmp(key, "run") && strcmp(key, "content hash")) {
				a = key_values(then_, key, columns);
				b = key_values(now_, key, columns);
				if (strcmp(a, b))
					r = m ? error("cannot resume '%s': %s: '%s' then, '%s' now; give "
						      "the same config and options as the first time, "
						      "or start again with -o", path, m, a, b)
					      : error("cannot resume '%s': its header line '%s' differs: "
						      "'%s' then, '%s' now; start again with -o", path,
						      key, a, b);
				free(a);
				free(b);
			}
			free(key);
		}
	return r;
}

/* The lines of header text H, each without its newline and, for a '#'
 * line, its "# ". */
static void split_header(const char *h, struct lines *l)
{
	while (*h) {
		size_t n = strcspn(h, "\n"), skip = h[0] != '#' ? 0 : n >= 2 ? 2 : n;

		lines_add(l, h + skip, n - skip);
		h += n + (h[n] == '\n');
	}
}

/* ---------------------------------------------------------------- */
/* Rows */

/* Checks data line LINE (without its newline), point P of S; stores its
 * figures. */
static int check_row(const struct study *s, char *line, uint64_t p, double *x,
		     const char *path, long lineno)
{
	size_t want = s->nvar + 1 + 3 * s->nfig, n = 1, j;
	char *f, *next, *end, v[40];
	unsigned long long trials;

	for (f = line; *f; f++)
		n += *f == '\t';
	if (n != want)
		return error("cannot resume '%s': line %ld has %zu fields, expected %zu; start "
			     "again with -o", path, lineno, n, want);
	s->values(s->ctx, p, x);
	for (j = 0, f = line; j < want; j++, f = next) {
		next = f + strcspn(f, "\t");
		if (*next)
			*next++ = '\0';
		if (j < s->nvar) {
			if (strcmp(f, points_format_value(v, x[j])))
				return error("cannot resume '%s': line %ld has %s = %s, but point %llu "
					     "of this study has %s; start again with -o", path, lineno,
					     s->paths[j], f, (unsigned long long)p + 1, v);
		} else if (j == s->nvar) {
			if (parse_u64(f, 1, SCENARIO_MAX_TRIALS, &trials) < 0)
				return error("cannot resume '%s': line %ld: the trials '%s' are not a "
					     "whole number; start again with -o", path, lineno, f);
		} else {
			double y = NAN;

			errno = 0;
			if (strcmp(f, "NaN"))
				y = strtod(f, &end);
			if (strcmp(f, "NaN") && (!*f || *end || errno || !isfinite(y) ||
						 strspn(f, "+-0123456789.e") != strlen(f)))
				return error("cannot resume '%s': line %ld: field %zu ('%s') is not a "
					     "number; start again with -o", path, lineno, j + 1, f);
			if (s->collect && (j - s->nvar - 1) % 3 == 0)
				s->collect[p * s->nfig + (j - s->nvar - 1) / 3] = y;
		}
	}
	return 0;
}

/* Reads the rows after the header (from offset P->keep, line LINENO). */
static int read_rows(const struct study *s, FILE *f, const char *path, struct partial *p,
		     long lineno)
{
	double *x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long at = p->keep;
	int blanks = 0, r = 0;

	while (r == 0 && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] != '\n')
			break;		/* cut short: dropped */
		at += (long)n;
		line[n - 1] = '\0';
		if (!line[0]) {
			if (blanks-- <= 0)
				r = error("cannot resume '%s': line %ld is blank where point %llu's row "
					  "should be; start again with -o", path, lineno,
					  (unsigned long long)p->rows + 1);
			continue;
		}
		if (line[0] == '#')
			r = error("cannot resume '%s': line %ld is a '#' line after the rows; start "
				  "again with -o", path, lineno);
		else if (p->rows == s->total)
			r = error("cannot resume '%s': it has more rows than the study's %llu points; "
				  "start again with -o", path, (unsigned long long)s->total);
		else if (blanks > 0)
			r = error("cannot resume '%s': line %ld is a row where a blank line should be "
				  "(after point %llu); start again with -o", path, lineno,
				  (unsigned long long)p->rows);
		else if ((r = check_row(s, line, p->rows, x, path, lineno)) == 0) {
			blanks = s->blank ? s->blank(s->ctx, p->rows) : 0;
			p->rows++;
			p->keep = at;
		}
	}
	free(line);
	free(x);
	return r;
}

int partial_read(const struct study *s, FILE *f, const char *path, struct partial *p)
{
	struct lines then_ = { NULL, 0, 0 }, now_ = { NULL, 0, 0 };
	char *columns = NULL, *line = NULL, *head = NULL;
	size_t clen = 0, cap = 0, hlen = 0, len;
	ssize_t n = 0;
	FILE *cf = open_memstream(&columns, &clen), *hf = open_memstream(&head, &hlen);
	int r = -1, done = 0;
	long lineno = 0;

	memset(p, 0, sizeof(*p));
	points_figure_columns(cf, s->keys, s->nfig);
	fclose(cf);
	/* The header: '#' lines, then the column line. */
	while (!done && (n = getline(&line, &cap, f)) > 0) {
		size_t skip;

		if (line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		len = strlen(line);
		skip = line[0] == '#' ? 2 * (len >= 2) : 0;
		done = line[0] != '#' && len >= clen && !strcmp(line + len - clen, columns);
		line[n - 1] = '\n';
		if (line[0] != '#' && !done)
			break;
		lineno++;
		fwrite(line, 1, (size_t)n, hf);
		p->keep += (long)n;
		lines_add(&then_, line + skip, len - skip);
	}
	fclose(hf);
	if (done) {
		split_header(s->head, &now_);
		r = compare_headers(path, &then_, &now_, columns);
		if (r == 0)
			r = read_rows(s, f, path, p, lineno);
	} else if (ferror(f)) {
		error("cannot resume: cannot read '%s': %s", path, strerror(errno));
	} else if (p->keep == 0 && n <= 0) {
		error("cannot resume '%s': it is empty (the first run was stopped before it wrote "
		      "anything); start again with -o", path);
	} else if (n <= 0 || line[0] == '#' || line[n - 1] != '\n') {
		error("cannot resume '%s': its header is cut short (the first run was stopped "
		      "before it wrote any row); start again with -o", path);
	} else {
		error("cannot resume '%s': its header has no column line; start again with -o",
		      path);
	}
	if (r == 0 && ferror(f))
		r = error("cannot resume: cannot read '%s': %s", path, strerror(errno));
	if (r == 0)
		p->head = head;
	else
		free(head);
	free(line);
	free(columns);
	lines_free(&then_);
	lines_free(&now_);
	return r;
}

/* report_diff.c - what differs between the configs of the scenarios of a
 * comparison: a row per key whose values differ, and what each config's
 * comments say of its value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cfgnotes.h"
#include "cli/report.h"

/* A setting of a config, by its path ("guarantors.[France].guarantee.strength"). */
struct flat {
	char *path;
	const config_setting_t *s;
};

struct flats {
	struct flat *v;
	size_t n, cap;
};

static int push(struct flats *f, const char *path, const config_setting_t *s)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 128;
		struct flat *more = realloc(f->v, sizeof(*more) * cap);

		if (!more)
			return -1;
		f->v = more;
		f->cap = cap;
	}
	f->v[f->n].path = strdup(path);
	f->v[f->n].s = s;
	if (!f->v[f->n].path)
		return -1;
	f->n++;
	return 0;
}

/* The settings under G into F, each with its path after PREFIX; a list's
 * elements are named by their "name", else by their number. */
static void flatten(const config_setting_t *g, const char *prefix, struct flats *f, int depth)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n && depth < 8; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s), *ename;
		char path[1024];

		if (config_setting_is_list(g)) {
			if (config_setting_is_group(s) && config_setting_lookup_string(s, "name", &ename))
				snprintf(path, sizeof(path), "%s[%s]", prefix, ename);
			else
				snprintf(path, sizeof(path), "%s[%d]", prefix, i);
		} else {
			snprintf(path, sizeof(path), "%s%s", prefix, name ? name : "?");
		}
		if ((config_setting_is_group(s) && !config_setting_get_member(s, "dist")) ||
		    config_setting_is_list(s)) {
			strncat(path, ".", sizeof(path) - strlen(path) - 1);
			flatten(s, path, f, depth + 1);
		} else if (strcmp(path, "scenario.name") && strcmp(path, "scenario.description")) {
			push(f, path, s);
		}
	}
}

/* The setting at PATH in F, or NULL. */
static const config_setting_t *find(const struct flats *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].path, path))
			return f->v[i].s;
	return NULL;
}

/* Whether F holds a key at PREFIX or under it. */
static int has_under(const struct flats *f, const char *prefix)
{
	size_t i, len = strlen(prefix);

	for (i = 0; i < f->n; i++)
		if (!strncmp(f->v[i].path, prefix, len) &&
		    (!f->v[i].path[len] || f->v[i].path[len] == '.'))
			return 1;
	return 0;
}

/* The shortest prefix of PATH (cut at a dot outside brackets) under which
 * F holds no key, into BUF. */
static void missing_prefix(const struct flats *f, const char *path, char *buf, size_t size)
{
	size_t i;
	int depth = 0;

	for (i = 0; path[i]; i++) {
		depth += path[i] == '[' ? 1 : path[i] == ']' ? -1 : 0;
		if (path[i + 1] && (path[i + 1] != '.' || depth))
			continue;
		snprintf(buf, size, "%.*s", (int)(i + 1), path);
		if (!has_under(f, buf))
			return;
	}
	snprintf(buf, size, "%s", path);
}

/* Whether OUT holds PATH. */
static int listed(const struct flats *out, const char *path)
{
	size_t m;

	for (m = 0; m < out->n; m++)
		if (!strcmp(out->v[m].path, path))
			return 1;
	return 0;
}

/* The keys of F[0 .. N-1] to show, each once, in order of first
 * appearance: those whose values differ between the scenarios that have
 * them (S set to non-NULL), and for a key some scenarios lack, the group
 * or entry they lack (S NULL: shown as there or not). */
static void differing(const struct flats *f, int n, struct flats *out)
{
	static const config_setting_t *const differ_mark = (const config_setting_t *)&differ_mark;
	char prefix[1024];
	int k, j;
	size_t i;

	for (k = 0; k < n; k++)
		for (i = 0; i < f[k].n; i++) {
			const char *p = f[k].v[i].path;
			char *first = NULL;
			int differ = 0, absent = 0;

			if (listed(out, p))
				continue;
			for (j = 0; j < n; j++) {
				const config_setting_t *s = find(&f[j], p);
				char *v = s ? cfgnotes_value(s) : NULL;

				absent += !s;
				if (v && !first)
					first = v;
				else if (v)
					differ = differ || strcmp(v, first), free(v);
			}
			free(first);
			if (differ)
				push(out, p, differ_mark);
			for (j = 0; absent && j < n; j++)
				if (!find(&f[j], p)) {
					missing_prefix(&f[j], p, prefix, sizeof(prefix));
					if (!listed(out, prefix))
						push(out, prefix, NULL);
				}
		}
}

/* The notes of the differing keys D: "key | scenarios | note". */
static void diff_notes(struct report *rp, const struct rrun *runs, int n, const struct flats *f,
		       const struct flats *d)
{
	static const char *const head[3] = { "key", "scenario", "source or note" };
	struct cfgnotes *notes = calloc((size_t)n, sizeof(*notes));
	char **text = calloc((size_t)n, sizeof(char *)), (*num)[16] = calloc((size_t)n + 1, 16);
	const char **who = calloc((size_t)n + 1, sizeof(char *));
	long *last = malloc(sizeof(long) * ((size_t)n + 1));
	size_t i;
	int k, rows = 0;

	for (k = 0; notes && last && num && who && k < n; k++) {
		cfgnotes_open(&notes[k], runs[k].config);
		last[k] = -1;
		snprintf(num[k], sizeof(num[k]), "[%d]", k + 1);
		who[k] = num[k];
	}
	for (i = 0; notes && text && last && num && who && i < d->n; i++) {
		if (!d->v[i].s)
			continue;
		for (k = 0; k < n; k++) {
			const config_setting_t *s = find(&f[k], d->v[i].path);
			const char *note = NULL;
			char *was = NULL;
			long line = -1;

			if (s)
				cfgnotes_get(&notes[k], s, &note, &was, &line);
			/* a note of several keys on one line, once */
			text[k] = note && line != last[k] ? strdup(note) : NULL;
			if (note)
				last[k] = line;
			free(was);
		}
		rows = report_note_rows(&rp->doc, head, rows, d->v[i].path, text, who, n);
	}
	if (rows)
		doc_table_end(&rp->doc, "What each scenario's config says of its value of these keys.");
	for (k = 0; notes && last && num && who && k < n; k++)
		cfgnotes_close(&notes[k]);
	free(notes);
	free(text);
	free(num);
	free(who);
	free(last);
}

/* The table of the differing keys D, a column per scenario. */
static void diff_table(struct report *rp, int n, const struct flats *f, const struct flats *d)
{
	const char **cells = calloc((size_t)n + 1, sizeof(char *));
	char **own = calloc((size_t)n + 1, sizeof(char *)), *align = malloc((size_t)n + 2);
	char (*num)[16] = calloc((size_t)n + 1, sizeof(*num));
	size_t i;
	int k;

	if (!cells || !own || !align || !num)
		goto out;
	memset(align, 'n', (size_t)n + 1);
	align[0] = 'l';
	align[n + 1] = '\0';
	cells[0] = "key";
	for (k = 0; k < n; k++) {
		snprintf(num[k], sizeof(num[k]), "[%d]", k + 1);
		cells[k + 1] = num[k];
	}
	doc_table_begin(&rp->doc, align, cells);
	for (i = 0; i < d->n; i++) {
		cells[0] = d->v[i].path;
		for (k = 0; k < n; k++) {
			const config_setting_t *s = d->v[i].s ? find(&f[k], d->v[i].path) : NULL;

			own[k] = s ? cfgnotes_value(s) : NULL;
			cells[k + 1] = own[k] ? own[k] : !d->v[i].s && has_under(&f[k], d->v[i].path)
				       ? "yes" : "–";
		}
		doc_row(&rp->doc, cells);
		for (k = 0; k < n; k++)
			free(own[k]);
	}
	doc_table_end(&rp->doc, "The keys whose values differ between the scenarios' resolved "
		      "configs (sNN/config.cfg), and the entries and groups some of them lack "
		      "('yes': it has it; '–': it has no such key).");
out:
	free(cells);
	free(own);
	free(align);
	free(num);
}

void report_config_diff(struct report *rp, const struct rrun *runs, int n)
{
	struct flats *f = calloc((size_t)n, sizeof(*f)), d = { NULL, 0, 0 };
	size_t i;
	int k;

	if (!f)
		return;
	for (k = 0; k < n; k++)
		flatten(config_root_setting(&runs[k].cfg.lc), "", &f[k], 0);
	differing(f, n, &d);
	doc_heading(&rp->doc, 2, "What differs between the scenarios");
	if (!d.n) {
		doc_para(&rp->doc, "The scenarios' configs hold the same values (apart from their "
			 "names).", NULL);
	} else {
		diff_table(rp, n, f, &d);
		diff_notes(rp, runs, n, f, &d);
	}
	for (i = 0; i < d.n; i++)
		free(d.v[i].path);
	free(d.v);
	for (k = 0; k < n; k++) {
		for (i = 0; i < f[k].n; i++)
			free(f[k].v[i].path);
		free(f[k].v);
	}
	free(f);
}

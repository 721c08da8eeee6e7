/* report_assume.c - a run's assumptions as tables: the scenario section
 * and the model's sections of its resolved config, each value with what
 * the config file's comments say of it (its source or judgement), and
 * whether the config sets it at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cfgnotes.h"
#include "cli/report.h"

/* The note column of setting S: the config's comment on it, and how the
 * run's value relates to the config's. LAST holds the line of the note
 * shown last in this table (a note of several keys on one line is shown
 * once: *ABOVE is then set). A new string. */
static char *note_text(struct cfgnotes *n, const config_setting_t *s, long *last, int *above)
{
	const char *note;
	char *was, *text = NULL;
	size_t len = 0;
	long line;
	int k = cfgnotes_get(n, s, &note, &was, &line);
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		free(was);
		return NULL;
	}
	if (!n->loaded)
		;
	else if (k == 0)
		fputs("Not in the config: the model's default (or an option of this run).", f);
	else if (k == 2)
		fprintf(f, "Set for this run; the config has %s.%s", was ? was : "another value",
			note ? " The config's note: " : "");
	*above = note && line == *last && k == 1;
	if (*above)
		fputs("(the note above)", f);
	else if (note)
		fputs(note, f);
	if (note)
		*last = line;
	free(was);
	fclose(f);
	return text;
}

static int is_dist(const config_setting_t *s)
{
	return config_setting_is_group(s) && config_setting_get_member(s, "dist");
}

/* Rows "key | value | note" for the settings of group G, subgroups as
 * dotted keys. */
static void group_rows(struct doc *d, struct cfgnotes *n, const config_setting_t *g,
		       const char *prefix, long *last)
{
	int i, k = config_setting_length(g), above;

	for (i = 0; i < k; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		char key[512];

		snprintf(key, sizeof(key), "%s%s", prefix, config_setting_name(s));
		if (config_setting_is_group(s) && !is_dist(s)) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s.", key);
			group_rows(d, n, s, sub, last);
		} else {
			char *v = cfgnotes_value(s), *note = note_text(n, s, last, &above);
			const char *cells[3] = { key, v, note };

			doc_row(d, cells);
			free(v);
			free(note);
		}
	}
}

/* The flattened keys of the elements of LIST ("guarantee.strength"), their
 * union in order of first appearance, into *KEYS. Returns their number. */
static int list_keys(const config_setting_t *list, char ***keys)
{
	int ng = config_setting_length(list), i, j, nk = 0, cap = 0, k;

	*keys = NULL;
	for (i = 0; i < ng; i++) {
		const config_setting_t *stack[8];
		int pos[8], depth = 0;
		char path[512];

		stack[0] = config_setting_get_elem(list, (unsigned)i);
		pos[0] = 0;
		while (depth >= 0) {
			const config_setting_t *s;
			size_t len = 0;

			if (pos[depth] >= config_setting_length(stack[depth])) {
				depth--;
				continue;
			}
			s = config_setting_get_elem(stack[depth], (unsigned)pos[depth]++);
			if (config_setting_is_group(s) && !is_dist(s) && depth < 7) {
				stack[++depth] = s;
				pos[depth] = 0;
				continue;
			}
			path[0] = '\0';
			for (k = 1; k <= depth; k++)
				len += (size_t)snprintf(path + len, len < sizeof(path) ? sizeof(path) - len : 0,
							"%s.", config_setting_name(stack[k]));
			if (len < sizeof(path))
				snprintf(path + len, sizeof(path) - len, "%s", config_setting_name(s));
			for (j = 0; j < nk && strcmp((*keys)[j], path); j++)
				;
			if (j < nk)
				continue;
			if (nk == cap) {
				char **more = realloc(*keys, sizeof(char *) * (size_t)(cap = cap ? 2 * cap : 32));

				if (!more)
					return nk;
				*keys = more;
			}
			if (((*keys)[nk] = strdup(path)))
				nk++;
		}
	}
	return nk;
}

/* The name of element I of LIST: its "name", else "entry I + 1". */
static const char *element_name(const config_setting_t *list, int i, char *buf, size_t size)
{
	const char *name;

	if (config_setting_lookup_string(config_setting_get_elem(list, (unsigned)i), "name", &name))
		return name;
	snprintf(buf, size, "entry %d", i + 1);
	return buf;
}

/* The values of LIST's elements (actors) side by side, a column each. */
static void list_values(struct doc *d, const config_setting_t *list, char **keys, int nk,
			const char *actor)
{
	int ng = config_setting_length(list), i, j;
	const char **cells = calloc((size_t)ng + 1, sizeof(*cells));
	char **owned = calloc((size_t)ng + 1, sizeof(*owned)), *align = malloc((size_t)ng + 2);
	char (*num)[32] = calloc((size_t)ng + 1, sizeof(*num));

	if (!cells || !owned || !align || !num)
		goto out;
	memset(align, 'n', (size_t)ng + 1);
	align[0] = 'l';
	align[ng + 1] = '\0';
	cells[0] = actor;
	for (i = 0; i < ng; i++)
		cells[i + 1] = element_name(list, i, num[i], sizeof(num[0]));
	doc_table_begin(d, align, cells);
	for (j = 0; j < nk; j++) {
		if (!strcmp(keys[j], "name"))
			continue;
		cells[0] = keys[j];
		for (i = 0; i < ng; i++) {
			const config_setting_t *s =
				config_setting_lookup(config_setting_get_elem(list, (unsigned)i), keys[j]);

			owned[i] = s ? cfgnotes_value(s) : strdup("none");
			cells[i + 1] = owned[i];
		}
		doc_row(d, cells);
		for (i = 0; i < ng; i++)
			free(owned[i]);
	}
	doc_table_end(d, NULL);
out:
	free(cells);
	free(owned);
	free(align);
	free(num);
}

/* The notes on LIST's values: "key | who | note", one row for the
 * elements whose notes on a key are the same. */
static void list_notes(struct doc *d, struct cfgnotes *n, const config_setting_t *list,
		       char **keys, int nk, const char *actor)
{
	const char *head[3] = { "key", actor, "source or note" };
	int ng = config_setting_length(list), i, j, rows = 0, above;
	char **note = calloc((size_t)ng + 1, sizeof(char *)), (*num)[32] = calloc((size_t)ng + 1, 32);
	const char **who = calloc((size_t)ng + 1, sizeof(char *));
	long *last = malloc(sizeof(long) * ((size_t)ng + 1));

	for (i = 0; last && who && num && i < ng; i++) {
		last[i] = -1;
		who[i] = element_name(list, i, num[i], sizeof(num[i]));
	}
	for (j = 0; note && last && who && num && j < nk; j++) {
		for (i = 0; i < ng; i++) {
			const config_setting_t *s =
				config_setting_lookup(config_setting_get_elem(list, (unsigned)i), keys[j]);

			note[i] = s && strcmp(keys[j], "name") ? note_text(n, s, &last[i], &above) : NULL;
			if (note[i] && above) {
				free(note[i]);
				note[i] = NULL;
			}
		}
		rows = report_note_rows(d, head, rows, keys[j], note, who, ng);
	}
	if (rows)
		doc_table_end(d, "What the config says of each value, once for the entries it says the "
			      "same of.");
	free(note);
	free(num);
	free(who);
	free(last);
}

/* The section of list LIST: values side by side, then their notes. */
static void list_section(struct doc *d, struct cfgnotes *n, const config_setting_t *list,
			 const char *actor)
{
	char **keys, who[128];
	int nk = list_keys(list, &keys), j;

	snprintf(who, sizeof(who), "%s", actor);
	list_values(d, list, keys, nk, who);
	list_notes(d, n, list, keys, nk, who);
	for (j = 0; j < nk; j++)
		free(keys[j]);
	free(keys);
}

/* What the notes are and where they come from. */
static void notes_intro(struct report *rp, const struct rrun *r, const struct cfgnotes *n)
{
	char text[4600];

	if (n->loaded)
		snprintf(text, sizeof(text), "The values are those of the resolved config the run "
			 "used (config.cfg in this directory). Beside each is what the config %s says "
			 "of it in its comments: its source, or that it is a judgement or a "
			 "convention; a key the config does not set has the model's default.",
			 r->config);
	else
		snprintf(text, sizeof(text), "The values are those of the resolved config the run "
			 "used (config.cfg in this directory). The config the run was made from, %s, "
			 "cannot be read from here, so its comments (the sources of the values) are "
			 "not shown.", r->config);
	doc_para(&rp->doc, text, NULL);
}

void report_assumptions(struct report *rp, const struct rrun *r)
{
	static const char *const head[3] = { "key", "value", "source or note" };
	const config_setting_t *root = config_root_setting(&r->cfg.lc), *s;
	const struct model_layout *L = r->sc.layout;
	struct cfgnotes n;
	char *header;
	size_t i;
	long last = -1;

	cfgnotes_open(&n, r->config);
	doc_heading(&rp->doc, 2, "Assumptions");
	notes_intro(rp, r, &n);
	for (i = 0; i <= L->nsections; i++) {
		const char *key = i ? L->sections[i - 1].key : "scenario";
		const char *title = i ? L->sections[i - 1].title : "Scenario";

		s = config_setting_get_member(root, key);
		if (!s || (config_setting_is_list(s) && config_setting_length(s) == 0))
			continue;
		doc_heading(&rp->doc, 3, title);
		if (i && L->sections[i - 1].list) {
			list_section(&rp->doc, &n, s, L->actor ? L->actor : "entry");
			continue;
		}
		doc_table_begin(&rp->doc, "llt", head);
		group_rows(&rp->doc, &n, s, "", &last);
		doc_table_end(&rp->doc, NULL);
	}
	doc_para(&rp->doc, "Every key, its meaning, range and default are described in "
		 "docs/models.md and the pages of each model it points to; 'sim init --model M' "
		 "writes a config with every key commented.", "small");
	header = cfgnotes_header(&n);
	if (header) {
		doc_heading(&rp->doc, 3, "The config's own notes");
		doc_notes(&rp->doc, header);
		free(header);
	}
	cfgnotes_close(&n);
}

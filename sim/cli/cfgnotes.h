/* cfgnotes.h - what a config file says about its numbers: the comment on
 * the line of each key (or the comment lines just above it), read from the
 * config's own text, since libconfig drops comments. A report shows them
 * beside the values (their sources and judgements). */
#ifndef SIM_CFGNOTES_H
#define SIM_CFGNOTES_H

#include <libconfig.h>

#include "core/cfg.h"

struct cfgnotes {
	struct cfg cfg;		/* the config as written, without overrides */
	int loaded;
	char **texts;		/* the text of each of its files (cfg.src.files) */
	char *note;		/* the last note cfgnotes_get() found */
};

/* Loads the config NAME as a run's provenance names it ("(default)" for the
 * embedded scenario, else a path) into N. Returns 0, or -1 when it cannot
 * be read (nothing printed; N is then empty and cfgnotes_get() finds no
 * note). */
int cfgnotes_open(struct cfgnotes *n, const char *name);

/* What N's config says of the setting at S's place in another config
 * (the resolved config of a run): the note in *NOTE (NULL if none; owned
 * by N until the next call), and whether the config sets it to the same
 * value (1), to another (2; its value's text in *WAS, which the caller
 * frees), or not at all (0: a default or an override). *LINE gets an id of
 * the note's line, for showing a note shared by several keys once. */
int cfgnotes_get(struct cfgnotes *n, const config_setting_t *s, const char **note,
		 char **was, long *line);

/* The leading comment block of N's config (its header), as text with
 * blank lines between paragraphs, in a new string; NULL if there is none. */
char *cfgnotes_header(const struct cfgnotes *n);

/* The text of setting S's value as a report shows it: numbers as people
 * write them (pretty_number()), strings as they are, a distribution as
 * "lognormal(mu -2.29, sigma 0.26)". A new string the caller frees. */
char *cfgnotes_value(const config_setting_t *s);

/* Frees what N holds. */
void cfgnotes_close(struct cfgnotes *n);

#endif

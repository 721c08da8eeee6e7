/* cfg.c - loading scenario configs, from a file or the embedded default.
 * The rest of the config reader: cfgset.c (--set overrides), diag.c
 * (messages), cfgcheck.c and cfgdist.c (schema checking), cfgwrite.c
 * (writing configs out). */
#include "core/cfg.h"

#include <stdlib.h>
#include <string.h>

/* The embedded default scenario, generated from configs/default.cfg. */
extern const char sim_default_cfg[];

/* Parses C's source text with libconfig, reporting a syntax error at the
 * file and line it came from. */
static int parse(struct cfg *c)
{
	struct diag d = { c, NULL, 0 };
	const char *file;
	int line;

	if (config_read_string(&c->lc, c->src.text))
		return 0;
	cfgsrc_where(&c->src, config_error_line(&c->lc) > 0 ? config_error_line(&c->lc) : 1,
		     &file, &line);
	diag_at(&d, file, line, NULL, "%s", config_error_text(&c->lc));
	return -1;
}

int cfg_load(struct cfg *c, const char *path)
{
	if (!path)
		return cfg_load_string(c, "(default)", sim_default_cfg);
	memset(c, 0, sizeof(*c));
	config_init(&c->lc);
	c->name = strdup(path);
	if (cfgsrc_read_file(&c->src, path) < 0)
		return -1;
	return parse(c);
}

int cfg_load_string(struct cfg *c, const char *name, const char *text)
{
	memset(c, 0, sizeof(*c));
	config_init(&c->lc);
	c->name = strdup(name);
	if (cfgsrc_read_text(&c->src, name, text, strlen(text)) < 0)
		return -1;
	return parse(c);
}

void cfg_release(struct cfg *c)
{
	config_destroy(&c->lc);
	cfgsrc_release(&c->src);
	free(c->name);
	c->name = NULL;
}

/* diag.c - config errors as "FILE:LINE: error: PATH: MESSAGE". */
#include "core/diag.h"

#include <stdarg.h>
#include <stdint.h>

#include "core/cfg.h"

/* Prints one error of D at FILE and LINE (without LINE unless HAS_LINE)
 * about PATH (none when NULL or empty) and counts it. */
static void report(struct diag *d, const char *file, int line, int has_line,
		   const char *path, const char *fmt, va_list ap)
{
	FILE *out = d->out ? d->out : stderr;

	if (has_line)
		fprintf(out, "%s:%d: error: ", file, line);
	else
		fprintf(out, "%s: error: ", file);
	if (path && *path)
		fprintf(out, "%s: ", path);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	d->errors++;
}

const char *diag_override_file(const struct cfg *c, int index)
{
	if (index > 0)
		return "--set";
	return c->vary_name ? c->vary_name : "--vary";
}

/* Sets *FILE and *LINE to where setting AT of D's config was written: the
 * override that made it or one of its parents (their hook holds the
 * override's index), else the line of AT or of its nearest parent that
 * has one, mapped back to the file it came from; line 1 of the config
 * when none has a line. */
static void locate(const struct diag *d, const config_setting_t *at,
		   const char **file, int *line)
{
	int l = 0;
	intptr_t set_index;

	for (; at; at = config_setting_parent(at)) {
		set_index = (intptr_t)config_setting_get_hook(at);
		if (set_index != 0) {
			*file = diag_override_file(d->cfg, (int)set_index);
			*line = (int)(set_index > 0 ? set_index : -set_index);
			return;
		}
		l = config_setting_source_line(at);
		if (l > 0)
			break;
	}
	if (l > 0 && d->cfg->src.nspan) {
		cfgsrc_where(&d->cfg->src, l, file, line);
		return;
	}
	*file = d->cfg->name;
	*line = l > 0 ? l : 1;
}

void diag_error(struct diag *d, const config_setting_t *at, const char *path,
		const char *fmt, ...)
{
	const char *file;
	int line;
	va_list ap;

	locate(d, at, &file, &line);
	va_start(ap, fmt);
	report(d, file, line, 1, path, fmt, ap);
	va_end(ap);
}

void diag_at(struct diag *d, const char *file, int line, const char *path,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(d, file, line, line >= 0, path, fmt, ap);
	va_end(ap);
}

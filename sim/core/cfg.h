/* cfg.h - scenario configs: loading (file or embedded default; cfg.c),
 * --set overrides (cfgset.c), compiler-style diagnostics (diag.h),
 * schema-driven checking (cfgcheck.c, cfgdist.c) and writing (cfgwrite.c). */
#ifndef SIM_CFG_H
#define SIM_CFG_H

#include <stdint.h>
#include <stdio.h>
#include <libconfig.h>

#include "core/cfgsrc.h"
#include "core/diag.h"
#include "core/dist.h"

/* A loaded config. NAME is what messages call it: the path as given, or
 * "(default)" for the embedded scenario. SRC is the text libconfig parsed,
 * with the files and lines it came from. */
struct cfg {
	config_t lc;
	char *name;
	struct cfgsrc src;
	const char *vary_name;	/* what negative override indices are called */
};

/* Flags of a schema field. */
#define CFG_REQUIRED	0x01u	/* absent is an error */
#define CFG_OPTIONAL	0x02u	/* absent means unset; DEF is not used */
#define CFG_LO_OPEN	0x04u	/* the range excludes LO */
#define CFG_HI_OPEN	0x08u	/* the range excludes HI */
#define CFG_FIXED	0x10u	/* a number, never a distribution */

/* One numeric key of a config group. SLOT indexes the caller's value
 * array; LO and HI bound the allowed values (+-INFINITY for none); DEF is
 * the default when the key is absent, or for REQUIRED and OPTIONAL keys
 * the example value of the starter config ("sim init"). HELP says what
 * the key means. */
struct cfg_field {
	const char *key;
	int slot;
	double lo, hi;
	unsigned flags;
	double def;
	const char *help;
};

/* Loads the config at PATH, or the embedded default when PATH is NULL,
 * reading it and what it includes through cfgsrc (regular files only, at
 * most CFGSRC_MAX_BYTES). Returns 0, or -1 after printing the error; C
 * must be released with cfg_release() either way. */
int cfg_load(struct cfg *c, const char *path);

/* Loads the config TEXT, which messages call NAME. Returns 0, or -1 after
 * printing the error; C must be released with cfg_release() either way. */
int cfg_load_string(struct cfg *c, const char *name, const char *text);

/* Applies one "--set PATH=VALUE" override ARG, the INDEX-th on the command
 * line (from 1), creating missing groups. Settings it creates remember
 * INDEX, so that later errors point at "--set:INDEX"; a negative INDEX -N
 * names the N-th --vary instead ("--vary:N", or C->vary_name when set).
 * Returns 0, or -1 after reporting to D. */
int cfg_set(struct cfg *c, const char *arg, int index, struct diag *d);

/* Frees what C holds. */
void cfg_release(struct cfg *c);

/* Reports an error for every member of GROUP (at PATH) whose name is not
 * in the NULL-terminated list KNOWN nor a key of FIELDS (which may be
 * NULL), suggesting the nearest known name. */
void cfg_check_keys(struct diag *d, const config_setting_t *group,
		    const char *path, const struct cfg_field *fields,
		    const char *const *known);

/* Reads every field of the NULL-key-terminated FIELDS from GROUP (at
 * PATH) into VALUE[slot], checking type and range; PRESENT[slot] is set
 * to 1 for keys given or defaulted. Defaults are written into GROUP, so
 * that the config can later be written out resolved. */
void cfg_read_fields(struct diag *d, config_setting_t *group, const char *path,
		     const struct cfg_field *fields, struct dist *value,
		     unsigned char *present);

/* Returns the group KEY of GROUP, or NULL when absent (an error if
 * REQUIRED) or not a group (always an error). */
config_setting_t *cfg_group(struct diag *d, config_setting_t *group,
			    const char *path, const char *key, int required);

/* Returns the string KEY of GROUP, DEF when absent and not REQUIRED, or
 * NULL after an error. The string is owned by the config. When absent
 * and DEF is not NULL, DEF is written into GROUP. */
const char *cfg_string(struct diag *d, config_setting_t *group,
		       const char *path, const char *key, const char *def,
		       int required);

/* Reads the integer KEY of GROUP into *OUT, checking LO <= value <= HI;
 * writes DEF (and stores it in GROUP) when absent. Returns 0 or -1. */
int cfg_int(struct diag *d, config_setting_t *group, const char *path,
	    const char *key, long long lo, long long hi, long long def,
	    long long *out);

/* Reads the boolean KEY of GROUP (true or false) into *OUT; writes DEF
 * (and stores it in GROUP) when absent. Returns 0 or -1. */
int cfg_bool(struct diag *d, config_setting_t *group, const char *path, const char *key,
	     int def, int *out);

/* Sets or adds the integer KEY of GROUP to V. */
void cfg_put_int(config_setting_t *group, const char *key, long long v);

/* Sets or adds the string KEY of GROUP to V. */
void cfg_put_string(config_setting_t *group, const char *key, const char *v);

/* Writes the config LC in libconfig syntax to F, with every real written
 * so that it reads back exactly. Returns 0, or -1 on a write error. */
int cfg_write(FILE *f, const config_t *lc);

/* Sets *H to the FNV-1a 64-bit hash of C as cfg_write() writes it, but
 * with every group's members in order of name (so that the order in which
 * keys were written or defaulted does not matter).
 * Returns 0, or -1 when out of memory. */
int cfg_hash(const struct cfg *c, uint64_t *h);

/* A starter config's value for KEY other than its default, and WHY, in
 * a few words (or NULL). */
struct cfg_example {
	const char *key;
	double value;
	const char *why;
};

/* Writes FIELDS as commented settings of a starter config, each line
 * indented by INDENT spaces: meaning, range, and default (or "required"
 * or "optional"), then the key with its default or example value; a key
 * of the NULL-key-terminated EX (may be NULL) gets EX's value, and its
 * reason in the comment. */
void cfg_template(FILE *f, const struct cfg_field *fields, int indent,
		  const struct cfg_example *ex);

/* Where a table of fields lives in a config: the keys of FIELDS are at
 * GROUP.KEY ("challenger.war_cost"), or, for an entry of a list NAME,
 * at GROUP.[NAME].SUB.KEY ("guarantors.[US].guarantee.strength"; SUB may
 * be NULL); a field's slot among the model's values is BASE plus its own. */
struct cfg_place {
	const char *group, *sub;
	const struct cfg_field *fields;
	int base;
};

/* Returns, in a new string the caller frees, the path of the key whose
 * value is slot SLOT among the N places P (the first place that has it),
 * the list entry called NAME where NAME is not NULL; NULL when no place
 * has it or out of memory. */
char *cfg_slot_path(const struct cfg_place *p, size_t n, int slot, const char *name);

/* Describes into BUF (of SIZE bytes) the range of F, e.g. "in [0, 1]",
 * "> 0" or "finite". Returns BUF. */
const char *cfg_range_text(char *buf, size_t size, const struct cfg_field *f);

/* Returns the name in the NULL-terminated CANDIDATES nearest to WORD, or
 * NULL when none is near enough to be a likely typo. */
const char *cfg_nearest(const char *word, const char *const *candidates);

/* Formats X as the shortest decimal that reads back exactly. BUF must
 * hold 32 bytes. Returns BUF. */
char *cfg_format_real(char *buf, double x);

#endif

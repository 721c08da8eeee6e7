/* cfgpriv.h - helpers shared by the files of the config reader (cfg.c,
 * cfgset.c, cfgcheck.c, cfgdist.c, cfgwrite.c); not for use outside
 * sim/core. */
#ifndef SIM_CFGPRIV_H
#define SIM_CFGPRIV_H

#include <stddef.h>
#include <libconfig.h>

#include "core/cfg.h"

/* Returns how messages name a setting of libconfig type TYPE: "a group",
 * "a list", "an array", "a string", "a boolean" or "a number". */
const char *cfg_type_name(int type);

/* Returns whether setting S is a number (an integer or a real). */
int cfg_is_number(const config_setting_t *s);

/* Returns the value of the number S. cfgsrc gave every whole number that
 * needs them 64 bits, so an integer is exact. */
double cfg_number(const config_setting_t *s);


/* Parses the distribution group G (at PATH) into *OUT, checking its name,
 * keys and parameters. Returns 0, or -1 after reporting to D. */
int cfg_read_dist(struct diag *d, const config_setting_t *g, const char *path,
		  struct dist *out);

#endif

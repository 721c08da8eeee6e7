/* provenance.h - what every data file says of where it came from: the
 * program and the libraries it was built with, when, where and by which
 * command line it ran, and the config's content hash. */
#ifndef SIM_PROVENANCE_H
#define SIM_PROVENANCE_H

#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

#include "core/cfg.h"

/* The commit gsim was built from ("unknown" outside a checkout). */
extern const char gsim_commit[];

/* Notes the command line of this process (ARGC words of ARGV), for the
 * provenance of the files it writes. Call once, before any is written. */
void provenance_command(int argc, char *const *argv);

/* Writes the two '#' lines that start every data file:
 *   # gsim VERSION (commit C; GSL V, libconfig V, jansson V)
 *   # run: DATE on HOST: COMMAND LINE
 * DATE is UTC, ISO 8601, taken from $SOURCE_DATE_EPOCH when set (for
 * reproducible files); the command line is escaped to stay on its line.
 * The run line is the one that differs between runs of the same study. */
void provenance_write(FILE *f);

/* The FNV-1a 64-bit hash of C as cfg_write() writes it (its resolved
 * content), as 16 hex digits into BUF (17 bytes); "unknown" when out of
 * memory. */
char *provenance_config_hash(const struct cfg *c, char *buf);

/* The provenance as a new JSON object: version, commit, libraries, date,
 * host, command (the command line as the run line writes it). */
json_t *provenance_json(void);

#endif

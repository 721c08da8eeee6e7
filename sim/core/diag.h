/* diag.h - compiler-style diagnostics of configs: every error is printed
 * at once as "FILE:LINE: error: PATH: MESSAGE" and counted. */
#ifndef SIM_DIAG_H
#define SIM_DIAG_H

#include <stdio.h>
#include <libconfig.h>

struct cfg;

/* Collects the errors found in one config. Each error is printed at once
 * on OUT (stderr when NULL) as "FILE:LINE: error: PATH: MESSAGE". */
struct diag {
	const struct cfg *cfg;
	FILE *out;
	int errors;
};

/* Reports an error about setting AT (or about the file when AT is NULL)
 * whose config path is PATH. The file and line are where AT was written:
 * in the config, in a file it includes, or in the --set or --vary
 * override that made it. */
void diag_error(struct diag *d, const config_setting_t *at, const char *path,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A LINE for diag_at(): the message names no line. */
#define DIAG_NO_LINE (-1)

/* Reports an error at line LINE of FILE, about config path PATH: prints
 * "FILE:LINE: error: PATH: MESSAGE", leaving out "PATH: " when PATH is
 * NULL or empty and ":LINE" when LINE is negative (DIAG_NO_LINE: FILE
 * "sim" then gives the voice of the program's own errors), and counts
 * the error in D. */
void diag_at(struct diag *d, const char *file, int line, const char *path,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Returns what messages call the INDEX-th override of config C as a file:
 * "--set" for INDEX > 0; for INDEX < 0, C's vary_name, or "--vary" when
 * C has none. Its line is the override's number, |INDEX|. */
const char *diag_override_file(const struct cfg *c, int index);

#endif

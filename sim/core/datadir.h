/* datadir.h - where sim finds the data files it reads by default (the
 * historical case bases, the example configs): in the current directory
 * when it runs from a checkout, as it always has, else in the installed
 * data directory, PREFIX/share/gsim, found from the program's location. */
#ifndef SIM_DATADIR_H
#define SIM_DATADIR_H

#include <stddef.h>

/* The environment variable that names the data directory, in place of
 * the one found from the program's location or built in. */
#define DATADIR_ENV "GSIM_DATADIR"

/* The data directory under the prefix the program is installed in, the
 * program being PREFIX/bin/gsim. */
#define DATADIR_UNDER_PREFIX "share/gsim"

/* Finds the data file REL, a relative path such as
 * "configs/history/cases.tsv": REL itself when it is readable from the
 * current directory (a checkout, the tests, CI), else REL in the data
 * directory: $GSIM_DATADIR when it is set and not empty; else
 * PREFIX/share/gsim, PREFIX being two levels above the running program
 * (/proc/self/exe), then the directory given at compile time by
 * -DGSIM_DATADIR='"DIR"', if any. Writes the path into BUF (of SIZE bytes)
 * and returns BUF, or returns NULL after an error() that names REL and
 * every place it looked. */
const char *datadir_find(const char *rel, char *buf, size_t size);

#endif

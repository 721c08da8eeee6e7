/* runone.h - running one scenario for a command: the trials with a
 * progress line and SIGINT/SIGTERM, the errors, the figures. */
#ifndef SIM_RUNONE_H
#define SIM_RUNONE_H

#include "engine/engine.h"
#include "io/output.h"

/* Runs the trials of RI->sc on THREADS threads (and, with SPREAD, split
 * among MPI processes), as PREC says, into T and FIG (of
 * summary_count() figures), showing progress on a terminal unless QUIET;
 * then sets RI's tally, figures, threads and seconds. T is set up here;
 * release it with tally_release() whatever the result (it is zeroed
 * first). Returns EXIT_OK, or the exit code after printing what went
 * wrong. */
int runone(struct run_info *ri, struct tally *t, struct figure *fig,
	   const struct precision *prec, int threads, int quiet, int spread);

#endif

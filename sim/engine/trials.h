/* trials.h - a run's trials one by one: what each drew and what it
 * contributed, for trial-level analysis ('sim run --trials-out'). */
#ifndef SIM_TRIALS_H
#define SIM_TRIALS_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/engine.h"
#include "engine/scenario.h"

/* Trials are computed this many at a time, then written in order. */
#define TRIALS_CHUNK 4096

/* The value of figure FIG of S's layout for one trial whose contribution
 * to counter C is X[C]: a share's contribution; for a share or mean given
 * an event, its contribution over the event's (scaled to years where the
 * figure is), NaN when the trial has no chance of the event. */
double trials_figure(const struct scenario *s, size_t fig, const double *x);

/* Writes the tab-separated column names of a trials table to F:
 * "trial", then the layout's params (as ESCAPE writes each), then the
 * keys of its figures. */
void trials_columns(FILE *f, const struct scenario *s, void (*escape)(FILE *, const char *));

/* Runs trials FIRST .. FIRST + COUNT - 1 of S on THREADS threads (0: all)
 * and writes one line for each to F, in order: its index, the values it
 * drew for the layout's params, and each figure's value for it
 * (trials_figure(); NaN written as an empty field). Memory does not grow
 * with COUNT. Returns 0; 1 when stopped by STOP (F then ends at a whole
 * line); -1 after printing an error (out of memory, or a write error). */
int trials_write(const struct scenario *s, uint64_t first, uint64_t count, int threads,
		 FILE *f, volatile sig_atomic_t *stop, engine_progress_fn progress, void *ctx);

#endif

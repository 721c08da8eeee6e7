/* chart.h - charts drawn by gnuplot from the data files sim writes, with
 * the scripts of plots/ compiled into the binary. Values reach gnuplot as
 * plain strings (gnuplot -c SCRIPT ARG...), never as gnuplot code. */
#ifndef SIM_CHART_H
#define SIM_CHART_H

#include <stddef.h>

/* The command that installs gnuplot on Debian, for messages. */
#define CHART_INSTALL "sudo apt-get install gnuplot-nox"

/* Finds an executable "gnuplot" on PATH and writes its path into BUF (of
 * SIZE bytes). Returns 0, or -1 when there is none. */
int chart_find_gnuplot(char *buf, size_t size);

/* Returns the text of the embedded script NAME ("survival.gp"), or NULL. */
const char *chart_script(const char *name);

/* Whether PATH can be handed to the scripts, which pass file names to the
 * shell between single quotes and take lists of them separated by spaces:
 * not empty, and without whitespace, control characters, quotes,
 * backslashes, '$' or '`'. Returns 0, or -1 after printing an error. */
int chart_check_path(const char *path);

/* Runs GNUPLOT on the embedded script NAME with data=DATA (a list of
 * paths separated by spaces), out, term=TERM and, when not NULL, fig=FIG.
 * OUT is the chart's path, or NULL for dumb on stdout: gnuplot draws into
 * a temporary beside it, and the chart is renamed into place only when
 * gnuplot succeeded and the file is complete (a full disk leaves it
 * short). Returns 0; 1 after printing an error with what gnuplot said; 2
 * when a path fails chart_check_path(); or 128 + N when sim or gnuplot was
 * stopped by signal N (nothing is left behind). */
int chart_render(const char *gnuplot, const char *name, const char *data,
		 const char *out, const char *term, const char *fig);

#endif

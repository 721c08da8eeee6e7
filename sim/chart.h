/* chart.h - charts drawn by gnuplot from the data files sim writes, with
 * the scripts of plots/ compiled into the binary. */
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

/* Runs GNUPLOT on the embedded script NAME with the variables data=DATA,
 * out=OUT (may be NULL for dumb on stdout), term=TERM and, when not NULL,
 * fig=FIG. Returns 0, or -1 after printing an error with what gnuplot
 * said. */
int chart_render(const char *gnuplot, const char *name, const char *data,
		 const char *out, const char *term, const char *fig);

#endif

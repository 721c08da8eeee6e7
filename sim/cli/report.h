/* report.h - "sim report": a report an analyst can hand in, written from a
 * finished output directory (of run, compare, sweep, sensitivity, screen,
 * discover or robust) as DIR/report.md and a self-contained
 * DIR/report.html, its charts drawn as SVG by gnuplot (report_*.c). */
#ifndef SIM_REPORT_H
#define SIM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "cli/doc.h"
#include "cli/rtable.h"
#include "core/cfg.h"
#include "engine/scenario.h"
#include "engine/summary.h"

/* What every part of a report needs. */
struct report {
	struct doc doc;
	const char *dir;
	const char *gnuplot;
	int quiet;
};

/* A finished run read back from its directory (sim run -o DIR, or one
 * scenario of sim compare). */
struct rrun {
	char dir[4096];
	struct cfg cfg;		/* DIR/config.cfg */
	struct scenario sc;	/* its layout */
	int sc_open;
	struct figure *fig;	/* summary_count() figures, from summary.json */
	json_t *summary;
	struct rtable surv;	/* survival.tsv */
	struct rtable outc;	/* outcomes.tsv */
	const char *config;	/* the config as the run named it */
	uint64_t trials;
};

/* Reads the run in DIR into R. Returns 0, or -1 after printing an error;
 * R must be freed with report_run_free() either way. */
int report_run_load(struct rrun *r, const char *dir);
void report_run_free(struct rrun *r);

/* The sections of a run's report: key findings, results, charts, the
 * caveats, the assumptions and the provenance. Returns the exit code. */
int report_run(struct report *rp, struct rrun *r);

/* The assumptions of run R as tables, each value with what the config's
 * comments say of it. */
void report_assumptions(struct report *rp, const struct rrun *r);

/* What differs between the configs of the N scenarios RUNS, as tables of
 * the keys whose values differ and of what each config says of them. */
void report_config_diff(struct report *rp, const struct rrun *runs, int n);

/* The reports of the other commands' directories, from their tables:
 * each returns the exit code. */
int report_compare(struct report *rp);
int report_sweep(struct report *rp, const char *path);
int report_sensitivity(struct report *rp, const char *path);
int report_screen(struct report *rp, const char *path);
int report_discover(struct report *rp);
int report_robust(struct report *rp);

/* Opens the report's two files, titled TITLE. Returns the exit code. */
int report_begin(struct report *rp, const char *title);

/* Ends the report: puts its files in place when RET is EXIT_OK (and no
 * SIGINT or SIGTERM came), else discards them. Returns the exit code. */
int report_end(struct report *rp, int ret);

/* Writes the report of whatever DIR holds, drawing its charts with
 * GNUPLOT. Returns the exit code (EXIT_USAGE when DIR holds nothing a
 * report can be made of). */
int report_dir(const char *dir, const char *gnuplot, int quiet);

/* Prints DIR/report.html to DIR/report.pdf with a headless Chromium.
 * Returns the exit code (1 after saying so when there is no Chromium). */
int report_pdf(const char *dir, int quiet);

/* Draws DIR/OUT (an SVG) from DATA (paths separated by spaces) with the
 * embedded script SCRIPT, for figure FIG (may be NULL). Returns the exit
 * code. */
int report_chart(struct report *rp, const char *script, const char *data, const char *out,
		 const char *fig);

/* Draws the chart OUT as report_chart() does and, when it is drawn, shows
 * it with CAPTION. Returns the exit code. */
int report_image(struct report *rp, const char *script, const char *data, const char *out,
		 const char *fig, const char *caption);

/* Rows "KEY | who | note" of the open table for the notes TEXT[0 .. N-1]
 * of the entries WHO[0 .. N-1] on KEY, one row for the entries whose
 * notes are the same; the table (its header HEAD) is begun before the
 * first row of all (ROWS 0). Frees the notes (TEXT[i] = NULL). Returns
 * ROWS plus the rows written. */
int report_note_rows(struct doc *d, const char *const *head, int rows, const char *key,
		     char **text, const char *const *who, int n);

/* Writes the value V with its interval [LO, HI] of a figure into VBUF and
 * CBUF (PRETTY_SIZE bytes each): percentages for a probability (PROB),
 * else numbers of 3 significant digits, and UNIT after them (may be ""). */
void report_value(char *vbuf, char *cbuf, double v, double lo, double hi, int prob,
		  const char *unit);

/* The decimals a number V needs: three significant digits, more while an
 * end of its interval [LO, HI] (NaN: none) reads as V. */
int report_decimals(double v, double lo, double hi);

/* Whether figure DECL is a probability (a share of trials). */
int report_is_prob(const struct model_figure *decl);

/* Whether NAME can be a figure's key (letters, digits, '_'), as the chart
 * scripts take it. */
int report_figure_name(const char *name);

/* A box of key findings, the paragraphs of TEXT (separated by blank
 * lines), under the heading HEADING (none when NULL). */
void report_findings(struct report *rp, const char *heading, const char *text);

/* The caveats, the NULL-terminated paragraphs PARAS, in a box under "What
 * these figures mean". */
void report_caveats(struct report *rp, const char *const *paras);

/* Ends the report of a table T: its caveats PARAS, its provenance and
 * report_end(RET). Returns the exit code. */
int report_close(struct report *rp, const char *const *paras, const struct rtable *t, int ret);

/* Writes the provenance paragraph of a table's '#' lines (T: the build,
 * the run line, the config) under a "Provenance" heading. */
void report_provenance(struct report *rp, const struct rtable *t);

#endif

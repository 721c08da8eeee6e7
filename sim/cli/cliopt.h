/* cliopt.h - the options that most commands share: -n, -s, -j, --set,
 * --estimator, -q, --precision and --max-trials, parsed one way
 * everywhere. */
#ifndef SIM_CLIOPT_H
#define SIM_CLIOPT_H

#include <getopt.h>
#include <stdint.h>

#include "engine/engine.h"

/* What the shared options set. TRIALS_P and SEED_P point at TRIALS and
 * SEED when -n and -s were given, and are NULL otherwise. */
struct cliopt {
	char *sets[256];
	int nsets;
	char estimator[48];	/* the --set that --estimator stands for */
	uint64_t trials, seed;
	uint64_t *trials_p, *seed_p;
	int threads;		/* 0: OpenMP's default */
	int quiet;
	double eps;		/* --precision; 0: off */
	char prec_fig[64];	/* --precision FIG=EPS: FIG; "": p_deterred */
	uint64_t max_trials;	/* --max-trials */
	int max_trials_given;
};

/* Long options for the shared short codes; a command lists those it takes. */
#define CLIOPT_TRIALS { "trials", required_argument, NULL, 'n' }
#define CLIOPT_SEED { "seed", required_argument, NULL, 's' }
#define CLIOPT_THREADS { "threads", required_argument, NULL, 'j' }
#define CLIOPT_SET { "set", required_argument, NULL, 'S' }
#define CLIOPT_QUIET { "quiet", no_argument, NULL, 'q' }
#define CLIOPT_ESTIMATOR { "estimator", required_argument, NULL, 'X' }
#define CLIOPT_PRECISION { "precision", required_argument, NULL, 'P' }, \
	{ "max-trials", required_argument, NULL, 'M' }
/* --format tsv|csv|json: also write each table as CSV or JSON. */
#define CLIOPT_FORMAT_CODE 1000
#define CLIOPT_FORMAT { "format", required_argument, NULL, CLIOPT_FORMAT_CODE }
/* The line of --help that describes it. */
#define CLIOPT_FORMAT_HELP \
	"      --format FMT    tsv (default), csv or json: also write every .tsv\n" \
	"                      table as FMT beside it (the .tsv stays: sim plot\n" \
	"                      and sim report read it); see docs/data.md\n"

/* The format --format asked for in this process (enum tabular_format;
 * TSV when not given). */
int cliopt_format(void);

/* Writes every .tsv table this process has put in place again as the
 * format --format asked for (nothing for TSV). Returns the exit code. */
int cliopt_convert_tables(void);

/* Sets O's defaults. */
void cliopt_init(struct cliopt *o);

/* Takes option C with ARG for command CMD if it is a shared one. Returns 0
 * when taken, 1 when C is not shared, or EXIT_USAGE after an error. */
int cliopt_take(struct cliopt *o, int c, const char *arg, const char *cmd);

/* Handles an option of a command's own (not a shared one): returns 0 when
 * taken, else the exit code after printing an error. */
typedef int (*cliopt_own_fn)(void *ctx, int c, const char *arg);

/* Parses the command line of command CMD with getopt_long (SHORTOPTS and
 * OPTS): the shared options into O, --help (printing USAGE), and the
 * command's own through OWN (may be NULL); --max-trials without
 * --precision is an error. Leaves optind at the first operand. Returns 0, -1 when help was printed, or the exit code after an
 * error. */
int cliopt_parse(struct cliopt *o, int argc, char **argv, const char *shortopts,
		 const struct option *opts, const char *cmd, const char *usage,
		 cliopt_own_fn own, void *ctx);

/* An own-option handler for commands whose one own option is -o DIR:
 * stores DIR in *(const char **)CTX; a second -o is an error. */
int cliopt_output(void *ctx, int c, const char *arg);

/* Reads ARG, the value of option OPT of command CMD, into *X: a number
 * (with WHOLE, a whole one) from LO to HI. Returns 0, or EXIT_USAGE after
 * "OPT: expected a number from LO to HI, got 'ARG'". */
int cliopt_number(const char *cmd, const char *opt, const char *arg, double lo, double hi,
		  int whole, double *x);


/* The --precision of O: its EPS, --max-trials and figure. */
struct precision cliopt_precision(const struct cliopt *o);

/* Checks precision P of command CMD for a run of the figures of L.
 * Returns 0, or EXIT_USAGE after saying that L has no such figure (naming
 * those it has) or that EPS is 0.5 or more for a probability. */
int cliopt_check_precision(const struct precision *p, const struct model_layout *L,
			   const char *cmd);

/* Flushes stdout; returns 0, or EXIT_RUNTIME after saying it failed. */
int cliopt_flush(void);

#endif

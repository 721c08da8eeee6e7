/* studyopt.h - the command line of the study commands (sweep, sample,
 * sensitivity): the options they share and their parsing into a study. */
#ifndef SIM_STUDYOPT_H
#define SIM_STUDYOPT_H

#include <getopt.h>

#include "cli/cliopt.h"
#include "study/study.h"

/* Long options every study command takes; getopt_long codes below. */
#define STUDY_OPTIONS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "trials", required_argument, NULL, 'n' }, \
	{ "seed", required_argument, NULL, 's' }, \
	{ "threads", required_argument, NULL, 'j' }, \
	{ "set", required_argument, NULL, 'S' }, \
	{ "estimator", required_argument, NULL, 'X' }, \
	{ "independent", no_argument, NULL, 'I' }, \
	{ "precision", required_argument, NULL, 'P' }, \
	{ "max-trials", required_argument, NULL, 'M' }, \
	{ "resume", required_argument, NULL, 'R' }, \
	{ "progress", no_argument, NULL, 'G' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	CLIOPT_FORMAT, \
	{ "help", no_argument, NULL, 'h' }
#define STUDY_SHORT ":o:n:s:j:qh"

/* Storage for what study_option() parses. */
struct study_args {
	struct cliopt o;
};

/* Takes option C (with OPTARG) if it is one of the study's own (-o,
 * --independent, --resume, --progress), storing it in S. Returns 0 when
 * taken, 1 when not, STATUS_BAD after an error (-o or --resume given
 * twice, or both). */
int study_option(struct study *s, int c, const char *optarg);

/* Sets up S's defaults before options are parsed. */
void study_init(struct study *s, struct study_args *a, const char *cmd, const char *file);

/* Handles an option of a command's own (not a study option): returns 0
 * when taken, else the exit code after printing an error. */
typedef int (*study_own_fn)(void *ctx, int c, const char *optarg);

/* Parses the command line of a study command: the STUDY_OPTIONS (into S
 * and A), the command's own options through OWN, help (printing USAGE),
 * and an optional CONFIG. Returns 0, -1 when help was printed, or the exit
 * code after printing an error. */
int study_parse(struct study *s, struct study_args *a, int argc, char **argv,
		const struct option *opts, const char *usage, study_own_fn own, void *ctx);

/* Adds the range ARG of command CMD to R. Returns 0 or the exit code
 * after printing an error. */
int study_range_option(struct study_ranges *r, const char *arg, const char *cmd);

/* Resolves the NSPECS --group options SPECS ("NAME=PATH,PATH...", each
 * PATH a range of R, none in two groups) of command CMD: GROUP[i] gets
 * range i's group, NAMES[g] (allocated; the caller frees) each group's
 * name, the groups first, then each range in no group as a group of its
 * own named by its path; *K the number of groups. Returns 0 or the exit
 * code after a usage error. */
int study_groups(const struct study_ranges *r, const char *const *specs, size_t nspecs,
		 const char *cmd, size_t *group, char **names, size_t *k);

#endif

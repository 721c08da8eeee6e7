/* builtin.h - the subcommands: one file each (cmd_*.c), registered in the
 * table of main.c. A command's return value is the process's exit code. */
#ifndef SIM_BUILTIN_H
#define SIM_BUILTIN_H

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_models(int argc, char **argv);

/* Whether a GSL routine reported an error since start-up (main.c installs
 * the handler that records it). */
int sim_gsl_failed(void);

/* Parses a whole decimal number in [LO, HI] from S into *OUT; returns 0 or
 * -1 (nothing printed). */
int parse_u64(const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out);

#endif

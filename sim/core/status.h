/* status.h - how an operation of the library ended. A command of the
 * command line exits with the status of what it ran (cli/usage.h), so the
 * numbers are those of the exit codes the README documents. */
#ifndef SIM_STATUS_H
#define SIM_STATUS_H

enum status {
	STATUS_OK = 0,
	STATUS_FAILED = 1,	/* a runtime or I/O failure */
	STATUS_BAD = 2		/* bad input: a config, an option, a file to resume */
};

/* Stopped by signal SIG (SIGINT, SIGTERM), after keeping what was done. */
#define STATUS_STOPPED(sig) (128 + (sig))

#endif

/* gslerr.h - GSL error handling: GSL's default handler aborts the
 * process; ours reports the error and lets the run end with exit code 1. */
#ifndef SIM_GSLERR_H
#define SIM_GSLERR_H

/* Installs the handler. Call once at start-up. */
void gslerr_install(void);

/* Returns whether a GSL routine reported an error since start-up. */
int sim_gsl_failed(void);

#endif

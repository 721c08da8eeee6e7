/* sigstop.h - SIGINT and SIGTERM ask long work to stop cleanly: the
 * handler only sets a flag that the engine polls between blocks. */
#ifndef SIM_SIGSTOP_H
#define SIM_SIGSTOP_H

#include <signal.h>

/* Installs the handlers and returns the flag they set (to the signal's
 * number). The flag lives for the whole process. */
volatile sig_atomic_t *sigstop_install(void);

/* The status of a run stopped by signal SIG: STATUS_STOPPED(SIG). */
int sigstop_status(int sig);

#endif

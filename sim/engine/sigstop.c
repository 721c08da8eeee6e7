/* sigstop.c - stop flags set by SIGINT and SIGTERM. */
#include "engine/sigstop.h"

#include <string.h>

#include "core/status.h"

/* Signal handlers can only reach static storage; this flag is the one
 * they set, and nothing but them writes it. */
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	stop_flag = sig;
}

volatile sig_atomic_t *sigstop_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &stop_flag;
}

int sigstop_status(int sig)
{
	return STATUS_STOPPED(sig);
}

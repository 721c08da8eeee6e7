/* cluster.h - many processes with MPI, when sim is built with MPI=1.
 * Without MPI every function acts as the one process of a job of one, so
 * callers need no #ifdef. */
#ifndef SIM_CLUSTER_H
#define SIM_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "engine/summary.h"

struct tally;

/* Starts MPI (if built with it) with the program's arguments. */
void cluster_init(int *argc, char ***argv);

/* Ends MPI (if built with it). */
void cluster_finalize(void);

/* This process's rank, and the number of processes (1 without MPI). */
int cluster_rank(void);
int cluster_size(void);

/* Adds up the counts of T over every process; every process gets the
 * sum, in the same bits (integer counts). Returns 0 or -1. */
int cluster_sum_tally(struct tally *t);

/* The largest of every process's X; every process gets it. */
int cluster_max_int(int x);

/* Ends the whole job with exit code CODE. */
void cluster_abort(int code);

/* Ends this process at once with exit code CODE, without waiting for the
 * others (MPI is not finalized): for a process stopped by a signal. */
void cluster_exit(int code);

/* A point's figures travel in one message: a study refuses a model with
 * more figures than this (study_check()). */
#define CLUSTER_MAX_FIGURES 64

/* Messages of the studies' coordinator (rank 0) and workers: only the
 * first NFIG figures are sent. */
struct cluster_result {
	int64_t point;		/* -1: a worker's first request */
	int32_t status;		/* 0 done, 1 stopped, 2 config error, 3 failed */
	int32_t nfig;
	uint64_t trials, trial_steps;
	struct figure fig[CLUSTER_MAX_FIGURES];
};

/* Rank 0 gives *V to every process. */
void cluster_share(uint64_t *v);

/* A worker sends its result R to rank 0. Returns 0 or -1. */
int cluster_send_result(const struct cluster_result *r);

/* Rank 0 takes a result into R: waits for one when WAIT, else takes one
 * only if it has arrived. Returns 1 when it took one, 0 when none had
 * arrived, -1 on an error. */
int cluster_take_result(struct cluster_result *r, int wait);

#endif

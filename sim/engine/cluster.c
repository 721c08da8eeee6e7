/* cluster.c - MPI glue (built with MPI=1), or a job of one process. */
#include "engine/cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "engine/engine.h"

#ifdef SIM_MPI
#include <mpi.h>

enum { TAG_RESULT = 1 };

void cluster_init(int *argc, char ***argv)
{
	MPI_Init(argc, argv);
}

void cluster_finalize(void)
{
	MPI_Finalize();
}

int cluster_rank(void)
{
	int r;

	MPI_Comm_rank(MPI_COMM_WORLD, &r);
	return r;
}

int cluster_size(void)
{
	int n;

	MPI_Comm_size(MPI_COMM_WORLD, &n);
	return n;
}

int cluster_sum_tally(struct tally *t)
{
	int n = cluster_size(), i, k;
	size_t nk = (size_t)t->n_steps + 64;	/* 46 counts, then the steps */
	uint64_t *mine = calloc(nk, sizeof(uint64_t)), *sum = calloc(nk, sizeof(uint64_t));
	unsigned __int128 *sq = calloc((size_t)n, sizeof(*sq));

	if (!mine || !sum || !sq) {
		free(mine);
		free(sum);
		free(sq);
		return -1;
	}
	/* Every integer count in one array, summed exactly. */
	k = 0;
	mine[k++] = t->trials;
	mine[k++] = t->attacked;
	for (i = 0; i < N_SUPPORT; i++) {
		mine[k++] = t->support[i];
		mine[k++] = t->cell[i][0];
		mine[k++] = t->cell[i][1];
	}
	mine[k++] = t->won;
	mine[k++] = t->step_sum;
	mine[k++] = t->trial_steps;
	for (i = 0; i < 32; i++)
		mine[k++] = t->intervened[i];
	memcpy(mine + k, t->at_step, sizeof(uint64_t) * (size_t)t->n_steps);
	MPI_Allreduce(mine, sum, (int)(k + t->n_steps), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
	k = 0;
	t->trials = sum[k++];
	t->attacked = sum[k++];
	for (i = 0; i < N_SUPPORT; i++) {
		t->support[i] = sum[k++];
		t->cell[i][0] = sum[k++];
		t->cell[i][1] = sum[k++];
	}
	t->won = sum[k++];
	t->step_sum = sum[k++];
	t->trial_steps = sum[k++];
	for (i = 0; i < 32; i++)
		t->intervened[i] = sum[k++];
	memcpy(t->at_step, sum + k, sizeof(uint64_t) * (size_t)t->n_steps);
	/* The 128-bit sum of squares: gathered, and added in rank order. */
	MPI_Allgather(&t->step_sq, (int)sizeof(t->step_sq), MPI_BYTE, sq, (int)sizeof(*sq),
		      MPI_BYTE, MPI_COMM_WORLD);
	t->step_sq = 0;
	for (i = 0; i < n; i++)
		t->step_sq += sq[i];
	free(mine);
	free(sum);
	free(sq);
	return 0;
}

int cluster_max_int(int x)
{
	int m;

	MPI_Allreduce(&x, &m, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	return m;
}

void cluster_abort(int code)
{
	MPI_Abort(MPI_COMM_WORLD, code);
}

void cluster_exit(int code)
{
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}

void cluster_share(uint64_t *v)
{
	MPI_Bcast(v, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

int cluster_send_result(const struct cluster_result *r)
{
	return MPI_Send(r, (int)sizeof(*r), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD) ==
	       MPI_SUCCESS ? 0 : -1;
}

int cluster_take_result(struct cluster_result *r, int wait)
{
	int flag = 1;

	if (!wait && MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag,
				MPI_STATUS_IGNORE) != MPI_SUCCESS)
		return -1;
	if (!flag)
		return 0;
	return MPI_Recv(r, (int)sizeof(*r), MPI_BYTE, MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
			MPI_STATUS_IGNORE) == MPI_SUCCESS ? 1 : -1;
}

#else

void cluster_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

void cluster_finalize(void)
{
}

int cluster_rank(void)
{
	return 0;
}

int cluster_size(void)
{
	return 1;
}

int cluster_sum_tally(struct tally *t)
{
	(void)t;
	return 0;
}

int cluster_max_int(int x)
{
	return x;
}

void cluster_abort(int code)
{
	exit(code);
}

void cluster_exit(int code)
{
	exit(code);
}

void cluster_share(uint64_t *v)
{
	(void)v;
}

int cluster_send_result(const struct cluster_result *r)
{
	(void)r;
	return -1;
}

int cluster_take_result(struct cluster_result *r, int wait)
{
	(void)r;
	(void)wait;
	return -1;
}

#endif

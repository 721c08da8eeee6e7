/* cluster.c - MPI glue (built with MPI=1), or a job of one process. */
#include "engine/cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "core/tally.h"
#include "engine/summary.h"

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

/* MPI's reduction for 128-bit sums: exact, so the order of the processes
 * cannot change a bit. */
static void add_sums(void *in, void *inout, int *len, MPI_Datatype *type)
{
	tally_sum *a = in, *b = inout;
	int i;

	(void)type;
	for (i = 0; i < *len; i++)
		b[i] += a[i];
}

int cluster_sum_tally(struct tally *t)
{
	size_t n = t->n + 2;
	tally_sum *mine = malloc(sizeof(*mine) * n), *sum = malloc(sizeof(*sum) * n);
	MPI_Datatype type;
	MPI_Op op;
	int ok;

	if (!mine || !sum) {
		free(mine);
		free(sum);
		return -1;
	}
	memcpy(mine, t->sum, sizeof(*mine) * t->n);
	mine[t->n] = (tally_sum)t->trials << 64 | t->steps;
	mine[t->n + 1] = t->units;
	MPI_Type_contiguous((int)sizeof(tally_sum), MPI_BYTE, &type);
	MPI_Type_commit(&type);
	MPI_Op_create(add_sums, 1, &op);
	ok = MPI_Allreduce(mine, sum, (int)n, type, op, MPI_COMM_WORLD) == MPI_SUCCESS;
	MPI_Op_free(&op);
	MPI_Type_free(&type);
	if (ok) {
		memcpy(t->sum, sum, sizeof(*sum) * t->n);
		t->trials = (uint64_t)(sum[t->n] >> 64);
		t->steps = (uint64_t)sum[t->n];
		t->units = (uint64_t)sum[t->n + 1];
	}
	free(mine);
	free(sum);
	return ok ? 0 : -1;
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
	size_t n = offsetof(struct cluster_result, fig) + sizeof(r->fig[0]) * (size_t)r->nfig;

	return MPI_Send(r, (int)n, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
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

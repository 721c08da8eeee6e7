/* testutil.h - helpers the cmocka tests share: running ./bin/sim as a
 * child (no shell), reading files, temporary directories, and checks
 * that count their failures. */
#ifndef GSIM_TESTUTIL_H
#define GSIM_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* The sim binary under test: $GSIM_SIM, else ./bin/sim. */
#define SIM sim_path()
char *sim_path(void);
#define TIMEOUT_SECONDS 60
#define NSE 4.0			/* tolerance of check_se, in standard errors */

/* A growing, NUL-terminated byte buffer. */
struct buf {
	char *p;
	size_t n, cap;
};

/* Appends N bytes of S to B. */
void buf_add(struct buf *b, const char *s, size_t n);

/* What a child process did. */
struct result {
	int status;		/* exit code; 128 + N when killed by signal N */
	int timed_out;
	struct buf out, err;
};

/* Frees what R holds. */
void result_free(struct result *r);

/* The text of B ("" when empty). */
const char *text(const struct buf *b);

/* Seconds on a monotonic clock. */
double now(void);

/* Sleeps MS milliseconds. */
void sleep_ms(int ms);

/* Runs ARGV (argv[0] is the program path, run with execv, no shell),
 * collecting its stdout and stderr into R; stdin is /dev/null; killed
 * after TIMEOUT_SECONDS. */
void run(char *const argv[], struct result *r);

/* Runs ARGV as run() does, in the environment ENVP (a NULL-terminated
 * array of "NAME=VALUE"; NULL: this process's). */
void run_env(char *const argv[], char *const envp[], struct result *r);

/* A copy of this process's environment with NAME set to VALUE (added or
 * replacing it), for run_env(); free it with env_free(). */
char **env_with(const char *name, const char *value);
void env_free(char **env);

/* Runs ./bin/sim with the NULL-terminated arguments that follow. */
void sim(struct result *r, ...);

/* ARGV as one line, for messages (a static buffer). */
const char *cmdline(char *const argv[]);

/* Runs ARGV as run() does and fails, saying so with its stderr, unless it
 * exits with EXPECT in time. */
void run_expect(char *const argv[], struct result *r, int expect);

/* Starts ARGV (execv, no shell) in the background, for a test that acts on
 * the child while it runs (signals it, watches its files): stdin and
 * stdout are /dev/null, stderr goes to the file ERR_PATH (created or
 * truncated). Returns the child's pid. */
pid_t start(char *const argv[], const char *err_path);

/* Waits up to SECONDS (0: just looks) for the child PID to end, looking
 * every 5 ms: returns 1 once it has, with its wait status in *STATUS, or
 * 0 while it still runs. */
int wait_child(pid_t pid, double seconds, int *status);

/* Kills the child PID (SIGKILL) and reaps it. */
void kill_child(pid_t pid);

/* The complete data rows of the TSV file PATH (lines that are neither
 * blank nor "#" lines, after the column line); 0 when it cannot be read. */
int count_rows(const char *path);

/* Waits up to SECONDS for the file PATH, written by the child PID (ARGV),
 * to hold ROWS data rows; fails the test (killing the child) if the child
 * ends first or time runs out. */
void wait_rows(pid_t pid, char *const argv[], const char *path, int rows, double seconds);

/* A copy of TEXT without the lines that differ between two runs of the
 * same study: the "# run: DATE on HOST: COMMAND" line of a data file and
 * the "date" and "command" members of a JSON provenance. The caller
 * frees it. */
char *stable(const char *text);

/* Reads the whole file PATH (NUL-terminated, the caller frees it);
 * NULL when it cannot. Sets *LEN when LEN is not NULL. */
char *slurp(const char *path, size_t *len);

/* Whether PATH exists (without following a link). */
int exists(const char *path);

/* The names in directory PATH ("." and ".." left out), sorted, one per
 * line, each ending in a newline ("" when empty); NULL when it cannot be
 * read. The caller frees it. */
char *list_dir(const char *path);

/* Removes PATH and, if it is a directory, everything in it. */
void remove_tree(const char *path);

/* Creates a fresh temporary directory into DIR; the caller removes it. */
void make_tmp(char *dir, size_t size);

/* A cmocka setup (of a test or of a group) for tests that run ./bin/sim in
 * a temporary directory: returns -1 when ./bin/sim is not built, else
 * creates a fresh directory and sets *STATE to its path (allocated). */
int tmp_setup(void **state);

/* The matching teardown: removes the directory *STATE and frees it. */
int tmp_teardown(void **state);

/* Whether A and B hold the same bytes, apart from the lines stable()
 * leaves out; if not, says where they differ (WHAT names the comparison). */
int same_bytes(const char *what, const char *a, size_t na, const char *b, size_t nb);

/* Checks that count their failures instead of stopping a test at the
 * first: each prints "WHAT: observed X vs expected Y ..." when it fails.
 * A test that uses them has check_setup as its setup (FAILURES = 0) and
 * ends with check_finish(), which fails it unless FAILURES is 0. */
extern int failures;
int check_setup(void **state);

/* check_setup() then tmp_setup(): for a test that both counts checks and
 * runs ./bin/sim in a temporary directory. */
int check_tmp_setup(void **state);
void check_finish(void);

/* Counts a failure with the printf-style message FMT unless OK. */
void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes DIR/NAME into BUF (of SIZE bytes) and returns BUF. */
const char *in(char *buf, size_t size, const char *dir, const char *name);

/* Writes TEXT to the new file PATH (failing the test if it cannot). */
void put_file(const char *path, const char *text);

/* Runs ARGV, counting a failure unless it exits with EXPECT in time;
 * returns its stderr (the caller frees it). */
char *run_err(char *const argv[], int expect);

/* Runs ./bin/sim with the NULL-terminated arguments as run_err() does. */
char *sim_expect(int expect, ...);

/* Runs ./bin/sim with the arguments, counting a failure unless it exits 0. */
#define SIM_OK(...) free(sim_expect(0, __VA_ARGS__, NULL))

/* Exact comparison of integers. */
void check_long(const char *what, long obs, long exp_);

/* Compares OBS with EXP at tolerance NSE standard errors SE (SE = 0:
 * exact to 1e-12 relative); OBS must be finite. */
void check_se(const char *what, double obs, double exp_, double se);

#endif

/* test_output.c - output safety: a full disk, a file-size limit or a
 * closed stdout end with exit code 1, a message, and no partial file;
 * links planted in an output directory are never followed; devices,
 * FIFOs and sockets are never replaced; a directory has one writer at a
 * time; charts are whole or absent; a killed run's temporaries go; Ctrl-C
 * during report's charts exits 130 with nothing half-written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#define STRENGTH "guarantors.[0].guarantee.strength"
#define VICTIM_TEXT "precious: not to be written through a link\n"

/* Runs "sh -c SCRIPT" and returns the result in R. */
static void shell(struct result *r, const char *script)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	run(argv, r);
}

/* Each command, its stdout on /dev/full, fails with 1 and says so. */
static void test_stdout_full(void **state)
{
	static const char *const cmds[] = {
		"run -n 200 -q",
		"run -n 200 -q --json",
		"sweep --vary guarantors.[0].guarantee.strength=0,1 -n 200 -q",
		"compare configs/default.cfg configs/default.cfg -n 200 -q",
		"check configs/default.cfg",
		"init -",
		"trace --trial 0",
		"models",
		"backtest -n 100 -q",
		"help",
		"help run",
		"--version",
		"--help",
		"run --help",
	};
	char script[512];
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(script, sizeof(script), "exec %s %s > /dev/full", SIM, cmds[i]);
		shell(&r, script);
		if (r.status != 1 || !strstr(text(&r.err), "cannot write"))
			fail_msg("sim %s > /dev/full: exit %d, stderr '%s'; expected exit 1 and "
				 "'cannot write'", cmds[i], r.status, text(&r.err));
		result_free(&r);
	}
}

/* A file-size limit makes survival.tsv fail to write: exit 1, the file
 * named, and not one file (nor temporary) left in the directory. */
static void test_file_too_large(void **state)
{
	char dir[256], script[1024], *ls;
	struct result r;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(script, sizeof(script), "ulimit -f 1; trap '' XFSZ; exec %s run -n 2000 -q -o %s/out",
		 SIM, dir);
	shell(&r, script);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(text(&r.err), "cannot write"));
	result_free(&r);
	snprintf(script, sizeof(script), "%s/out", dir);
	ls = list_dir(script);
	if (ls && *ls)
		fail_msg("files left after a failed write: %s", ls);
	free(ls);
	remove_tree(dir);
}

/* An earlier complete output stays whole when a later run fails to write. */
static void test_old_output_kept(void **state)
{
	char dir[256], script[1024], path[300], *before, *after;
	struct result r;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	sim(&r, "run", "-n", "500", "-q", "-o", path, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/out/survival.tsv", dir);
	before = slurp(path, NULL);
	assert_non_null(before);
	snprintf(script, sizeof(script), "ulimit -f 1; trap '' XFSZ; exec %s run -n 900 -s 5 -q -o %s/out",
		 SIM, dir);
	shell(&r, script);
	assert_int_equal(r.status, 1);
	result_free(&r);
	after = slurp(path, NULL);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	remove_tree(dir);
}

/* ---------------------------------------------------------------- */
/* Helpers */

/* The victim file DIR/victim, for links planted in output directories. */
static const char *victim(const char *dir)
{
	static char path[300];

	snprintf(path, sizeof(path), "%s/victim", dir);
	put_file(path, VICTIM_TEXT);
	return path;
}

/* The victim still holds what it held (WHAT says which case). */
static void check_victim(const char *path, const char *what)
{
	char *now = slurp(path, NULL);

	check(now && !strcmp(now, VICTIM_TEXT), "%s: the link's target %s changed: now '%.200s'",
	      what, path, now ? now : "(gone)");
	free(now);
}

/* PATH is a regular file (not a link), non-empty. */
static void check_regular(const char *path, const char *what)
{
	struct stat st;

	check(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0,
	      "%s: %s is not a non-empty regular file", what, path);
}

/* The names in DIR that look like our temporaries (".NAME.tmp.XXXXXX"),
 * and any .partial file, one per line ("" when none). */
static char *leftovers(const char *dir)
{
	char *names = list_dir(dir), *line, *save;
	struct buf b = { NULL, 0, 0 };

	buf_add(&b, "", 0);
	for (line = names ? strtok_r(names, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, ".tmp.") || strstr(line, ".partial") || !strcmp(line, ".gsim.lock")) {
			buf_add(&b, line, strlen(line));
			buf_add(&b, "\n", 1);
		}
	free(names);
	return b.p;
}

static void check_no_leftovers(const char *dir, const char *what)
{
	char *l = leftovers(dir);

	check(!*l, "%s: left in %s:\n%s", what, dir, l);
	free(l);
}

static mode_t kind(const char *path);

/* ---------------------------------------------------------------- */
/* Links planted in an output directory are never followed */

/* sweep -o DIR with DIR/sweep.tsv.partial a link: the target unchanged,
 * sweep.tsv a file of its own. */
static void test_link_partial(void **state)
{
	char dir[256], out[300], p[400];
	const char *v;

	(void)state;
	make_tmp(dir, sizeof(dir));
	v = victim(dir);
	in(out, sizeof(out), dir, "out");
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(symlink(v, in(p, sizeof(p), out, "sweep.tsv.partial")), 0);
	SIM_OK("sweep", "--vary", STRENGTH "=0,1", "-n", "200", "-q", "-o", out);
	check_victim(v, "sweep -o with a linked sweep.tsv.partial");
	check_regular(in(p, sizeof(p), out, "sweep.tsv"), "sweep -o");
	check_no_leftovers(out, "sweep -o");
	remove_tree(dir);
	check_finish();
}

/* sweep --resume DIR with DIR/sweep.tsv.partial a link to a file holding
 * a good header and a row: refused, the target unchanged. */
static void test_link_resume(void **state)
{
	char dir[256], ref[300], out[300], p[400], *full, *cut;
	char *err;
	FILE *f;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(ref, sizeof(ref), dir, "ref");
	in(out, sizeof(out), dir, "out");
	SIM_OK("sweep", "--vary", STRENGTH "=0:1:3", "-n", "200", "-q", "-o", ref);
	full = slurp(in(p, sizeof(p), ref, "sweep.tsv"), NULL);
	assert_non_null(full);
	/* the header and the first row: what an interrupted sweep leaves */
	cut = strstr(full, "\n0\t");
	assert_non_null(cut);
	cut = strchr(cut + 1, '\n');
	cut[1] = '\0';
	in(p, sizeof(p), dir, "victim");
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(full, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(symlink(p, in(ref, sizeof(ref), out, "sweep.tsv.partial")), 0);
	err = sim_expect(2, "sweep", "--vary", STRENGTH "=0:1:3", "-n", "200", "-q", "--resume",
			 out, NULL);
	check(strstr(err, "cannot resume: cannot read") && strstr(err, "symbolic link"),
	      "sweep --resume through a link: stderr does not say it is a link:\n%s", err);
	free(err);
	cut = slurp(p, NULL);
	check(cut && !strcmp(cut, full), "sweep --resume wrote through the link into %s", p);
	free(cut);
	free(full);
	remove_tree(dir);
	check_finish();
}

/* run -o, report -o and plot with every file they write (and the lock)
 * a link to the victim, compare -o with a scenario's directory a link:
 * each target unchanged, each file its own. */
static void test_link_outputs(void **state)
{
	static const char *const run_files[] = {
		"summary.json", "survival.tsv", "outcomes.tsv", "config.cfg", ".gsim.lock"
	};
	static const char *const rep_files[] = {
		"survival.svg", "outcomes.svg", "report.md", "report.html", ".gsim.lock"
	};
	char dir[256], out[300], p[400], sub[400], *ls;
	const char *v;
	size_t i;

	(void)state;
	make_tmp(dir, sizeof(dir));
	v = victim(dir);
	in(out, sizeof(out), dir, "run");
	assert_int_equal(mkdir(out, 0755), 0);
	for (i = 0; i < sizeof(run_files) / sizeof(run_files[0]); i++)
		assert_int_equal(symlink(v, in(p, sizeof(p), out, run_files[i])), 0);
	SIM_OK("run", "-n", "300", "-q", "-o", out);
	check_victim(v, "run -o");
	for (i = 0; i < 4; i++)
		check_regular(in(p, sizeof(p), out, run_files[i]), "run -o");

	assert_int_equal(symlink(v, in(p, sizeof(p), out, "survival.png")), 0);
	unlink(in(p, sizeof(p), out, ".gsim.lock"));
	assert_int_equal(symlink(v, p), 0);
	SIM_OK("plot", out, "-q");
	check_victim(v, "plot");
	check_regular(in(p, sizeof(p), out, "survival.png"), "plot");

	in(out, sizeof(out), dir, "rep");
	assert_int_equal(mkdir(out, 0755), 0);
	for (i = 0; i < sizeof(rep_files) / sizeof(rep_files[0]); i++)
		assert_int_equal(symlink(v, in(p, sizeof(p), out, rep_files[i])), 0);
	SIM_OK("report", "-n", "300", "-q", "-o", out);
	check_victim(v, "report -o");
	for (i = 0; i < 4; i++)
		check_regular(in(p, sizeof(p), out, rep_files[i]), "report -o");
	check_no_leftovers(out, "report -o");

	/* compare -o with a scenario's directory a link to another directory */
	in(out, sizeof(out), dir, "cmp");
	assert_int_equal(mkdir(out, 0755), 0);
	in(p, sizeof(p), dir, "victim-dir");
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(symlink(p, in(sub, sizeof(sub), out, "s01")), 0);
	SIM_OK("compare", "configs/default.cfg", "configs/default.cfg", "-n", "200", "-q", "-o", out);
	ls = list_dir(p);
	check(ls && !*ls, "compare -o wrote through the link s01 into %s:\n%s", p, ls ? ls : "");
	free(ls);
	check(kind(sub) == S_IFDIR, "compare -o: %s is not a directory of its own", sub);
	check_regular(in(p, sizeof(p), sub, "survival.tsv"), "compare -o");
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Devices, FIFOs and sockets are never replaced */

/* The kind of PATH (S_IFMT bits), 0 when it does not exist. */
static mode_t kind(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0;
}

/* Reads what is in the pipe FD now (it is non-blocking). */
static char *drain(int fd)
{
	struct buf b = { NULL, 0, 0 };
	char chunk[4096];
	ssize_t n;

	buf_add(&b, "", 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	return b.p;
}

/* init --force into a FIFO, into copies of /dev/null and /dev/full (made
 * with mknod, as root), onto a directory, a socket and a link. */
static void test_init_devices(void **state)
{
	char dir[256], fifo[300], node[300], *got, *err;
	struct sockaddr_un sa;
	int fd, sock;

	(void)state;
	make_tmp(dir, sizeof(dir));

	/* a FIFO: written into as '>' would, and still a FIFO */
	in(fifo, sizeof(fifo), dir, "fifo");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	SIM_OK("init", "--force", fifo);
	check(kind(fifo) == S_IFIFO, "init --force FIFO: %s is no longer a FIFO", fifo);
	got = drain(fd);
	check(strstr(got, "# A gsim scenario") != NULL, "init --force FIFO: the reader got '%.100s'",
	      got);
	free(got);
	close(fd);

	/* copies of /dev/null and /dev/full: written into, still devices */
	in(node, sizeof(node), dir, "null");
	if (mknod(node, S_IFCHR | 0666, makedev(1, 3)) == 0 && (fd = open(node, O_WRONLY)) >= 0) {
		close(fd);
		SIM_OK("init", "--force", node);
		check(kind(node) == S_IFCHR, "init --force on a copy of /dev/null replaced it");
		in(node, sizeof(node), dir, "full");
		assert_int_equal(mknod(node, S_IFCHR | 0666, makedev(1, 7)), 0);
		err = sim_expect(1, "init", "--force", node, NULL);
		check(strstr(err, "cannot write") && strstr(err, "No space left on device"),
		      "init --force on a copy of /dev/full: stderr\n%s", err);
		free(err);
		check(kind(node) == S_IFCHR, "init --force on a copy of /dev/full replaced it");
	} else {
		print_message("(no device nodes here: not root, or a nodev file system; skipped)\n");
	}

	/* a directory and a socket: refused, left as they are */
	in(node, sizeof(node), dir, "adir");
	assert_int_equal(mkdir(node, 0755), 0);
	err = sim_expect(1, "init", "--force", node, NULL);
	check(strstr(err, "it is a directory") != NULL, "init --force DIR: stderr\n%s", err);
	free(err);
	check(kind(node) == S_IFDIR, "init --force DIR: no longer a directory");
	in(node, sizeof(node), dir, "sock");
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(sock >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", node);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	err = sim_expect(1, "init", "--force", node, NULL);
	check(strstr(err, "it is a socket") != NULL, "init --force SOCKET: stderr\n%s", err);
	free(err);
	check(kind(node) == S_IFSOCK, "init --force SOCKET: no longer a socket");
	close(sock);

	/* a link the user named (it may be the system's, as /dev/stdout is):
	 * neither followed nor replaced */
	in(node, sizeof(node), dir, "link");
	assert_int_equal(symlink(victim(dir), node), 0);	/* victim() writes it */
	err = sim_expect(1, "init", "--force", node, NULL);
	check(strstr(err, "it is a symbolic link") != NULL, "init --force LINK: stderr\n%s", err);
	free(err);
	check(kind(node) == S_IFLNK, "init --force LINK: no longer a link");
	in(node, sizeof(node), dir, "victim");
	check_victim(node, "init --force LINK");
	remove_tree(dir);
	check_finish();
}

/* A sweep whose sweep.tsv is a FIFO: the rows go into it, it stays. */
static void test_sweep_into_fifo(void **state)
{
	char dir[256], out[300], fifo[400], *got;
	int fd;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(out, sizeof(out), dir, "out");
	assert_int_equal(mkdir(out, 0755), 0);
	in(fifo, sizeof(fifo), out, "sweep.tsv");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	SIM_OK("sweep", "--vary", STRENGTH "=0,1", "-n", "200", "-q", "-o", out);
	check(kind(fifo) == S_IFIFO, "sweep -o: %s is no longer a FIFO", fifo);
	got = drain(fd);
	check(strstr(got, "# gsim ") == got && strstr(got, "\n1\t200\t"),
	      "sweep -o: the FIFO's reader got '%.300s'", got);
	free(got);
	close(fd);
	check_no_leftovers(out, "sweep into a FIFO");
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* One writer per directory */

/* Fields of LINE (up to its newline), separated by tabs. */
static int fields(const char *line)
{
	int n = 1;

	for (; *line && *line != '\n'; line++)
		n += *line == '\t';
	return n;
}

/* A long sweep holds its directory: a second sweep, a run and a plot into
 * it fail at once with "DIR is in use by process N"; the first writes a
 * well-formed sweep.tsv. */
static void test_lock(void **state)
{
	char dir[256], out[300], p[400], errp[300], want[512], *tsv, *err;
	char *argv[] = { SIM, "sweep", "--vary", STRENGTH "=0:1:10", "-n", "60000", "-j", "1",
			 "-q", "-o", out, NULL };
	const char *line;
	double t0;
	pid_t pid;
	int st, cols = 0, rows = 0, bad = 0, k;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(out, sizeof(out), dir, "out");
	in(errp, sizeof(errp), dir, "first.err");
	pid = start(argv, errp);
	/* the partial file appears once the sweep has its directory */
	in(p, sizeof(p), out, "sweep.tsv.partial");
	for (k = 0; k < 2000 && !exists(p); k++)
		sleep_ms(5);
	assert_true(exists(p));
	snprintf(want, sizeof(want), "sim: error: %s is in use by process %ld\n", out, (long)pid);

	t0 = now();
	err = sim_expect(1, "sweep", "--vary", STRENGTH "=0:1:10", "-n", "60000", "-q", "-o", out,
			 NULL);
	check(!strcmp(err, want), "second sweep: stderr\n%s\nexpected\n%s", err, want);
	free(err);
	err = sim_expect(1, "run", "-n", "100", "-q", "-o", out, NULL);
	check(!strcmp(err, want), "run -o into the busy directory: stderr\n%s\nexpected\n%s", err,
	      want);
	free(err);
	err = sim_expect(1, "plot", out, NULL);
	check(!strcmp(err, want), "plot of the busy directory: stderr\n%s\nexpected\n%s", err, want);
	free(err);
	err = sim_expect(1, "sweep", "--vary", STRENGTH "=0:1:10", "-n", "60000", "-q", "--resume",
			 out, NULL);
	check(!strcmp(err, want), "sweep --resume of the busy directory: stderr\n%s\nexpected\n%s",
	      err, want);
	free(err);
	err = sim_expect(1, "compare", "configs/default.cfg", "configs/default.cfg", "-n", "100",
			 "-q", "-o", out, NULL);
	check(!strcmp(err, want), "compare -o into the busy directory: stderr\n%s\nexpected\n%s",
	      err, want);
	free(err);
	err = sim_expect(1, "report", "-n", "100", "-q", "-o", out, NULL);
	check(!strcmp(err, want), "report -o into the busy directory: stderr\n%s\nexpected\n%s",
	      err, want);
	free(err);
	check(now() - t0 < 3, "the second writers took %.1f s to fail, not at once", now() - t0);
	check(!wait_child(pid, 0, &st), "the first sweep ended before the others were tried; "
	      "make it longer");

	if (!wait_child(pid, 60, &st)) {
		kill_child(pid);
		fail_msg("the first sweep did not finish in 60 s");
	}
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the first sweep: status %d", st);
	tsv = slurp(in(p, sizeof(p), out, "sweep.tsv"), NULL);
	assert_non_null(tsv);
	for (line = tsv; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		if (*line == '#' || *line == '\n')
			continue;
		if (!cols) {
			cols = fields(line);	/* the column line */
			continue;
		}
		rows++;
		bad += fields(line) != cols;
	}
	check(rows == 10 && bad == 0 && cols > 10, "sweep.tsv: %d rows (expected 10), %d of them "
	      "without the %d fields of the header", rows, bad, cols);
	free(tsv);
	check_no_leftovers(out, "after the first sweep");
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Charts are whole or absent */

/* Runs "sh -c SCRIPT" and returns its exit code, its stderr into ERR. */
static int shell_err(const char *script, char *err, size_t size)
{
	struct result r;
	int st;

	shell(&r, script);
	st = r.timed_out ? -1 : r.status;
	snprintf(err, size, "%s", text(&r.err));
	result_free(&r);
	return st;
}

/* plot and report under a file-size limit that the charts exceed (the
 * data files fit): exit 1, no chart, no temporary. */
static void test_chart_too_large(void **state)
{
	char dir[256], out[300], script[1024], err[4096], *ls;
	int st;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(out, sizeof(out), dir, "run");
	SIM_OK("run", "-n", "300", "-q", "-o", out);
	/* 40 blocks of 512 bytes: the data files are smaller, every chart larger */
	snprintf(script, sizeof(script), "ulimit -f 40; trap '' XFSZ; exec %s plot %s -q", SIM, out);
	st = shell_err(script, err, sizeof(err));
	check(st == 1, "plot under ulimit -f 40: exit %d, expected 1; stderr:\n%s", st, err);
	check(strstr(err, "incomplete") != NULL, "plot under ulimit -f 40: stderr\n%s", err);
	ls = list_dir(out);
	check(ls && !strcmp(ls, "config.cfg\noutcomes.tsv\nsummary.json\nsurvival.tsv\n"),
	      "plot under ulimit -f 40 left:\n%s", ls);
	free(ls);

	in(out, sizeof(out), dir, "rep");
	snprintf(script, sizeof(script), "ulimit -f 40; trap '' XFSZ; exec %s report -n 300 -q -o %s",
		 SIM, out);
	st = shell_err(script, err, sizeof(err));
	check(st == 1, "report under ulimit -f 40: exit %d, expected 1; stderr:\n%s", st, err);
	check(strstr(err, "incomplete") != NULL, "report under ulimit -f 40: stderr\n%s", err);
	ls = list_dir(out);
	check(ls && !strcmp(ls, "config.cfg\noutcomes.tsv\nsummary.json\nsurvival.tsv\n"),
	      "report under ulimit -f 40 left:\n%s", ls);
	free(ls);
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* A killed run's temporaries */

/* Temporaries of ours (.NAME.tmp.XXXXXX, regular files) planted in run's,
 * compare's and plot's directories go; other names, a link and a directory
 * of that pattern, and a stale lock file's pid do not matter. */
static void test_stale_temps(void **state)
{
	static const char *const stale[] = { ".survival.tsv.tmp.AbC123", ".report.md.tmp.Zz9Zz9" };
	static const char *const kept[] = {
		".notes.tmp.keep", "notes.txt", ".x.tmp.ABCDEFG", ".tmp.ABCDEF", "x.tmp.ABCDEF",
		".survival.tsv.tmp.AB-123"
	};
	char dir[256], out[300], p[400], sub[400];
	const char *v;
	size_t i;

	(void)state;
	make_tmp(dir, sizeof(dir));
	v = victim(dir);
	in(out, sizeof(out), dir, "out");
	assert_int_equal(mkdir(out, 0755), 0);
	for (i = 0; i < 2; i++)
		put_file(in(p, sizeof(p), out, stale[i]), "stale\n");
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		put_file(in(p, sizeof(p), out, kept[i]), "keep\n");
	assert_int_equal(symlink(v, in(p, sizeof(p), out, ".link.tmp.QWERTY")), 0);
	assert_int_equal(mkdir(in(p, sizeof(p), out, ".dir.tmp.ASDFGH"), 0755), 0);
	put_file(in(p, sizeof(p), out, ".gsim.lock"), "999999\n");
	SIM_OK("run", "-n", "300", "-q", "-o", out);
	for (i = 0; i < 2; i++)
		check(!exists(in(p, sizeof(p), out, stale[i])), "run -o left the stale %s", p);
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		check(exists(in(p, sizeof(p), out, kept[i])), "run -o removed %s, not a temporary "
		      "of ours", p);
	check(kind(in(p, sizeof(p), out, ".link.tmp.QWERTY")) == S_IFLNK, "run -o removed the link %s", p);
	check(kind(in(p, sizeof(p), out, ".dir.tmp.ASDFGH")) == S_IFDIR, "run -o removed the directory %s", p);
	check_victim(v, "run -o with a link named as a temporary");
	check(!exists(in(p, sizeof(p), out, ".gsim.lock")), "run -o left the lock file");

	/* plot: a chart's temporary */
	put_file(in(p, sizeof(p), out, ".survival.png.tmp.BBBBBB"), "stale\n");
	SIM_OK("plot", out, "-q");
	check(!exists(p), "plot left the stale %s", p);

	/* compare: a temporary in a scenario's directory */
	in(out, sizeof(out), dir, "cmp");
	in(sub, sizeof(sub), out, "s01");
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	put_file(in(p, sizeof(p), sub, ".outcomes.tsv.tmp.AAAAAA"), "stale\n");
	SIM_OK("compare", "configs/default.cfg", "configs/default.cfg", "-n", "200", "-q", "-o", out);
	check(!exists(p), "compare -o left the stale %s", p);
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Ctrl-C during report's charts */

/* Starts ARGV in a process group of its own, in the environment ENVP,
 * stdout to /dev/null and stderr to ERR_PATH. */
static pid_t start_group(char *const argv[], char *const envp[], const char *err_path)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		dup2(null, 0);
		dup2(null, 1);
		dup2(err, 2);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

/* sim report (or, with PLOT, sim plot of a run's results) with a gnuplot
 * that hangs, sent SIGINT while it draws (GROUP: to sim's process group,
 * as Ctrl-C; else to sim alone): exit 130 at once, "interrupted", and no
 * chart, report or temporary left. */
static void report_sigint(int group, int plot)
{
	char dir[256], bin[300], gp[400], started[420], out[300], errp[300], path[700], *err, *ls;
	char **env;
	char *argv[] = { SIM, "report", "-n", "300", "-q", "-o", out, NULL };
	char *plot_argv[] = { SIM, "plot", out, "-q", NULL };
	pid_t pid;
	int st, k;
	double t0;

	make_tmp(dir, sizeof(dir));
	in(bin, sizeof(bin), dir, "bin");
	assert_int_equal(mkdir(bin, 0755), 0);
	in(gp, sizeof(gp), bin, "gnuplot");
	snprintf(started, sizeof(started), "%s.started", gp);
	put_file(gp, "#!/bin/sh\n: > \"$0.started\"\nexec sleep 30\n");
	assert_int_equal(chmod(gp, 0755), 0);
	snprintf(path, sizeof(path), "%s:/usr/bin:/bin", bin);
	env = env_with("PATH", path);
	in(out, sizeof(out), dir, "rep");
	in(errp, sizeof(errp), dir, "report.err");
	if (plot)
		SIM_OK("run", "-n", "300", "-q", "-o", out);
	pid = start_group(plot ? plot_argv : argv, env, errp);
	for (k = 0; k < 6000 && !exists(started); k++)
		sleep_ms(5);
	if (!exists(started)) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("sim report never ran gnuplot");
	}
	t0 = now();
	kill(group ? -pid : pid, SIGINT);
	if (!wait_child(pid, 10, &st)) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
		check(0, "sim report did not stop within 10 s of SIGINT (%s)", group ? "group" : "sim alone");
	} else {
		err = slurp(errp, NULL);
		check(WIFEXITED(st) && WEXITSTATUS(st) == 130,
		      "SIGINT (%s) during report's charts: %s %d, expected exit 130; stderr:\n%s",
		      group ? "group" : "sim alone", WIFEXITED(st) ? "exit" : "signal",
		      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), err ? err : "");
		check(err && strstr(err, "interrupted"), "SIGINT during report's charts: stderr\n%s",
		      err ? err : "");
		check(now() - t0 < 5, "sim report took %.1f s to stop", now() - t0);
		free(err);
	}
	kill(-pid, SIGKILL);	/* the fake gnuplot, if it is still there */
	ls = list_dir(out);
	check(ls && !strcmp(ls, "config.cfg\noutcomes.tsv\nsummary.json\nsurvival.tsv\n"),
	      "SIGINT during report's charts left:\n%s", ls ? ls : "(no directory)");
	free(ls);
	env_free(env);
	remove_tree(dir);
}

static void test_report_sigint(void **state)
{
	(void)state;
	report_sigint(1, 0);
	report_sigint(0, 0);
	report_sigint(1, 1);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout_full),
		cmocka_unit_test(test_file_too_large),
		cmocka_unit_test(test_old_output_kept),
		cmocka_unit_test_setup(test_link_partial, check_setup),
		cmocka_unit_test_setup(test_link_resume, check_setup),
		cmocka_unit_test_setup(test_link_outputs, check_setup),
		cmocka_unit_test_setup(test_init_devices, check_setup),
		cmocka_unit_test_setup(test_sweep_into_fifo, check_setup),
		cmocka_unit_test_setup(test_lock, check_setup),
		cmocka_unit_test_setup(test_chart_too_large, check_setup),
		cmocka_unit_test_setup(test_stale_temps, check_setup),
		cmocka_unit_test_setup(test_report_sigint, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

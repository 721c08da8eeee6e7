/* report_pdf.c - a report printed to PDF by a headless Chromium (Debian's
 * chromium package): report.html as it prints on A4 (its print style),
 * into a temporary beside it, renamed to report.pdf once whole. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/report.h"
#include "cli/usage.h"
#include "core/atomic.h"
#include "engine/sigstop.h"

extern char **environ;

/* How long Chromium may take to print a report, in seconds. */
#define PDF_TIMEOUT 120

/* Finds Chromium on PATH into BUF. Returns 0, or -1 when there is none. */
static int find_chromium(char *buf, size_t size)
{
	static const char *const names[] = {
		"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", NULL
	};
	const char *path = getenv("PATH");
	char *copy, *dir, *save;
	int i;

	for (i = 0; names[i] && path && *path; i++) {
		copy = strdup(path);
		for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir; dir = strtok_r(NULL, ":", &save)) {
			snprintf(buf, size, "%s/%s", *dir ? dir : ".", names[i]);
			if (access(buf, X_OK) == 0) {
				free(copy);
				return 0;
			}
		}
		free(copy);
	}
	return -1;
}

/* The file:// URL of the absolute path PATH into BUF, every byte that is
 * not a letter, a digit or one of "/-._~" percent-encoded. */
static void file_url(char *buf, size_t size, const char *path)
{
	size_t n = (size_t)snprintf(buf, size, "file://");
	const unsigned char *p = (const unsigned char *)path;

	for (; *p && n + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			buf[n++] = (char)*p;
		else
			n += (size_t)snprintf(buf + n, size - n, "%%%02X", *p);
	}
	buf[n < size ? n : size - 1] = '\0';
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* Whether the file PATH is a whole PDF (starts with %PDF-, ends with
 * %%EOF). */
static int whole_pdf(const char *path)
{
	char head[5], tail[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && st.st_size > 64 && pread(fd, head, 5, 0) == 5 &&
	    !memcmp(head, "%PDF-", 5)) {
		n = pread(fd, tail, sizeof(tail), st.st_size - (off_t)sizeof(tail));
		while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
			n--;
		ok = n >= 5 && !memcmp(tail + n - 5, "%%EOF", 5);
	}
	close(fd);
	return ok;
}

/* Runs ARGV, its output into /dev/null, for at most PDF_TIMEOUT seconds
 * (and not past SIGINT or SIGTERM). Returns its wait status, or -1 when it
 * could not start or was stopped (said). */
static int run_chromium(char *const argv[])
{
	volatile sig_atomic_t *stop = sigstop_install();
	posix_spawn_file_actions_t fa;
	struct timespec t0, t;
	pid_t pid;
	int st = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		error("cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = waitpid(pid, &st, WNOHANG);
		if (rc == pid)
			return st;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (rc < 0 || *stop || t.tv_sec - t0.tv_sec > PDF_TIMEOUT) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			error("%s; report.pdf not written", *stop ? "interrupted" :
			      "Chromium took too long to print the report");
			return -1;
		}
		usleep(20000);
	}
}

int report_pdf(const char *dir, int quiet)
{
	char chromium[4096], abs[PATH_MAX], html[PATH_MAX + 16], url[3 * PATH_MAX + 16];
	char profile[PATH_MAX], print[PATH_MAX + 32], userdir[PATH_MAX + 32];
	const char *tmpdir = getenv("TMPDIR");
	struct afile a;
	int st, ret = EXIT_RUNTIME;

	if (find_chromium(chromium, sizeof(chromium)) < 0) {
		error("--pdf needs Chromium to print the report, and there is none on PATH; install it "
		      "with: sudo apt-get install chromium (report.md and report.html are written)");
		return EXIT_RUNTIME;
	}
	if (!realpath(dir, abs)) {
		error("cannot resolve %s: %s", dir, strerror(errno));
		return EXIT_RUNTIME;
	}
	snprintf(html, sizeof(html), "%s/report.html", abs);
	file_url(url, sizeof(url), html);
	snprintf(profile, sizeof(profile), "%s/gsim-chromium-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(profile)) {
		error("cannot create a directory in %s: %s", tmpdir && *tmpdir ? tmpdir : "/tmp",
		      strerror(errno));
		return EXIT_RUNTIME;
	}
	if (atomic_open_regular(&a, dir, "report.pdf") == 0) {
		char *argv[] = {
			chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
			"--disable-crash-reporter", "--no-pdf-header-footer", "--print-to-pdf-no-header",
			/* (the page is gsim's own, without scripts; the sandbox
			 * cannot start in most containers) */
			"--no-sandbox", userdir, print, url, NULL
		};

		snprintf(userdir, sizeof(userdir), "--user-data-dir=%s", profile);
		snprintf(print, sizeof(print), "--print-to-pdf=%s", a.tmp);
		st = run_chromium(argv);
		if (st != -1 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || !whole_pdf(a.tmp)))
			error("Chromium could not print %s to PDF (%s %d)", html,
			      WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		else if (st != -1 && atomic_commit(&a) == 0)
			ret = EXIT_OK;
		atomic_discard(&a);
	}
	nftw(profile, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	if (ret == EXIT_OK && !quiet)
		fprintf(stderr, "wrote %s/report.pdf\n", dir);
	return ret;
}

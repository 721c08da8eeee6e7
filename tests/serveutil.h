/* serveutil.h - what the tests of 'sim serve' share: starting the server
 * on a free loopback port as a child, and HTTP/1.1 over a socket (no
 * curl). Static functions: each test_serve*.c includes it once. */
#ifndef GSIM_SERVEUTIL_H
#define GSIM_SERVEUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* A server under test. */
struct server {
	pid_t pid;
	int port;
	char log[512];		/* its stdout and stderr */
	char code[16], token[64];
};

/* A reply: the status (0: no reply) and the body. */
struct reply {
	int status;
	struct buf body;
};

/* A free TCP port on 127.0.0.1 (bound and released: a small race). */
static __attribute__((unused)) int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t n = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* A connected socket to the server, or -1. */
static __attribute__((unused)) int dial(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct timeval tv = { 30, 0 };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* Sends the N raw bytes REQ and reads the reply until the server closes. */
static __attribute__((unused)) void http_raw(int port, const char *req, size_t n, struct reply *r)
{
	int s = dial(port);
	char chunk[8192], *body;
	struct buf all = { 0 };
	ssize_t k;
	size_t off = 0;

	memset(r, 0, sizeof(*r));
	if (s < 0)
		return;
	while (off < n && (k = send(s, req + off, n - off, MSG_NOSIGNAL)) > 0)
		off += (size_t)k;
	shutdown(s, SHUT_WR);
	while ((k = recv(s, chunk, sizeof(chunk), 0)) > 0)
		buf_add(&all, chunk, (size_t)k);
	close(s);
	if (all.p && sscanf(all.p, "HTTP/1.%*d %d", &r->status) == 1 &&
	    (body = strstr(all.p, "\r\n\r\n")))
		buf_add(&r->body, body + 4, all.n - (size_t)(body + 4 - all.p));
	free(all.p);
}

/* METHOD PATH with BODY (NULL: none) and the extra header lines HEADERS
 * ("Name: value\r\n"..., or NULL). */
static __attribute__((unused)) void http(int port, const char *method, const char *path, const char *headers,
		 const char *body, struct reply *r)
{
	size_t n = body ? strlen(body) : 0;
	char *req = malloc(n + strlen(path) + (headers ? strlen(headers) : 0) + 256);
	int len;

	len = sprintf(req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
		      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", method, path,
		      headers ? headers : "", n);
	if (body)
		memcpy(req + len, body, n);
	http_raw(port, req, (size_t)len + n, r);
	free(req);
}

static __attribute__((unused)) void reply_free(struct reply *r)
{
	free(r->body.p);
	memset(r, 0, sizeof(*r));
}

/* Starts 'sim serve ARGS... --listen 127.0.0.1:PORT' (ARGS NULL-ended)
 * with its output into DIR/serve.log, and waits until it answers; reads
 * the join code and the teacher's token it prints in class mode. */
static __attribute__((unused)) void server_start(struct server *sv, const char *dir, const char *const *args)
{
	char listen[64], *argv[32], *log;
	int i = 0, n = 0, fd, s;
	double t0 = now();

	memset(sv, 0, sizeof(*sv));
	sv->port = free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", sv->port);
	snprintf(sv->log, sizeof(sv->log), "%s/serve-%d.log", dir, sv->port);
	argv[n++] = SIM;
	argv[n++] = "serve";
	for (i = 0; args && args[i] && n < 28; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--listen";
	argv[n++] = listen;
	argv[n] = NULL;
	fflush(NULL);
	sv->pid = fork();
	if (sv->pid == 0) {
		fd = open(sv->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	while (now() - t0 < 20) {
		if ((s = dial(sv->port)) >= 0) {
			close(s);
			break;
		}
		sleep_ms(20);
	}
	sleep_ms(20);
	if ((log = slurp(sv->log, NULL))) {
		char *c = strstr(log, "join code ");
		char *t = strstr(log, "teacher=");

		if (c)
			sscanf(c + 10, "%15s", sv->code);
		if (t)
			sscanf(t + 8, "%63s", sv->token);
		free(log);
	}
}

/* Stops the server with SIGINT; returns its exit status (-1: killed). */
static __attribute__((unused)) int server_stop(struct server *sv)
{
	int status;

	kill(sv->pid, SIGINT);
	if (!wait_child(sv->pid, 10, &status)) {
		kill_child(sv->pid);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif

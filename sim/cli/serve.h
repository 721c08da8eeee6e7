/* serve.h - 'sim serve': a small web server for the classroom. The page
 * moves a scenario's keys and reruns it on common random numbers; class
 * mode collects students' designs and predictions. Everything the
 * client sends is hostile: keys are picked from the model's own list
 * (model_type's keys hook), values are numbers checked by the config
 * checker, and every request is bounded. */
#ifndef SIM_SERVE_H
#define SIM_SERVE_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <jansson.h>

#include "engine/scenario.h"

#define SERVE_MAX_KEYS 256	/* controls */
#define SERVE_MAX_SET 64	/* overrides in one design */
#define SERVE_MAX_SAVED 64	/* saved designs */
#define SERVE_MAX_STUDENTS 200
#define SERVE_MAX_NAME 40	/* bytes of a name */
#define SERVE_BODY_MAX 65536	/* bytes of a request body */
#define SERVE_MAX_JOBS 64	/* runs under way at once (watched) */
#define SERVE_CLIENTS 1024	/* client addresses the rate limit tracks */

/* A design: values for some of the keys (indices into the key list). */
struct serve_set {
	int n;
	int key[SERVE_MAX_SET];
	double val[SERVE_MAX_SET];
};

/* A figure as the page shows it. */
struct serve_value {
	int ok;
	double p, lo, hi;
};

struct serve_saved {
	char name[SERVE_MAX_NAME + 1];
	struct serve_set set;
	struct serve_value p;
};

struct serve_student {
	char name[SERVE_MAX_NAME + 1];
	char key[17];			/* what the student's browser proves it with */
	int submitted;
	struct serve_set set;
	double prediction;
	struct serve_value p;
	char error[256];
};

/* The limits a server enforces. */
struct serve_limits {
	uint64_t trials;	/* trials of a run unless the client asks fewer */
	uint64_t max_trials;	/* most trials a client may ask for */
	double seconds;		/* a run stopped after this long */
	int runs;		/* runs at once; more wait up to a second, then 503 */
	double rate;		/* requests per second per client address (burst: 2x) */
	int threads;		/* threads per run; 0: all */
};

/* A run under way, which the watchdog stops at its deadline. */
struct serve_job {
	volatile sig_atomic_t stop;
	double deadline;
	int used;
};

struct serve_client {
	unsigned char addr[16];
	double tokens, last;
	int used;
};

struct serve {
	char *base;			/* the scenario's config as text */
	const char *cfg_name;		/* the CONFIG it came from */
	char *scenario, *model;		/* names */
	uint64_t seed;
	long nkeys;
	struct model_key keys[SERVE_MAX_KEYS];
	struct serve_limits lim;
	volatile sig_atomic_t *stop;	/* SIGINT/SIGTERM */

	int class_mode;
	char code[8];			/* the join code */
	char token[33];			/* the teacher's */

	pthread_mutex_t lock;		/* everything below */
	pthread_cond_t freed;		/* a run slot was freed */
	int running;
	struct serve_job jobs[SERVE_MAX_JOBS];
	struct serve_client clients[SERVE_CLIENTS];
	int nsaved;
	struct serve_saved saved[SERVE_MAX_SAVED];
	int nstudents, ran, revealed;
	struct serve_student students[SERVE_MAX_STUDENTS];
	long requests, errors;
};

/* A response: a status, a content type and a body the caller frees. */
struct serve_reply {
	int status;
	const char *type;
	char *body;
	size_t len;
	const char *filename;		/* a download's name, or NULL */
};

/* Sets R to STATUS with the JSON {"error": MESSAGE}; returns STATUS. */
int serve_fail(struct serve_reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets R to STATUS with the JSON J (which it takes); returns STATUS. */
int serve_json(struct serve_reply *r, int status, json_t *j);

/* The seconds of a monotonic clock. */
double serve_now(void);

/* Reads the design of member "set" of request J ({PATH: number, ...})
 * into S; returns 0, or the 4xx status after filling R with the message. */
int serve_read_set(const struct serve *sv, const json_t *j, struct serve_set *s,
		   struct serve_reply *r);

/* The design S as JSON {PATH: value}. */
json_t *serve_set_json(const struct serve *sv, const struct serve_set *s);

/* Loads design S of SV into C and SC, with TRIALS trials and the
 * server's seed, through the config checker (as a file's values).
 * Returns 0, or -1 after writing its messages into ERR (of SIZE bytes);
 * C must be released with cfg_release() either way. */
int serve_load(struct serve *sv, const struct serve_set *s, uint64_t trials, struct cfg *c,
	       struct scenario *sc, char *err, size_t size);

/* POST /api/run: runs a design (and, given "base", the previous one on
 * the same trials, with the paired difference). */
int serve_run(struct serve *sv, const json_t *req, struct serve_reply *r);

/* POST /api/trace: one trial's story and its events. */
int serve_trace(struct serve *sv, const json_t *req, struct serve_reply *r);

/* POST /api/config: the resolved config of a design, as a file. */
int serve_config(struct serve *sv, const json_t *req, struct serve_reply *r);

/* Runs design S with TRIALS trials into *V (p_deterred); returns 0, or
 * the HTTP status after writing the message into ERR (of SIZE bytes). */
int serve_p_deterred(struct serve *sv, const struct serve_set *s, uint64_t trials,
		     struct serve_value *v, char *err, size_t size);

/* The routes of the saved designs and of class mode: GET/POST
 * /api/designs, /api/join, /api/submit, GET /api/class, POST
 * /api/class/run, /api/class/reveal. TEACHER is whether the request
 * carried the teacher's token. Returns the status, or 0 when URL is
 * none of them. */
int serve_class_route(struct serve *sv, const char *method, const char *url,
		      const json_t *req, int teacher, struct serve_reply *r);

/* Fills BUF with N (at most 64) characters of ALPHABET from the system's
 * random source, and a NUL. Returns 0 or -1. */
int serve_random(char *buf, size_t n, const char *alphabet);

/* Starts the HTTP daemon of SV on ADDR:PORT; returns it, or NULL after
 * printing why. */
struct MHD_Daemon *serve_http_start(struct serve *sv, const char *addr, int port);

/* The page, embedded from web/index.html. */
const char *serve_page_text(void);

#endif

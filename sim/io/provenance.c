/* provenance.c - where a data file came from (provenance.h). The command
 * line is noted once, at startup, by the command-line layer; nothing else
 * here changes after that. */
#include "io/provenance.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gsl/gsl_version.h>
#include <libconfig.h>

#include "io/output.h"

/* The command line, as noted by provenance_command() (a copy: getopt
 * reorders the words of argv). */
static char **cmd_argv;
static int cmd_argc;

void provenance_command(int argc, char *const *argv)
{
	int i;

	if (cmd_argv || argc <= 0 || !(cmd_argv = calloc((size_t)argc, sizeof(char *))))
		return;
	for (i = 0; i < argc && (cmd_argv[i] = strdup(argv[i])); i++)
		;
	cmd_argc = i;
}

/* The time of the run: $SOURCE_DATE_EPOCH when it is a number, else now,
 * as "YYYY-MM-DDTHH:MM:SSZ" into BUF (32 bytes). */
static const char *run_date(char *buf)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;
	char *end;

	if (e && *e) {
		long long v;

		errno = 0;
		v = strtoll(e, &end, 10);
		if (!*end && !errno && v >= 0)
			t = (time_t)v;
	}
	if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "unknown");
	return buf;
}

/* This machine's name into BUF (256 bytes). */
static const char *host(char *buf)
{
	if (gethostname(buf, 255) != 0)
		snprintf(buf, 256, "unknown");
	buf[255] = '\0';
	return buf;
}

static void libraries(FILE *f)
{
	fprintf(f, "GSL %s, libconfig %d.%d.%d, jansson %s", gsl_version, LIBCONFIG_VER_MAJOR,
		LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION, JANSSON_VERSION);
}

/* Whether word W can be written between single quotes as it is: valid
 * UTF-8 without control characters. */
static int plain_word(const char *w)
{
	while (*w) {
		unsigned char c = (unsigned char)*w;
		int n = c >= 0x80 ? output_utf8(w) : 1;

		if (c < 0x20 || c == 0x7f || n == 0)
			return 0;
		w += n;
	}
	return 1;
}

/* Writes word W in bash's $'...' quoting: every byte that is not printable
 * UTF-8 as \xHH, so that the line stays one line of valid UTF-8. */
static void ansi_word(FILE *f, const char *w)
{
	fputs("$'", f);
	while (*w) {
		unsigned char c = (unsigned char)*w;
		int n = c >= 0x80 ? output_utf8(w) : 1;

		if (c == '\\' || c == '\'')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || n == 0)
			fprintf(f, "\\x%02x", c);
		else
			fwrite(w, 1, (size_t)n, f);
		w += n ? n : 1;
	}
	fputc('\'', f);
}

/* Writes the command line to F as a shell (bash) takes it back: a word
 * with a space or a sign the shell reads is single-quoted, one with a
 * control character or bytes that are not UTF-8 is $'...'-quoted. */
static void command_line(FILE *f)
{
	int i;

	for (i = 0; i < cmd_argc; i++) {
		const char *w = cmd_argv[i], *p;

		if (i)
			fputc(' ', f);
		if (!plain_word(w)) {
			ansi_word(f, w);
		} else if (!*w || strpbrk(w, " '\"$`\\|&;<>()*?[]#~{}!")) {
			fputc('\'', f);
			for (p = w; *p; p++)
				if (*p == '\'')
					fputs("'\\''", f);
				else
					fputc(*p, f);
			fputc('\'', f);
		} else {
			fputs(w, f);
		}
	}
}

void provenance_write(FILE *f)
{
	char date[32], name[256];

	fprintf(f, "# gsim %s (commit %s; ", SIM_VERSION, gsim_commit);
	libraries(f);
	fprintf(f, ")\n# run: %s on ", run_date(date));
	output_escape(f, host(name));
	fputs(": ", f);
	command_line(f);
	fputc('\n', f);
}

char *provenance_config_hash(const struct cfg *c, char *buf)
{
	uint64_t h;

	if (cfg_hash(c, &h) < 0)
		snprintf(buf, 17, "unknown");
	else
		snprintf(buf, 17, "%016llx", (unsigned long long)h);
	return buf;
}

/* The text FN writes, in a new string ("" when out of memory). */
static char *text_of(void (*fn)(FILE *))
{
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);

	if (!f)
		return strdup("");
	fn(f);
	fclose(f);
	return t;
}

json_t *provenance_json(void)
{
	char date[32], name[256], *lib = text_of(libraries), *cmd = text_of(command_line);
	json_t *j = json_object();

	json_object_set_new(j, "gsim", json_string(SIM_VERSION));
	json_object_set_new(j, "commit", json_string(gsim_commit));
	json_object_set_new(j, "libraries", json_string(lib ? lib : ""));
	json_object_set_new(j, "date", json_string(run_date(date)));
	json_object_set_new(j, "host", json_string(host(name)));
	if (json_object_set_new(j, "command", json_string(cmd ? cmd : "")) < 0)
		json_object_set_new(j, "command", json_string("(not UTF-8)"));
	free(lib);
	free(cmd);
	return j;
}

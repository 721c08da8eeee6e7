/* test_layers.c - the layers of the code are one-way: every #include "..."
 * of a file in sim/LAYER/ or models/ names a header of its own layer or
 * of one below it (core < models < engine < io < study < cli), and
 * nothing in a model's folder includes another model's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *const layers[] = { "core", "models", "engine", "io", "study", "cli", NULL };

/* The rank of the layer a path (of a file, or of an #include) is in, from
 * its first directory; -1 when none. For "models/NAME/..." MODEL gets
 * NAME. */
static int rank(const char *path, char *model, size_t size)
{
	int i;

	if (!strncmp(path, "sim/", 4))
		path += 4;
	if (model)
		*model = '\0';
	for (i = 0; layers[i]; i++) {
		size_t n = strlen(layers[i]);

		if (!strncmp(path, layers[i], n) && path[n] == '/') {
			if (i == 1 && model) {
				const char *name = path + n + 1, *slash = strchr(name, '/');

				if (slash)
					snprintf(model, size, "%.*s", (int)(slash - name), name);
			}
			return i;
		}
	}
	return -1;
}

/* Checks every #include of the file PATH; returns the violations. */
static int check_file(const char *path)
{
	char *text = slurp(path, NULL), *p, mine[64], theirs[64];
	int me = rank(path, mine, sizeof(mine)), bad = 0;

	assert_non_null(text);
	for (p = strstr(text, "#include \""); p; p = strstr(p + 1, "#include \"")) {
		char inc[256];
		int r;

		if (sscanf(p + 10, "%255[^\"]", inc) != 1)
			continue;
		r = rank(inc, theirs, sizeof(theirs));
		if (r > me || (r == 1 && me == 1 && *mine && *theirs && strcmp(mine, theirs))) {
			print_error("%s includes \"%s\": %s is above %s\n", path, inc,
				    r >= 0 ? layers[r] : "?", layers[me]);
			bad++;
		}
	}
	free(text);
	return bad;
}

/* Checks the .c and .h files of DIR and, one level down, its folders. */
static int check_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	int bad = 0, files = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (n > 2 && (!strcmp(e->d_name + n - 2, ".c") || !strcmp(e->d_name + n - 2, ".h"))) {
			bad += check_file(path);
			files++;
		} else if (depth > 0 && !strchr(e->d_name, '.')) {
			bad += check_dir(path, depth - 1);
		}
	}
	closedir(d);
	return bad;
}

static void test_layers(void **state)
{
	int bad;

	(void)state;
	bad = check_dir("sim", 1) + check_dir("models", 1);
	if (bad)
		fail_msg("%d #include lines go up the layers (core < models < engine < io < "
			 "study < cli)", bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

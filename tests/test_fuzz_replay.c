/* test_fuzz_replay.c - every input of tests/fuzz/corpus/ (a minimised
 * corpus of the fuzzer's, covering what it reached) and tests/fuzz/crashes/
 * (inputs that once crashed) through the fuzzing target again: under
 * 'make sanitize' this replays the fuzzer's findings with ASan and UBSan. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

int fuzz_one(const uint8_t *data, size_t size);

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int n = 0, saved, null;

	if (!d)
		return 0;
	/* The inputs are mostly bad configs: their messages are not news.
	 * Descriptor 2 points at /dev/null meanwhile. */
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && null >= 0);
	dup2(null, 2);
	close(null);
	while ((e = readdir(d)) != NULL) {
		size_t len;
		char *data;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		data = slurp(path, &len);
		if (!data)
			continue;
		fuzz_one((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return n;
}

static void test_replay(void **state)
{
	int n;

	(void)state;
	n = replay_dir("tests/fuzz/corpus");
	/* The corpus is committed with the harness: it must be there. */
	if (n < 50)
		fail_msg("tests/fuzz/corpus holds %d inputs, expected the minimised corpus (>= 50)", n);
	replay_dir("tests/fuzz/crashes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* one.c - one fuzzing input through config loading, --set overrides,
 * checking and, for small scenarios, a few trials. Used by the libFuzzer
 * harness (fuzz_config.c) and by the replay of past crashes in the test
 * suite (tests/test_fuzz_replay.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/model.h"
#include "../../sim/cfg.h"
#include "../../sim/scenario.h"

/* The input is a config; its lines starting "#set " are also applied as
 * --set overrides, in order. Never fails: every outcome is a valid one,
 * and a crash or sanitizer report is the finding. */
int fuzz_one(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, line[512];
	struct cfg c;
	struct scenario s;
	struct diag d;
	int idx = 1;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cfg_load_string(&c, "fuzz.cfg", text) == 0) {
		d.cfg = &c;
		d.out = NULL;
		d.errors = 0;
		for (p = strstr(text, "#set "); p; p = strstr(p + 1, "#set ")) {
			size_t n = strcspn(p + 5, "\n");

			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			memcpy(line, p + 5, n);
			line[n] = '\0';
			cfg_set(&c, line, idx++, &d);
		}
		if (!d.errors && scenario_load(&s, &c, NULL, NULL) == 0) {
			/* Small scenarios also run a few trials. */
			if (s.n_steps <= 600 && s.model->n_guarantors(s.instance) <= 6) {
				void *w = s.model->work_alloc(s.instance, s.rng, NULL);
				struct outcome o[3];

				if (w) {
					s.model->trials(s.instance, w, s.seed, 0, 3, o, NULL);
					s.model->work_free(w);
				}
			}
			scenario_release(&s);
		}
	}
	cfg_release(&c);
	free(text);
	return 0;
}

/* registry.c - the table of registered models. A model is registered by
 * adding its name to MODELS; its type object is model_NAME_type. */
#include "models/model.h"

#include <string.h>

#define MODELS X(commitment) X(baseline) X(crisis)

#define X(name) extern const model_type model_##name##_type;
MODELS
#undef X

const model_type *const model_types[] = {
#define X(name) &model_##name##_type,
	MODELS
#undef X
	NULL
};

const model_type *model_lookup(const char *name)
{
	const model_type *const *t;

	for (t = model_types; *t; t++)
		if (!strcmp((*t)->name, name))
			return *t;
	return NULL;
}

int model_count(void)
{
	int n = 0;

	while (model_types[n])
		n++;
	return n;
}

/* registry.c - the table of registered models. */
#include "models/model.h"

#include <string.h>

const model_type *const model_types[] = {
	&model_commitment_type,
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

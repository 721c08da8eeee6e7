/* actors.c - what the actor-laid-out models share (actors.h). */
#include "models/actors.h"

#include <stdlib.h>

#include "core/dist.h"

char *actors_slot_path(const struct cfg_field *const t[ACTORS_TABLES], int slot, int nbase,
		       int ng_slots, const char *const *names)
{
	static const char *const sub[ACTORS_TABLES] = {
		NULL, NULL, NULL, "guarantee", "guarantee.ratification", "guarantee.tripwire",
		"guarantee.sanctions", "guarantee.arms_supply", "guarantee.monitoring",
	};
	struct cfg_place pl[ACTORS_TABLES];
	int i, g = slot < nbase ? -1 : (slot - nbase) / ng_slots;

	for (i = 0; i < ACTORS_TABLES; i++) {
		pl[i].group = i == 0 ? "challenger" : i == 1 ? "target" : "guarantors";
		pl[i].sub = sub[i];
		pl[i].fields = t[i];
		pl[i].base = i < 2 ? 0 : nbase + (g < 0 ? 0 : g) * ng_slots;
	}
	return g < 0 ? cfg_slot_path(pl, 2, slot, NULL)
		     : cfg_slot_path(pl + 2, ACTORS_TABLES - 2, slot, names[g]);
}

void actors_key_of(struct model_key *k, const struct cfg_field *f, const struct dist *v,
		   char *path)
{
	k->path = path;
	k->lo = f->lo;
	k->hi = f->hi;
	k->flags = f->flags;
	k->drawn = v->kind != DIST_FIXED;
	k->value = k->drawn ? dist_mean(v) : v->a;
	k->help = f->help;
}

/* Frees the paths of the first N keys of K; returns -1. */
static long free_keys(struct model_key *k, size_t n)
{
	while (n-- > 0)
		free(k[n].path);
	return -1;
}

long actors_keys(const struct cfg_field *const t[ACTORS_TABLES], int nbase, int ng_slots, int ng,
		 const char *const *names, const struct dist *p, const unsigned char *present,
		 struct model_key *out, size_t max)
{
	const struct cfg_field *f;
	size_t n = 0;
	int i, g, slot;
	char *path;

	for (g = -1; g < ng; g++)
		for (i = g < 0 ? 0 : 2; i < (g < 0 ? 2 : ACTORS_TABLES); i++)
			for (f = t[i]; f && f->key; f++) {
				slot = g < 0 ? f->slot : nbase + g * ng_slots + f->slot;
				if (!present[slot])
					continue;
				if (n < max) {
					if (!(path = actors_slot_path(t, slot, nbase, ng_slots, names)))
						return free_keys(out, n);
					actors_key_of(&out[n], f, &p[slot], path);
				}
				n++;
			}
	return (long)n;
}

const struct cfg_example actors_target_examples[] = {
	{ "troops", 800000, "the army starts at its cap" },
	{ "demobilization_rate", 0.2, "it shrinks toward sustainable_troops by a fifth of the gap a year" },
	{ NULL, 0, NULL }
};

const struct cfg_example actors_guarantor_examples[] = {
	{ "forces", 300000, "what it would send" },
	{ "intervention_cost", 0.2, "fighting costs it something" },
	{ "escalation_cost", 0.3, "the challenger fears a war with it" },
	{ NULL, 0, NULL }
};

const struct cfg_example actors_guarantee_examples[] = {
	{ "strength", 0.3, "a promise, not an automatic commitment" },
	{ NULL, 0, NULL }
};

const char *actors_outcomes_note(int ng)
{
	return ng == 0 ? "every trial in exactly one row; with no guarantor every attack is met "
			 "alone (the abandoned rows: nobody had promised to come); "
			 "defended/defeated: the challenger lost/won"
		       : "every trial in exactly one row; honored/partial/abandoned: "
			 "every/some/no guarantor intervened; defended/defeated: the challenger "
			 "lost/won";
}

/* markup.h - users' text (names, descriptions, paths) written into HTML
 * and Markdown so that it shows as it is and never becomes markup. */
#ifndef SIM_MARKUP_H
#define SIM_MARKUP_H

#include <stdio.h>

/* Writes S as HTML text: < > & and " as entities. */
void markup_html(FILE *f, const char *s);

/* Writes S as Markdown that shows S as it is, since users' text must not
 * become markup: < > & as HTML entities (Markdown viewers render raw HTML),
 * a backslash before the signs of Markdown's syntax (\ ` * [ ] | ~, and _
 * unless inside a word), control characters (line ends among them) as
 * spaces, so that S stays in its paragraph or table cell. When S starts a
 * BLOCK (a paragraph), its leading spaces go and a leading # + - = or a
 * number's . or ) (a heading, a list, a rule) is escaped too. */
void markup_md(FILE *f, const char *s, int block);

#endif

/* markup.c - users' text in HTML and Markdown, shown as it is. */
#include "io/markup.h"

#include <string.h>

void markup_html(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Whether C is a letter or a digit (ASCII). */
static int alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void markup_md(FILE *f, const char *s, int block)
{
	const unsigned char *p = (const unsigned char *)s, *first;
	int digits = block;	/* still in a leading number */

	if (block) {
		while (*p == ' ' || (*p && *p < 0x20))
			p++;
		if (*p && strchr("#+-=", *p))
			fputc('\\', f);
	}
	for (first = p; *p; p++) {
		unsigned char c = *p;

		if (digits && !(c >= '0' && c <= '9')) {
			if ((c == '.' || c == ')') && p > first)
				fputc('\\', f);
			digits = 0;
		}
		if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c < 0x20 || c == 0x7f)
			fputc(' ', f);
		else if (strchr("\\`*[]|~", c) ||
			 (c == '_' && !(p > first && alnum(p[-1]) && alnum(p[1]))))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
}

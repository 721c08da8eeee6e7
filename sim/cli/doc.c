/* doc.c - a report as Markdown and as a self-contained HTML page. */
#include "cli/doc.h"

#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "io/markup.h"

/* The page's style: text at a reading size, the charts at their own size
 * (1000 px wide: their text is then the size gnuplot wrote it), tables
 * side by side where the page is wide enough, and A4 pages in print. */
static const char style[] =
	"<style>\n"
	":root{--ink:#1f2328;--mute:#57606a;--rule:#d0d7de;--tint:#f6f8fa}\n"
	"body{font:16px/1.5 \"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;color:var(--ink);"
	"max-width:1040px;margin:0 auto;padding:24px 24px 48px}\n"
	"h1{font-size:28px;line-height:1.25;margin:.3em 0 .4em}\n"
	"h2{font-size:21px;margin:1.8em 0 .5em;padding-bottom:.2em;border-bottom:1px solid var(--rule)}\n"
	"h3{font-size:17px;margin:1.4em 0 .4em}\n"
	"p{margin:.5em 0 .8em;max-width:52em}\n"
	"p.lede{font-size:17px;color:var(--mute)}\n"
	"p.small,div.small p{font-size:14px;color:var(--mute)}\n"
	".findings{background:#eef5fb;border-left:5px solid #0072B2;padding:.5em 1.2em;"
	"margin:1em 0 1.6em}\n"
	".findings p{font-size:17px;max-width:none}\n"
	".caveat{background:var(--tint);border-left:5px solid #8c959f;padding:.4em 1.2em;margin:1em 0}\n"
	".caveat p{font-size:15px;max-width:none}\n"
	"table{border-collapse:collapse;font-size:15px}\n"
	"th,td{border-bottom:1px solid var(--rule);padding:.3em .75em;text-align:left;"
	"vertical-align:top}\n"
	"th{background:var(--tint);font-weight:600;border-bottom:2px solid var(--rule)}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.t{font-size:14px;color:var(--mute);min-width:16em}\n"
	"table.wide{width:100%}table.wide td:first-child{min-width:12em}\n"
	".tbl{margin:.4em 0 1.4em;overflow-x:auto}\n"
	".tcap{font-size:14px;color:var(--mute);margin:.3em 0 0}\n"
	".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:0 40px;"
	"align-items:start}\n"
	"figure{margin:1.4em 0}\n"
	"figure svg{display:block;width:100%;max-width:1000px;height:auto}\n"
	"figcaption{font-size:15px;color:var(--mute);margin-top:.4em}\n"
	"@page{size:A4;margin:14mm 13mm}\n"
	"@media print{body{max-width:none;padding:0;font-size:9.5pt}"
	"h1{font-size:18pt}h2{font-size:13pt;margin-top:1.2em}h3{font-size:11pt}"
	"p,.findings p,.caveat p{font-size:9.5pt}p.lede{font-size:10.5pt}"
	"p.small,div.small p,.tcap,figcaption,td.t{font-size:8pt}table{font-size:8.5pt}"
	"th,td{padding:.2em .5em}.tbl{overflow:visible}"
	"h2,h3{break-after:avoid}figure,tr,.tbl,.findings,.caveat{break-inside:avoid}"
	".grid{grid-template-columns:1fr 1fr;gap:0 24px}}\n"
	"</style>\n";

int doc_open(struct doc *d, const char *dir, const char *title)
{
	memset(d, 0, sizeof(*d));
	d->dir = dir;
	if (atomic_open(&d->amd, dir, "report.md") < 0)
		return -1;
	if (atomic_open(&d->ahtml, dir, "report.html") < 0) {
		atomic_discard(&d->amd);
		return -1;
	}
	d->md = d->amd.f;
	d->html = d->ahtml.f;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      d->html);
	markup_html(d->html, title);
	fputs("</title>\n", d->html);
	fputs(style, d->html);
	fputs("</head><body>\n<h1>", d->html);
	markup_html(d->html, title);
	fputs("</h1>\n", d->html);
	fputs("# ", d->md);
	markup_md(d->md, title, 0);
	fputs("\n\n", d->md);
	return 0;
}

int doc_close(struct doc *d, int ok)
{
	fputs("</body></html>\n", d->html);
	ok = ok && !ferror(d->md) && !ferror(d->html);
	if (!ok) {
		atomic_discard(&d->amd);
		atomic_discard(&d->ahtml);
		return -1;
	}
	ok = atomic_finish(&d->amd) == 0;
	ok = atomic_finish(&d->ahtml) == 0 && ok;
	ok = ok && atomic_rename(&d->amd) == 0 && atomic_rename(&d->ahtml) == 0;
	atomic_discard(&d->amd);
	atomic_discard(&d->ahtml);
	return ok ? 0 : -1;
}

void doc_heading(struct doc *d, int level, const char *text)
{
	fprintf(d->md, "%.*s ", level, "######");
	markup_md(d->md, text, 0);
	fputs("\n\n", d->md);
	fprintf(d->html, "<h%d>", level);
	markup_html(d->html, text);
	fprintf(d->html, "</h%d>\n", level);
}

void doc_para(struct doc *d, const char *text, const char *cls)
{
	markup_md(d->md, text, 1);
	fputs("\n\n", d->md);
	if (cls)
		fprintf(d->html, "<p class=\"%s\">", cls);
	else
		fputs("<p>", d->html);
	markup_html(d->html, text);
	fputs("</p>\n", d->html);
}

void doc_box_begin(struct doc *d, const char *cls)
{
	fprintf(d->html, "<div class=\"%s\">\n", cls);
}

void doc_box_end(struct doc *d)
{
	fputs("</div>\n", d->html);
}

void doc_grid_begin(struct doc *d)
{
	fputs("<div class=\"grid\">\n", d->html);
}

void doc_grid_end(struct doc *d)
{
	fputs("</div>\n", d->html);
}

/* The HTML cell tag of column I of the open table. */
static const char *cell_tag(const struct doc *d, int i, int head)
{
	char a = d->align[i];

	if (head)
		return a == 'n' ? "<th class=\"n\">" : "<th>";
	return a == 'n' ? "<td class=\"n\">" : a == 't' ? "<td class=\"t\">" : "<td>";
}

/* One row of the open table, a header row when HEAD. */
static void row(struct doc *d, const char *const *cells, int head)
{
	int i;

	fputs("|", d->md);
	fputs("<tr>", d->html);
	for (i = 0; i < d->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";

		fputc(' ', d->md);
		markup_md(d->md, c, 0);
		fputs(" |", d->md);
		fputs(cell_tag(d, i, head), d->html);
		markup_html(d->html, c);
		fputs(head ? "</th>" : "</td>", d->html);
	}
	fputs("\n", d->md);
	fputs("</tr>\n", d->html);
	if (head) {
		fputs("|", d->md);
		for (i = 0; i < d->ncols; i++)
			fputs(d->align[i] == 'n' ? "---:|" : "---|", d->md);
		fputs("\n", d->md);
	}
}

void doc_table_begin(struct doc *d, const char *align, const char *const *head)
{
	d->align = align;
	d->ncols = (int)strlen(align);
	fprintf(d->html, "<div class=\"tbl\"><table%s>\n", strchr(align, 't') ? " class=\"wide\"" : "");
	row(d, head, 1);
}

void doc_row(struct doc *d, const char *const *cells)
{
	row(d, cells, 0);
}

void doc_table_end(struct doc *d, const char *caption)
{
	fputs("\n", d->md);
	fputs("</table>\n", d->html);
	if (caption) {
		markup_md(d->md, caption, 1);
		fputs("\n\n", d->md);
		fputs("<p class=\"tcap\">", d->html);
		markup_html(d->html, caption);
		fputs("</p>\n", d->html);
	}
	fputs("</div>\n", d->html);
}

/* Writes SVG into one page beside others: every id, and every reference
 * to one ("#id" in href or url()), gets the prefix "fN-", since gnuplot's
 * SVGs all use the same ids. */
static void inline_svg(FILE *f, const char *svg, int n)
{
	static const char *const marks[] = {
		"url(#", "href=\"#", "href='#", "id=\"", "id='", NULL
	};
	const char *p = svg;
	int i;

	while (*p) {
		for (i = 0; marks[i]; i++) {
			size_t len = strlen(marks[i]);

			if (!strncmp(p, marks[i], len) && (i < 3 || p == svg || p[-1] == ' ')) {
				fprintf(f, "%sf%d-", marks[i], n);
				p += len;
				break;
			}
		}
		if (!marks[i])
			fputc(*p++, f);
	}
}

/* The whole file PATH in a new string, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, buf[8192];
	size_t len = 0, n;
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(f);
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

void doc_image(struct doc *d, const char *name, const char *caption)
{
	char path[4096], *svg, *start;

	fputs("![", d->md);
	markup_md(d->md, caption, 0);
	fprintf(d->md, "](%s)\n\n", name);
	snprintf(path, sizeof(path), "%s/%s", d->dir, name);
	svg = slurp(path);
	start = svg ? strstr(svg, "<svg") : NULL;
	fputs("<figure>\n", d->html);
	if (start)
		inline_svg(d->html, start, ++d->figures);
	else
		fputs("<p class=\"small\">(the chart could not be read)</p>\n", d->html);
	fputs("<figcaption>", d->html);
	markup_html(d->html, caption);
	fputs("</figcaption></figure>\n", d->html);
	free(svg);
}

void doc_notes(struct doc *d, const char *text)
{
	const char *p = text;
	char *para = NULL;
	size_t len = 0;
	FILE *f;

	fputs("<div class=\"small\">\n", d->html);
	while (*p) {
		f = open_memstream(&para, &len);
		if (!f)
			break;
		/* A paragraph: the lines up to a blank one. */
		while (*p && *p != '\n') {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);

			fprintf(f, "%s%.*s", ftell(f) ? " " : "", (int)n, p);
			p += n + (e != NULL);
		}
		fclose(f);
		if (para && *para)
			doc_para(d, para, NULL);
		free(para);
		para = NULL;
		while (*p == '\n')
			p++;
	}
	fputs("</div>\n", d->html);
}

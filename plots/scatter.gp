# scatter.gp -- gsim: a figure against each input of a sample.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/smp/sample.tsv'; out='scatter.png'" plots/scatter.gp
#   gnuplot -e "data='out/smp/sample.tsv'; fig='p_challenger_wins'; out='s.png'" plots/scatter.gp
#   gnuplot -c plots/scatter.gp DATA OUT TERM [FIG]   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a sample.tsv written by 'sim sample -o DIR' (its inputs
#          named by its '# range:' lines, its columns by the last '#' line).
#          Its path cannot hold spaces, quotes, backslashes, '$', '`' or
#          control characters.
#   fig    the figure (default p_deterred), a column of the table
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# One panel per input (at most 12): each sample point at its value of the
# input (x) and of the figure (y), coloured by the figure, so that what
# drives the figure, and where it is flat, can be seen input by input.

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "scatter.gp: no input; run with -e \"data='DIR/sample.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("scatter.gp: cannot tell the format of out='%s'", out) }
}
set encoding utf8
if (term eq "png") {
    set terminal pngcairo size 1000,620 noenhanced font "Sans,12" background "white"
} else { if (term eq "svg") {
    set terminal svg size 1000,620 dynamic noenhanced font "Sans,12" background "white"
} else { if (term eq "pdf") {
    set terminal pdfcairo size 8in,5in noenhanced font "Sans,12" fontscale 0.65 linewidth 0.75
} else { if (term eq "dumb") {
    set terminal dumb size 100,32 noenhanced
} else {
    exit error sprintf("scatter.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("scatter.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "scatter.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "scatter.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("scatter.gp: cannot read '%s'", data) }

if (!exists("fig") || strlen(fig) == 0) { fig = "p_deterred" }
idchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
do for [k = 1:strlen(fig)] { if (strstrt(idchars, fig[k:k]) == 0) { exit error sprintf("scatter.gp: fig='%s' is not a figure name (letters, digits and '_')", fig) } }
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set datafile separator "\t"
colnum(f, name) = (_s = system(sprintf("grep -v -m 1 '^#' '%s' | tr '\\t' '\\n' | grep -n -x -F -e '%s' | head -n 1 | cut -d: -f1", f, name)), _s eq "" ? 0 : int(_s + 0))
fc = colnum(data, fig)
if (fc == 0) { exit error sprintf("scatter.gp: '%s' has no column '%s'", data, fig) }
n = int(system(sprintf("grep -c '^# range: ' '%s'", data)))
if (n < 1) { exit error sprintf("scatter.gp: '%s' has no '# range:' lines (a sample.tsv of sim sample)", data) }
shown = n > 12 ? 12 : n
cols = shown <= 3 ? shown : (shown <= 4 ? 2 : (shown <= 9 ? 3 : 4))
rows = (shown + cols - 1) / cols
clip(s, k) = strlen(s) <= k ? s : "…" . s[strlen(s)-k+2:]
rname(i) = system(sprintf("sed -n 's/^# range: \\(.*\\) = .*/\\1/p' '%s' | sed -n '%dp'", data, i))
array xmin[shown]
array xmax[shown]
do for [i = 1:shown] {
    stats data using i nooutput
    xmin[i] = STATS_min
    xmax[i] = STATS_max
}
set palette defined (0 "#D55E00", 0.5 "#F0E442", 1 "#0072B2")
set cbrange [0:1]
unset colorbox
set yrange [0:1]
set ytics 0, 0.25, 1 format "%.2f"
unset key
if (out ne "") { set output out } else { set output }
set multiplot layout rows, cols title sprintf("%s against each input of the sample (colour: %s)", fig, fig) font ",12"
do for [i = 1:shown] {
    # the sample's columns start with its ranges, in order: column i is
    # range i (no name of the user's goes into a shell command)
    name = rname(i)
    c = i
    set xlabel clip(name, 44) font ",9"
    # about four ticks a panel, at round values
    span = xmax[i] - xmin[i]
    mag = span > 0 ? 10 ** floor(log10(span / 4)) : 1
    step = span / mag / 4 > 5 ? 10 * mag : span / mag / 4 > 2 ? 5 * mag : span / mag / 4 > 1 ? 2 * mag : mag
    set xtics step
    set format x (xmax[i] >= 10000 ? "%.0f" : "%g")
    set xrange [xmin[i]:xmax[i]]
    set ylabel (i - 1) % cols == 0 ? fig : ""
    if (dumb) {
        plot data using c:fc with points pt 7
    } else {
        plot data using c:fc:fc with points pt 7 ps 0.5 lc palette
    }
}
unset multiplot
unset output

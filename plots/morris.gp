# morris.gp -- gsim: Morris elementary-effects screening of one figure,
# mu* against sigma.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/screen/screen.tsv'; out='screen.png'" plots/morris.gp
#   gnuplot -e "data='out/screen/screen.tsv'; fig='p_attack'; out='s.pdf'" plots/morris.gp
#   gnuplot -e "data='out/screen/screen.tsv'; term='dumb'" plots/morris.gp   (in the terminal)
#   gnuplot -c plots/morris.gp DATA OUT TERM [FIG]   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: a screen.tsv of 'sim screen' (tab-separated columns:
#          figure input mu_star mu_star_ci_lo mu_star_ci_hi mu sigma; the
#          rows of a figure together, sorted by mu*, largest first)
#   fig    figure to draw (default p_deterred), a value of the 'figure' column
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# One point per input at (mu*, sigma): mu* (the mean absolute elementary
# effect) says how much the input matters, sigma (the spread of its
# effects) how much its effect changes with where the others are
# (non-linearity or interactions). The 95% bootstrap interval of mu* is
# drawn as horizontal whiskers. Points are numbered by rank (1: the largest
# mu*), and the list at the right names them with their ranges (from the
# file's '# range: PATH = LO:HI' lines; 'guarantors.[NAME].key' as 'NAME: key'). The dashed line is sigma = mu*:
# above it the effect's sign or size depends strongly on the other inputs.

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c morris.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "morris.gp: no input; run with -e \"data='DIR/screen.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png" || ext eq "PNG") ? "png" : \
           (ext eq "svg" || ext eq "SVG") ? "svg" : \
           (ext eq "pdf" || ext eq "PDF") ? "pdf" : \
           (out eq "" || ext eq "txt" || ext eq "TXT") ? "dumb" : ""
    if (term eq "") { exit error sprintf("morris.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
}
set encoding utf8
if (term eq "png") {
    set terminal pngcairo size 1000,620 noenhanced font "Sans,12" background "white"
} else { if (term eq "svg") {
    set terminal svg size 1000,620 dynamic noenhanced font "Sans,12" background "white"
} else { if (term eq "pdf") {
    set terminal pdfcairo size 8in,5in noenhanced font "Sans,12" fontscale 0.65 linewidth 0.75
} else { if (term eq "dumb") {
    set terminal dumb size 120,36 noenhanced
} else {
    exit error sprintf("morris.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("morris.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "morris.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("morris.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "morris.gp: out must be a file name, not a pipe" }

# Okabe-Ito colour-blind-safe palette
okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
do for [i = 1:8] { set linetype i lc rgb word(okabe, i) lw 2 pt 7 ps 0.8 dt 1 }
set linetype cycle 8
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set title font ",14"
set datafile separator "\t"
# the first line that is not a comment names the columns
set datafile columnheaders

# header helpers (the files' '#' lines)
readable(f) = system(sprintf("test -r '%s' && echo y", f)) eq "y"
# '# scenario: NAME' (the file name if there is none)
scenario(f) = (_s = system(sprintf("sed -n 's/^# scenario: //p' '%s' | head -n 1", f)), strlen(_s) > 0 ? _s : f)
# s cut to at most n characters
clip(s, n) = strlen(s) <= n ? s : s[1:n-1] . "…"
# name of column i, from the last '#' line (tab-separated column names)
colname(f, i) = system(sprintf("grep -v -m 1 '^#' '%s' | cut -f%d", f, i))
# number of the column called name, 0 if none
colnum(f, name) = (_s = system(sprintf("grep -v -m 1 '^#' '%s' | tr '\\t' '\\n' | grep -n -x -F -e '%s' | head -n 1 | cut -d: -f1", f, name)), _s eq "" ? 0 : int(_s + 0))

# the words and the unit of figure n, from the data file's line
# '# axis: n<TAB>words<TAB>unit' that sim writes from the model's
# declarations (n itself, and no unit, when there is none)
axisline(n) = system(sprintf("sed -n 's/^# axis: %s\t//p' '%s' | head -n 1", n, word(data, 1)))
figdesc(n) = (_a = axisline(n), strlen(_a) == 0 ? n : strstrt(_a, "\t") ? _a[1:strstrt(_a, "\t") - 1] : _a)
figunit(n) = (_a = axisline(n), strstrt(_a, "\t") ? _a[strstrt(_a, "\t") + 1:] : "")
isprob(n) = figunit(n) eq "0–1"
figlabel(n) = figdesc(n) . (strlen(figunit(n)) > 0 ? " (" . figunit(n) . ")" : "")

# ---------------------------------------------------------------- chart
if (!exists("fig") || strlen(fig) == 0) { fig = "p_deterred" }
# fig goes to shell commands below: a name of letters, digits and '_' only
idchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
do for [k = 1:strlen(fig)] { if (strstrt(idchars, fig[k:k]) == 0) { exit error sprintf("morris.gp: fig='%s' is not a figure name (letters, digits and '_')", fig) } }
if (words(data) != 1) { exit error "morris.gp: data must be one screen.tsv" }
if (!readable(data)) { exit error sprintf("morris.gp: cannot read '%s'", data) }
if (colnum(data, "sigma") != 7 || colnum(data, "mu_star") != 3) {
    exit error sprintf("morris.gp: '%s' is not a screen.tsv (columns figure input mu_star ... sigma)", data)
}
# the rows of fig: how many, where they start
isfig = 'strcol(1) eq fig'
n = int(system(sprintf("grep -v '^#' '%s' | cut -f1 | grep -c -x -F -e '%s'", data, fig)) + 0)
if (n == 0) {
    figs = system(sprintf("grep -v '^#' '%s' | tail -n +2 | cut -f1 | sort -u | tr '\\n' ' '", data))
    exit error sprintf("morris.gp: no figure '%s' in '%s'; it has: %s", fig, data, figs)
}
stats data using (@isfig ? $0 : NaN) nooutput
first = STATS_min
last = STATS_max
if (last - first != n - 1) { exit error sprintf("morris.gp: the rows of '%s' are not together in '%s'", fig, data) }
# how far the intervals and the sigmas reach (NaN skipped)
hi = system(sprintf("awk -F'\\t' -v f='%s' '!/^#/ && $1 == f { for (i = 3; i <= 7; i++) if (i != 6 && $i ~ /^[-+]?[0-9.]/ && (!m || $i + 0 > x[i])) { x[i] = $i + 0 } m = 1 } END { if (m) print x[3] + 0, x[5] + 0, x[7] + 0 }' '%s'", fig, data))
if (words(hi) != 3) { exit error sprintf("morris.gp: the effects of '%s' are all undefined (NaN) in '%s'", fig, data) }
xmax = word(hi, 2) + 0 > word(hi, 1) + 0 ? word(hi, 2) + 0 : word(hi, 1) + 0
ymax = word(hi, 3) + 0
xmax = xmax > 0 ? xmax * 1.1 : 1
ymax = ymax > 0 ? ymax * 1.15 : 1

# '# range: PATH = LO:HI' of the header, as "(LO to HI)"
ranges = "\n" . system(sprintf("sed -n 's/^# range: //p' '%s'", data)) . "\n"
rangeof(p) = (_i = strstrt(ranges, "\n" . p . " = "), _i == 0 ? "" : \
    (_r = ranges[_i + strlen(p) + 4:], _r = _r[1:strstrt(_r, "\n") - 1], \
     _c = strstrt(_r, ":"), _c == 0 ? "" : " (" . _r[1:_c - 1] . " to " . _r[_c + 1:] . ")"))
# the input of rank i (1 = the largest mu*)
inputof(i) = system(sprintf("awk -F'\\t' -v f='%s' -v i=%d '!/^#/ && $1 == f && ++c == i { print $2 }' '%s'", fig, i, data))
# "guarantors.[NAME].rest" shown as "NAME: rest"
shortname(p) = (p[1:12] eq "guarantors.[" && strstrt(p, "].") > 0) ? \
    p[13:strstrt(p, "].") - 1] . ": " . p[strstrt(p, "].") + 2:] : p

set title (exists("title") ? title : sprintf("Morris screening of %s\n%s", fig, clip(scenario(data), 80)))
set xlabel "mu*: mean |change of " . fig . "| over an input's whole range" . (strlen(figunit(fig)) > 0 ? " (" . figunit(fig) . ")" : "")
set ylabel "sigma: spread of the effects (non-linearity, interactions)"
set xrange [0:xmax]
set yrange [0:ymax * 1.08]   # room for the top point's number
set key at graph 0.02, graph 0.98 left top vertical Left reverse samplen 2 opaque box lc rgb "#cccccc" noautotitle
set bars 1.5
# the list of inputs at the right, as many lines as fit
fs = n > 30 ? 8 : (n > 20 ? 9 : 10)
step = dumb ? 1.0 / 36 : (0.89 - 0.05) / (n > 24 ? n : 24)
lx = dumb ? 0.6 : 0.665
set label 1000 "inputs by mu*" at screen lx, screen 0.89 left font ",11"
do for [i = 1:n] {
    name = inputof(i)
    set label i sprintf("%2d  %s", i, clip(shortname(name) . rangeof(name), dumb ? 42 : (n > 20 ? 45 : 48))) at screen lx, screen 0.89 - i * step left font sprintf(",%d", fs)
}
if (!dumb) { set lmargin at screen 0.1; set rmargin at screen 0.63; set bmargin at screen 0.14; set tmargin at screen 0.88 }
if (dumb) { set rmargin at screen 0.57 }

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
plot x with lines dt 2 lw 1 lc rgb "#888888" title "sigma = mu*", \
     data every ::first::last using 3:(@isfig ? $7 : NaN):4:5 with xerrorbars lc rgb "#0072B2" lw 1.5 pt 7 ps 1.1 \
         title "mu* with its 95% bootstrap interval", \
     data every ::first::last using 3:(@isfig ? $7 : NaN):(sprintf("%d", $0 + 1)) with labels offset char 0.6, char 0.6 left font ",10" notitle
unset output

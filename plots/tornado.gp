# tornado.gp -- gsim: Sobol' sensitivity indices of one figure, as a tornado chart.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/sens/sensitivity.tsv'; out='tornado.png'" plots/tornado.gp
#   gnuplot -e "data='out/sens/sensitivity.tsv'; fig='p_challenger_wins'; out='t.pdf'" plots/tornado.gp
#   gnuplot -e "data='out/sens/sensitivity.tsv'; term='dumb'" plots/tornado.gp   (in the terminal)
#   gnuplot -c plots/tornado.gp DATA OUT TERM [FIG]   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: a sensitivity.tsv of 'sim sensitivity' (tab-separated
#          columns: figure input s1 s1_ci_lo s1_ci_hi st st_ci_lo st_ci_hi;
#          the rows of a figure together, sorted by st, largest first)
#   fig    figure to draw (default p_deterred), a value of the 'figure' column
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# One pair of horizontal bars per input, the largest total index on top: the
# total-order index S_T (the input's share of the variance, interactions
# included) and the first-order index S_1 (its share alone), each with its
# 95% interval as whiskers and its value printed past the whisker.
# An input's range comes from the file's '# range: PATH = LO:HI' lines.

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c tornado.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "tornado.gp: no input; run with -e \"data='DIR/sensitivity.tsv'; out='FILE.png'\""
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
    if (term eq "") { exit error sprintf("tornado.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
}
set encoding utf8
if (term eq "png") {
    set terminal pngcairo size 1000,620 noenhanced font "Sans,12" background "white"
} else { if (term eq "svg") {
    # (14 px text: the size a report shows it at, 1000 px wide)
    set terminal svg size 1000,620 dynamic noenhanced font "Sans,14" background "white"
} else { if (term eq "pdf") {
    set terminal pdfcairo size 8in,5in noenhanced font "Sans,12" fontscale 0.65 linewidth 0.75
} else { if (term eq "dumb") {
    set terminal dumb size 100,32 noenhanced
} else {
    exit error sprintf("tornado.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("tornado.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "tornado.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("tornado.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "tornado.gp: out must be a file name, not a pipe" }

# Okabe-Ito colour-blind-safe palette
okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
do for [i = 1:8] { set linetype i lc rgb word(okabe, i) lw 2 pt 7 ps 0.8 dt 1 }
set linetype cycle 8
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set title font (term eq "svg" ? ",16" : ",14")
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
val(v) = sprintf("%.2f", abs(v) < 0.005 ? 0 : v)   # no "-0.00"
fmax(a, b) = (a > b) ? a : b

# ---------------------------------------------------------------- chart
if (!exists("fig") || strlen(fig) == 0) { fig = "p_deterred" }
# fig goes to shell commands below: a name of letters, digits and '_' only
idchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
do for [k = 1:strlen(fig)] { if (strstrt(idchars, fig[k:k]) == 0) { exit error sprintf("tornado.gp: fig='%s' is not a figure name (letters, digits and '_')", fig) } }
if (words(data) != 1) { exit error "tornado.gp: data must be one sensitivity.tsv" }
if (!readable(data)) { exit error sprintf("tornado.gp: cannot read '%s'", data) }
if (colnum(data, "st_ci_hi") != 8 || colnum(data, "input") != 2) {
    exit error sprintf("tornado.gp: '%s' is not a sensitivity.tsv (columns figure input s1 ... st_ci_hi)", data)
}
# the rows of fig: how many, where they start, how far the intervals reach
isfig = 'strcol(1) eq fig'
n = int(system(sprintf("grep -v '^#' '%s' | cut -f1 | grep -c -x -F -e '%s'", data, fig)) + 0)
if (n == 0) {
    figs = system(sprintf("grep -v '^#' '%s' | tail -n +2 | cut -f1 | sort -u | tr '\\n' ' '", data))
    exit error sprintf("tornado.gp: no figure '%s' in '%s'; it has: %s", fig, data, figs)
}
stats data using (@isfig ? $0 : NaN) nooutput
first = STATS_min
last = STATS_max
if (last - first != n - 1) { exit error sprintf("tornado.gp: the rows of '%s' are not together in '%s'", fig, data) }
stats data every ::first::last using (strlen(strcol(2))) nooutput
namelen = STATS_max
# lowest and highest of the indices and their intervals (NaN skipped)
lohi = system(sprintf("awk -F'\\t' -v f='%s' '!/^#/ && $1 == f { for (i = 3; i <= 8; i++) if ($i ~ /^[-+]?[0-9.]/) { v = $i + 0; if (!m || v < lo) lo = v; if (!m || v > hi) hi = v; m = 1 } } END { if (m) print lo, hi }' '%s'", fig, data))
if (words(lohi) != 2) { exit error sprintf("tornado.gp: the indices of '%s' are all undefined (NaN) in '%s'", fig, data) }
lo = word(lohi, 1) + 0
hi = word(lohi, 2) + 0

# '# range: PATH = LO:HI' of the header, as "(LO to HI)"
ranges = "\n" . system(sprintf("sed -n 's/^# range: //p' '%s'", data)) . "\n"
# a whole number of 10,000 or more with its thousands grouped (400,000)
grp(v) = abs(v) < 1000 ? sprintf("%d", int(v)) : grp(int(v / 1000)) . sprintf(",%03d", int(abs(v)) % 1000)
fmtnum(s) = (s eq sprintf("%d", int(real(s))) && abs(real(s)) >= 10000) ? grp(int(real(s))) : s
rangeof(p) = (_i = strstrt(ranges, "\n" . p . " = "), _i == 0 ? "" : \
    (_r = ranges[_i + strlen(p) + 4:], _r = _r[1:strstrt(_r, "\n") - 1], \
     _c = strstrt(_r, ":"), _c == 0 ? "" : "(" . fmtnum(_r[1:_c - 1]) . " to " . fmtnum(_r[_c + 1:]) . ")"))
# long paths are broken after a dot, into lines of at most about 34 characters
brk(p, w) = (strlen(p) <= w ? p : \
    (_k = lastdot(p[1:w]), _k <= 1 ? p : p[1:_k] . "\n" . brk(p[_k + 1:], w)))
lastdot(s) = (_t = strstrt(s, "."), _t == 0 ? 0 : _t + lastdot(s[_t + 1:]))
inputlabel(p) = (_g = rangeof(p), _b = brk(p, 34), strlen(_g) > 0 ? _b . "\n" . _g : _b)

# the plots read only the rows of fig ('every'), where $0 counts from 0:
# row r sits at y = n - r, the largest on top
ypos(row) = n - row
h = 0.17    # half-height of a bar
d = 0.2     # offset of each bar from the input's line

set title (exists("title") ? title : sprintf("Sobol' sensitivity of %s\n%s", fig, clip(scenario(data), 80)))
set xlabel "Sobol' index: share of the variance of " . fig . " (0–1)"
unset ylabel
set xrange [(lo < 0 ? lo - 0.05 : 0):fmax(1, hi + 0.12)]
set yrange [0.45:n + 0.55]
xspan = fmax(1, hi + 0.12) - (lo < 0 ? lo - 0.05 : 0)
xstep = (xspan > 1.25 ? 0.2 : 0.1)    # (a parenthesised tic spec would be a tic list)
set xtics xstep format "%.1f"
set ytics scale 0
set grid noytics
set yzeroaxis lt -1 lc rgb "#444444" lw 1
set border 1 lc rgb "#444444"
set style fill solid 1.0 noborder
set bars 1.5
set key outside below center horizontal Left reverse samplen 2 width 2 noautotitle
# (an SVG's key at the foot, clear of the axis' label; its values at the
# size of its other text)
if (term eq "svg") { set key at screen 0.5, screen 0.02 center bottom vertical Left reverse samplen 2 width 2 spacing 1.2 }
valfont = (term eq "svg") ? "Sans,13" : "Sans,10"
if (dumb) { set lmargin namelen + 2 }
# room for the labels at the left, for the values past the whiskers at the right
if (!dumb) { set lmargin at screen 0.31; set rmargin at screen 0.95; set bmargin at screen (term eq "svg" ? 0.29 : 0.22) }

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
plot data every ::first::last using (0):(@isfig ? ypos($0) + d : NaN):(0):6:(ypos($0) + d - h):(ypos($0) + d + h) \
         with boxxyerror lc rgb "#0072B2" title "total-order index S_T (with interactions)", \
     data every ::first::last using (0):(@isfig ? ypos($0) - d : NaN):(0):3:(ypos($0) - d - h):(ypos($0) - d + h) \
         with boxxyerror lc rgb "#E69F00" title "first-order index S_1 (alone)", \
     data every ::first::last using 6:(@isfig ? ypos($0) + d : NaN):7:8 with xerrorbars lc rgb "#000000" lw 1.5 pt 0 ps 1 \
         title "95% interval", \
     data every ::first::last using 3:(@isfig ? ypos($0) - d : NaN):4:5 with xerrorbars lc rgb "#000000" lw 1.5 pt 0 ps 1 notitle, \
     data every ::first::last using ($8 + 0.01):(@isfig ? ypos($0) + d : NaN):(val($6)) with labels left font valfont notitle, \
     data every ::first::last using ($5 + 0.01):(@isfig ? ypos($0) - d : NaN):(val($3)) with labels left font valfont notitle, \
     data every ::first::last using (0):(@isfig ? ypos($0) : NaN):ytic(inputlabel(strcol(2))) with points ps 0 notitle
unset output

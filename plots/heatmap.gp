# heatmap.gp -- gsim: one figure of a 2-D sweep as a heat map with contours.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/s2/sweep.tsv'; out='heatmap.png'" plots/heatmap.gp
#   gnuplot -e "data='out/s2/sweep.tsv'; fig='p_challenger_wins'; out='wins.pdf'" plots/heatmap.gp
#   gnuplot -e "data='out/s2/sweep.tsv'; term='dumb'" plots/heatmap.gp      (contours only, in the terminal)
#   gnuplot -c plots/heatmap.gp DATA OUT TERM [FIG]   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: a sweep.tsv of 'sim sweep' with exactly two --vary
#          (columns: PATH1 PATH2 trials, then NAME NAME_ci_lo NAME_ci_hi for
#          each figure; a blank line after each run of PATH2, as sim writes it)
#   fig    figure to draw (default p_deterred), a NAME of the header line
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# x is PATH1 (column 1), y is PATH2 (column 2), the colour the figure
# (viridis-like, colour-blind safe; 0 to 1 for probabilities). Labelled
# contour lines mark 0.5 and 0.9 for a probability, 5 automatic levels for
# another figure. Axis names come from the header line (the last '#' line).

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c heatmap.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "heatmap.gp: no input; run with -e \"data='DIR/sweep.tsv'; out='FILE.png'\""
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
    if (term eq "") { exit error sprintf("heatmap.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
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
    exit error sprintf("heatmap.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("heatmap.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "heatmap.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("heatmap.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "heatmap.gp: out must be a file name, not a pipe" }

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
# unit of a config path, guessed from its last key (docs/model.md)
endswith(s, e) = strlen(s) >= strlen(e) && s[strlen(s) - strlen(e) + 1:] eq e
pathunit(p) = \
    strstrt(p, "troop") > 0 ? " (troops)" : \
    (endswith(p, "strength") || endswith(p, "vote_share") || endswith(p, "automaticity") || endswith(p, "_prob")) ? " (0–1)" : \
    (endswith(p, "_rate") || endswith(p, "per_year") || endswith(p, "depreciation")) ? " (per year)" : \
    (endswith(p, "election_interval") || endswith(p, "next_election") || endswith(p, "horizon_years")) ? " (years)" : ""

# ---------------------------------------------------------------- chart
if (!exists("fig") || strlen(fig) == 0) { fig = "p_deterred" }
# fig goes to shell commands below: a name of letters, digits and '_' only
idchars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
do for [k = 1:strlen(fig)] { if (strstrt(idchars, fig[k:k]) == 0) { exit error sprintf("heatmap.gp: fig='%s' is not a figure name (letters, digits and '_')", fig) } }
if (words(data) != 1) { exit error "heatmap.gp: data must be one sweep.tsv" }
if (!readable(data)) { exit error sprintf("heatmap.gp: cannot read '%s'", data) }
if (colname(data, 3) ne "trials" || colname(data, 2) eq "trials") {
    exit error sprintf("heatmap.gp: '%s' is not a sweep of exactly two paths", data)
}
xname = colname(data, 1)
yname = colname(data, 2)
c = colnum(data, fig)
if (c < 4 || colnum(data, fig . "_ci_lo") != c + 1) {
    exit error sprintf("heatmap.gp: no figure '%s' in '%s'", fig, data)
}
# the ranges of the grid, also where the figure is undefined (NaN)
stats data using 1 nooutput
xbig = (STATS_max - STATS_min >= 10000)
xlo = STATS_min; xhi = STATS_max
stats data using 2 nooutput
ybig = (STATS_max - STATS_min >= 10000)
ylo = STATS_min; yhi = STATS_max
# points where the figure is undefined (NaN: e.g. '| attack' with no attack)
stats data using (valid(c) ? 0 : 1) nooutput
nundef = STATS_sum
set xrange [xlo:xhi]
set yrange [ylo:yhi]

set title (exists("title") ? title : sprintf("%s — %s", fig, clip(scenario(data), 70)))
set xlabel xname . pathunit(xname)
set ylabel yname . pathunit(yname)
if (xbig) { set xtics format "%.0f" }
if (ybig) { set ytics format "%.0f" }
# fixed margins (below) do not make room for wide tic labels: shift the y label
if (!dumb) { set ylabel offset (ybig ? -2 : -1), 0 }
set grid layerdefault
unset grid
set tics out nomirror
set border 15 front lc rgb "#444444"
unset key

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
# contour lines, computed once into a table (pieces: blocks of points)
set datafile nocolumnheaders
set datafile separator whitespace
set contour base
if (isprob(fig)) {
    set cntrparam levels discrete 0.5, 0.9
} else {
    set cntrparam levels auto 5
}
unset surface
set table $contours
splot data using 1:2:c with lines notitle
unset table
unset contour
set surface
# one label per piece, at its middle point: count the points of each piece
lens = ""; cur = 0; pkey = ""; np = 0
ncont = 0
do for [i = 1:|$contours|] { _l = $contours[i]; if (strlen(_l) > 1 && _l[1:1] ne "#") { ncont = ncont + 1 } }
if (ncont > 0) {
    stats $contours using (_k = sprintf("%d:%d", column(-2), column(-1)), \
        _k ne pkey ? (np > 0 ? lens = lens . sprintf(" %d", cur) : 0, np = np + 1, cur = 1, pkey = _k) : cur = cur + 1, $2) nooutput
    lens = lens . sprintf(" %d", cur)
}
# x of a contour point if it is the middle of its piece, else NaN (no label)
midx(x) = (_k = sprintf("%d:%d", column(-2), column(-1)), \
    _k ne pkey ? (np = np + 1, cur = 0, pkey = _k) : cur = cur + 1, \
    cur == int((word(lens, np) + 0) / 2) ? x : NaN)
levelfmt(z) = sprintf("%.2g", z)
set style textbox opaque fillcolor rgb "white" noborder margins 2,1

if (dumb) {
    # characters cannot colour cells: the contour lines only, each labelled
    # with its level; dumb cannot rotate the y label, so the title names y
    set title (exists("title") ? title : sprintf("%s — %s", fig, clip(scenario(data), 70))) . "\ncontours of " . fig . "; y: " . yname . pathunit(yname)
    set tics in
    pkey = ""; np = 0; cur = 0
    if (ncont > 0) {
        plot $contours using 1:2 with lines lt 1 notitle, \
             $contours using (midx($1)):2:(levelfmt($3)) with labels notitle
    } else {
        set label 1 "no contour in this range" at graph 0.5, graph 0.5 center
        plot NaN notitle
    }
} else {
    set pm3d map interpolate 2,2
    # a map fills the page only with margins at screen positions; the pdf's
    # text is larger relative to the page, so its margins are wider
    pdf = (term eq "pdf")
    set lmargin at screen (pdf ? (ybig ? 0.17 : 0.12) : (ybig ? 0.14 : 0.10))
    set rmargin at screen (pdf ? 0.75 : 0.80)
    set bmargin at screen (pdf ? 0.16 : 0.13)
    set tmargin at screen (pdf ? 0.88 : 0.90)
    set palette defined (0 "#440154", 0.125 "#46327e", 0.25 "#365c8d", 0.375 "#277f8e", \
                         0.5 "#1fa187", 0.625 "#4ac16d", 0.75 "#a0da39", 0.875 "#d6e42c", 1 "#fde725")
    if (isprob(fig)) { set cbrange [0:1]; set cbtics 0, 0.1, 1 format "%.1f" }
    set cblabel figlabel(fig)
    set colorbox vertical user origin graph 1.03, graph 0 size graph 0.03, graph 1
    if (nundef > 0) {
        set object 1 rectangle from graph 0, 0 to graph 1, 1 behind fillcolor rgb "#d9d9d9" fillstyle solid 1.0 noborder
        set label 2 "grey: " . fig . " undefined" at screen 0.99, screen 0.02 right font "Sans,10"
    }
    pkey = ""; np = 0; cur = 0
    if (ncont > 0) {
        splot data using 1:2:c with pm3d notitle, \
              $contours using 1:2:3 with lines lc rgb "#000000" lw 1.5 notitle, \
              $contours using (midx($1)):2:3:(levelfmt($3)) with labels boxed font "Sans,11" notitle
    } else {
        splot data using 1:2:c with pm3d notitle
    }
}
unset output

# sweep.gp -- gsim: one figure of a 1-D sweep, with its 95% interval.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/s1/sweep.tsv'; out='sweep.png'" plots/sweep.gp
#   gnuplot -e "data='out/s1/sweep.tsv'; fig='p_challenger_wins'; out='wins.svg'" plots/sweep.gp
#   gnuplot -e "data='out/s1/sweep.tsv'; term='dumb'" plots/sweep.gp         (draws in the terminal)
#   gnuplot -c plots/sweep.gp DATA OUT TERM [FIG]   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: a sweep.tsv of 'sim sweep' with one --vary (columns:
#          PATH trials, then NAME NAME_ci_lo NAME_ci_hi for each figure)
#   fig    figure to draw (default p_deterred), a NAME of the header line
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# x is the varied path (column 1), y the figure; the band is its 95%
# interval (not in dumb). The series is named by the file's
# '# scenario: NAME' line, the axes by the header line (the last '#' line).
# A 2-D sweep is refused: draw it with heatmap.gp.

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c sweep.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "sweep.gp: no input; run with -e \"data='DIR/sweep.tsv'; out='FILE.png'\""
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
    if (term eq "") { exit error sprintf("sweep.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
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
    exit error sprintf("sweep.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("sweep.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "sweep.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("sweep.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "sweep.gp: out must be a file name, not a pipe" }

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
do for [k = 1:strlen(fig)] { if (strstrt(idchars, fig[k:k]) == 0) { exit error sprintf("sweep.gp: fig='%s' is not a figure name (letters, digits and '_')", fig) } }
if (words(data) != 1) { exit error "sweep.gp: data must be one sweep.tsv" }
if (!readable(data)) { exit error sprintf("sweep.gp: cannot read '%s'", data) }
xname = colname(data, 1)
if (colname(data, 2) ne "trials") {
    exit error sprintf("sweep.gp: '%s' varies several paths; draw it with heatmap.gp", data)
}
c = colnum(data, fig)
if (c < 3 || colnum(data, fig . "_ci_lo") != c + 1 || colnum(data, fig . "_ci_hi") != c + 2) {
    exit error sprintf("sweep.gp: no figure '%s' with _ci_lo, _ci_hi columns in '%s'", fig, data)
}

stats data using 1 nooutput
set title (exists("title") ? title : sprintf("%s by %s", fig, xname))
set xlabel xname . pathunit(xname)
set ylabel figlabel(fig)
if (isprob(fig)) { set yrange [0:1]; set ytics 0, 0.1, 1 format "%.1f" } else { set yrange [*:*] }
if (STATS_max - STATS_min >= 10000) { set xtics format "%.0f" }
# large whole values are labelled as people write them (800,000): tics at
# a round step, about eight of them, each labelled with its thousands grouped
grp(v) = abs(v) < 1000 ? sprintf("%d", int(v)) : grp(int(v / 1000)) . sprintf(",%03d", int(abs(v)) % 1000)
if (!dumb && STATS_max - STATS_min >= 10000 && STATS_max < 1e15 && STATS_min > -1e15) {
    xraw = (STATS_max - STATS_min) / 8.0
    xmag = 10 ** floor(log10(xraw))
    xstep = xmag * (xraw / xmag <= 1 ? 1 : xraw / xmag <= 2 ? 2 : xraw / xmag <= 5 ? 5 : 10)
    set xtics ()
    do for [k = ceil(STATS_min / xstep):floor(STATS_max / xstep)] { set xtics add (grp(k * xstep) k * xstep) }
}
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
name = scenario(data)

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
if (dumb) {
    # characters cannot shade a band: the line only
    set key outside below center noautotitle
    plot data using 1:c with lines lt 1 title name
} else {
    set key outside below center Left reverse horizontal samplen 3 width 2 spacing 1.25 height 0.6 noautotitle
    set xlabel offset 0, 0.4
    # the levels a report's thresholds are of
    if (fig eq "p_deterred") {
        do for [lv in "0.5 0.9"] {
            set arrow from graph 0, first real(lv) to graph 1, first real(lv) nohead dt 2 lw 1 lc rgb "#777777" back
            set label sprintf("%.0f%%", 100 * real(lv)) at graph 1, first real(lv) offset 0.5, 0 left tc rgb "#555555"
        }
        set rmargin 6
    }
    plot data using 1:c+1:c+2 with filledcurves lc 1 fs transparent solid 0.22 noborder title "95% interval", \
         data using 1:c with linespoints lt 1 pt 7 ps 0.7 title name
}
unset output

# survival.gp -- gsim: probability that deterrence still holds, by year.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/a/survival.tsv out/b/survival.tsv'; out='survival.png'" plots/survival.gp
#   gnuplot -e "data='out/a/survival.tsv'; term='dumb'" plots/survival.gp     (draws in the terminal)
#   gnuplot -c plots/survival.gp DATA OUT TERM   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: space-separated list of survival.tsv files written by
#          'sim run -o DIR' (columns: year survival ci_lo ci_hi); one curve
#          per file. Paths cannot hold
#          spaces, quotes, backslashes, '$', '`' or control characters.
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# Each curve is named by its file's '# scenario: NAME' header line and drawn
# over its 95% interval, a translucent band (not in dumb); the key gives the
# widest half-width, and says so when the band is thinner than the line.

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c survival.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "survival.gp: no input; run with -e \"data='DIR/survival.tsv ...'; out='FILE.png'\""
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
    if (term eq "") { exit error sprintf("survival.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
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
    exit error sprintf("survival.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("survival.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "survival.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("survival.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "survival.gp: out must be a file name, not a pipe" }

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

# ---------------------------------------------------------------- chart
n = words(data)
array names[n]
do for [i = 1:n] {
    f = word(data, i)
    if (!readable(f)) { exit error sprintf("survival.gp: cannot read '%s'", f) }
    names[i] = scenario(f)
}
# two files of the same scenario: tell them apart by path
array dup[n]
do for [i = 1:n] { dup[i] = 0; do for [j = 1:n] { if (j != i && names[j] eq names[i]) { dup[i] = 1 } } }
do for [i = 1:n] { if (dup[i]) { names[i] = names[i] . " (" . word(data, i) . ")" } }

set title (exists("title") ? title : "Probability that deterrence still holds (no attack yet), by year")
# with a '# start:' line (scenario.start) in the first file, calendar years
x0s = system(sprintf("sed -n 's/^# start: .* (year 0 is \\([0-9.]*\\))$/\\1/p' '%s' | head -n 1", word(data, 1)))
x0 = strlen(x0s) > 0 ? real(x0s) : 0
set xlabel (x0 != 0 ? "Year" : "Time since the start of the scenario (years)")
set xrange [x0:*]
# a curve that stays high is drawn on an axis from a round value below its
# band (the axis says so), so that its fall and its band can be seen; the
# dumb terminal keeps the whole axis
# (and the widest half-width of any band: a band thinner than the line,
# as the conditional estimator's often is, is said to be, not left for the
# reader to look for)
ylo = 0
hw = 0
if (!dumb) {
    ymin = 1
    do for [i = 1:n] {
        stats word(data, i) using 3 nooutput
        if (STATS_min < ymin) { ymin = STATS_min }
        stats word(data, i) using (($4 - $3) / 2) nooutput
        if (STATS_max > hw) { hw = STATS_max }
    }
    # the axis from a multiple of the smallest step (0.01, 0.02, 0.05 or
    # 0.1) that needs at most 10 tics, a little below the lowest band
    raw = ymin - (0.15 * (1 - ymin) > 0.005 ? 0.15 * (1 - ymin) : 0.005)
    ystep = 0
    do for [u in "0.01 0.02 0.05 0.1"] {
        if (ystep == 0 && ymin >= 0.5 && (1 - floor(raw / real(u) + 1e-9) * real(u)) / real(u) <= 10.5) {
            ystep = real(u)
            ylo = floor(raw / ystep + 1e-9) * ystep
        }
    }
}
if (ylo > 0) {
    set ylabel sprintf("Probability of no attack yet (axis from %.2f)", ylo)
    set yrange [ylo:1]
    set ytics ylo, ystep, 1 format (ystep < 0.1 ? "%.2f" : "%.1f")
} else {
    set ylabel "Probability of no attack yet (0–1)"
    set yrange [0:1]
    set ytics 0, 0.1, 1 format "%.1f"
}

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
if (dumb) {
    # characters cannot shade a band: the curves only
    set key outside below center Left reverse vertical maxcols 1 noautotitle
    plot for [i = 1:n] word(data, i) using ($1 + x0):2 with lines lt i title names[i]
} else {
    # a band is seen when it is wider than the line: about 0.4% of the
    # axis' height either side (2 px of a 450 px plot)
    seen = hw >= 0.004 * (1 - ylo)
    band = hw == 0 ? "95% interval: none, the figures are exact" : !seen ? sprintf("95%% interval: at most ±%.4f, narrower than the line", hw) \
                      : sprintf("95%% interval (shaded; at most ±%.3f)", hw)
    # the key under the plot, clear of the axis' label; a band too thin to
    # see gets no swatch in it, only words
    # (one column up to four curves, then two)
    keyrows = n <= 4 ? n + 1 : int((n + 2) / 2)
    set key outside below center Left reverse vertical maxrows keyrows samplen 3 width 1 spacing 1.25 height 0.6 noautotitle
    set bmargin (keyrows + 5.5)
    set xlabel offset 0, 0.4
    if (seen) {
        plot for [i = 1:n] word(data, i) using ($1 + x0):3:4 with filledcurves lc i fs transparent solid 0.22 noborder notitle, \
             for [i = 1:n] word(data, i) using ($1 + x0):2 with lines lt i title names[i], \
             keyentry with filledcurves lc rgb (n == 1 ? word(okabe, 1) : "#888888") fs transparent solid 0.3 noborder title band
    } else {
        plot for [i = 1:n] word(data, i) using ($1 + x0):2 with lines lt i title names[i], \
             keyentry with lines lt nodraw title band
    }
}
unset output

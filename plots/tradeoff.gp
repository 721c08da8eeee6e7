# tradeoff.gp -- gsim: PRIM's peeling trajectory, coverage against density.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/discover/discover.tsv'; out='tradeoff.png'" plots/tradeoff.gp
#   gnuplot -c plots/tradeoff.gp DATA OUT TERM   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a discover.tsv written by 'sim discover -o DIR' (columns
#          box step chosen coverage density support restricted ...). Its path
#          cannot hold spaces, quotes, backslashes, '$', '`' or control
#          characters.
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# Each box of the peeling is a point: the share of the cases of interest it
# holds (coverage, x) against the share of its rows that are of interest
# (density, y), coloured by how many inputs it restricts; the box reported
# is ringed. One line per search (box 1, then box 2 on the rows left, ...).

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (!exists("data") || strlen(data) == 0) {
    exit error "tradeoff.gp: no input; run with -e \"data='DIR/discover.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("tradeoff.gp: cannot tell the format of out='%s'", out) }
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
    exit error sprintf("tradeoff.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("tradeoff.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "tradeoff.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "tradeoff.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("tradeoff.gp: cannot read '%s'", data) }

okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
do for [i = 1:8] { set linetype i lc rgb word(okabe, i) lw 1.5 pt 7 ps 0.9 dt 1 }
set linetype cycle 8
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set title font ",14"
set datafile separator "\t"
nb = int(system(sprintf("grep -v '^#' '%s' | cut -f1 | sort -n | tail -n 1", data)))
if (nb < 1) { exit error sprintf("tradeoff.gp: '%s' holds no boxes", data) }
set title "PRIM: each peel trades coverage for density (ringed: the box reported)"
set xlabel "Coverage: share of the cases of interest inside the box"
set ylabel "Density: share of the box's rows that are of interest"
set xrange [0:1.02]
set yrange [0:1.02]
set xtics 0, 0.1, 1 format "%.1f"
set ytics 0, 0.1, 1 format "%.1f"
set key outside right center Left reverse vertical samplen 2 spacing 1.3 noautotitle
set cblabel "inputs restricted"
set palette defined (0 "#56B4E9", 1 "#0072B2", 2 "#009E73", 3 "#E69F00", 4 "#D55E00", 6 "#CC79A7")
if (out ne "") { set output out } else { set output }
if (dumb) {
    plot for [b = 1:nb] data using ($1 == b ? $4 : NaN):5 with linespoints lt b title sprintf("box %d", b)
} else {
    plot for [b = 1:nb] data using ($1 == b ? $4 : NaN):5 with lines lt b lw 1 title sprintf("search for box %d", b), \
         data using 4:5:7 with points pt 7 ps 0.9 lc palette notitle, \
         data using ($3 == 1 ? $4 : NaN):5 with points pt 6 ps 2.6 lw 2 lc rgb "#000000" title "the box reported"
}
unset output

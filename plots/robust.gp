# robust.gp -- gsim: designs over the same futures, their figure and their regret.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/robust/robust.tsv'; out='robust.png'" plots/robust.gp
#   gnuplot -c plots/robust.gp DATA OUT TERM   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a robust.tsv written by 'sim robust -o DIR' (a row per
#          future: its inputs, then each design's figure and regret; the
#          designs named by its '# design:' lines, the inputs by its
#          '# range:' lines). Its path cannot hold spaces, quotes,
#          backslashes, '$', '`' or control characters.
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# Left: each design's figure over the futures, as a box plot (the box the
# middle half, the whiskers 1.5 times its height, the points beyond), the
# satisficing level dashed. Right: each design's regret, the best design's
# figure in that future minus its own (0 where it is the best).

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (!exists("data") || strlen(data) == 0) {
    exit error "robust.gp: no input; run with -e \"data='DIR/robust.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("robust.gp: cannot tell the format of out='%s'", out) }
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
    exit error sprintf("robust.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("robust.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "robust.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "robust.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("robust.gp: cannot read '%s'", data) }

okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set title font ",13"
set datafile separator "\t"
nd = int(system(sprintf("sed -n 's/^# designs: //p' '%s' | head -n 1", data)))
nr = int(system(sprintf("grep -c '^# range: ' '%s'", data)))
if (nd < 1) { exit error sprintf("robust.gp: '%s' names no designs", data) }
dname(i) = system(sprintf("sed -n 's/^# design: \\([^ ]*\\) = .*/\\1/p' '%s' | sed -n '%dp'", data, i))
fig = system(sprintf("sed -n 's/^# figure: \\([^ ]*\\) .*/\\1/p' '%s' | head -n 1", data))
sat = real(system(sprintf("sed -n 's/.*satisfice: \\([^;]*\\);.*/\\1/p' '%s' | head -n 1", data)))
array names[nd]
do for [i = 1:nd] { names[i] = dname(i) }
set xtics () 
do for [i = 1:nd] { set xtics add (names[i] i) }
set xrange [0.4:nd + 0.6]
# long design names slanted, so that they do not run into each other
longest = 0
do for [i = 1:nd] { longest = strlen(names[i]) > longest ? strlen(names[i]) : longest }
if (longest * nd > 36) { set xtics rotate by 30 right; set bmargin 6 }
set style boxplot outliers pointtype 7 fraction 0.95
set style data boxplot
set boxwidth 0.5
set style fill solid 0.35 border lc rgb "#444444"
unset key
if (out ne "") { set output out } else { set output }
set multiplot layout 1, 2 title sprintf("%d designs over the same %d uncertain futures", nd, int(system(sprintf("grep -vc '^#' '%s'", data))) - 1) font ",14"
set title sprintf("%s (dashed: the level %g)", fig, sat)
set ylabel fig
set yrange [0:1.02]
set arrow 1 from graph 0, first sat to graph 1, first sat nohead dt 2 lc rgb "#444444"
plot for [i = 1:nd] data using (i):(column(1 + nr + 2 * i - 1)) lc rgb word(okabe, (i - 1) % 8 + 1)
unset arrow 1
set title "Regret: the best design's figure minus its own"
set ylabel "regret"
set yrange [-0.02:*]
plot for [i = 1:nd] data using (i):(column(1 + nr + 2 * i)) lc rgb word(okabe, (i - 1) % 8 + 1)
unset multiplot
unset output

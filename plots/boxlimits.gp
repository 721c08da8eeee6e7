# boxlimits.gp -- gsim: the limits of the boxes PRIM found, on each input's range.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/discover/boxes.tsv'; out='boxes.png'" plots/boxlimits.gp
#   gnuplot -c plots/boxlimits.gp DATA OUT TERM   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a boxes.tsv written by 'sim discover -o DIR' (columns box
#          input lo hi data_lo data_hi restricted quasi_p coverage density
#          support). Its path cannot hold spaces, quotes, backslashes, '$', '`'
#          or control characters.
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# One row per input a box restricts: a bar from the box's lower to its
# upper limit, on a scale where 0 and 1 are the lowest and highest values
# of that input in the table, labelled with the limits and the
# restriction's quasi-p-value.

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (!exists("data") || strlen(data) == 0) {
    exit error "boxlimits.gp: no input; run with -e \"data='DIR/boxes.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("boxlimits.gp: cannot tell the format of out='%s'", out) }
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
    exit error sprintf("boxlimits.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("boxlimits.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "boxlimits.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "boxlimits.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("boxlimits.gp: cannot read '%s'", data) }

set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics back ls 100; set tics out }
set border 1 lc rgb "#444444"
set title font ",14"
set datafile separator "\t"
nr = int(system(sprintf("grep -v '^#' '%s' | awk -F'\t' '$7 == 1' | wc -l", data)))
if (nr < 1) { exit error sprintf("boxlimits.gp: '%s' holds no restriction", data) }
set title "PRIM boxes: where the condition holds, on each input's range in the table"
set xlabel "Position within the input's range in the table (0: lowest value, 1: highest)"
set xrange [-0.02:1.02]
set yrange [0.3:nr + 0.7]
set xtics 0, 0.1, 1 format "%.1f"
unset ytics
set lmargin 2
set rmargin 2
set key outside below center horizontal noautotitle
okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
box(b) = word(okabe, (int(b) - 1) % 8 + 1)
rows = sprintf("< grep -v '^#' '%s' | awk -F'\t' '$7 == 1'", data)
lbl(name, lo, hi, p, b) = sprintf("box %d: %s from %.4g to %.4g (quasi-p %.2g)", b, name, lo, hi, p)
pos(x, a, b) = b > a ? (x - a) / (b - a) : 0.5
if (out ne "") { set output out } else { set output }
# the first row at the top
y(r) = nr - r
plot rows using (pos($3, $5, $6)):(y($0)):(pos($3, $5, $6)):(pos($4, $5, $6)):(y($0) - 0.18):(y($0) + 0.18):(int($1)) \
         with boxxyerror fs solid 0.45 noborder lc variable notitle, \
     rows using (0.01):(y($0) - 0.32):(lbl(strcol(2), $3, $4, $8, $1)) with labels left font ",10" notitle
unset output

# calibration.gp -- gsim: predicted against observed survival, in groups.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/history/groups.tsv'; out='calibration.png'" plots/calibration.gp
#   gnuplot -c plots/calibration.gp DATA OUT TERM   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a groups.tsv written by 'sim calibrate -o DIR' (columns:
#          predictor group cases predicted observed observed_lo observed_hi;
#          the rows of one predictor together). Its path cannot hold spaces,
#          quotes, backslashes, '$', '`' or control characters.
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# Each predictor is a line through its groups: the mean predicted chance of
# no attack by the time in the file's '# tau:' line (x) against the
# Kaplan-Meier estimate of the group's cases (y), with its 95% interval. A
# well-calibrated predictor lies on the diagonal; one that tells cases
# apart spreads its groups along it.

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (!exists("data") || strlen(data) == 0) {
    exit error "calibration.gp: no input; run with -e \"data='DIR/groups.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("calibration.gp: cannot tell the format of out='%s'", out) }
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
    exit error sprintf("calibration.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("calibration.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "calibration.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "calibration.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("calibration.gp: cannot read '%s'", data) }

okabe = "#0072B2 #E69F00 #009E73 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
do for [i = 1:8] { set linetype i lc rgb word(okabe, i) lw 2 pt 7 ps 1.2 dt 1 }
set linetype cycle 8
set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set title font ",14"
set datafile separator "\t"
# the first line that is not a comment names the columns
set datafile columnheaders

# the predictors, in the order of their rows (one word each: spaces as '_'
# for word(), back to spaces in the key)
preds = system(sprintf("grep -v '^#' '%s' | tail -n +2 | cut -f1 | uniq | tr ' ' '_' | tr '\\n' ' '", data))
np = words(preds)
if (np == 0) { exit error sprintf("calibration.gp: '%s' holds no groups", data) }
ng = int(system(sprintf("grep -v '^#' '%s' | tail -n +2 | wc -l", data))) / np
tau = system(sprintf("sed -n 's/^# tau: //p' '%s' | head -n 1", data))
# back to spaces in gnuplot itself: no text of the file goes to a shell
array names[np]
do for [i = 1:np] {
    w = word(preds, i)
    names[i] = ""
    do for [k = 1:strlen(w)] { names[i] = names[i] . (w[k:k] eq "_" ? " " : w[k:k]) }
}

set title sprintf("No attack by %s years: held-out prediction against what happened", tau)
set xlabel sprintf("Predicted chance of no attack by %s years (group mean, %d groups)", tau, ng)
set ylabel "Observed (Kaplan-Meier, with 95% interval)"
set xrange [0.2:1]
set yrange [0:1]
set xtics 0, 0.1, 1 format "%.1f"
set ytics 0, 0.1, 1 format "%.1f"
set key outside right center Left reverse vertical samplen 2 spacing 1.3 noautotitle

if (out ne "") { set output out } else { set output }
if (dumb) {
    plot x with lines lc rgb "#888888" dt 2 title "perfect calibration", \
         for [i = 1:np] data every ::((i-1)*ng)::(i*ng-1) using 4:5 with linespoints lt i title names[i]
} else {
    # each predictor's bars a little apart, so that they do not hide each other
    off(i) = (i - (np + 1) / 2.0) * 0.006
    plot x with lines lc rgb "#888888" lw 1.5 dt 2 title "perfect calibration (diagonal)", \
         for [i = 1:np] data every ::((i-1)*ng)::(i*ng-1) using ($4 + off(i)):5:6:7 with yerrorbars lt i pt 7 notitle, \
         for [i = 1:np] data every ::((i-1)*ng)::(i*ng-1) using ($4 + off(i)):5 with lines lt i title names[i]
}
unset output

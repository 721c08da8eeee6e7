# cases.gp -- gsim: each back-test case's predicted survival against what happened.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/history/curves.tsv'; out='cases.png'" plots/cases.gp
#   gnuplot -c plots/cases.gp DATA OUT TERM   (as 'sim plot' runs it)
#
# Variables:
#   data   required: a curves.tsv written by 'sim backtest -o DIR' (a block a
#          case, two blank lines apart, each headed '# case: NAME' and
#          '# observed: YEARS years, held|attacked'). Its path cannot hold
#          spaces, quotes, backslashes, '$', '`' or control characters.
#   out    output file; may be empty when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#
# One panel a case (at most 24): the predicted chance of no attack yet, by
# year, as the case's config has it, and a vertical line where observation
# ended: red where the case was attacked then, green where deterrence held
# to then. A good prediction is high at a green line and low at a red one.

if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (!exists("data") || strlen(data) == 0) {
    exit error "cases.gp: no input; run with -e \"data='DIR/curves.tsv'; out='FILE.png'\""
}
if (!exists("out")) { out = "" }
if (!exists("term")) { term = "" }
if (strlen(term) == 0) {
    dot = 0
    do for [k = 1:strlen(out)] { if (out[k:k] eq ".") { dot = k } }
    ext = (dot > 0) ? out[dot+1:] : ""
    term = (ext eq "png") ? "png" : (ext eq "svg") ? "svg" : (ext eq "pdf") ? "pdf" : \
           (out eq "" || ext eq "txt") ? "dumb" : ""
    if (term eq "") { exit error sprintf("cases.gp: cannot tell the format of out='%s'", out) }
}
set encoding utf8
if (term eq "png") {
    set terminal pngcairo size 1000,620 noenhanced font "Sans,9" background "white"
} else { if (term eq "svg") {
    set terminal svg size 1000,620 dynamic noenhanced font "Sans,9" background "white"
} else { if (term eq "pdf") {
    set terminal pdfcairo size 8in,5in noenhanced font "Sans,9" fontscale 0.65 linewidth 0.75
} else { if (term eq "dumb") {
    set terminal dumb size 100,32 noenhanced
} else {
    exit error sprintf("cases.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("cases.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r") || strstrt(s, " ")
if (badchars(data) || data[1:1] eq "-" || data[1:1] eq "<" || data[1:1] eq "|") {
    exit error "cases.gp: the file name holds a space, a quote, a backslash, a dollar sign, a backquote or a control character, or starts with '-', '<' or '|'"
}
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "cases.gp: out must be a file name, not a pipe" }
if (system(sprintf("test -r '%s' && echo y", data)) ne "y") { exit error sprintf("cases.gp: cannot read '%s'", data) }

n = int(system(sprintf("grep -c '^# case: ' '%s'", data)))
if (n < 1) { exit error sprintf("cases.gp: '%s' holds no cases", data) }
shown = n > 24 ? 24 : n
cols = shown <= 4 ? shown : (shown <= 9 ? 3 : 4)
rows = (shown + cols - 1) / cols
clip(s, k) = strlen(s) <= k ? s : s[1:k-1] . "…"
casename(i) = system(sprintf("sed -n 's/^# case: //p' '%s' | sed -n '%dp'", data, i))
years(i) = real(system(sprintf("sed -n 's/^# observed: \\([0-9.e+-]*\\) years.*/\\1/p' '%s' | sed -n '%dp'", data, i)))
held(i) = system(sprintf("sed -n 's/^# observed: .* years, //p' '%s' | sed -n '%dp'", data, i)) eq "held"

set style line 100 lc rgb "#dddddd" lw 1 dt solid
set tics nomirror
if (!dumb) { set grid xtics ytics back ls 100; set tics out }
set border 3 lc rgb "#444444"
set datafile separator "\t"
set yrange [0:1.05]
set ytics 0, 0.5, 1 format "%.1f"
set xrange [0:*]
unset key

if (out ne "") { set output out } else { set output }
set multiplot layout rows, cols title (n > shown ? sprintf("Predicted chance of no attack yet, by year: the first %d of %d cases (red: attacked; green: held)", shown, n) : "Predicted chance of no attack yet, by year since the start (line: end of observation; red: attacked then, green: held to then)") font ",11"
do for [i = 1:shown] {
    t = years(i)
    h = held(i)
    set title sprintf("%s\n%s at %.3g years", clip(casename(i), 34), h ? "held" : "attacked", t) font ",9"
    unset arrow
    set arrow 1 from t, graph 0 to t, graph 1 nohead lw 2 lc rgb (h ? "#009E73" : "#D55E00")
    xmax = t > 10 ? t : 10
    set xtics 0, (xmax <= 10 ? 2 : xmax <= 25 ? 5 : xmax <= 50 ? 10 : 20)
    plot data index (i - 1) using 2:3 with lines lw 2 lc rgb "#0072B2"
}
unset multiplot
unset output

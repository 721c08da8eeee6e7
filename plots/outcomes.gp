# outcomes.gp -- gsim: how the simulated histories end, one stacked bar per run.
#
# Usage (gnuplot 5.4 or later):
#   gnuplot -e "data='out/a/outcomes.tsv out/b/outcomes.tsv'; out='outcomes.png'" plots/outcomes.gp
#   gnuplot -e "data='out/a/outcomes.tsv'; term='dumb'" plots/outcomes.gp   (draws in the terminal)
#   gnuplot -c plots/outcomes.gp DATA OUT TERM   (as sim runs it: plain arguments,
#          never gnuplot code; OUT may be '' with TERM dumb)
#
# Variables (set them with -e before the script name):
#   data   required: space-separated list of outcomes.tsv files written by
#          'sim run -o DIR' (tab-separated columns: outcome count fraction
#          ci_lo ci_hi, a row per category), of one model; one bar per
#          file. The categories, their order, words, colour groups and
#          fills come from the first file's '# category: KEY<TAB>GROUP<TAB>
#          solid|hatched<TAB>WORDS' lines, which sim writes from the model's
#          declarations. Paths cannot hold spaces, quotes, backslashes,
#          '$', '`' or control characters.
#   out    output file; may be empty or unset when term is dumb (stdout)
#   term   png, svg, pdf or dumb; default: from out's extension
#          (.png .svg .pdf; .txt or no out: dumb)
#   title  optional chart title
#
# Each bar stacks the categories' fractions (they sum to 1), the first at
# the bottom; the categories of a group share a colour, solid or hatched
# (for the commitment model: a guarantor response has one colour, solid
# when the target held and hatched when it was defeated); segments of 4%
# or more show their percentage. A bar is labelled with its file's '# scenario: NAME' line and
# '# trials: N' line. The confidence intervals are not drawn.

# ---------------------------------------------------------------- interface
# sim runs: gnuplot -c outcomes.gp DATA OUT TERM [FIG], the values arriving as
# plain strings (ARG1 ...), never as gnuplot code
if (exists("ARGC") && ARGC >= 3) { data = ARG1; out = ARG2; term = ARG3 }
if (exists("ARGC") && ARGC >= 4) { fig = ARG4 }
if (!exists("data") || strlen(data) == 0) {
    exit error "outcomes.gp: no input; run with -e \"data='DIR/outcomes.tsv ...'; out='FILE.png'\""
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
    if (term eq "") { exit error sprintf("outcomes.gp: cannot tell the format of out='%s'; set term='png', 'svg', 'pdf' or 'dumb'", out) }
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
    exit error sprintf("outcomes.gp: unknown term='%s'; use png, svg, pdf or dumb", term)
}}}}
if (out eq "" && term ne "dumb") { exit error sprintf("outcomes.gp: term='%s' needs out='FILE'", term) }
dumb = (term eq "dumb")

# the file names go to shell commands below between single quotes, and
# gnuplot reads a name starting with '<' as a command, an output starting
# with '|' as a pipe: refuse a name that could be more than a name
badchars(s) = strstrt(s, "'") || strstrt(s, "\"") || strstrt(s, "\\") || strstrt(s, '`') || \
              strstrt(s, "$") || strstrt(s, "\n") || strstrt(s, "\t") || strstrt(s, "\r")
badstart(s) = s[1:1] eq "-" || s[1:1] eq "<" || s[1:1] eq "|"
if (badchars(data)) { exit error "outcomes.gp: a file name in data holds a quote, a backslash, a dollar sign, a backquote or a control character" }
do for [i = 1:words(data)] { if (badstart(word(data, i))) { exit error sprintf("outcomes.gp: the file name '%s' starts with '-', '<' or '|'; write ./%s", word(data, i), word(data, i)) } }
if (out[1:1] eq "|" || out[1:1] eq "<") { exit error "outcomes.gp: out must be a file name, not a pipe" }

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

# the categories in stacking order, from the first file's '# category:'
# lines: keys, colour groups, fills and words
if (!readable(word(data, 1))) { exit error sprintf("outcomes.gp: cannot read '%s'", word(data, 1)) }
catfield(i) = system(sprintf("sed -n 's/^# category: //p' '%s' | cut -f%d | tr '\\n' ' '", word(data, 1), i))
outcomes = catfield(1)
K = words(outcomes)
if (K < 1 || K > 16) { exit error sprintf("outcomes.gp: '%s' has %d '# category:' lines, expected 1 to 16", word(data, 1), K) }
groups = catfield(2)
fills = catfield(3)
catwords(j) = system(sprintf("sed -n 's/^# category: //p' '%s' | sed -n '%dp' | cut -f4", word(data, 1), j))
palette = "#009E73 #0072B2 #E69F00 #D55E00 #CC79A7 #56B4E9 #F0E442 #000000"
colour(j) = word(palette, int(word(groups, j)) % 8 + 1)
hatched(j) = word(fills, j) eq "hatched"

# break a label into lines of at most w characters, at spaces
lastsp(s, k) = k < 1 ? 0 : (s[k:k] eq " " ? k : lastsp(s, k - 1))
wrap(s, w) = strlen(s) <= w ? s : \
    (_p = lastsp(s, w + 1), _p < 2 ? s[1:w] . "\n" . wrap(s[w + 1:], w) : s[1:_p - 1] . "\n" . wrap(s[_p + 1:], w))

# ---------------------------------------------------------------- data
# one line per file in $wide: label, the K fractions, the K segment middles
n = words(data)
# characters per line of a bar's label: the plot is about 480 px wide (the
# pdf's text is a little larger); from 4 bars on, labels are drawn at 10 pt
wrapw = (n >= 4) ? (int(48 / n) < 9 ? 9 : int(48 / n)) : int(40 / n)
# (an SVG's plot is 500 px wide, its labels 14 px: about 54 characters)
if (term eq "svg") { wrapw = (n >= 4) ? (int(60 / n) < 9 ? 9 : int(60 / n)) : int(54 / n) }
badsum = ""
set print $wide
do for [i = 1:n] {
    f = word(data, i)
    if (!readable(f)) { exit error sprintf("outcomes.gp: cannot read '%s'", f) }
    fr = system(sprintf("awk -F'\\t' '!/^#/ && NF >= 3 { v[$1] = $3 } END { n = split(\"%s\", k, \" \"); for (i = 1; i <= n; i++) if (k[i] in v) printf \"%%.10f \", v[k[i]]; else printf \"missing \" }' '%s'", outcomes, f))
    if (strstrt(fr, "missing") > 0 || words(fr) != K) {
        exit error sprintf("outcomes.gp: '%s' lacks some of the rows %s", f, outcomes)
    }
    trials = system(sprintf("sed -n 's/^# trials: //p' '%s' | head -n 1", f))
    # (dumb: one line, as its automatic margins do not see multi-line tic labels)
    label = dumb ? clip(scenario(f), int(80 / n) - 2) : \
            wrap(scenario(f), wrapw) . (strlen(trials) > 0 ? "\n" . trials . " trials" : "")
    # gnuplot keeps a "\n" typed in a datablock as two characters: mark it
    # with '|' and turn it back into a line break when the tic is drawn
    line = ""; cum = 0
    do for [j = 1:K] { line = line . sprintf("\t%s", word(fr, j)) }
    do for [j = 1:K] { v = word(fr, j) + 0; line = line . sprintf("\t%.6g", cum + v / 2); cum = cum + v }
    if (abs(cum - 1) > 0.01) { badsum = badsum . sprintf(" '%s' (%g)", f, cum) }
    lab = ""; nl = 1
    # (a tab would end the label's field of $wide: it becomes a space)
    do for [k = 1:strlen(label)] { lab = lab . (label[k:k] eq "\n" ? "|" : label[k:k] eq "\t" ? " " : label[k:k]); nl = nl + (label[k:k] eq "\n") }
    maxlines = (i == 1 || nl > maxlines) ? nl : maxlines
    print lab . line
}
unset print
if (strlen(badsum) > 0) { print "outcomes.gp: warning: fractions that do not sum to 1:" . badsum }

unbar(s) = (_q = strstrt(s, "|"), _q == 0 ? s : s[1:_q - 1] . "\n" . unbar(s[_q + 1:]))

# ---------------------------------------------------------------- chart
set title (exists("title") ? title : "How the simulated histories end")
set ylabel "Fraction of trials (0–1)"
set yrange [0:1]
set ytics 0, 0.1, 1 format "%.1f"
if (!dumb) { set grid noxtics ytics }
if (!dumb) { set bmargin maxlines + 1.5 }
set xtics scale 0
# (gnuplot reads "5e-05" as no number: awk above writes fixed notation)
if (n >= 4 && !dumb) { xfont = (term eq "pdf" ? "Sans,9" : term eq "svg" ? "Sans,12" : "Sans,10"); set xtics font xfont }
# the key and the segments' labels: in an SVG at the size of its other text
keyfont = (term eq "svg") ? "Sans,14" : "Sans,10"
segfont = (term eq "svg") ? "Sans,13" : "Sans,10"
set style data histograms
set style histogram rowstacked
set boxwidth 0.6 relative
set xrange [-0.6:n - 0.4]
# the key sits right of the plot at fixed screen positions (its estimated
# width differs between terminals, and would squeeze the bars)
# (the pdf's text is larger relative to the page: it needs more room)
kx = (term eq "pdf") ? 0.50 : (term eq "svg") ? 0.50 : 0.56
if (!dumb) {
    set rmargin at screen kx
    set key at screen kx + 0.02, graph 0.5 left center vertical invert Left reverse samplen 2.5 spacing 1.3 font keyfont noautotitle
}
set style textbox opaque fillcolor rgb "white" noborder margins 1,1

if (out ne "") { set output out } else { set output }   # only now: no empty file on an error above
pct(v) = sprintf("%.0f%%", 100 * v)
# label only the segments of 4% or more; the others go below the axis, out
# of range (not NaN: gnuplot 5.4 crashes on a one-bar chart with NaN labels)
big(y, v) = v >= 0.04 ? y : -1
if (dumb) {
    # characters cannot fill bars: outlines, numbered; the key gives the numbers
    set key outside below vertical noinvert maxrows K Left noreverse
    plot $wide using 2:xtic(unbar(strcol(1))) fs empty lt 1 title "1 " . catwords(1), \
         for [j = 2:K] '' using (column(1 + j)) fs empty lt 1 title sprintf("%d ", j) . catwords(j), \
         for [j = 1:K] '' using 0:(big(column(1 + K + j), column(1 + j))):(sprintf("%d", j)) with labels notitle
} else {
    # solid or hatched (pattern 3 is solid), as the category's fill says
    plot $wide using 2:xtic(unbar(strcol(1))) lc rgb colour(1) fs pattern (hatched(1) ? 4 : 3) border lc rgb (hatched(1) ? colour(1) : "white") title catwords(1), \
         for [j = 2:K] '' using (column(1 + j)) lc rgb colour(j) fs pattern (hatched(j) ? 4 : 3) border lc rgb (hatched(j) ? colour(j) : "white") title catwords(j), \
         for [j = 1:K] '' using 0:(big(column(1 + K + j), column(1 + j))):(pct(column(1 + j))) with labels boxed font segfont notitle
}
unset output

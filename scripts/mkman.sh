#!/bin/sh
# mkman.sh BIN OUTDIR PREFIX: writes gsim's man pages into OUTDIR: gsim.1
# and gsim-COMMAND.1 for every command that 'BIN --help' lists. A page is
# made of the command's --help text (synopsis, description, options, exit
# status: the one source of what the command does, so that no page can
# drift from it) and of man/COMMAND.txt (man/gsim.txt for gsim.1), the
# hand-written sections --help has no room for (files, environment,
# examples), in the format man/README describes; "sim" becomes "gsim".
# PREFIX fills @PREFIX@, @DATADIR@ and @DOCDIR@ in those files.
set -eu
[ $# -eq 3 ] || { echo "usage: sh scripts/mkman.sh BIN OUTDIR PREFIX" >&2; exit 2; }
bin=$1 out=$2 prefix=$3
case $bin in */*) ;; *) bin=./$bin ;; esac
src=$(dirname "$0")/../man
version=$("$bin" --version | sed 's/.* //')
cmds=$("$bin" --help | awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } /^$/ { f = 0 }')
[ -n "$cmds" ] || { echo "mkman.sh: '$bin --help' lists no commands" >&2; exit 1; }
mkdir -p "$out"

# The awk program that turns --help text (MODE help, or main for 'gsim
# --help') or a man/*.txt file (MODE text) into roff.
roff='
function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); return s }
function emit(s) { s = esc(s); if (s ~ /^[.'\'']/) s = "\\&" s; print s }
# "sim COMMAND" becomes "gsim COMMAND", but not "bin/sim" or "sim:".
function gsim(s,   r, m) {
	r = ""
	while (match(s, /(^|[^A-Za-z0-9_.\/-])sim /)) {
		m = substr(s, RSTART, RLENGTH)
		r = r substr(s, 1, RSTART - 1) substr(m, 1, RLENGTH - 4) "gsim "
		s = substr(s, RSTART + RLENGTH)
	}
	return r s
}
function section(name) {
	flush()
	if (cur == name) return
	cur = name
	print (name ~ / / ? ".SH \"" name "\"" : ".SH " name)
	state = ""
}
# An option term: the options bold, their arguments italic.
function term(t,   n, i, w, c, r, a) {
	n = split(t, a, " ")
	r = ""
	for (i = 1; i <= n; i++) {
		w = a[i]; c = ""
		if (w ~ /,$/) { c = ","; w = substr(w, 1, length(w) - 1) }
		r = r (i > 1 ? " " : "") (w ~ /^-/ ? "\\fB" : "\\fI") esc(w) "\\fR" c
	}
	return r
}
function indent(s) { match(s, /[^ \t]/); return RSTART - 1 }
# The literal lines held back, without their common indentation.
function flush(   i, k) {
	if (!npre) return
	k = 1000
	for (i = 1; i <= npre; i++) if (indent(pre[i]) < k) k = indent(pre[i])
	print ".PP"; print ".RS 4"; print ".nf"
	for (i = 1; i <= npre; i++) emit(substr(pre[i], k + 1))
	print ".fi"; print ".RE"
	npre = 0
	state = ""
}
function para(s) {
	flush()
	if (state != "text") print ".PP"
	emit(s)
	state = "text"
}
# The column where descriptions start in the option list around line I.
function desccol(i,   j, k) {
	if (i < n && indent(L[i + 1]) > 6) return indent(L[i + 1])
	for (j = i - 1; j > 0 && L[j] != ""; j--) {
		k = match(substr(L[j], indent(L[j]) + 1), /  +/)
		if (k) return indent(L[j]) + RSTART + RLENGTH - 1
	}
	return 0
}
function option(i,   s, k, t, d, c) {
	flush()
	k = indent(L[i])
	s = substr(L[i], k + 1)
	if (match(s, /  +/)) {
		t = substr(s, 1, RSTART - 1); d = substr(s, RSTART + RLENGTH)
	} else if ((c = desccol(i)) > k && length(L[i]) > c && substr(L[i], c, 1) == " ") {
		t = substr(L[i], k + 1, c - k - 1); d = substr(L[i], c + 1)
	} else {
		t = s; d = ""
	}
	sub(/ +$/, "", t)
	print ".TP"
	print term(t)
	if (d != "") emit(d)
	state = "option"
}
function help_line(i,   s, k) {
	s = L[i]
	if (s ~ /^[ \t]*$/) { flush(); state = ""; return }
	k = indent(s)
	if (k == 0) {
		if (s ~ /^Exit codes: /) { section("EXIT STATUS"); para(substr(s, 13)); state = "exit" }
		else if (s == "Commands:" && mode == "main") { section("COMMANDS"); state = "commands" }
		else if (state == "exit") { emit(s) }
		else {
			if (cur == "OPTIONS" || cur == "EXIT STATUS") section("NOTES")
			else if (cur == "SYNOPSIS") section("DESCRIPTION")
			para(s)
		}
		if (state == "exit" && s ~ /\.$/) state = "exitdone"
		return
	}
	if (state == "commands") {
		s = substr(s, k + 1)
		match(s, / +/)
		print ".TP"
		print "\\fB" esc(substr(s, 1, RSTART - 1)) "\\fR"
		emit(substr(s, RSTART + RLENGTH) ".")
		print "See \\fBgsim\\-" substr(s, 1, RSTART - 1) "\\fR(1)."
		return
	}
	if (k <= 6 && substr(s, k + 1, 1) == "-") { section("OPTIONS"); option(i); return }
	if (state == "option" && k > 6) { emit(substr(s, k + 1)); return }
	if (state == "option" || (cur == "OPTIONS" && state == "text")) { para(substr(s, k + 1)); return }
	if (cur == "SYNOPSIS") section("DESCRIPTION")
	pre[++npre] = s
}
function usage(i,   s, c) {
	s = L[i]
	if (i == 1) {
		section("SYNOPSIS"); print ".nf"
		sub(/^usage: /, "", s)
		s = gsim(s)
		match(s, mode == "main" ? "^gsim" : "^gsim [a-z]+")
		print "\\fB" substr(s, 1, RLENGTH) "\\fR" esc(substr(s, RLENGTH + 1))
	} else {
		sub(/^      /, "", s)
		emit(s)
	}
}
function text_line(s) {
	if (s ~ /^#/ || s ~ /^whatis: /) return
	if (s ~ /^[A-Z][A-Z ]*$/) { section(s); return }
	if (s == "") { flush(); state = ""; return }
	if (s ~ /^(\t|    )/) { sub(/^(\t|    )/, "", s); pre[++npre] = s; return }
	if (s ~ /^= /) { flush(); print ".TP"; print term(substr(s, 3)); state = "option"; return }
	if (state == "option") { emit(s); return }
	para(s)
}
{ L[++n] = (mode == "text" ? $0 : gsim($0)) }
END {
	inusage = (mode != "text")
	for (i = 1; i <= n; i++) {
		if (inusage && L[i] == "") { print ".fi"; inusage = 0; state = ""; continue }
		if (inusage) usage(i)
		else if (mode == "text") text_line(L[i])
		else help_line(i)
	}
	flush()
}'

# The hand-written part of a page: man/NAME.txt, its @...@ filled in.
extra() {
	[ -f "$src/$1.txt" ] || return 0
	sed -e "s|@PREFIX@|$prefix|g" -e "s|@DATADIR@|$prefix/share/gsim|g" \
	    -e "s|@DOCDIR@|$prefix/share/doc/gsim|g" "$src/$1.txt" | awk -v mode=text "$roff"
}

# The title and NAME section of page $1, whose summary is $2.
header() {
	printf '.TH %s 1 "" "gsim %s" "gsim manual"\n.nh\n.ad l\n.SH NAME\n%s \\- %s\n' \
		"$(echo "$1" | tr a-z A-Z | sed 's/-/\\-/g')" "$version" "$(echo "$1" | sed 's/-/\\-/g')" \
		"$(echo "$2" | sed -e 's/\(^\|[^A-Za-z0-9_./-]\)sim /\1gsim /g' -e 's/-/\\-/g')"
}

# The commands a help text names ('sim plot DIR'), but CMD itself.
see_also() {
	t=$(cat)
	for c in $cmds; do
		[ "$c" != "$1" ] && printf '%s\n' "$t" | grep -q "sim $c\b" &&
			printf ',\n.BR gsim\\-%s (1)' "$c"
	done
	return 0
}

page() {
	cmd=$1 f=$out/gsim-$1.1
	summary=$("$bin" --help | awk -v c="$cmd" '$1 == c && /^  / { $1 = ""; sub(/^ +/, ""); print }')
	{
		header "gsim-$cmd" "$summary"
		if grep -q '^SYNOPSIS$' "$src/$cmd.txt" 2>/dev/null; then
			extra "$cmd"
		else
			"$bin" "$cmd" --help | awk -v mode=help "$roff"
			extra "$cmd"
		fi
		printf '.SH "SEE ALSO"\n.BR gsim (1)'
		{ "$bin" "$cmd" --help 2>/dev/null; cat "$src/$cmd.txt" 2>/dev/null; } | see_also "$cmd"
		echo
	} > "$f.tmp"
	mv -f "$f.tmp" "$f"
}

rm -f "$out"/gsim.1 "$out"/gsim-*.1
{
	header gsim "$(sed -n 's/^whatis: //p' "$src/gsim.txt")"
	# The hand-written sections go before the exit status.
	"$bin" --help | awk -v mode=main "$roff" > "$out/gsim.1.main"
	sed '/^\.SH "EXIT STATUS"/,$d' "$out/gsim.1.main"
	extra gsim
	sed -n '/^\.SH "EXIT STATUS"/,$p' "$out/gsim.1.main"
	rm -f "$out/gsim.1.main"
	printf '.SH "SEE ALSO"\n'
	first=1
	for c in $cmds; do
		[ $first = 1 ] || printf ',\n'
		printf '.BR gsim\\-%s (1)' "$c"
		first=0
	done
	printf ',\n.BR gnuplot (1)\n'
} > "$out/gsim.1.tmp"
mv -f "$out/gsim.1.tmp" "$out/gsim.1"
for c in $cmds; do
	page "$c"
done

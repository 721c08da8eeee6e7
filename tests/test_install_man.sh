#!/bin/sh
# test_install_man.sh PROG MANDIR: checks the man pages in MANDIR (an
# installed share/man/man1) against the program PROG: a page gsim.1 and
# one gsim-COMMAND.1 for every command 'PROG --help' lists, and no other;
# 'man -l' renders each without a warning; and every option that
# 'PROG COMMAND --help' (for gsim.1, 'PROG --help') prints appears in the
# rendered page. Prints a line per failure and "man: N checks, N failed";
# exits 1 on a failure. Run by tests/test_install.c.
set -u
prog=$1 dir=$2
checks=0 failed=0
export LC_ALL=C MANPAGER=cat PAGER=cat MANWIDTH=400 MAN_DISABLE_SECCOMP=1

fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

command -v man >/dev/null 2>&1 || { echo "FAIL: man is missing (man-db: sh scripts/deps.sh)"; exit 1; }

# The options a help text names: -x and --long-name, after a space, a
# bracket, a comma, a bar, a parenthesis or a quote.
options() { grep -oE -- "(^|[][ ,|('])--?[A-Za-z][A-Za-z0-9-]*" | sed -E "s/^[][ ,|(']//" | sort -u; }

# check PAGE HELP: PAGE renders cleanly and names every option of HELP.
check_page()
{
	page=$1 help=$2
	checks=$((checks + 1))
	if [ ! -f "$page" ]; then
		fail "no page $page"
		return
	fi
	warnings=$(man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warnings" ] || fail "man -l $page: $warnings"
	text=$(man --nh --nj -l "$page" 2>/dev/null)
	checks=$((checks + 1))
	[ -n "$text" ] || fail "man -l $page renders nothing"
	for o in $(printf '%s\n' "$help" | options); do
		checks=$((checks + 1))
		printf '%s\n' "$text" | grep -qF -- "$o" || fail "$page does not name $o"
	done
}

commands=$("$prog" --help | awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } /^$/ { f = 0 }')
[ -n "$commands" ] || fail "'$prog --help' lists no commands"
check_page "$dir/gsim.1" "$("$prog" --help)"
for c in $commands; do
	check_page "$dir/gsim-$c.1" "$("$prog" "$c" --help)"
	checks=$((checks + 1))
	man --nh --nj -l "$dir/gsim.1" 2>/dev/null | grep -qF "gsim-$c(1)" || fail "gsim.1 does not point to gsim-$c(1)"
done
for page in "$dir"/gsim-*.1; do
	c=${page##*/gsim-}
	c=${c%.1}
	checks=$((checks + 1))
	printf '%s\n' $commands | grep -qx -- "$c" || fail "$page: '$c' is not a command of '$prog --help'"
done
echo "man: $checks checks, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# test_install_completion.sh PROG SCRIPT CONFIG: checks the bash completion
# SCRIPT for the program PROG, run in the current directory: sources it,
# calls its function with COMP_WORDS and COMP_CWORD set as bash would, and
# checks the candidates. CONFIG is a config the caller wrote for it: model
# crisis, two guarantors (the second through an @include), so that its
# paths differ from every other model's and from the default scenario's.
# Prints a line per failure and "completion: N checks, N failed"; exits 1
# on a failure. Run by tests/test_install.c, on the installed script and on
# completion/gsim.bash of the checkout (as ./bin/sim).
set -u
prog=$1 script=$2 cfg=$3
checks=0 failed=0

fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# complete WORD...: the candidates for the last WORD, one a line, in $got.
complete_words()
{
	COMP_WORDS=("$prog" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_gsim
	got=$(printf '%s\n' "${COMPREPLY[@]}")
}

# expect has|lacks WORD... :: CANDIDATE...: each CANDIDATE is (has) or
# is not (lacks) offered for WORD...
expect()
{
	local mode=$1 words=() c
	shift
	while [[ $1 != :: ]]; do words+=("$1"); shift; done
	shift
	complete_words "${words[@]}"
	for c in "$@"; do
		checks=$((checks + 1))
		if grep -qxF -- "$c" <<<"$got"; then
			[[ $mode == has ]] || fail "'${words[*]}' offers '$c'"
		else
			[[ $mode == lacks ]] || fail "'${words[*]}' does not offer '$c' (offers: $(echo $got))"
		fi
	done
}
has() { expect has "$@"; }
lacks() { expect lacks "$@"; }

# shellcheck source=/dev/null
source "$script" || { echo "FAIL: cannot source $script"; exit 1; }
for name in gsim sim; do
	checks=$((checks + 1))
	complete -p "$name" 2>/dev/null | grep -q -- '-F _gsim' || fail "no completion registered for $name"
done

# Commands: every one of --help, and only those.
commands=$("$prog" --help | awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } /^$/ { f = 0 }')
[[ -n $commands ]] || fail "'$prog --help' lists no commands"
complete_words ""
checks=$((checks + 1))
[[ $got == "$commands" ]] || fail "the commands offered: $(echo $got); --help: $(echo $commands)"
has s :: sweep sample sensitivity screen
lacks s :: run
has help r :: run report robust
has -- :: --help --version

# Options: for each command, every long option of its option list, and
# nothing its --help does not name (but --help, which every command takes).
for c in $commands; do
	[[ $c == help ]] && continue
	help=$("$prog" "$c" --help)
	complete_words "$c" --
	for o in $(grep -E '^ {1,6}-' <<<"$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
		checks=$((checks + 1))
		grep -qxF -- "$o" <<<"$got" || fail "'$c --' does not offer $o"
	done
	for o in $got; do
		[[ $o == --help ]] && continue
		checks=$((checks + 1))
		grep -qF -- "$o" <<<"$help" || fail "'$c --' offers $o, which '$c --help' does not name"
	done
done
has run -- :: --set --trials --seed --output --json --precision
has sweep --v :: --vary
lacks sweep --v :: --set

# Values of options.
has plot --format "" :: png svg pdf dumb
has init --model "" :: commitment crisis baseline
has calibrate --model "" :: crisis commitment
has run --estimator "" :: conditional indicator
complete_words run -n ""
checks=$((checks + 1))
[[ -z $got ]] || fail "'run -n' offers $(echo $got) for a number"

# Config paths, one segment at a time, from the config on the line: its
# model's keys (crisis) and its list entries, through its @include.
has run "$cfg" --set "" :: scenario. challenger. target. guarantors. model=
has run "$cfg" --set guarantors. :: "guarantors.[0]." "guarantors.[1]."
lacks run "$cfg" --set guarantors. :: "guarantors.[2]."
has run "$cfg" --set "guarantors.[1].guarantee." :: "guarantors.[1].guarantee.strength=" \
	"guarantors.[1].guarantee.tripwire."
has run "$cfg" --set challenger.c :: challenger.crisis_rate= challenger.crisis_decay=
lacks run "$cfg" --set challenger. :: challenger.max_hazard= challenger.temperature=
has run "$cfg" --set = challenger.war :: challenger.war_cost=
has sweep "$cfg" --vary target.troop :: target.troop_cap=
lacks sweep "$cfg" --vary scenario. :: scenario.name=
has sweep "$cfg" --vary scenario. :: scenario.horizon_years=
has sample "$cfg" --range "guarantors.[0].inter" :: "guarantors.[0].interest="
has sensitivity "$cfg" --range "guarantors.[1].guarantee.s" :: "guarantors.[1].guarantee.strength="
# Without a config: the default scenario's, or every model's.
has run --set "" :: scenario. guarantors. challenger.
has run --set guarantors. :: "guarantors.[0]."

# Files: configs for CONFIG, directories for -o and for 'plot DIR'.
has run "${cfg%/*}/" :: "$cfg"
complete_words plot ""
checks=$((checks + 1))
for f in $got; do [[ -d $f ]] || fail "'plot' offers $f, not a directory"; done

echo "completion: $checks checks, $failed failed"
[[ $failed -eq 0 ]]

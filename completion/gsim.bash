# bash completion for gsim: its commands, each command's options, the
# values some options take, and the config paths of --set, --range and
# --vary. Installed as PREFIX/share/bash-completion/completions/gsim,
# which bash-completion loads the first time gsim is completed; from a
# checkout, 'source completion/gsim.bash' completes ./bin/sim (and sim).
#
# Everything is asked of the program being completed, so that nothing
# here can drift from it: the commands from 'gsim --help', a command's
# options from its --help (the usage lines and the option list), the
# models from 'gsim models', the config paths from the config on the
# command line (or the default scenario) and the model's fully commented
# starter config ('gsim init --model NAME -', which lists every key).
# Answers are cached for the shell's life.

declare -gA _gsim_cache

# Sets REPLY to what "$@" prints on stdout, asked once per shell.
_gsim_ask()
{
	local key="$*"
	if [[ -z ${_gsim_cache[$key]+set} ]]; then
		_gsim_cache[$key]=$("$@" 2>/dev/null)
	fi
	REPLY=${_gsim_cache[$key]}
}

# The commands of PROG, one a line.
_gsim_commands()
{
	_gsim_ask "$1" --help
	awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 } /^$/ { f = 0 }' <<<"$REPLY"
}

# The lines of PROG CMD --help that name options: the usage lines and the
# option list.
_gsim_option_lines()
{
	_gsim_ask "$1" "$2" --help
	sed -n '1,/^$/p' <<<"$REPLY"
	grep -E '^ {1,6}-' <<<"$REPLY"
}

# The options of PROG CMD, one a line.
_gsim_options()
{
	{
		_gsim_option_lines "$1" "$2" | grep -oE -- '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' |
			sed -E 's/^[][ ,|(]//'
		echo --help
	} | sort -u
}

# What option OPT of PROG CMD takes, as its --help names it (DIR, FILE,
# PATH=VALUE, png|svg|pdf|dumb, ...); nothing when it takes no argument.
_gsim_argument()
{
	_gsim_option_lines "$1" "$2" |
		grep -oE -- "(^|[][ ,|(])$3[ =](\[?[A-Z][A-Za-z0-9_=:.,]*|[a-z]+(\|[a-z]+)+)" |
		head -n 1 | sed -E "s/^.*$3[ =]//"
}

# The awk program that lists the config paths of a libconfig text: "N
# PATH" for a number (or a boolean), "S PATH" for a string, "M NAME" for
# the model, "L LIST COUNT" for the entries of a list. Its input is the
# config's text, a line "#@@template", then a starter config's: every
# path of the template under a list entry [0] is listed for each entry of
# that list in the config too.
_gsim_paths_awk='
function push(p, k) { d++; path[d] = p; kind[d] = k; idx[d] = 0 }
function join(k) { return d ? path[d] "." k : k }
function leaf(t, p) { if (!intemplate) print t, p; else tpl[++ntpl] = t " " p }
function token(t) {
	if (inarray) { if (t == "]") inarray = 0; return }
	if (t == "=" || t == ":" || t == ";" || t == ",") return
	if (t == "{") {
		if (key != "") push(join(key), "g")
		else if (kind[d] == "l") push(join("[" idx[d]++ "]"), "g")
		else push(path[d], "g")
		key = ""
	} else if (t == "(") {
		push(join(key), "l"); key = ""
	} else if (t == "}" || t == ")") {
		if (kind[d] == "l" && !intemplate) count[path[d]] = idx[d]
		if (d) d--
	} else if (t == "[") {
		if (key != "") leaf("N", join(key))
		key = ""; inarray = 1
	} else if (t ~ /^S/) {
		if (key != "") {
			leaf("S", join(key))
			if (!d && key == "model" && !intemplate) print "M", substr(t, 2)
		}
		key = ""
	} else if (key == "" && t ~ /^[A-Za-z_*]/ && kind[d] != "l" && t != "true" && t != "false") {
		key = t
	} else {
		if (key != "") leaf("N", join(key))
		key = ""
	}
}
function scan(s,   c, m) {
	while (s != "") {
		if (match(s, /^[ \t\r]+/)) { s = substr(s, RLENGTH + 1); continue }
		c = substr(s, 1, 1)
		if (c == "#" || substr(s, 1, 2) == "//") return
		if (c == "\"") {
			if (!match(s, /^"([^"\\]|\\.)*"/)) return
			token("S" substr(s, 2, RLENGTH - 2)); s = substr(s, RLENGTH + 1); continue
		}
		if (index("{}()[]=:;,", c)) { token(c); s = substr(s, 2); continue }
		match(s, /^[^ \t\r{}()\[\]=:;,"#]+/)
		if (RLENGTH <= 0) return
		token(substr(s, 1, RLENGTH)); s = substr(s, RLENGTH + 1)
	}
}
$0 == "#@@template" { intemplate = 1; d = 0; key = ""; inarray = 0; next }
{ scan($0) }
END {
	for (i = 1; i <= ntpl; i++) {
		t = substr(tpl[i], 1, 1); p = substr(tpl[i], 3)
		print t, p
		if (!(k = index(p, ".[0]."))) continue
		l = substr(p, 1, k - 1)
		for (j = 1; j < count[l]; j++) print t, l ".[" j "]." substr(p, k + 5)
	}
	for (l in count) print "L", l, count[l]
}'

# The text of the config FILE with the files it @includes (relative to
# its directory, as libconfig reads them), to a depth of 8.
_gsim_config_text()
{
	local file=$1 depth=${2:-0} line inc
	[[ -f $file && -r $file && $depth -lt 8 ]] || return 0
	while IFS= read -r line || [[ -n $line ]]; do
		if [[ $line =~ ^[[:space:]]*@include[[:space:]]+\"([^\"]+)\" ]]; then
			inc=${BASH_REMATCH[1]}
			[[ $inc == /* ]] || inc=$(dirname -- "$file")/$inc
			_gsim_config_text "$inc" $((depth + 1))
		else
			printf '%s\n' "$line"
		fi
	done <"$file"
}

# The default scenario's config file, for PROG: configs/default.cfg in a
# checkout, else in the data directory of an installed PROG.
_gsim_default_config()
{
	local exe
	if [[ -f configs/default.cfg ]]; then
		echo configs/default.cfg
	elif [[ -n ${GSIM_DATADIR:-} && -f $GSIM_DATADIR/configs/default.cfg ]]; then
		echo "$GSIM_DATADIR/configs/default.cfg"
	elif exe=$(type -P -- "$1") && exe=$(readlink -f -- "$exe"); then
		exe=${exe%/*}
		[[ -f ${exe%/*}/share/gsim/configs/default.cfg ]] &&
			echo "${exe%/*}/share/gsim/configs/default.cfg"
	fi
}

# The config paths for PROG given the config CFG (may be empty), as the
# awk program above lists them.
_gsim_paths()
{
	local prog=$1 cfg=$2 text model models m tpl=
	[[ -n $cfg ]] || cfg=$(_gsim_default_config "$prog")
	text=$(_gsim_config_text "$cfg")
	model=$(awk "$_gsim_paths_awk" <<<"$text" | sed -n 's/^M //p' | head -n 1)
	if [[ -n $text && -z $model ]]; then
		model=commitment	# a config without a model key
	fi
	if [[ -n $model ]]; then
		models=$model
	else
		_gsim_ask "$prog" models
		models=$(awk '/^[a-z]/ { print $1 }' <<<"$REPLY")
	fi
	for m in $models; do
		_gsim_ask "$prog" init --model "$m" -
		tpl+=$REPLY$'\n'
	done
	printf '%s\n#@@template\n%s\n' "$text" "$tpl" | awk "$_gsim_paths_awk" | sort -u
}

# Fills COMPREPLY with the config paths (numeric only for --range and
# --vary) that start with CUR, one segment at a time: "guarantors.[0]."
# before "guarantors.[0].interest=".
_gsim_complete_paths()
{
	local prog=$1 cfg=$2 opt=$3 cur=$4 type p rest c
	local -A seen=()
	[[ $cur == *=* ]] && return
	while read -r type p; do
		[[ $type == N || ($type == S && $opt == --set) ]] || continue
		[[ $p == "$cur"* ]] || continue
		rest=${p:${#cur}}
		if [[ $rest == *.* ]]; then
			c=$cur${rest%%.*}.
		else
			c=$p=
		fi
		[[ -n ${seen[$c]+set} ]] && continue
		seen[$c]=1
		COMPREPLY+=("$c")
	done < <(_gsim_paths "$prog" "$cfg")
	compopt -o nospace 2>/dev/null
}

# Fills COMPREPLY with the files (those ending in EXT when given, and
# directories) or, with EXT "/", the directories that start with CUR.
_gsim_complete_files()
{
	local cur=$1 ext=$2 f
	compopt -o filenames 2>/dev/null
	if [[ $ext == / ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
	fi
	while IFS= read -r f; do
		[[ -z $ext || -d $f || $f == *"$ext" ]] && COMPREPLY+=("$f")
	done < <(compgen -f -- "$cur")
}

# The completion function of gsim (and of sim in a checkout).
_gsim()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev= opt arg cmd= cfg= i w
	COMPREPLY=()
	[[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# The command, and the config named on the line.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -z $cmd && $w != -* ]]; then
			cmd=$w
		elif [[ -n $cmd && -z $cfg && $w == *.cfg && -f $w ]]; then
			cfg=$w
		fi
	done
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W '--help --version' -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_gsim_commands "$prog")" -- "$cur")
		fi
		return
	fi
	if [[ $cmd == help ]]; then
		((COMP_CWORD == 2)) &&
			mapfile -t COMPREPLY < <(compgen -W "$(_gsim_commands "$prog")" -- "$cur")
		return
	fi
	# The argument of an option: "--set PATH" or "--set=PATH".
	opt=$prev
	if [[ $prev == = && COMP_CWORD -gt 2 ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	if [[ $opt =~ ^--?[A-Za-z][A-Za-z0-9-]*$ ]] && arg=$(_gsim_argument "$prog" "$cmd" "$opt") &&
		[[ -n $arg ]]; then
		case $arg in
		PATH=*) _gsim_complete_paths "$prog" "$cfg" "$opt" "$cur" ;;
		*\|*) mapfile -t COMPREPLY < <(compgen -W "${arg//|/ }" -- "$cur") ;;
		DIR | OUT) _gsim_complete_files "$cur" / ;;
		FILE | CONFIG | TABLE) _gsim_complete_files "$cur" ;;
		NAME | M)
			if [[ $opt == --model ]]; then
				_gsim_ask "$prog" models
				mapfile -t COMPREPLY < <(compgen -W "$(awk '/^[a-z]/ { print $1 }' <<<"$REPLY")" -- "$cur")
			elif [[ $opt == --estimator ]]; then
				mapfile -t COMPREPLY < <(compgen -W 'conditional indicator' -- "$cur")
			fi
			;;
		esac
		return
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_gsim_options "$prog" "$cmd")" -- "$cur")
		return
	fi
	# An operand: what the usage line names first after the command.
	_gsim_ask "$prog" "$cmd" --help
	w=$(sed -n '1s/^usage: [^ ]* [^ ]* *//p' <<<"$REPLY")
	w=${w%% *}
	w=${w//[\[\]]/}
	case $w in
	DIR) _gsim_complete_files "$cur" / ;;
	CONFIG | *.cfg) _gsim_complete_files "$cur" .cfg ;;
	"") ;;
	*) _gsim_complete_files "$cur" ;;
	esac
}

complete -F _gsim gsim
# From a checkout the program is ./bin/sim; take "sim" unless another
# program's completion already has it.
complete -p sim >/dev/null 2>&1 || complete -F _gsim sim

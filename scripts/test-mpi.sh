#!/bin/sh
# MPI tests (CI): builds bin/sim-mpi, checks that a sweep, a run and a sample
# give the same bytes (but the run line) as the plain build with 1, 2 and 3
# processes, that a sweep whose worker is killed resumes to the same bytes, and what a signal
# to mpirun or to process 0 does (the rows kept, the resume advice, the
# exit code). Prints "mpi: N passed, N failed".
set -u
MPIRUN="mpirun --oversubscribe"
[ "$(id -u)" = 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
SIM=./bin/sim
MSIM=./bin/sim-mpi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAILED: $*"; }
# A file without the lines that say when and how its run was started (the
# '# run:' line, a JSON provenance's date and command) and which build
# wrote it (the two builds may be of different commits in a work tree):
# the rest must be the same bytes for any number of processes.
stable() { grep -v -e '^# run: ' -e '^# gsim ' -e '^ *"date": "' -e '^ *"command": "' \
	-e '^ *"commit": "' "$1"; }
same() { stable "$1" > "$T/same.a"; stable "$2" > "$T/same.b"; cmp -s "$T/same.a" "$T/same.b"; }

make -s MPI=1 >/dev/null || { echo "mpi: 0 passed, 1 failed (build)"; exit 1; }
VARY="--vary guarantors.[0].guarantee.strength=0:1:5 --vary target.troop_cap=600000,800000"

$SIM sweep configs/bench.cfg $VARY -n 3000 -q -o "$T/plain-sweep" 2>/dev/null
$SIM run -n 30000 -q -o "$T/plain-run" >/dev/null
$SIM sample --lhs 6 --range challenger.war_cost=0.1:0.5 -n 2000 -q > "$T/plain-sample.tsv"
for n in 1 2 3; do
	$MPIRUN -np $n $MSIM sweep configs/bench.cfg $VARY -n 3000 -j 1 -q -o "$T/sweep$n" 2>/dev/null
	if same "$T/plain-sweep/sweep.tsv" "$T/sweep$n/sweep.tsv"; then ok "sweep, $n processes"
	else bad "sweep, $n processes: sweep.tsv differs from the plain build's"; fi
	$MPIRUN -np $n $MSIM run -n 30000 -j 1 -q -o "$T/run$n" >/dev/null 2>&1
	same=1
	for f in summary.json survival.tsv outcomes.tsv config.cfg; do
		same "$T/plain-run/$f" "$T/run$n/$f" || same=0
	done
	if [ $same = 1 ]; then ok "run, $n processes"; else bad "run, $n processes: files differ"; fi
	$MPIRUN -np $n $MSIM sample --lhs 6 --range challenger.war_cost=0.1:0.5 -n 2000 -j 1 -q \
		> "$T/sample$n.tsv" 2>/dev/null
	if same "$T/plain-sample.tsv" "$T/sample$n.tsv"; then ok "sample, $n processes"
	else bad "sample, $n processes: output differs"; fi
done

# A worker killed mid-sweep stops the job; what rank 0 wrote is a valid
# prefix, and --resume finishes it to the bytes of an uninterrupted run.
LONG="--vary guarantors.[0].guarantee.strength=0:1:30 -n 30000"
$SIM sweep configs/bench.cfg $LONG -q -o "$T/long-plain" 2>/dev/null
$MPIRUN -np 3 $MSIM sweep configs/bench.cfg $LONG -j 1 -q -o "$T/long" >/dev/null 2>&1 &
job=$!
i=0
while [ $i -lt 300 ]; do
	rows=$(grep -vc '^#' "$T/long/sweep.tsv.partial" 2>/dev/null)
	[ "${rows:-0}" -ge 3 ] && break
	sleep 0.1
	i=$((i + 1))
done
victim=""
for pid in $(pgrep -f "sim-mpi sweep configs/bench.cfg"); do
	if tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep -q '^OMPI_COMM_WORLD_RANK=1$'; then
		victim=$pid
	fi
done
if [ -n "$victim" ]; then
	kill -9 "$victim"
	wait $job
	status=$?
	if [ $status -ne 0 ] && [ ! -e "$T/long/sweep.tsv" ] && [ -e "$T/long/sweep.tsv.partial" ]; then
		ok "killed worker stops the job (exit $status), partial file kept"
	else
		bad "killed worker: exit $status, files: $(ls "$T/long")"
	fi
	# Its complete lines are the start of the full sweep (a last line cut
	# short by the kill is dropped by --resume).
	awk 'BEGIN { RS = "\n" } { print }' "$T/long/sweep.tsv.partial" > "$T/whole-lines"
	[ -n "$(tail -c 1 "$T/long/sweep.tsv.partial")" ] && sed -i '$d' "$T/whole-lines"
	stable "$T/whole-lines" > "$T/whole-stable"
	if stable "$T/long-plain/sweep.tsv" | head -c "$(wc -c < "$T/whole-stable")" |
		cmp -s - "$T/whole-stable"; then
		ok "partial file is a prefix of the full sweep"
	else
		bad "partial file is not a prefix of the full sweep"
	fi
	$MPIRUN -np 2 $MSIM sweep configs/bench.cfg $LONG -j 1 -q --resume "$T/long" >/dev/null 2>&1
	if same "$T/long-plain/sweep.tsv" "$T/long/sweep.tsv"; then ok "resume after a killed worker"
	else bad "resume after a killed worker: sweep.tsv differs"; fi
else
	wait $job
	bad "no worker process to kill (the sweep finished too fast?)"
fi
# The pid of the process of rank $1 of a running "sim-mpi sweep".
rank_pid() {
	for pid in $(pgrep -f "sim-mpi sweep configs/bench.cfg"); do
		if tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep -q "^OMPI_COMM_WORLD_RANK=$1\$"; then
			echo "$pid"
		fi
	done
}

# Waits until DIR/sweep.tsv.partial holds 2 rows (at most 30 s).
wait_rows() {
	i=0
	while [ $i -lt 300 ]; do
		rows=$(grep -vc '^#' "$1/sweep.tsv.partial" 2>/dev/null)
		[ "${rows:-0}" -ge 2 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# A signal to mpirun (Ctrl-C, or a batch system's SIGTERM): mpirun sends
# SIGTERM to every process (after about a second of its own); process 0
# keeps the finished rows and prints the resume advice, every process
# exits with 143 at once; mpirun itself returns 1, its own code for a job
# it killed, which no option changes. --resume finishes the sweep.
# Process 0 prints the resume advice, but when mpirun itself is signalled
# its forwarding of stderr may drop that last line (seen in about one run
# in three under CI load, 2026-12-03: rows, files and exit right, stderr
# empty or cut after "sim: error: "), so here the advice is reported, not
# required; a signal to process 0 (below) requires it.
signal_mpirun() {
	rm -rf "$T/sig"
	$MPIRUN -np 3 $MSIM sweep configs/bench.cfg $LONG -j 1 -q -o "$T/sig" >/dev/null 2>"$T/sig.err" &
	job=$!
	if ! wait_rows "$T/sig"; then
		kill -9 $job 2>/dev/null
		why="no rows after 30 s"
		return 1
	fi
	t0=$(date +%s%N)
	kill -$1 $job
	wait $job
	status=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	advice="to finish, run the same command with --resume $T/sig instead of -o"
	if grep -q "^sim: error: interrupted after [0-9]* of 30 points; they are in $T/sig/sweep.tsv.partial; $advice\$" "$T/sig.err"; then
		said="the resume advice printed"
	else
		said="the resume advice lost in mpirun's forwarding (stderr: $(tr '\n' '|' < "$T/sig.err"))"
	fi
	if [ $status -eq 1 ] && [ ! -e "$T/sig/sweep.tsv" ] && [ -e "$T/sig/sweep.tsv.partial" ] &&
	   [ $ms -lt 5000 ]; then
		return 0
	fi
	why="exit $status after $ms ms, files: $(ls "$T/sig"); $said"
	return 1
}
for sig in INT TERM; do
	if signal_mpirun $sig; then
		ok "SIG$sig to mpirun: ended in $ms ms, mpirun returned $status (its own code), partial file kept, $said"
	else
		bad "SIG$sig to mpirun: $why"
	fi
	[ -e "$T/sig/sweep.tsv.partial" ] || continue
	$MPIRUN -np 2 $MSIM sweep configs/bench.cfg $LONG -j 1 -q --resume "$T/sig" >/dev/null 2>&1
	if same "$T/long-plain/sweep.tsv" "$T/sig/sweep.tsv"; then ok "resume after SIG$sig to mpirun"
	else bad "resume after SIG$sig to mpirun: sweep.tsv differs"; fi
done

# A signal to process 0 itself (kill, or a batch system that signals the
# tasks): it keeps the rows, prints the advice and exits with 128 + N,
# which mpirun returns.
for sig in INT TERM; do
	rm -rf "$T/sig0"
	$MPIRUN -np 2 $MSIM sweep configs/bench.cfg $LONG -j 1 -q -o "$T/sig0" >/dev/null 2>"$T/sig0.err" &
	job=$!
	if ! wait_rows "$T/sig0"; then
		kill -9 $job 2>/dev/null
		bad "SIG$sig to process 0: no rows after 30 s"
		continue
	fi
	kill -$sig "$(rank_pid 0)"
	wait $job
	status=$?
	case $sig in INT) want=130 ;; *) want=143 ;; esac
	if [ $status -eq $want ] && grep -q "; to finish, run the same command with --resume $T/sig0 instead of -o\$" "$T/sig0.err"; then
		ok "SIG$sig to process 0: mpirun returned $status, the resume advice printed"
	else
		bad "SIG$sig to process 0: mpirun returned $status, expected $want; stderr: $(grep sim: "$T/sig0.err")"
	fi
done

echo "mpi: $pass passed, $fail failed"
[ $fail -eq 0 ]

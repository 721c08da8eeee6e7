#!/bin/sh
# 'make bench': runs configs/bench.cfg at 1 and 2 threads and prints
# trials/s and trial-steps/s (a trial-step is one trial advanced one step;
# only steps actually simulated count: a trial ends at its attack), then a
# 21 x 21 sweep of guarantee strength x troop cap at 100,000 trials a point.
# BENCH_SWEEP_TRIALS overrides the trials per point.
set -eu
SIM=${SIM:-./bin/sim}
CFG=${CFG:-configs/bench.cfg}
N=${BENCH_SWEEP_TRIALS:-100000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "bench: $CFG ($($SIM --version))"
for j in 1 2; do
	$SIM run "$CFG" -j "$j" -q | grep -E '^(trials|time)'
done
echo "bench: sweep of 21 x 21 points, $N trials each"
for j in 1 2; do
	$SIM sweep "$CFG" -j "$j" -n "$N" -o "$out/j$j" \
		--vary 'guarantors.[0].guarantee.strength=0:1:21' \
		--vary 'target.troop_cap=400000:800000:21'
done
cmp -s "$out/j1/sweep.tsv" "$out/j2/sweep.tsv" && echo "bench: sweep.tsv identical at 1 and 2 threads"

#!/bin/sh
# 'make bench': runs configs/bench.cfg at 1 and 2 threads and prints
# trials/s and trial-steps/s (a trial-step is one trial advanced one step;
# only steps actually simulated count: a trial ends at its attack).
set -eu
SIM=${SIM:-./bin/sim}
CFG=${CFG:-configs/bench.cfg}
echo "bench: $CFG ($($SIM --version))"
for j in 1 2; do
	$SIM run "$CFG" -j "$j" -q | grep -E '^(trials|time)'
done

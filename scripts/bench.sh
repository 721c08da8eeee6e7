#!/bin/sh
# 'make bench': runs configs/bench.cfg at 1 and 2 threads and prints
# trials/s and trial-steps/s (a trial-step is one trial advanced one step;
# only steps actually simulated count: under the indicator estimator a
# trial ends at its attack), for both estimators; then the time to a 95%
# half-width of 0.001 on p_deterred with each estimator, on the commitment
# model's 19-point Ukraine scenario and on bench.cfg (the best of
# BENCH_REPEAT runs, default 3, on all cores), and their ratio; trials/s on
# a scenario with drawn forces; trial-steps/s with 12 guarantors (E[W] by
# quadrature at gamma = 1, by the full contraction at 1.5); the crisis
# model's trials/s and time to that half-width on the default scenario
# (the calibrated 19-point Ukraine of that model); and a 21 x 21 sweep of guarantee
# strength x troop cap at BENCH_SWEEP_TRIALS trials a point (default
# 20000).
set -eu
SIM=${SIM:-./bin/sim}
CFG=${CFG:-configs/bench.cfg}
N=${BENCH_SWEEP_TRIALS:-20000}
R=${BENCH_REPEAT:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "bench: $CFG ($($SIM --version))"
for e in conditional indicator; do
	for j in 1 2; do
		echo "  $e estimator, -j $j:"
		$SIM run "$CFG" -j "$j" -q --estimator "$e" | grep -E '^(trials|time)' |
			sed 's/^/    /'
	done
done

# The seconds and trials of the fastest of R runs of 'sim run ARGS'.
best() {
	i=0
	while [ "$i" -lt "$R" ]; do
		"$SIM" run "$@" -q | awk '/^trials/ { n = $2 } /^time/ { print $2, n }'
		i=$((i + 1))
	done | tr -d , | sort -n | head -1
}

echo "bench: time to a 95% half-width of 0.001 on p_deterred (best of $R)"
for c in configs/ukraine-19-point.cfg "$CFG"; do
	ind=$(best "$c" --precision 0.001 --estimator indicator)
	con=$(best "$c" --precision 0.001 --estimator conditional)
	echo "$ind $con" | awk -v c="$c" '{
		printf "  %-30s indicator %.3f s (%d trials), conditional %.3f s (%d trials): %.1fx\n",
		       c, $1, $2, $3, $4, $1 / $3 }'
done

echo "bench: drawn forces (configs/ukraine-19-point.cfg, challenger.forces uniform 600,000-800,000)"
for e in conditional indicator; do
	for j in 1 2; do
		printf '  %s, -j %s: ' "$e" "$j"
		$SIM run configs/ukraine-19-point.cfg -n 100000 -j "$j" -q --estimator "$e" \
			--set 'challenger.forces={ dist = "uniform"; min = 600000.0; max = 800000.0; }' |
			awk '/^time/ { print $7, $8, $9, $10 }'
	done
done

echo "bench: 12 guarantors (tests/configs/kernels12.cfg), conditional estimator, 20,000 trials"
for d in 1.0 1.5; do
	for j in 1 2; do
		printf '  decisiveness %s (%s), -j %s: ' "$d" \
			"$([ "$d" = 1.0 ] && echo quadrature || echo contraction)" "$j"
		$SIM run tests/configs/kernels12.cfg -n 20000 -j "$j" -q \
			--set "challenger.decisiveness=$d" | awk '/^time/ { print $7, $8, $9, $10 }'
	done
done

CR=configs/default.cfg
echo "bench: the crisis model ($CR), 20,000 trials"
for e in conditional indicator; do
	for j in 1 2; do
		printf '  %s, -j %s: ' "$e" "$j"
		$SIM run "$CR" -n 20000 -j "$j" -q --estimator "$e" | awk '/^time/ { print $7, $8, $9, $10 }'
	done
done
ind=$(best "$CR" --precision 0.001 --estimator indicator)
con=$(best "$CR" --precision 0.001 --estimator conditional)
echo "$ind $con" | awk -v c="$CR" '{
	printf "  time to 0.001 on p_deterred: indicator %.3f s (%d trials), conditional %.3f s (%d trials): %.1fx\n",
	       $1, $2, $3, $4, $1 / $3 }'

echo "bench: sweep of 21 x 21 points, $N trials each"
for j in 1 2; do
	$SIM sweep "$CFG" -j "$j" -n "$N" -o "$out/j$j" \
		--vary 'guarantors.[0].guarantee.strength=0:1:21' \
		--vary 'target.troop_cap=400000:800000:21'
done
cmp -s "$out/j1/sweep.tsv" "$out/j2/sweep.tsv" && echo "bench: sweep.tsv identical at 1 and 2 threads"

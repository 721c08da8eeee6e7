#!/bin/sh
# Runs each cmocka test program given and prints one closing line:
# "N passed, N failed". Exits non-zero when any test failed.
pass=0; fail=0
for t in "$@"; do
	echo "== $t"
	out=$("./$t" 2>&1); rc=$?
	echo "$out"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then fail=$((fail + 1)); echo "$t exited with $rc"; fi
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

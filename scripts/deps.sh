#!/bin/sh
# Installs the Debian packages gsim needs, or prints the command to do so.
# Usage: sh scripts/deps.sh [--check] [mpi] [fuzz] [data] [browser]
#   mpi: also OpenMPI (make MPI=1); fuzz: also clang and its runtimes (make fuzz);
#   data: pandas and R, with which tests/test_data.c loads every table (it
#   skips without them); browser: Chromium, for the headless tests of the
#   report and of the page of sim serve (they skip without it)
set -u
PKGS="make gcc libc6-dev pkg-config libgsl-dev libconfig-dev libjansson-dev libmicrohttpd-dev libcmocka-dev gnuplot-nox libxml2-utils valgrind man-db"
for a in "$@"; do
	[ "$a" = mpi ] && PKGS="$PKGS libopenmpi-dev openmpi-bin"
	[ "$a" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev libomp-14-dev"
	[ "$a" = data ] && PKGS="$PKGS python3-pandas r-base-core"
	[ "$a" = browser ] && PKGS="$PKGS chromium"
done
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
[ "${1:-}" = "--check" ] && { echo "missing packages:$missing" >&2; exit 1; }
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
		echo "error: apt-get could not install:$missing" >&2; exit 1; }
else
	echo "error: missing Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi

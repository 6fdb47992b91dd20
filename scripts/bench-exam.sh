#!/usr/bin/env bash
# The exam benchmarks of docs/BENCHMARKS.md: pufa serving the exam API on
# this machine, `pufa loadtest` driving it from the same machine.
#
#   scripts/bench-exam.sh sqlite|postgres [RUN...]
#
# RUN is any of: saves (200 examinees back to back), think (5,000 with a
# save every 5–20 s), warm and cold (3,000 starting at once, signed in
# before or not), slowdisk (the saves run with 1 ms added before every
# commit); default all but slowdisk. For postgres set PUFA_BENCH_POSTGRES to
# the DSN of an empty database that the runs may fill. Each run gets a
# fresh fixture and a freshly started server; the server's peak RSS is
# read from /proc after the run. Reports go to $OUT (default
# ./bench-out/<engine>-<run>.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
engine="${1:?usage: scripts/bench-exam.sh sqlite|postgres [saves think warm cold slowdisk]}"
shift
runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(saves think warm cold)
out="${OUT:-./bench-out}"
mkdir -p "$out"
bin="$out/pufa"
go build -o "$bin" ./cmd/pufa
port=18555

dbargs=()
if [ "$engine" = postgres ]; then
	: "${PUFA_BENCH_POSTGRES:?set PUFA_BENCH_POSTGRES to an empty PostgreSQL database}"
	dbargs=(--db "$PUFA_BENCH_POSTGRES")
fi

run() {
	local name="$1" examinees="$2" serveextra="$3"
	shift 3
	# SQLite: a fresh database per run. PostgreSQL: one data folder (its
	# keys) for the database every run adds its fixture to.
	local dir="$out/data-$engine-$name"
	if [ "$engine" = postgres ]; then
		dir="$out/data-postgres"
	else
		rm -rf "$dir"
	fi
	"$bin" loadtest-fixture --data-dir "$dir" "${dbargs[@]}" --examinees "$examinees" --questions 50 2>/dev/null >"$out/$engine-$name.fixture.json"
	# The server's request log goes to a file, as it would in production.
	# shellcheck disable=SC2086
	"$bin" serve --data-dir "$dir" "${dbargs[@]}" --addr "127.0.0.1:$port" $serveextra >"$out/$engine-$name.log" 2>&1 &
	local pid=$!
	for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	"$bin" loadtest --url "http://127.0.0.1:$port" --fixture "$out/$engine-$name.fixture.json" "$@" 2>/dev/null | tee "$out/$engine-$name.txt"
	echo "server peak RSS: $(grep VmHWM /proc/$pid/status)" | tee -a "$out/$engine-$name.txt"
	kill "$pid"
	wait "$pid" || true
}

for r in "${runs[@]}"; do
	case "$r" in
	saves) run saves 200 "" --duration 30s --healthz-duration 10s ;;
	slowdisk) run slowdisk 200 "--bench-commit-delay 1ms" --duration 30s --healthz-duration 10s ;;
	think) run think 5000 "" --duration 120s --think 5s-20s --healthz-duration 10s --setup-concurrency 8 ;;
	warm) run warm 3000 "" --mode start-warm ;;
	cold) run cold 3000 "" --mode start-cold ;;
	*) echo "unknown run $r" >&2; exit 2 ;;
	esac
done

#!/usr/bin/env bash
# The long crash test: the suite's TestCrashDurability with more examinees
# and more kill-and-restart rounds. Each round starts pufa as its own
# process, drives saves and submissions through the exam API, kills it with
# SIGKILL while they run, restarts it, and checks that every save and
# submission acknowledged with 2xx is stored.
#
#   scripts/crash-test.sh [ROUNDS] [EXAMINEES]     (defaults 20 and 200)
#
# PostgreSQL runs too when PUFA_TEST_POSTGRES is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PUFA_CRASH_ROUNDS="${1:-20}" PUFA_CRASH_EXAMINEES="${2:-200}" \
	exec go test -count=1 -timeout 30m -run '^TestCrashDurability$' -v ./cmd/pufa/

#!/usr/bin/env bash
# Runs the README's test command, `mvn verify`, while another process keeps one core busy: the
# suite must pass on a loaded 2-core machine, not only on an idle one. The CPU hog is a shell busy
# loop that ends by itself after BUSY_VERIFY_HOG_SECONDS (default 3600) and is stopped by its PID
# as soon as Maven is done, whatever the outcome. Extra arguments go to Maven.
#
#   tools/busy-verify.sh            # the whole suite
#   tools/busy-verify.sh -pl core   # one module
set -euo pipefail
cd "$(dirname "$0")/.."

hog_seconds=${BUSY_VERIFY_HOG_SECONDS:-3600}
bash -c "while (( SECONDS < $hog_seconds )); do :; done" &
hog=$!
stop_hog() {
    kill "$hog" 2>/dev/null || true
    wait "$hog" 2>/dev/null || true
}
trap stop_hog EXIT
echo "busy-verify: CPU hog started (pid $hog, at most $hog_seconds s)"

start=$(date +%s)
status=0
mvn verify --batch-mode --no-transfer-progress "$@" || status=$?
elapsed=$(($(date +%s) - start))
stop_hog
echo "busy-verify: mvn verify exited $status after ${elapsed} s with one core kept busy (hog pid $hog stopped)"
exit "$status"

#!/usr/bin/env bash
# End-to-end smoke test: builds the frontend, starts the GitLab simulator and
# the backend (which serves the built frontend on port 7017), then drives the
# portal with Playwright in Debian's headless Chromium (/usr/bin/chromium).
# Called by scripts/test.sh; usable alone after the dependencies are installed.
# Arguments go to `playwright test`, for example `-g "catalog graph"`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$RF_ROOT"

logs="$RF_ROOT/.cache/e2e-logs"
mkdir -p "$logs"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

if [ ! -x /usr/bin/chromium ]; then
  rf_log "/usr/bin/chromium is missing: install Debian's chromium package (scripts/test.sh does it as root)."
  exit 1
fi

# Another run's simulator or backend on these ports would respond to the
# readiness checks below and make this run test the wrong servers.
for port in 8930 7017; do
  if node -e "require('net').connect(Number(process.argv[1]), '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))" "$port"; then
    rf_log "Port $port is already in use, probably by another end-to-end run; stop it and run again."
    exit 1
  fi
done

if [ "${RF_E2E_SKIP_BUILD:-}" != 1 ]; then
  rf_log "Building the frontend (packages/app/dist)"
  yarn workspace app build
fi

# The simulator accepts this fixed demo token; it is no secret.
export GITLAB_TOKEN="${GITLAB_TOKEN:-glpat-simulator-admin-token}"
rf_log "Starting the GitLab simulator on 127.0.0.1:8930 (log: .cache/e2e-logs/simulator.log)"
set -m
yarn workspace @runner-fleet/gitlab-simulator start --port 8930 --burst-on-start >"$logs/simulator.log" 2>&1 &
pids+=($!)
set +m
rf_wait_for_url "http://127.0.0.1:8930/-/readiness" 90 ok || { tail -n 50 "$logs/simulator.log"; exit 1; }

rf_log "Starting the backend on port 7017 (log: .cache/e2e-logs/backend.log)"
set -m
# Runs the TypeScript sources through the Backstage CLI's Node.js transform,
# without the development server's file watcher, so nothing restarts it.
(cd packages/backend &&
  exec node --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts \
    --config ../../app-config.yaml --config ../../app-config.e2e.yaml) >"$logs/backend.log" 2>&1 &
pids+=($!)
set +m
rf_wait_for_url "http://localhost:7017/.backstage/health/v1/readiness" 300 ok || { tail -n 80 "$logs/backend.log"; exit 1; }

rf_log "Running Playwright against http://localhost:7017"
status=0
PLAYWRIGHT_URL=http://localhost:7017 yarn playwright test "$@" || status=$?
if [ "$status" != 0 ]; then
  rf_log "End-to-end tests failed; last lines of the backend log:"
  tail -n 60 "$logs/backend.log"
fi
exit "$status"

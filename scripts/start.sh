#!/usr/bin/env bash
# Starts the portal on embedded defaults: SQLite, the example catalog and a
# GitLab simulator seeded with a realistic instance on http://127.0.0.1:8929.
# Frontend: http://localhost:3000, backend: http://localhost:7007.
#
# Set RUNNER_FLEET_SIMULATOR=off when app-config.local.yaml points the
# portal at a real GitLab instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$RF_ROOT"
rf_install_dependencies

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

if [ "${RUNNER_FLEET_SIMULATOR:-on}" != "off" ]; then
  # The simulator accepts this fixed demo token; it is no secret.
  export GITLAB_TOKEN="${GITLAB_TOKEN:-glpat-simulator-admin-token}"
  rf_log "Starting the GitLab simulator on http://127.0.0.1:8929"
  yarn workspace @runner-fleet/gitlab-simulator start --port 8929 --burst-on-start &
  pids+=($!)
  rf_wait_for_url "http://127.0.0.1:8929/-/readiness" 60 ok
fi

rf_log "Starting the portal: http://localhost:3000 (backend on http://localhost:7007)"
yarn start

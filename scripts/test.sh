#!/usr/bin/env bash
# Runs every test: type check, lint, unit tests (database tests on SQLite and
# PostgreSQL) and the end-to-end smoke test in headless Chromium. Installs
# what is missing first: Node.js 22, the Yarn dependencies and, as root or
# with sudo, Debian's chromium and postgresql packages.
#
# Stages can be skipped for a quicker local loop, e.g. RF_SKIP="lint e2e".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$RF_ROOT"

skip() { [[ " ${RF_SKIP:-} " == *" $1 "* ]]; }

stage_start=0
stage() {
  if [ "$stage_start" != 0 ]; then
    rf_log "stage took $(($(date +%s) - stage_start)) s"
  fi
  stage_start=$(date +%s)
  rf_log "=== $* ==="
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

stage "System packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  rf_log "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq || { rf_log "apt-get update failed; run this script as root or with sudo."; exit 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stage "Dependencies"
rf_install_dependencies

stage "PostgreSQL"
source "$RF_ROOT/scripts/postgres.sh"
rf_start_postgres
# TestDatabases would start PostgreSQL in Docker when CI is set; the server
# above replaces that, and no Docker engine runs on these machines.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
if [ "${CI:-}" = true ] && ! env | grep -q '^BACKSTAGE_TEST_DATABASE_POSTGRES[0-9]*_CONNECTION_STRING='; then
  rf_log "CI must run the database tests on PostgreSQL too, but no PostgreSQL server could be started."
  exit 1
fi

# Every test stage runs even when an earlier one fails, so one run reports
# every failure. The script exits non-zero if any stage failed.
passed=0
failed=()
run_stage() {
  local name="$1"
  shift
  stage "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    rf_log "FAILED: $name"
    failed+=("$name")
  fi
}

run_stage "Type check" yarn tsc
skip lint || run_stage "Lint" yarn backstage-cli repo lint
skip unit || run_stage "Unit tests (SQLite and PostgreSQL)" env CI=true yarn backstage-cli repo test --maxWorkers=2
skip e2e || run_stage "End-to-end smoke test" "$RF_ROOT/scripts/e2e.sh"

stage "Summary"
for name in "${failed[@]}"; do
  rf_log "failed stage: $name"
done
echo "stages: $passed passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ]

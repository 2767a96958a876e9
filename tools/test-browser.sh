#!/usr/bin/env bash
# `npm run test:browser`: the browser end-to-end tests in a real Chromium (Debian's package,
# driven by playwright-core; Playwright never downloads a browser here).
set -euo pipefail
cd "$(dirname "$0")/.."

# CHROMIUM_PATH points at another Chromium or Chrome (a developer's machine): nothing is installed
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "test-browser: /usr/bin/chromium is missing, installing Debian's chromium"
  started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends chromium
  echo "test-browser: chromium installed in $((SECONDS - started)) s"
fi

exec node_modules/.bin/jest --ci --config test/browser/jest.config.js "$@"

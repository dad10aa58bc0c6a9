#!/usr/bin/env bash
# Install what is missing and fetch the data sets. Idempotent: a second run only checks.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

say "Checking base tools"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs), then rerun"
command -v npm >/dev/null && command -v node >/dev/null || die "node/npm not found: install Node.js 20+ (apt-get install nodejs npm), then rerun"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || die "Node.js $node_major is too old: the lab needs Node.js 18 or newer"
note "$(cargo --version), node $(node --version), npm $(npm --version)"

say "Chromium (and its chromedriver, which runs the wasm tests) and Firefox ESR for the browser tests"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}" || note "could not install ${missing[*]} (needs apt and root/sudo): browser tests will fail"
fi
[ -x /usr/bin/chromium ] && note "$(/usr/bin/chromium --version 2>/dev/null | head -1)"
[ -x /usr/bin/firefox-esr ] && note "$(/usr/bin/firefox-esr --version 2>/dev/null | head -1)"

say "wasm32 toolchain"
wasm_toolchain
note "route: $WASM_ROUTE ($("${WASM_CARGO[@]}" --version))"

say "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  note "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION (2-3 minutes, once)"
  # Not --locked: one of its locked dependency versions is not on the registry mirror (toolchain note).
  env -u RUSTC -u RUSTDOC -u CARGO_TARGET_DIR -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD \
    cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force \
    || die "cargo install wasm-bindgen-cli failed: check access to crates.io"
fi
command -v wasm-bindgen >/dev/null || die "wasm-bindgen is installed but not on PATH: add ~/.cargo/bin to PATH"
note "$(wasm-bindgen --version)"

say "JavaScript dependencies (npm ci)"
lock_sum="$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat node_modules/.lab-lock 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lab-lock
else
  note "node_modules matches package-lock.json"
fi

# --- numpy for the import tests (tests/fixtures/numpy_fixtures.py writes real .npy/.npz with it) ---
NUMPY_VERSION=2.4.6
say "numpy $NUMPY_VERSION (python3) for the numpy import tests"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
  apt_install python3 python3-pip || true
fi
if command -v python3 >/dev/null 2>&1; then
  if [ "$(python3 -c 'import numpy; print(numpy.__version__)' 2>/dev/null)" != "$NUMPY_VERSION" ]; then
    note "pip install numpy==$NUMPY_VERSION"
    python3 -m pip install -q --disable-pip-version-check "numpy==$NUMPY_VERSION" 2>/dev/null \
      || python3 -m pip install -q --disable-pip-version-check --break-system-packages "numpy==$NUMPY_VERSION" \
      || note "could not install numpy: the numpy import tests will fail"
  fi
  note "$(python3 -c 'import numpy; print("numpy", numpy.__version__)' 2>/dev/null || echo 'numpy missing')"
else
  note "python3 not found: the numpy import tests need python3 with numpy $NUMPY_VERSION (apt-get install python3 python3-pip)"
fi
# --- end numpy ---

say "Data sets"
bash scripts/fetch-data.sh

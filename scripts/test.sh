#!/usr/bin/env bash
# Every test: native (cargo test, real MNIST), wasm (wasm-bindgen-test in Node), and the
# browser end-to-end suite (Playwright + Debian Chromium against the served page).
# Run through `./lab test`, which installs and builds first.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
start=$SECONDS
summary=()

say "Native tests: cargo test --release (trains on the full MNIST)"
t=$SECONDS
cargo test --release --quiet 2>&1 | grep -vE '^\s*$|^running 0 tests|^test result: ok. 0 passed' || die "native tests failed (see above)"
summary+=("native tests passed in $((SECONDS - t)) s")

say "wasm tests: the #[wasm_bindgen] facade under wasm-bindgen-test-runner (Node)"
t=$SECONDS
wasm_toolchain
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  "${WASM_CARGO[@]}" test --release --target wasm32-unknown-unknown --test wasm \
  || die "wasm tests failed (see above)"
unset CARGO_TARGET_DIR RUSTC RUSTDOC RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD
summary+=("wasm tests passed in $((SECONDS - t)) s (route $WASM_ROUTE)")

say "Browser end-to-end tests: Playwright + $(/usr/bin/chromium --version 2>/dev/null | head -1)"
t=$SECONDS
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: apt-get install chromium chromium-driver (./lab setup does it as root)"
npx --no-install playwright test --config tests/e2e/playwright.config.js "$@" || die "browser tests failed: see the report above and tests/e2e/screenshots/"
summary+=("browser tests passed in $((SECONDS - t)) s; screenshots in tests/e2e/screenshots/")

say "All tests passed in $((SECONDS - start)) s"
for s in "${summary[@]}"; do note "$s"; done

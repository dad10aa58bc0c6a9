#!/usr/bin/env bash
# Every test, or one stage of them. Run through `./lab test`, which installs and builds first.
#   ./lab test              all stages, in this order (what CI runs)
#   ./lab test lint         rustfmt, clippy (native and wasm32, -D warnings), eslint, tsc (checkJs)
#   ./lab test js           JavaScript unit tests (node --test tests/js/)
#   ./lab test native       the native Rust tests (real MNIST), one binary in the test-opt profile
#   ./lab test wasm         the #[wasm_bindgen] facade under wasm-bindgen-test-runner (Node)
#   ./lab test e2e [ARGS]   the browser suite (Playwright + Debian Chromium); ARGS go to Playwright,
#                           e.g. a file filter: ./lab test e2e lessons   or   ./lab test e2e -g "Step"
#   ./lab test firefox      the Firefox smoke test (Debian Firefox ESR via puppeteer-core, WebDriver BiDi)
# Extra arguments after `native` go to the test binary (a name filter): ./lab test native gradient
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
start=$SECONDS
summary=()

stage="${1:-all}"
case "$stage" in
  all | lint | js | native | wasm | e2e | firefox) shift || true ;;
  *) stage=all ;; # `./lab test <playwright args>` as before: everything, ARGS to Playwright
esac
want() { [ "$stage" = all ] || [ "$stage" = "$1" ]; }
passed() { summary+=("$1 passed in $((SECONDS - $2)) s"); }

if want lint; then
  t=$SECONDS
  say "Lint: cargo fmt --check"
  cargo fmt --all --check || die "rustfmt found differences: run 'cargo fmt --all' and commit the result"
  say "Lint: cargo clippy --all-targets -- -D warnings (native)"
  cargo clippy --quiet --profile test-opt --all-targets -- -D warnings || die "clippy warnings (native): fix them (see above)"
  say "Lint: cargo clippy -- -D warnings (wasm32: the facade and its tests, the start-up module)"
  (
    wasm_toolchain
    "${WASM_CARGO[@]}" clippy --quiet --release --target wasm32-unknown-unknown --lib --tests -- -D warnings
    # The start-up module (scripts/build.sh): the facade without the `full` feature.
    "${WASM_CARGO[@]}" clippy --quiet --release --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
  ) || die "clippy warnings (wasm32): fix them (see above)"
  say "Lint: eslint (www/, scripts/, tests/)"
  npm run --silent lint || die "eslint found problems (see above); 'npm run lint -- --fix' fixes some"
  say "Types: tsc --noEmit (checkJs, against wasm-bindgen's .d.ts)"
  npm run --silent typecheck || die "the JavaScript type check failed (see above)"
  passed "lint (rustfmt, clippy ×2, eslint, tsc)" "$t"
fi

if want js; then
  t=$SECONDS
  say "JavaScript unit tests: node --test tests/js/"
  npm run --silent test:js || die "JavaScript unit tests failed (see above)"
  passed "JavaScript unit tests" "$t"
fi

if want native; then
  t=$SECONDS
  say "Native tests: cargo test --profile test-opt (trains on the full MNIST)"
  filter=()
  [ "$stage" = native ] && filter=("$@")
  if ! cargo test --profile test-opt --quiet -- "${filter[@]}" 2>&1 \
    | { grep -vE '^\s*$|^running 0 tests|^test result: ok. 0 passed' || true; }; then
    die "native tests failed (see above)"
  fi
  passed "native tests" "$t"
fi

if want wasm; then
  t=$SECONDS
  say "wasm tests: the #[wasm_bindgen] facade in a dedicated worker of headless Chromium (wasm-bindgen-test-runner, chromedriver)"
  driver="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  [ -x "$driver" ] || die "the wasm tests run in Chromium through chromedriver, and $driver is missing: run ./lab setup (it installs Debian's chromium-driver) or set CHROMEDRIVER"
  (
    wasm_toolchain
    CHROMEDRIVER="$driver" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
      "${WASM_CARGO[@]}" test --release --target wasm32-unknown-unknown --test wasm
  ) || die "wasm tests failed (see above)"
  passed "wasm tests" "$t"
fi

if want e2e; then
  t=$SECONDS
  say "Browser end-to-end tests: Playwright + $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: apt-get install chromium (./lab setup does it as root)"
  pw=(npx --no-install playwright test --config tests/e2e/playwright.config.js)
  if [ $# -gt 0 ]; then
    "${pw[@]}" "$@" || die "browser tests failed: see the report above and tests/e2e/screenshots/"
  else
    # The tests that measure step rates (tagged @timing) run afterwards on one worker, so that a
    # browser training at full speed beside them cannot slow the pace they measure.
    "${pw[@]}" --grep-invert @timing || die "browser tests failed: see the report above and tests/e2e/screenshots/ (E2E_TRACE=retain-on-failure ./lab test e2e <spec> keeps a trace of each failure)"
    note "the step-rate tests (@timing), one at a time"
    "${pw[@]}" --grep @timing --workers 1 || die "browser tests (@timing) failed: see the report above"
  fi
  passed "browser tests (screenshots in tests/e2e/screenshots/)" "$t"
fi

if want firefox; then
  t=$SECONDS
  [ -x /usr/bin/firefox-esr ] || die "/usr/bin/firefox-esr is missing: apt-get install firefox-esr (./lab setup does it as root)"
  mkdir -p test-results tests/e2e/screenshots
  node tests/e2e/firefox.mjs || die "the Firefox smoke test failed (see above)"
  passed "Firefox smoke test" "$t"
fi

say "All tests of stage '$stage' passed in $((SECONDS - start)) s"
for s in "${summary[@]}"; do note "$s"; done

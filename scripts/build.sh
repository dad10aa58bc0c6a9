#!/usr/bin/env bash
# Build the wasm module (release, SIMD128), generate its JS bindings, optimise it with
# wasm-opt, and vendor the front-end libraries into www/. Output is git-ignored.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

say "Building the wasm module"
wasm_toolchain
[ -d "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release" ] || note "first build: compiling the crate and its dependencies for wasm32 (a few minutes)"
"${WASM_CARGO[@]}" build --release --lib --target wasm32-unknown-unknown --quiet \
  || die "the wasm build failed (see above); 'cargo build' natively may show the same error faster"
raw="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/softmax_lab.wasm"
out=www/pkg
if [ ! -f "$out/softmax_lab_bg.wasm" ] || [ "$raw" -nt "$out/softmax_lab_bg.wasm" ] || [ ! -f "$out/.opt" ]; then
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name softmax_lab "$raw"
  note "wasm-opt -O3 (binaryen $(node -p 'require("./node_modules/binaryen/package.json").version'))"
  node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/softmax_lab_bg.wasm" -o "$out/softmax_lab_bg.wasm"
  touch "$out/.opt"
fi
node scripts/compress.mjs "$out/softmax_lab_bg.wasm" "$out/softmax_lab.js" >/dev/null \
  || die "could not write the precompressed copies of the wasm module"
size=$(stat -c %s "$out/softmax_lab_bg.wasm")
gz=$(gzip -9 -c "$out/softmax_lab_bg.wasm" | wc -c)
note "www/pkg/softmax_lab_bg.wasm: $size bytes ($gz gzipped, $(stat -c %s "$out/softmax_lab_bg.wasm.br") with brotli), route $WASM_ROUTE"

say "Vendoring front-end libraries into www/vendor"
v=www/vendor
mkdir -p "$v/uplot" "$v/katex"
cp -u node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css "$v/uplot/"
cp -u node_modules/katex/dist/katex.mjs node_modules/katex/dist/katex.min.css "$v/katex/"
mkdir -p "$v/katex/fonts" && cp -u node_modules/katex/dist/fonts/*.woff2 "$v/katex/fonts/"
note "uPlot $(node -p 'require("./node_modules/uplot/package.json").version'), KaTeX $(node -p 'require("./node_modules/katex/package.json").version')"

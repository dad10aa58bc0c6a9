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
# The ES-module builds, minified with esbuild (neither package ships a minified ES module).
minify() { # <source> <target>
  if [ ! -f "$2" ] || [ "$1" -nt "$2" ]; then
    node_modules/.bin/esbuild "$1" --minify --format=esm --legal-comments=eof --log-level=warning --outfile="$2" \
      || die "esbuild could not minify $1"
  fi
}
minify node_modules/uplot/dist/uPlot.esm.js "$v/uplot/uPlot.esm.min.js"
minify node_modules/katex/dist/katex.mjs "$v/katex/katex.min.mjs"
rm -f "$v/uplot/uPlot.esm.js" "$v/katex/katex.mjs" # the unminified copies of earlier builds
cp -u node_modules/uplot/dist/uPlot.min.css "$v/uplot/"
cp -u node_modules/katex/dist/katex.min.css "$v/katex/"
node scripts/compress.mjs "$v/uplot/uPlot.esm.min.js" "$v/uplot/uPlot.min.css" "$v/katex/katex.min.mjs" "$v/katex/katex.min.css" >/dev/null \
  || die "could not write the precompressed copies of the vendored libraries"
mkdir -p "$v/katex/fonts" && cp -u node_modules/katex/dist/fonts/*.woff2 "$v/katex/fonts/"
note "uPlot.esm.min.js $(stat -c %s "$v/uplot/uPlot.esm.min.js") bytes, katex.min.mjs $(stat -c %s "$v/katex/katex.min.mjs") bytes (esbuild $(node_modules/.bin/esbuild --version))"
note "uPlot $(node -p 'require("./node_modules/uplot/package.json").version'), KaTeX $(node -p 'require("./node_modules/katex/package.json").version')"

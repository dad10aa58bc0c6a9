#!/usr/bin/env bash
# Build the wasm modules (release, SIMD128), generate their JS bindings, optimise them with
# wasm-opt, and vendor the front-end libraries into www/. Output is git-ignored.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

say "Building the wasm modules"
wasm_toolchain
[ -d "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release" ] || note "first build: compiling the crate and its dependencies for wasm32 (a few minutes)"
out=www/pkg
mkdir -p "$out"
rm -f "$out/.opt" # the single module of earlier builds
# Two modules from one crate (Cargo.toml, [features]): the page starts with softmax_lab_start
# (data, training, prediction, weights files, the first sections' curves); the worker moves its
# model to softmax_lab (everything: also the lecture experiments, the step view, numpy weights,
# your own data) when a section first needs it.
# Both builds link to the same path, and cargo relinks (with LTO: about 20 s each) whenever the
# feature set changes, so each module is kept under its own name with a stamp of what built it;
# while no input is newer than the kept module and the stamp is the same, cargo is not run.
inputs=(src Cargo.toml Cargo.lock)
wasm_module() { # <name> <cargo feature flags...>
  local name="$1"; shift
  local raw="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/softmax_lab.wasm"
  local kept="$CARGO_TARGET_DIR/$name.wasm"
  local stamp; stamp="$("${RUSTC:-rustc}" -vV | tr '\n' ' ') route=$WASM_ROUTE flags=$* RUSTFLAGS=${RUSTFLAGS:-} ${CARGO_ENCODED_RUSTFLAGS:-}"
  if [ -f "$kept" ] && [ "$(cat "$kept.stamp" 2>/dev/null)" = "$stamp" ] && [ -z "$(find "${inputs[@]}" -newer "$kept.stamp" -print -quit)" ]; then
    note "$name: no source changed since its last build: cargo not run"
  else
    "${WASM_CARGO[@]}" build --release --lib --target wasm32-unknown-unknown --quiet "$@" \
      || die "the wasm build of $name failed (see above); 'cargo build' natively may show the same error faster"
    cmp -s "$raw" "$kept" || cp "$raw" "$kept" # same bytes: the steps below have nothing to redo
    printf '%s' "$stamp" > "$kept.stamp"
  fi
  if [ ! -f "$out/${name}_bg.wasm" ] || [ "$kept" -nt "$out/${name}_bg.wasm" ] || [ ! -f "$out/.opt-$name" ]; then
    rm -f "$out/$name.js" "$out/$name.d.ts" "$out/${name}_bg.wasm" "$out/${name}_bg.wasm.d.ts" "$out/.opt-$name"
    wasm-bindgen --target web --out-dir "$out" --out-name "$name" "$kept"
    note "wasm-opt -O3 $name (binaryen $(node -p 'require("./node_modules/binaryen/package.json").version'))"
    node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    touch "$out/.opt-$name"
  fi
  node scripts/compress.mjs "$out/${name}_bg.wasm" "$out/$name.js" >/dev/null \
    || die "could not write the precompressed copies of the wasm module $name"
  local size gz
  size=$(stat -c %s "$out/${name}_bg.wasm")
  gz=$(gzip -9 -c "$out/${name}_bg.wasm" | wc -c)
  note "www/pkg/${name}_bg.wasm: $size bytes ($gz gzipped, $(stat -c %s "$out/${name}_bg.wasm.br") with brotli)"
}
wasm_module softmax_lab_start --no-default-features
wasm_module softmax_lab
note "wasm route $WASM_ROUTE"

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

say "Minifying the page's own modules and style sheets into target/www-min (served in their place while fresh)"
node scripts/minify.mjs || die "could not minify the page's modules (see above); esbuild comes from npm ci, which ./lab setup runs"

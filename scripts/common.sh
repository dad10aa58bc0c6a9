# Shared helpers for ./lab and the scripts it runs. Source, don't execute.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" 2>/dev/null | sed -n 's/^version = "\(.*\)"/\1/p')"
STATE_DIR="$ROOT/target/lab-state"
mkdir -p "$STATE_DIR"

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when we are root, through sudo when it is available.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local stamp="$STATE_DIR/apt-updated"
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
    note "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && touch "$stamp"
  fi
  note "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Configure the environment for building wasm32 (sets WASM_CARGO and exports what it needs).
# Route 1: rustup's own wasm32 std (present, or `rustup target add` within a time bound).
# Route 2: Debian's rustc-web + rust-web-src + lld, building std from source (../shared notes).
wasm_toolchain() {
  local route_file="$STATE_DIR/wasm-route"
  local route="${SOFTMAX_LAB_WASM_ROUTE:-$(cat "$route_file" 2>/dev/null)}"
  local sysroot; sysroot="$(rustc --print sysroot 2>/dev/null)"
  if [ "$route" != debian ]; then
    if [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then route=rustup
    elif command -v rustup >/dev/null 2>&1; then
      note "rustup target add wasm32-unknown-unknown (bounded to 120 s)"
      if timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 \
         && [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then route=rustup
      else note "rustup could not fetch the wasm32 std: using Debian's rustc-web route"; route=debian
      fi
    else route=debian
    fi
  fi
  echo "$route" > "$route_file"
  WASM_CARGO=(cargo)
  if [ "$route" = debian ]; then
    if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
      apt_install rustc-web cargo-web rust-web-src \
        || die "wasm32 needs either 'rustup target add wasm32-unknown-unknown' or Debian's rustc-web, cargo-web and rust-web-src (run as root or with sudo)"
    fi
    local llvm; llvm="$(/usr/bin/rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')"
    [ -n "$llvm" ] || die "cannot read the LLVM version of /usr/bin/rustc"
    command -v "wasm-ld-$llvm" >/dev/null 2>&1 || apt_install "lld-$llvm" \
      || die "Debian route needs lld-$llvm (wasm-ld-$llvm): apt-get install lld-$llvm"
    export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="wasm-ld-$llvm"
    WASM_CARGO=(/usr/bin/cargo)
  fi
  # A target dir of its own: the wasm toolchain may differ from the native one.
  export CARGO_TARGET_DIR="$ROOT/target/wasm"
  # SIMD128 is supported by every browser the lab targets (Chrome 91+, Firefox 89+, Safari 16.4+).
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128"
  WASM_ROUTE="$route"
}

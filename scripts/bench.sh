#!/usr/bin/env bash
# The speed benchmark: the lab's page and its wasm core in headless Chromium, beside
# TensorFlow.js (wasm and cpu backends) on the identical model and data, and the native CLI.
# Prints a markdown table and writes bench-results/latest.json (git-ignored).
# Run through `./lab bench`, which installs and builds the release wasm first.
# `./lab bench --quick` draws fewer strokes (a shorter run; the same measurements otherwise).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

[ -x /usr/bin/chromium ] || [ -n "${CHROMIUM:-}" ] || die "/usr/bin/chromium is missing: apt-get install chromium (./lab setup does it as root)"
[ -f www/pkg/softmax_lab_bg.wasm ] || die "www/pkg is missing: run ./lab build"

say "Native CLI (release build, the same Rust core)"
cargo build --release --quiet --bin softmax-lab || die "cargo build --release failed"

say "Benchmark: headless $(/usr/bin/chromium --version 2>/dev/null | head -1) (about 2 minutes)"
note "machine: $(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
node tests/bench/run.mjs "$@"

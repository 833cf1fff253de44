#!/usr/bin/env bash
# Benchmarks the ingest input layer (JSONL scanner, byte sources, line batcher) in release mode.
# Usage: scripts/bench-input.sh [FILE.jsonl]
#   default FILE: $CORPUS (default ../shared/corpus/dev.jsonl.zst) decompressed into $WORK
# Prints MB/s figures; not a test. Builds a throwaway package in $WORK that depends on this one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/catalog-bench-input}
mkdir -p "$work/pkg/Sources/bench-input"
ln -sfn "$repo" "$work/catalog"   # the package identity comes from the directory name
cp "$repo/scripts/bench-input/main.swift" "$work/pkg/Sources/bench-input/main.swift"
cat > "$work/pkg/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "bench-input",
    dependencies: [.package(path: "../catalog")],
    targets: [.executableTarget(name: "bench-input", dependencies: [.product(name: "CatalogCore", package: "catalog")])],
    swiftLanguageModes: [.v6]
)
MANIFEST
input=${1:-}
if [ -z "$input" ]; then
  input="$work/dev.jsonl"
  [ -f "$input" ] || zstd -dqf "${CORPUS:-../shared/corpus/dev.jsonl.zst}" -o "$input"
fi
(cd "$work/pkg" && swift build -c release --scratch-path "$work/build" 2>&1 | grep -E "error|warning: |Compiling|Build complete" | tail -3)
"$work/build/release/bench-input" "$input" "$work"

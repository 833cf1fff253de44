#!/usr/bin/env bash
# Benchmarks the shard writers (ShardSetWriter) in release mode on documents held in memory.
# Usage: scripts/bench-shards.sh [FILE.jsonl] [RUNS]
#   default FILE: $CORPUS (default ../shared/corpus/dev.jsonl.zst) decompressed into $WORK
# BENCH_FORMATS=jsonl.zst,mds limits the formats measured; BENCH_KEEP=1 keeps the last run's
# output in $WORK/out-FORMAT-THREADS-RUN (for scripts/check-mds.py).
# Prints MB/s of uncompressed JSONL/MDS written and docs/s per format (median of RUNS, default 3)
# and warns if shards differ between thread counts; not a test. Builds a throwaway package in
# $WORK that depends on this one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/catalog-bench-shards}
mkdir -p "$work/pkg/Sources/bench-shards"
ln -sfn "$repo" "$work/catalog"   # the package identity comes from the directory name
cp "$repo/scripts/bench-shards/main.swift" "$work/pkg/Sources/bench-shards/main.swift"
cat > "$work/pkg/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "bench-shards",
    dependencies: [.package(path: "../catalog")],
    targets: [.executableTarget(name: "bench-shards", dependencies: [.product(name: "CatalogCore", package: "catalog")])],
    swiftLanguageModes: [.v6]
)
MANIFEST
input=${1:-}
if [ -z "$input" ]; then
  input="$work/dev.jsonl"
  [ -f "$input" ] || zstd -dqf "${CORPUS:-$repo/../shared/corpus/dev.jsonl.zst}" -o "$input"
fi
(cd "$work/pkg" && swift build -c release --scratch-path "$work/build" 2>&1 | grep -E "error|warning: |Build complete" | tail -3)
"$work/build/release/bench-shards" "$input" "$work" "${2:-3}"

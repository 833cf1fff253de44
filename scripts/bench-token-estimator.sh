#!/bin/sh
# Measures TokenEstimator throughput in release mode on the dev corpus (one core).
#
#   scripts/bench-token-estimator.sh [CORPUS.jsonl.zst|CORPUS.jsonl] [--tsv OUT.tsv] [ROUNDS]
#
# Compiles Sources/CatalogCore/Ingest/TokenEstimator.swift (standard library only) together
# with scripts/bench-token-estimator/main.swift using `swiftc -O`, decompresses the corpus to a
# temporary file if needed, and prints MB/s of document text (best of ROUNDS, default 5).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-../shared/corpus/dev.jsonl.zst}
[ $# -gt 0 ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -O -wmo -module-name TokenEstimatorBench \
    "$root/Sources/CatalogCore/Ingest/TokenEstimator.swift" \
    "$root/scripts/bench-token-estimator/main.swift" -o "$work/bench"
case $corpus in
    *.zst) zstd -q -dc "$corpus" > "$work/corpus.jsonl"; corpus=$work/corpus.jsonl ;;
esac
"$work/bench" "$corpus" "$@"

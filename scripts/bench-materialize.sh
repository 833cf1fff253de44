#!/usr/bin/env bash
# Materialize benchmark (release build): a catalog of ../shared/corpus/dev.jsonl.zst
# (--source-field source --domain-field domain, deduplicated), a recipe drawing most of it,
# then RUNS runs of `catalog plan` and `catalog materialize`. Prints medians: plan time, MB/s of
# uncompressed output written (JSONL bytes before compression, `totals.uncompressed_bytes` of the
# manifest), docs/s. One untimed warm-up run; each timed run starts after `sync`.
#
#   scripts/bench-materialize.sh
#   RUNS=3 FORMAT=jsonl THREADS=1 scripts/bench-materialize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dev.jsonl.zst}
runs=${RUNS:-5}
format=${FORMAT:-jsonl.zst}
work=${BENCH_DIR:-.build/bench-materialize}
mkdir -p "$work"
scripts/install-deps.sh
bin=$(QUIET=1 scripts/build-release.sh)
db=$work/dev.db
if [ ! -s "$db" ]; then
  "$bin" add "$corpus" --db "$db" --source-field source --domain-field domain --progress never 2>/dev/null
  "$bin" dedup --db "$db" >/dev/null 2>&1
fi
cat > "$work/bench.yaml" <<YAML
name: bench
seed: 1
total_tokens: ${TOTAL:-20M}
shortfall: redistribute
max_epochs: 1
output: {format: $format, shard_size: 64MiB, fields: [id, text, source, domain, tokens]}
components:
  - {name: web, where: "domain = 'web'", weight: 0.3}
  - {name: docs, where: "domain = 'docs'", weight: 0.2}
  - {name: code, where: "domain = 'code'", weight: 0.2}
  - {name: books, where: "domain = 'books'", weight: 0.1}
  - {name: rest, where: "domain NOT IN ('web', 'docs', 'code', 'books')", weight: 0.2}
YAML
"$bin" recipe add "$work/bench.yaml" --db "$db" >/dev/null 2>&1
threads_flag=()
if [ -n "${THREADS:-}" ]; then threads_flag=(--threads "$THREADS"); fi
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# One untimed run first (like hyperfine's --warmup): the build step above leaves the machine
# busy for a moment, and the first run also warms the catalog's pages.
rm -rf "$work/out"
"$bin" materialize bench --db "$db" --out "$work/out" "${threads_flag[@]}" >/dev/null 2>&1
plans=(); rates=(); docrates=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N); "$bin" plan bench --db "$db" >/dev/null 2>&1; end=$(date +%s.%N)
  plans+=("$(echo "$end - $start" | bc)")
  rm -rf "$work/out"
  # Flush earlier steps' writes (the build, the previous output's deletion) first: materialize
  # fsyncs its shards, and on ext4 that waits for whatever else is dirty (as bench-dedup.sh).
  sync
  start=$(date +%s.%N)
  "$bin" materialize bench --db "$db" --out "$work/out" "${threads_flag[@]}" >/dev/null 2>"$work/stderr.txt"
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc)
  # Bytes before compression, as the manifest counts them (JSONL lines, or MDS shards).
  bytes=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["uncompressed_bytes"])' "$work/out/manifest.json")
  docs=$("$bin" sql --db "$db" "SELECT documents FROM mix_run ORDER BY mix_run_id DESC LIMIT 1" --format csv | tail -n 1 | tr -d '\r')
  rates+=("$(echo "scale=1; $bytes / 1000000 / $seconds" | bc)")
  docrates+=("$(echo "scale=0; $docs / $seconds" | bc)")
done
echo "plan: median $(printf '%s\n' "${plans[@]}" | median) s over $runs runs (whole process)"
echo "materialize ($format, $docs docs, $(echo "scale=1; $bytes / 1000000" | bc) MB of JSONL): median $(printf '%s\n' "${rates[@]}" | median) MB/s, $(printf '%s\n' "${docrates[@]}" | median) docs/s (whole process)"
echo "runs: ${rates[*]} MB/s"

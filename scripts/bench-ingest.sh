#!/usr/bin/env bash
# Ingest benchmark (release build) on ../shared/corpus/dev.jsonl.zst, decompressed to plain
# JSONL first so decompression is not counted. Prints the median of RUNS runs: MB/s of JSONL,
# docs/s, peak RSS, catalog size.
#
#   scripts/bench-ingest.sh            # dev corpus, 5 runs
#   RUNS=3 scripts/bench-ingest.sh
#   scripts/bench-ingest.sh --big      # also a ~1 GB input (the corpus 8x under fresh ids): peak RSS
#   THREADS=1 scripts/bench-ingest.sh  # worker threads (default: one per processor)
#   BEFORE=21a4108 scripts/bench-ingest.sh  # also: this build's default ingest against the
#                                           # default ingest of an earlier commit, built apart
#
# Each input is measured with quality signals (the default) and, for the dev corpus with
# --source-field, also with --no-signals; that line gives the time ratio of the two (what the
# signals cost on top of this build's ingest). Runs of the two alternate, so machine noise hits
# both alike. With BEFORE=COMMIT, the default ingest of COMMIT (built from `git archive` under
# $BENCH_DIR) runs in turn with this build's: issue 4's "before and after" is BEFORE=21a4108,
# the last commit before quality signals.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dev.jsonl.zst}
runs=${RUNS:-5}
work=${BENCH_DIR:-.build/bench}
mkdir -p "$work"
scripts/install-deps.sh
bin=$(QUIET=1 scripts/build-release.sh)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

input=$work/dev.jsonl
if [ ! -s "$input" ]; then zstd -dc "$corpus" > "$input"; fi
threads_flag=()
if [ -n "${THREADS:-}" ]; then threads_flag=(--threads "$THREADS"); fi

# Sources: "field" (each record's source and domain: 13 sources, 13 dictionaries) or "single"
# (one source, one dictionary).
mode=field
signals=--signals
# run_once INPUT -> prints "seconds peak_kib docs db_bytes"
run_once() {
  local db=$work/bench.db source_flags
  rm -f "$db" "$db-wal" "$db-shm"
  sync  # the previous run's writeback must not slow this one
  if [ "$mode" = field ]; then source_flags=(--source-field source --domain-field domain); else source_flags=(--source dev); fi
  /usr/bin/time -f "%e %M" -o "$work/time.txt" \
    "$bin" add "$1" --db "$db" "${source_flags[@]}" ${signals:+"$signals"} --progress never \
    ${threads_flag[@]+"${threads_flag[@]}"} >/dev/null 2>"$work/stderr.txt"
  local docs
  docs=$("$bin" sql --db "$db" "SELECT count(*) FROM docs" --format csv | tail -n 1 | tr -d '\r')
  echo "$(cat "$work/time.txt") $docs $(stat -c %s "$db")"
}

report() {
  local label=$1 file=$2 bytes
  bytes=$(stat -c %s "$file")
  local results=()
  for i in $(seq "$runs"); do results+=("$(run_once "$file")"); done
  printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
label, size = sys.argv[1], int(sys.argv[2])
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
secs = [r[0] for r in rows]
med = statistics.median(secs)
docs = rows[0][2]
print(f"{label}: {size/1e6:.1f} MB JSONL, {int(docs)} docs, {len(rows)} runs")
print(f"  wall s      : median {med:.2f} (min {min(secs):.2f}, max {max(secs):.2f})")
print(f"  throughput  : {size/1e6/med:.1f} MB/s of JSONL, {docs/med:,.0f} docs/s (median)")
print(f"  peak RSS    : {max(r[1] for r in rows)/1024:.0f} MiB (max over runs)")
print(f"  catalog     : {rows[0][3]/1e6:.1f} MB ({size/rows[0][3]:.2f}x smaller than the JSONL)")
' "$label" "$bytes"
}

mode=field report "dev corpus, --source-field source --domain-field domain" "$input"
mode=single report "dev corpus, --source dev" "$input"

# Signals against --no-signals, alternating runs.
with=() without=()
for i in $(seq "$runs"); do
  with+=("$(mode=field signals=--signals run_once "$input" | cut -d' ' -f1)")
  without+=("$(mode=field signals=--no-signals run_once "$input" | cut -d' ' -f1)")
done
python3 -c '
import sys, statistics
size = int(sys.argv[1]); n = int(sys.argv[2])
with_s = list(map(float, sys.argv[3:3 + n])); without_s = list(map(float, sys.argv[3 + n:]))
a, b = statistics.median(with_s), statistics.median(without_s)
print(f"dev corpus, --source-field, --no-signals (signals deferred to catalog rescore): median {b:.2f} s, {size/1e6/b:.1f} MB/s")
print(f"  signals cost: median {a:.2f} s with, {b:.2f} s without: x{a/b:.2f} on top of the ingest of this build")
' "$(stat -c %s "$input")" "$runs" "${with[@]}" "${without[@]}"

if [ -n "${BEFORE:-}" ]; then
  commit=$(git rev-parse --short "$BEFORE")
  # Built as this build is (scripts/build-release.sh: Swift runtime linked in), so the two
  # differ only in their code.
  before_dir=$work/before-$commit-static
  before_bin=$before_dir/.build/release/catalog
  if [ ! -x "$before_bin" ]; then
    rm -rf "$before_dir"
    mkdir -p "$before_dir"
    git archive "$commit" | tar -x -C "$before_dir"
    if ! (cd "$before_dir" && swift build -c release --static-swift-stdlib >build.log 2>&1); then
      cat "$before_dir/build.log" >&2
      exit 1
    fi
  fi
  before_times=() after_times=()
  for i in $(seq "$runs"); do
    after_times+=("$(mode=field signals=--signals run_once "$input" | cut -d' ' -f1)")
    # The earlier build may predate --signals/--no-signals: its own default ingest.
    before_times+=("$(bin=$before_bin mode=field signals= run_once "$input" | cut -d' ' -f1)")
  done
  python3 -c '
import sys, statistics
size = int(sys.argv[1]); n = int(sys.argv[2]); commit = sys.argv[3]
after = list(map(float, sys.argv[4:4 + n])); before = list(map(float, sys.argv[4 + n:]))
a, b = statistics.median(after), statistics.median(before)
print(f"dev corpus, --source-field, default ingest: this build {a:.2f} s ({size/1e6/a:.1f} MB/s), {commit} {b:.2f} s ({size/1e6/b:.1f} MB/s): x{a/b:.2f}")
print("  (issue 4: signals add at most x1.30 to the ingest before them, BEFORE=21a4108)")
' "$(stat -c %s "$input")" "$runs" "$commit" "${after_times[@]}" "${before_times[@]}"
fi

if [ "${1:-}" = "--big" ]; then
  big=$work/big.jsonl
  if [ ! -s "$big" ]; then
    for copy in 1 2 3 4 5 6 7 8; do
      sed "s/^{\"id\": \"/{\"id\": \"copy$copy-/" "$input"
    done > "$big"
  fi
  mode=field runs=1 report "1 GB input (8 copies, fresh ids), --source-field" "$big"
fi

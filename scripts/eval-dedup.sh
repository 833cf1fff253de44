#!/usr/bin/env bash
# Near-duplicate quality of `catalog dedup` on the dev corpus (release build): ingests
# ../shared/corpus/dev.jsonl.zst into a fresh catalog (.build/eval-dedup/dev.db), runs
# `catalog dedup`, exports doc_key, document_id, cluster_id, duplicate_of and scores them with
# scripts/eval-dedup.py against the exact pair file ../shared/corpus/neardup-jaccard-dev.jsonl.zst.
# Targets: pairs with J >= 0.9 in one cluster >= 98%; 0.8 <= J < 0.9 >= 80%; documents marked
# duplicate whose J with their canonical is < 0.5 <= 2%. Exit status 1 when a target fails.
#
#   scripts/eval-dedup.sh                         # fresh catalog, default threshold
#   scripts/eval-dedup.sh --threshold 0.7         # passed to catalog dedup
#   scripts/eval-dedup.sh --db my.db              # reuse a catalog (ingested only if missing), dedup, score
#   scripts/eval-dedup.sh --db my.db --no-dedup   # score the clusters the catalog already has
#   scripts/eval-dedup.sh --clusters FILE.jsonl   # score precomputed {doc_key, cluster_id, duplicate_of_key} lines
#   scripts/eval-dedup.sh --show 10               # print up to 10 misses / false merges per check (default 3)
#   CATALOG_BIN=path/to/catalog scripts/eval-dedup.sh     # skip the release build, use that binary
set -euo pipefail
catalog_bin=${CATALOG_BIN:+$(realpath -- "$CATALOG_BIN")} # resolved before the cd below
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dev.jsonl.zst}
pairs=${PAIRS:-../shared/corpus/neardup-jaccard-dev.jsonl.zst}
work=.build/eval-dedup
db="" clusters="" run_dedup=1
dedup_flags=() score_flags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --threshold) dedup_flags+=(--threshold "$2"); shift 2 ;;
    --clusters) clusters=$2; shift 2 ;;
    --no-dedup) run_dedup=0; shift ;;
    --show) score_flags+=(--show "$2"); shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
    *) echo "eval-dedup.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

if [ -n "$clusters" ]; then
  exec python3 scripts/eval-dedup.py --clusters "$clusters" --pairs "$pairs" ${score_flags[@]+"${score_flags[@]}"}
fi

if [ -n "$catalog_bin" ]; then
  bin=$catalog_bin # another build, or a stand-in when testing this script
else
  scripts/install-deps.sh
  bin=$(QUIET=1 scripts/build-release.sh)
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
if [ "$run_dedup" = 1 ] && ! "$bin" --help | grep -qE '^ +dedup( |$)'; then
  echo "eval-dedup.sh: this build has no 'catalog dedup' subcommand (use --clusters FILE to check the scoring)" >&2
  exit 1
fi
mkdir -p "$work"

if [ -z "$db" ]; then
  db=$work/dev.db
  rm -f "$db" "$db-wal" "$db-shm"
fi
if [ ! -e "$db" ]; then
  input=$work/dev.jsonl
  if [ ! -s "$input" ]; then zstd -dqc "$corpus" > "$input.tmp" && mv "$input.tmp" "$input"; fi
  "$bin" add "$input" --db "$db" --source-field source --domain-field domain --progress never \
    >/dev/null 2>"$work/add.stderr" || { cat "$work/add.stderr" >&2; exit 1; }
  echo "ingest: $(tail -n 1 "$work/add.stderr")"
fi

if [ "$run_dedup" = 1 ]; then
  if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      "$bin" dedup --db "$db" ${dedup_flags[@]+"${dedup_flags[@]}"} >"$work/dedup.stdout" 2>"$work/dedup.stderr"; then
    cat "$work/dedup.stderr" >&2
    echo "eval-dedup.sh: catalog dedup failed" >&2
    exit 1
  fi
  sed 's/^/dedup stderr: /' "$work/dedup.stderr"
  read -r seconds kib < "$work/time.txt"
  echo "dedup: ${seconds} s wall, peak RSS $((kib / 1024)) MiB (${dedup_flags[*]:-default threshold})"
fi

export_file=$work/export.jsonl
"$bin" sql --db "$db" \
  "SELECT doc_key, document_id, cluster_id, duplicate_of FROM docs ORDER BY document_id" \
  --format jsonl > "$export_file"
python3 scripts/eval-dedup.py --export "$export_file" --pairs "$pairs" ${score_flags[@]+"${score_flags[@]}"}

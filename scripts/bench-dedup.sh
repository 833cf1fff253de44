#!/usr/bin/env bash
# Dedup benchmark (release build). Prints wall time and peak RSS (/usr/bin/time) of:
#   (a) a first `catalog dedup` of the dev corpus (../shared/corpus/dev.jsonl.zst, fresh catalog)
#   (b) an incremental dedup after adding one more source to it: 10,000 documents, 80% perturbed
#       copies of dev documents under fresh ids, 20% fresh near-duplicates of each other
#   (c) a first dedup of a catalog of 1,000,000 documents: the dev corpus + perturbed copies of
#       windows (256-1792 bytes) of dev texts under fresh ids (see scripts/make-dedup-bench-input.py)
#   (d) adding the same 10,000 documents to that catalog, then an incremental dedup
# Targets: (a)/(b) a few seconds; (c) < 120 s with peak RSS < 1 GiB; (d) dedup < 5 s.
#
# Generated inputs (.jsonl.zst) and the ingested 1M catalog are cached under .build/bench-dedup/
# (the catalog is copied before each run, so every run times a first dedup). Caches are keyed by
# the generator, seed and counts (inputs) and by migrations/ (catalog); the cached catalog is
# also rebuilt when its minhash_scheme rows differ from a fresh dev ingest's. REBUILD=1 forces
# both. Needs ~4 GB of disk (caches + a working copy of the catalog, which is therefore
# in the OS page cache when (c) starts).
#
#   scripts/bench-dedup.sh                 # (a)-(d)
#   scripts/bench-dedup.sh --dev-only      # (a) and (b)
#   scripts/bench-dedup.sh --prepare       # generate and ingest only (works without `catalog dedup`)
#   SEED=2 MILLION=200000 INC=5000 THRESHOLD=0.8 scripts/bench-dedup.sh
#   CATALOG_BIN=path/to/catalog scripts/bench-dedup.sh   # skip the release build, use that binary
set -euo pipefail
catalog_bin=${CATALOG_BIN:+$(realpath -- "$CATALOG_BIN")} # resolved before the cd below
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dev.jsonl.zst}
work=${BENCH_DIR:-.build/bench-dedup}
seed=${SEED:-1}
total=${MILLION:-1000000}
inc_count=${INC:-10000}
mode=${1:-all}
case "$mode" in all | --dev-only | --prepare) ;; *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 64 ;; esac
dedup_flags=()
if [ -n "${THRESHOLD:-}" ]; then dedup_flags=(--threshold "$THRESHOLD"); fi

if [ -n "$catalog_bin" ]; then
  bin=$catalog_bin # another build, or a stand-in when testing this script
else
  scripts/install-deps.sh
  bin=$(QUIET=1 scripts/build-release.sh)
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
have_dedup=1
"$bin" --help | grep -qE '^ +dedup( |$)' || have_dedup=0
if [ "$have_dedup" = 0 ] && [ "$mode" != --prepare ]; then
  echo "bench-dedup.sh: this build has no 'catalog dedup' subcommand; only --prepare works" >&2
  exit 1
fi
mkdir -p "$work"
gen=scripts/make-dedup-bench-input.py
gen_tag=$( (cat "$gen"; stat -c %s "$corpus") | sha256sum | cut -c1-8)
schema_tag=$(cat migrations/*.sql | sha256sum | cut -c1-8)
add_flags=(--source-field source --domain-field domain --progress never)

# timed NAME COMMAND... : runs COMMAND under /usr/bin/time; sets $secs and $mib; keeps its stderr
# in $work/NAME.stderr and prints it on failure. Dirty pages of earlier steps (copying the 1.7 GB
# catalog, the first dedup's writes) are flushed first (`sync`, as hyperfine --prepare would), so
# their write-back is not charged to the timed command.
timed() {
  local name=$1 kib
  shift
  sync
  if ! /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.stdout" 2>"$work/$name.stderr"; then
    cat "$work/$name.stderr" >&2
    echo "bench-dedup.sh: $name failed: $*" >&2
    exit 1
  fi
  read -r secs kib < <(tail -n 1 "$work/$name.time")
  mib=$((kib / 1024))
}
# verdict VALUE LIMIT -> "ok" when VALUE < LIMIT, else "OVER"
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v < l) ? "ok" : "OVER" }'; }
# figure LABEL TARGET-TEXT VERDICT : prints the last timed command's figures and its dedup lines
figure() {
  printf '%-46s %8.2f s  %6d MiB   target: %s%s\n' "$1" "$secs" "$mib" "$2" "${3:+  [$3]}"
}
stderr_lines() { sed 's/^/      | /' "$work/$1.stderr" | tail -n 6; }
rm_db() { rm -f "$1" "$1-wal" "$1-shm"; }
db_size() { du -cm "$1"* 2>/dev/null | tail -n 1 | cut -f1; }
scheme_of() { "$bin" sql --db "$1" "SELECT shingle_size, permutations, seed, normalisation, hash_family FROM minhash_scheme ORDER BY scheme_id" --format csv; }

# make_input FILE ARGS... : runs the generator into FILE (.jsonl.zst) unless cached
make_input() {
  local file=$1
  shift
  if [ -s "$file" ] && [ -s "$file.info" ] && [ -z "${REBUILD:-}" ]; then
    echo "input  $(basename "$file"): cached ($(cat "$file.info"))"
    return
  fi
  local started=$SECONDS
  python3 "$gen" "$@" --seed "$seed" --corpus "$corpus" 2>"$file.log" | zstd -q -3 -c > "$file.tmp"
  mv "$file.tmp" "$file"
  echo "$(tail -n 1 "$file.log" | sed 's/^make-dedup-bench-input: //'); with zstd $((SECONDS - started)) s, $(du -m "$file" | cut -f1) MB compressed" > "$file.info"
  echo "input  $(basename "$file"): generated: $(cat "$file.info")"
}

# --- dev catalog ---------------------------------------------------------------------------------
dev_input=$work/dev.jsonl
if [ ! -s "$dev_input" ]; then zstd -dqc "$corpus" > "$dev_input.tmp" && mv "$dev_input.tmp" "$dev_input"; fi
inc_input=$work/inc-s$seed-n$inc_count-$gen_tag.jsonl.zst
make_input "$inc_input" increment --count "$inc_count" --source bench-inc

dev_db=$work/dev.db
rm_db "$dev_db"
timed dev-add "$bin" add "$dev_input" --db "$dev_db" "${add_flags[@]}"
dev_docs=$("$bin" sql --db "$dev_db" "SELECT count(*) FROM docs" --format csv | tail -n 1 | tr -d '\r')
echo "ingest dev corpus ($dev_docs docs): $secs s, $mib MiB"
if [ "$mode" != --prepare ]; then
  echo
  timed dev-dedup "$bin" dedup --db "$dev_db" ${dedup_flags[@]+"${dedup_flags[@]}"}
  figure "(a) first dedup, dev ($dev_docs docs)" "a few seconds"
  stderr_lines dev-dedup
  timed dev-inc-add "$bin" add "$inc_input" --db "$dev_db" "${add_flags[@]}"
  echo "    add $inc_count docs (source bench-inc): $secs s"
  timed dev-inc-dedup "$bin" dedup --db "$dev_db" ${dedup_flags[@]+"${dedup_flags[@]}"}
  figure "(b) incremental dedup, dev + $inc_count" "a few seconds"
  stderr_lines dev-inc-dedup
fi
[ "$mode" = --dev-only ] && exit 0

# --- 1M catalog ----------------------------------------------------------------------------------
copies=$((total - dev_docs))
big_input=$work/big-s$seed-n$copies-$gen_tag.jsonl.zst
make_input "$big_input" windows --count "$copies"
big_db=$work/big-s$seed-n$total-$gen_tag-$schema_tag.db
if [ -s "$big_db" ] && [ -z "${REBUILD:-}" ] && [ "$(scheme_of "$big_db")" != "$(scheme_of "$dev_db")" ]; then
  echo "cached 1M catalog has another minhash_scheme than a fresh ingest: rebuilding it"
  rm_db "$big_db"
fi
if [ -s "$big_db" ] && [ -s "$big_db.info" ] && [ -z "${REBUILD:-}" ]; then
  echo "ingest 1M catalog: cached ($(cat "$big_db.info"))"
else
  rm_db "$big_db.tmp"
  rm_db "$big_db"
  timed big-add "$bin" add "$dev_input" "$big_input" --db "$big_db.tmp" "${add_flags[@]}"
  for suffix in "" -wal -shm; do
    if [ -e "$big_db.tmp$suffix" ]; then mv "$big_db.tmp$suffix" "$big_db$suffix"; fi
  done
  echo "$secs s wall, peak RSS $mib MiB, $(db_size "$big_db") MB; $(tail -n 1 "$work/big-add.stderr")" > "$big_db.info"
  echo "ingest 1M catalog: $(cat "$big_db.info")"
fi
[ "$mode" = --prepare ] && exit 0

echo
work_db=$work/big-work.db
rm_db "$work_db"
for suffix in "" -wal; do # no -shm: SQLite rebuilds it
  if [ -e "$big_db$suffix" ]; then cp --reflink=auto "$big_db$suffix" "$work_db$suffix"; fi
done
big_docs=$("$bin" sql --db "$work_db" "SELECT count(*) FROM docs" --format csv | tail -n 1 | tr -d '\r')
size_before=$(db_size "$work_db")
timed big-dedup "$bin" dedup --db "$work_db" ${dedup_flags[@]+"${dedup_flags[@]}"}
big_secs=$secs big_mib=$mib
ok=ok
[ "$(verdict "$secs" 120)" = ok ] && [ "$mib" -lt 1024 ] || ok=OVER
figure "(c) first dedup, $big_docs docs" "< 120 s, < 1024 MiB" "$ok"
stderr_lines big-dedup
echo "      catalog $size_before MB before, $(db_size "$work_db") MB after"
timed big-inc-add "$bin" add "$inc_input" --db "$work_db" "${add_flags[@]}"
echo "    add $inc_count docs (source bench-inc): $secs s, $mib MiB"
add_secs=$secs
timed big-inc-dedup "$bin" dedup --db "$work_db" ${dedup_flags[@]+"${dedup_flags[@]}"}
figure "(d) incremental dedup, 1M + $inc_count" "< 5 s" "$(verdict "$secs" 5)"
stderr_lines big-inc-dedup
echo "      add + dedup: $(awk -v a="$add_secs" -v b="$secs" 'BEGIN { printf "%.2f", a + b }') s"
echo
echo "summary: (c) ${big_secs} s / ${big_mib} MiB, (d) ${secs} s; inputs and catalog cached in $work"

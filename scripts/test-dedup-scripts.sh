#!/usr/bin/env bash
# Checks the dedup evaluation and benchmark tooling itself (not catalog): scripts/eval-dedup.py
# on synthetic clusterings of the dev pair file, and scripts/make-dedup-bench-input.py
# (determinism whatever --jobs, unique ids, window sizes, Jaccard against the perturbation rate).
# Needs python3 and zstd; about a minute. Working files under .build/test-dedup-scripts/.
#
#   scripts/test-dedup-scripts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus/dev.jsonl.zst}
pairs=${PAIRS:-../shared/corpus/neardup-jaccard-dev.jsonl.zst}
work=.build/test-dedup-scripts
mkdir -p "$work"
failed=0
check() { # check NAME EXPECTED_STATUS GREP_PATTERN -- COMMAND...
  local name=$1 expected=$2 pattern=$3 status=0
  shift 4
  "$@" > "$work/out.txt" 2>&1 || status=$?
  if [ "$status" = "$expected" ] && grep -qE -- "$pattern" "$work/out.txt"; then
    echo "ok   $name"
  else
    echo "FAIL $name (exit $status, expected $expected; want /$pattern/)"; sed 's/^/     /' "$work/out.txt"
    failed=1
  fi
}

# --- synthetic clusterings of the pair file --------------------------------------------------
python3 - "$corpus" "$pairs" "$work" <<'EOF'
import json, subprocess, sys
corpus, pairs_path, work = sys.argv[1:]
keys = [json.loads(l)["id"] for l in subprocess.run(["zstd", "-dc", corpus], capture_output=True, check=True).stdout.splitlines()]
pairs = [json.loads(l) for l in subprocess.run(["zstd", "-dc", pairs_path], capture_output=True, check=True).stdout.splitlines()]

def write(name, cluster_of, canonical_of):
    with open(f"{work}/{name}.jsonl", "w") as out:
        for key in keys:
            out.write(json.dumps({"doc_key": key, "cluster_id": cluster_of.get(key),
                                  "duplicate_of_key": canonical_of.get(key)}) + "\n")

def union_find(selected):
    parent = {}
    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for p in selected:
        a, b = find(p["id_a"]), find(p["id_b"])
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    cluster_of, canonical_of = {}, {}
    for number, members in enumerate(sorted(groups.values(), key=min)):
        head = min(members)  # canonical: smallest key
        for m in members:
            cluster_of[m] = number
            if m != head:
                canonical_of[m] = head
    return cluster_of, canonical_of

write("uf-0.8", *union_find([p for p in pairs if p["jaccard"] >= 0.8]))
write("uf-0.9", *union_find([p for p in pairs if p["jaccard"] >= 0.9]))
write("uf-0.5", *union_find(pairs))
write("singletons", {}, {})
# Every document of a source in one cluster: huge false-merge share.
source_of = {k: k.split(":")[0] for k in keys}
heads = {}
for k in keys:
    heads.setdefault(source_of[k], k)
write("by-source", {k: source_of[k] for k in keys}, {k: heads[source_of[k]] for k in keys if heads[source_of[k]] != k})
# Contract violations: a chain (b -> a, c -> b) and a one-member cluster.
a, b, c, d = keys[:4]
write("broken", {a: 1, b: 1, c: 1, d: 2}, {b: a, c: b})
EOF

eval=(python3 scripts/eval-dedup.py --pairs "$pairs" --clusters)
check "union-find J>=0.8: J>=0.9 recall 100%" 0 'J >= 0.9 .* = 100\.00%  target >= 98%  PASS' -- "${eval[@]}" "$work/uf-0.8.jsonl"
check "union-find J>=0.8: 0.8-0.9 recall 100%" 0 '0\.8 <= J < 0\.9 .* = 100\.00%  target >= 80%  PASS' -- "${eval[@]}" "$work/uf-0.8.jsonl"
check "union-find J>=0.8: identical texts 100%" 0 'identical text .* = 100\.00%' -- "${eval[@]}" "$work/uf-0.8.jsonl"
check "union-find J>=0.9: 0.8-0.9 recall below 80%, exit 1" 1 '0\.8 <= J < 0\.9 .* = +[0-7]?[0-9]\.[0-9]{2}%  target >= 80%  FAIL' -- "${eval[@]}" "$work/uf-0.9.jsonl"
check "union-find J>=0.5 (chains): false merges counted" 1 'J < 0\.5 with canonical .*FAIL' -- "${eval[@]}" "$work/uf-0.5.jsonl"
check "singletons: recall 0%, exit 1" 1 'J >= 0\.9 .* =   0\.00%  target >= 98%  FAIL' -- "${eval[@]}" "$work/singletons.jsonl"
check "one cluster per source: false merges FAIL" 1 'J < 0\.5 with canonical .*target <= 2%  FAIL' -- "${eval[@]}" "$work/by-source.jsonl"
check "contract: chain and one-member cluster" 1 'contract: 2 problem.*FAIL' -- "${eval[@]}" "$work/broken.jsonl"
check "eval-dedup.sh --clusters passes through" 0 'RESULT: PASS' -- scripts/eval-dedup.sh --clusters "$work/uf-0.8.jsonl"

# --export form (document ids) on a hand-made file, scored against a tiny pair file.
cat > "$work/pairs.jsonl" <<'EOF'
{"id_a": "a", "id_b": "b", "source_a": "s", "source_b": "s", "jaccard": 1.0, "label": "exact"}
{"id_a": "a", "id_b": "c", "source_a": "s", "source_b": "s", "jaccard": 0.85, "label": "near"}
{"id_a": "d", "id_b": "e", "source_a": "s", "source_b": "s", "jaccard": 0.6, "label": "partial"}
EOF
cat > "$work/export.jsonl" <<'EOF'
{"doc_key":"a","document_id":1,"cluster_id":7,"duplicate_of":null}
{"doc_key":"b","document_id":2,"cluster_id":7,"duplicate_of":1}
{"doc_key":"c","document_id":3,"cluster_id":null,"duplicate_of":null}
{"doc_key":"d","document_id":4,"cluster_id":9,"duplicate_of":null}
{"doc_key":"e","document_id":5,"cluster_id":9,"duplicate_of":4}
{"doc_key":"f","document_id":6,"cluster_id":9,"duplicate_of":4}
EOF
small=(python3 scripts/eval-dedup.py --pairs "$work/pairs.jsonl" --export "$work/export.jsonl")
check "export: 0.8-0.9 pair missed" 1 '0\.8 <= J < 0\.9 +1 pairs, +0 in one cluster .*FAIL' -- "${small[@]}"
check "export: 1 of 3 duplicates has no pair (f)" 1 'J < 0\.5 with canonical +1 of +3 duplicates = +33\.33%' -- "${small[@]}"
check "export: maps duplicate_of ids to keys" 1 'false merge\? f -> d J=absent' -- "${small[@]}"

# --- generator --------------------------------------------------------------------------------
gen=(python3 scripts/make-dedup-bench-input.py --corpus "$corpus")
"${gen[@]}" windows --count 12000 --seed 7 --jobs 1 > "$work/w1.jsonl" 2>/dev/null
"${gen[@]}" windows --count 12000 --seed 7 --jobs 2 > "$work/w2.jsonl" 2>/dev/null
"${gen[@]}" windows --count 12000 --seed 8 --jobs 2 > "$work/w3.jsonl" 2>/dev/null
"${gen[@]}" increment --count 3000 --seed 7 --source bench-inc > "$work/inc.jsonl" 2>/dev/null
check "generator: same seed, same bytes whatever --jobs" 0 '^same$' -- \
  sh -c "cmp -s '$work/w1.jsonl' '$work/w2.jsonl' && echo same"
check "generator: another seed, other bytes" 0 '^differ$' -- \
  sh -c "cmp -s '$work/w1.jsonl' '$work/w3.jsonl' || echo differ"
check "generator: records, sizes and Jaccard vs rate" 0 '^generator ok' -- python3 - "$work/w1.jsonl" "$work/inc.jsonl" <<'EOF'
import collections, json, re, statistics, sys
WORD = re.compile(r"\w+")
def shingles(text):  # as in ../shared/corpus/README.md (without the CJK rule)
    t = WORD.findall(text.lower())
    return {" ".join(t[i:i + 5]) for i in range(len(t) - 4)} or {" ".join(t)}
def jaccard(x, y):
    a, b = shingles(x), shingles(y)
    return len(a & b) / len(a | b)
problems = []
windows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
inc = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
for name, rows, count in (("windows", windows, 12000), ("increment", inc, 3000)):
    ids = [r["id"] for r in rows]
    if len(rows) != count or len(set(ids)) != count:
        problems.append(f"{name}: {len(rows)} rows, {len(set(ids))} distinct ids, expected {count}")
    if any(not r["text"] or set(r) != {"id", "text", "source", "domain", "meta"} for r in rows):
        problems.append(f"{name}: empty text or unexpected fields")
sizes = [len(r["text"].encode()) for r in windows]
print(f"windows: mean {statistics.mean(sizes):.0f} B, max {max(sizes)} B, p99 {sorted(sizes)[len(sizes) * 99 // 100]} B")
if max(sizes) > 2600 or not 700 <= statistics.mean(sizes) <= 1300:
    problems.append("window sizes out of range")
families = collections.defaultdict(list)
for r in windows:
    families[r["meta"]["family"]].append(r)
sizes_f = [len(m) for m in families.values()]
exact = sum(r["meta"]["rate"] == 0 for r in windows) / len(windows)
print(f"windows: {len(families)} families, mean size {statistics.mean(sizes_f):.2f}, max {max(sizes_f)}, exact-rate share {exact:.1%}")
# Jaccard of each family's first member against the others, by the larger of the two rates.
buckets = collections.defaultdict(list)
for members in families.values():
    for other in members[1:6]:
        rate = max(members[0]["meta"]["rate"], other["meta"]["rate"])
        bucket = "0" if rate == 0 else "<=5%" if rate <= 0.05 else "<=15%" if rate <= 0.15 else "<=30%"
        buckets[bucket].append(jaccard(members[0]["text"], other["text"]))
for bucket in ("0", "<=5%", "<=15%", "<=30%"):
    js = buckets[bucket]
    print(f"  max rate {bucket:>5}: {len(js):5d} pairs, median J {statistics.median(js):.3f}, J >= 0.8 {sum(j >= 0.8 for j in js) / len(js):.0%}")
if statistics.median(buckets["0"]) < 0.85 or statistics.median(buckets["<=5%"]) < 0.5 or statistics.median(buckets["<=30%"]) > 0.5:
    problems.append("Jaccard does not follow the perturbation rate")
fresh = [r for r in inc if r["meta"]["of"] == "fresh"]
if not 500 <= len(fresh) <= 700 or {r["source"] for r in inc} != {"bench-inc"}:
    problems.append(f"increment: {len(fresh)} fresh documents, sources {({r['source'] for r in inc})}")
print("generator ok" if not problems else "\n".join(problems))
EOF
sed 's/^/     /' "$work/out.txt"

if [ "$failed" = 0 ]; then echo "all checks passed"; else echo "some checks FAILED"; exit 1; fi

#!/usr/bin/env python3
"""Scores `catalog dedup` clusters against the exact near-duplicate pairs of the dev corpus.

Python 3.11 standard library only; reads .zst files through `zstd -dc`. Normally run by
scripts/eval-dedup.sh, which builds the catalog, runs the dedup and exports its clusters:

    python3 scripts/eval-dedup.py --export clusters.jsonl \
        [--pairs ../shared/corpus/neardup-jaccard-dev.jsonl.zst] [--show 3]
    python3 scripts/eval-dedup.py --clusters precomputed.jsonl ...

--export takes `catalog sql "SELECT doc_key, document_id, cluster_id, duplicate_of FROM docs"
--format jsonl` lines (duplicate_of is a document_id). --clusters takes precomputed lines
{"doc_key", "cluster_id", "duplicate_of_key"} (null for canonicals and singletons), to check the
metrics on synthetic clusterings. Documents absent from the file count as singletons.

Pair file lines: {"id_a", "id_b", "source_a", "source_b", "jaccard", "label", ...} — every pair
with word-5-gram Jaccard >= 0.5 (see ../shared/corpus/README.md). Targets:

* recall, J >= 0.9 (identical texts included): share of pairs in one cluster >= 98%
* recall, 0.8 <= J < 0.9: share of pairs in one cluster >= 80%
* false merges: of the documents marked duplicate (duplicate_of not null), the share whose
  Jaccard with their canonical is < 0.5 (a pair absent from the pair file counts as < 0.5) <= 2%
* contract (this script's own check): duplicate_of points at a member of the same cluster whose
  duplicate_of is null; each cluster has >= 2 members and exactly one canonical.

Also printed, without target: identical-text pairs (label "exact") and 0.5 <= J < 0.8 pairs in
one cluster. Exit status 1 when a target or the contract check fails, 2 on bad input.
"""

from __future__ import annotations

import argparse
import collections
import json
import signal
import subprocess
import sys

RECALL_TARGETS = (("J >= 0.9", 0.9, 2.0, 0.98), ("0.8 <= J < 0.9", 0.8, 0.9, 0.80))
FALSE_MERGE_TARGET = 0.02
FALSE_MERGE_BELOW = 0.5


def read_lines(path: str):
    if path.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-dc", "--", path], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        yield from proc.stdout
        if proc.wait() != 0:
            sys.exit(f"zstd -dc {path} failed (exit {proc.returncode})")
    else:
        with open(path, "rb") as handle:
            yield from handle


def parse_jsonl(path: str):
    for number, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as error:
            print(f"{path}:{number}: not JSON ({error})", file=sys.stderr)
            sys.exit(2)


class Clustering:
    """doc_key -> cluster id and canonical doc_key, with the contract problems found on loading."""

    def __init__(self) -> None:
        self.cluster: dict[str, object] = {}
        self.canonical: dict[str, str] = {}  # non-canonical doc_key -> canonical doc_key
        self.problems: list[str] = []

    @classmethod
    def from_export(cls, path: str) -> "Clustering":
        rows = list(parse_jsonl(path))
        key_of_id = {row["document_id"]: row["doc_key"] for row in rows}
        result = cls()
        for row in rows:
            target = row.get("duplicate_of")
            target_key = None
            if target is not None:
                target_key = key_of_id.get(target)
                if target_key is None:
                    result.problems.append(f"{row['doc_key']}: duplicate_of {target} is no document_id of the catalog")
            result._add(row["doc_key"], row.get("cluster_id"), target_key)
        return result

    @classmethod
    def from_clusters(cls, path: str) -> "Clustering":
        result = cls()
        for row in parse_jsonl(path):
            result._add(row["doc_key"], row.get("cluster_id"), row.get("duplicate_of_key"))
        return result

    def _add(self, key: str, cluster: object, canonical: str | None) -> None:
        if key in self.cluster:
            self.problems.append(f"{key}: listed twice")
        self.cluster[key] = cluster
        if canonical is not None:
            self.canonical[key] = canonical

    def check_contract(self) -> None:
        members: dict[object, list[str]] = collections.defaultdict(list)
        for key, cluster in self.cluster.items():
            if cluster is not None:
                members[cluster].append(key)
        for key, canonical in self.canonical.items():
            cluster = self.cluster.get(key)
            if cluster is None:
                self.problems.append(f"{key}: duplicate_of set but cluster_id null")
            elif canonical in self.cluster and self.cluster[canonical] != cluster:
                self.problems.append(f"{key}: canonical {canonical} is in cluster {self.cluster[canonical]}, not {cluster}")
            if canonical in self.canonical:
                self.problems.append(f"{key}: canonical {canonical} is itself a duplicate (chain)")
            if canonical == key:
                self.problems.append(f"{key}: duplicate of itself")
        for cluster, keys in members.items():
            if len(keys) < 2:
                self.problems.append(f"cluster {cluster}: one member ({keys[0]}); singletons must have cluster_id null")
            heads = [key for key in keys if key not in self.canonical]
            if len(heads) != 1:
                self.problems.append(f"cluster {cluster}: {len(heads)} members with duplicate_of null, expected 1")

    def same_cluster(self, a: str, b: str) -> bool:
        cluster = self.cluster.get(a)
        return cluster is not None and cluster == self.cluster.get(b)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "    n/a"


def main() -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--export", help="catalog sql --format jsonl export (doc_key, document_id, cluster_id, duplicate_of)")
    given.add_argument("--clusters", help="precomputed {doc_key, cluster_id, duplicate_of_key} lines")
    parser.add_argument("--pairs", default="../shared/corpus/neardup-jaccard-dev.jsonl.zst")
    parser.add_argument("--show", type=int, default=3, help="example misses / false merges to print (default 3)")
    args = parser.parse_args()

    clustering = Clustering.from_export(args.export) if args.export else Clustering.from_clusters(args.clusters)
    clustering.check_contract()
    pairs = [(p["id_a"], p["id_b"], float(p["jaccard"]), p["label"], p.get("source_a", "?"), p.get("source_b", "?"))
             for p in parse_jsonl(args.pairs)]
    jaccard = {(min(a, b), max(a, b)): j for a, b, j, *_ in pairs}

    documents = len(clustering.cluster)
    clusters = {c for c in clustering.cluster.values() if c is not None}
    clustered = sum(c is not None for c in clustering.cluster.values())
    print(f"catalog: {documents} documents, {len(clusters)} clusters holding {clustered} documents, "
          f"{len(clustering.canonical)} marked duplicate")
    absent = sum(a not in clustering.cluster or b not in clustering.cluster for a, b, *_ in pairs)
    print(f"pairs  : {len(pairs)} with J >= 0.5 in {args.pairs}"
          + (f"; {absent} name a document absent from the catalog (counted as misses)" if absent else ""))
    if documents and absent > len(pairs) // 10:
        print("warning: many pair documents are missing — is this catalog the dev corpus with its ids as keys?")

    failures = 0
    rows: list[tuple[str, int, int, str]] = []

    def recall(label: str, selected: list[tuple], target: float | None) -> None:
        nonlocal failures
        hits = sum(clustering.same_cluster(p[0], p[1]) for p in selected)
        verdict = ""
        if target is not None:
            ok = bool(selected) and hits >= target * len(selected)
            failures += not ok
            verdict = f"target >= {target:.0%}  {'PASS' if ok else 'FAIL'}"
        else:
            verdict = "(no target)"
        print(f"  {label:<22} {len(selected):6d} pairs, {hits:6d} in one cluster = {percent(hits, len(selected))}  {verdict}")
        missed = [p for p in selected if not clustering.same_cluster(p[0], p[1])]
        if missed and target is not None and args.show:
            by_sources = collections.Counter(" × ".join(sorted({p[4], p[5]})) for p in missed)
            print("      misses by source: " + ", ".join(f"{s} {n}" for s, n in by_sources.most_common(4)))
            for a, b, j, lab, *_ in sorted(missed, key=lambda p: -p[2])[: args.show]:
                print(f"      missed: {a} {b} J={j:.4f} ({lab}); clusters {clustering.cluster.get(a)} / {clustering.cluster.get(b)}")

    print("recall (both documents of a pair in one cluster):")
    for label, low, high, target in RECALL_TARGETS:
        recall(label, [p for p in pairs if low <= p[2] < high], target)
    recall("identical text (exact)", [p for p in pairs if p[3] == "exact"], None)
    recall("0.5 <= J < 0.8", [p for p in pairs if 0.5 <= p[2] < 0.8], None)

    print("false merges (documents marked duplicate vs their canonical):")
    low_j = []
    under_08 = 0
    for key, canonical in clustering.canonical.items():
        j = jaccard.get((min(key, canonical), max(key, canonical)))
        if j is None or j < FALSE_MERGE_BELOW:
            low_j.append((key, canonical, j))
        if j is None or j < 0.8:
            under_08 += 1
    marked = len(clustering.canonical)
    ok = len(low_j) <= FALSE_MERGE_TARGET * marked
    failures += not ok
    print(f"  J < {FALSE_MERGE_BELOW} with canonical  {len(low_j):6d} of {marked:6d} duplicates = {percent(len(low_j), marked)}  "
          f"target <= {FALSE_MERGE_TARGET:.0%}  {'PASS' if ok else 'FAIL'}")
    print(f"  J < 0.8 with canonical  {under_08:6d} of {marked:6d} duplicates = {percent(under_08, marked)}  (no target)")
    for key, canonical, j in low_j[: args.show]:
        print(f"      false merge? {key} -> {canonical} J={'absent (< 0.5)' if j is None else f'{j:.4f}'}")

    problems = clustering.problems
    print(f"contract: {len(problems)} problem(s)  {'PASS' if not problems else 'FAIL'}")
    for problem in problems[: max(args.show, 1) if problems else 0]:
        print(f"      {problem}")
    failures += bool(problems)

    print("RESULT: " + ("PASS" if failures == 0 else f"FAIL ({failures} check(s) failed)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

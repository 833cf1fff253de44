#!/usr/bin/env python3
"""Reads an MDS directory written by `catalog materialize --format mds` with MosaicML
streaming and compares it with manifest.json.

Usage: scripts/check-mds.py DIR
Needs `pip install mosaicml-streaming` (use a virtualenv, e.g. python3 -m venv /tmp/mds-venv).
The directory is copied to a temporary place first, because StreamingDataset decompresses
shards next to the .zstd files. Checks: every sample decodes; per shard, the sample count and
sha256 (validate_hash) match; per component and phase, document and token counts match the
manifest's shards; every `text` is a str. Exits 1 on a mismatch.
"""
import collections
import json
import os
import shutil
import sys
import tempfile


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 64
    source = sys.argv[1]
    with open(os.path.join(source, "manifest.json")) as handle:
        manifest = json.load(handle)
    from streaming import StreamingDataset  # imported late: the usage text works without it

    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        local = os.path.join(scratch, "mds")
        shutil.copytree(source, local)
        dataset = StreamingDataset(local=local, shuffle=False, validate_hash="sha256", batch_size=1)
        expected_documents = manifest["totals"]["documents"]
        if len(dataset) != expected_documents:
            problems.append(f"{len(dataset)} samples, the manifest says {expected_documents}")
        counts = collections.Counter()
        tokens = collections.Counter()
        position = 0
        for shard in manifest["shards"]:
            shard_counts = collections.Counter()
            shard_tokens = collections.Counter()
            for _ in range(shard["documents"]):
                sample = dataset[position]
                position += 1
                if "text" in sample and not isinstance(sample["text"], str):
                    problems.append(f"sample {position - 1}: text is {type(sample['text'])}")
                component = sample.get("component", "?")
                shard_counts[component] += 1
                shard_tokens[component] += int(sample.get("tokens", 0))
            for entry in shard["components"]:
                name = entry["component"]
                if "component" in dataset[0] and shard_counts[name] != entry["documents"]:
                    problems.append(f"{shard['file']}: {shard_counts[name]} {name} samples, manifest {entry['documents']}")
                if "tokens" in dataset[0] and "component" in dataset[0] and shard_tokens[name] != entry["tokens"]:
                    problems.append(f"{shard['file']}: {shard_tokens[name]} {name} tokens, manifest {entry['tokens']}")
            counts.update(shard_counts)
            tokens.update(shard_tokens)
        print(f"{source}: {position} samples in {len(manifest['shards'])} shards read by streaming "
              f"(columns: {', '.join(sorted(dataset[0].keys()))})")
        for name in sorted(counts):
            print(f"  {name}: {counts[name]} samples, {tokens[name]} tokens")
    for problem in problems[:20]:
        print("MISMATCH:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes examples/sample.jsonl and examples/README.md: a small, deterministic sample of the dev corpus.

Python 3.11 standard library only; needs `zstd` on PATH to read the .zst inputs.

    python3 scripts/make-example-sample.py \
        [--corpus ../shared/corpus/dev.jsonl.zst] \
        [--pairs ../shared/corpus/neardup-jaccard-dev.jsonl.zst] [--out examples]

Records are copied byte for byte (same line, same fields, same order of keys) and written in
corpus order (sorted by id). Every choice is a deterministic function of the inputs: candidates
are ranked by sha1("catalog-examples-v1:" + id), never by a random generator. Selection, in order:

 1. Duplicates that exist in the corpus: for every (label, source_a, source_b) group of the
    near-duplicate pair file (exact = identical text, near = Jaccard >= 0.8, partial = 0.5-0.8),
    the first-ranked pair whose two records together stay under PAIR_BYTES, else the smallest
    pair if under PAIR_FALLBACK_BYTES (Gutenberg licence footers and editions, stdlib modules).
 2. Cross-lingual duplicates: the XQuAD article whose six translations are smallest in total.
 3. Non-English text: for every other language of the corpus, the first-ranked record under
    SMALL_BYTES (or the smallest under LARGE_BYTES).
 4. Every (source, domain): further first-ranked records under SMALL_BYTES (LARGE_BYTES where
    fewer than three are that small) up to GROUP_BUDGET bytes; at least one record each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys

PAIR_BYTES = 9_000      # both records of a duplicate pair, JSONL bytes
PAIR_FALLBACK_BYTES = 40_000  # for groups whose pairs are all larger
SMALL_BYTES = 4_000     # preferred record size, JSONL bytes
LARGE_BYTES = 12_000    # allowed where small records are rare (newspaper pages, PLOS, books)
GROUP_BUDGET = 18_000   # JSONL bytes per (source, domain) in step 4
EXPECTED_CORPUS_SHA256 = "c7f7ddd5c60ce419a87d2f23e7ad1862884d8c76ba425c3a74033cf00374ed2c"

# Licence and origin of each source, from ../shared/corpus/README.md.
SOURCES = {
    "arxiv-abstracts": ("arXiv metadata (title + abstract), CC0 1.0",
                        "[clopezvice/ArXiv-Scraper](https://github.com/clopezvice/ArXiv-Scraper) "
                        "`dataset/arxiv_data.csv` @ `e0ffb1e082b6`"),
    "chronam-1916": ("public domain (1916 newspapers, Library of Congress Chronicling America OCR)",
                     "[dchud/chronam-text](https://github.com/dchud/chronam-text) @ `f681a25f300e`"),
    "dclm-annotated": ("MIT (DCLM dataset); the text is Common Crawl web pages",
                       "[mlfoundations/dclm](https://github.com/mlfoundations/dclm) "
                       "`data/majority_data.jsonl` @ `361714bdd60b`"),
    "debian-doc": ("per package (Debian main, DFSG-free; see each package's `copyright` file)",
                   "`/usr/share/doc` of a Debian image"),
    "dolma-ccnet-sample": ("Apache-2.0 (dolma test fixture); the text is Common Crawl via CCNet",
                           "[allenai/dolma](https://github.com/allenai/dolma) "
                           "`tests/data/multiple_files/cc_en_head-0091/0174.jsonl` @ `669f534823b0`"),
    "gutenberg": ("public domain (US), Project Gutenberg",
                  "[rcdm-uga/Gutenberg_Text](https://github.com/rcdm-uga/Gutenberg_Text) @ `a0b16d35a985`"),
    "man": ("per package (Debian main); gcloud pages Apache-2.0",
            "`/usr/share/man` of a Debian image, rendered to text"),
    "plos": ("CC BY 4.0 (per article, in `meta.license`)",
             "[PLOS/allofplos](https://github.com/PLOS/allofplos) "
             "`allofplos/starter_corpus/*.xml` @ `07fdeed848b2`"),
    "python-stdlib": ("PSF-2.0", "CPython 3.11.7 standard library (`Lib/`)"),
    "stackexchange": ("CC BY-SA 3.0 (Stack Exchange)",
                      "Stack Exchange data-dump `Posts.xml` files kept in GitHub repositories "
                      "(`meta.repo`, `meta.commit`)"),
    "swift-packages": ("each repository's open-source licence (mostly Apache-2.0 / MIT / BSD; "
                       "repositories listed below)",
                       "Swift package repositories on GitHub, pinned to a commit in `url_or_path`"),
    "wikipedia-wikitext": ("CC BY-SA (Wikipedia)",
                           "[spencermountain/wtf_wikipedia](https://github.com/spencermountain/wtf_wikipedia) "
                           "`tests/cache/*.txt` @ `015abc2dce21`"),
    "xquad": ("CC BY-SA 4.0",
              "[google-deepmind/xquad](https://github.com/google-deepmind/xquad) "
              "`xquad.{en,es,de,ru,zh,ar}.json` @ `7d30520c7175`"),
}


def rank(doc_id: str) -> str:
    return hashlib.sha1(f"catalog-examples-v1:{doc_id}".encode("utf-8")).hexdigest()


def zstd_lines(path: str):
    if not path.endswith(".zst"):
        with open(path, "rb") as f:
            yield from f
        return
    try:
        proc = subprocess.Popen(["zstd", "-q", "-dc", path], stdout=subprocess.PIPE)
    except FileNotFoundError:
        sys.exit("error: `zstd` is not installed (apt-get install zstd); it reads the .zst inputs")
    assert proc.stdout is not None
    with proc.stdout:
        yield from proc.stdout
    if proc.wait() != 0:
        sys.exit(f"error: `zstd -dc {path}` failed (exit {proc.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus/dev.jsonl.zst")
    parser.add_argument("--pairs", default="../shared/corpus/neardup-jaccard-dev.jsonl.zst")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "examples"))
    args = parser.parse_args()

    raw: dict[str, bytes] = {}
    records: dict[str, dict] = {}
    corpus_hash = hashlib.sha256()
    for line in zstd_lines(args.corpus):
        corpus_hash.update(line)
        if not line.strip():
            continue
        record = json.loads(line)
        raw[record["id"]] = line if line.endswith(b"\n") else line + b"\n"
        records[record["id"]] = record
    if corpus_hash.hexdigest() != EXPECTED_CORPUS_SHA256:
        print(f"warning: corpus sha256 {corpus_hash.hexdigest()} is not the documented "
              f"{EXPECTED_CORPUS_SHA256}; the sample will differ from the committed one",
              file=sys.stderr)
    size = {doc_id: len(line) for doc_id, line in raw.items()}

    chosen: dict[str, str] = {}  # id -> why

    def choose(doc_id: str, why: str) -> None:
        chosen.setdefault(doc_id, why)

    # 1. Duplicate pairs, one per (label, source_a, source_b).
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for line in zstd_lines(args.pairs):
        if line.strip():
            pair = json.loads(line)
            groups.setdefault((pair["label"], pair["source_a"], pair["source_b"]), []).append(pair)
    pairs: list[dict] = []
    for key in sorted(groups):
        def pair_bytes(p: dict) -> int:
            return size[p["id_a"]] + size[p["id_b"]]

        def pair_rank(p: dict) -> str:
            return rank(p["id_a"] + " " + p["id_b"])

        fitting = [p for p in groups[key] if pair_bytes(p) <= PAIR_BYTES]
        if fitting:
            pair = min(fitting, key=pair_rank)
        else:
            pair = min(groups[key], key=lambda p: (pair_bytes(p), pair_rank(p)))
            if pair_bytes(pair) > PAIR_FALLBACK_BYTES:
                continue
        pairs.append(pair)
        why = f"{pair['label']} pair (Jaccard {pair['jaccard']:.2f})"
        choose(pair["id_a"], why)
        choose(pair["id_b"], why)

    # 2. One XQuAD article in all six languages.
    articles: dict[str, list[str]] = {}
    for doc_id, record in records.items():
        if record["source"] == "xquad":
            articles.setdefault(record["meta"].get("wikipedia_title_en", ""), []).append(doc_id)
    complete = [(sum(size[i] for i in ids), rank(title), title, ids)
                for title, ids in articles.items() if len(ids) == 6]
    xquad_title = ""
    if complete:
        _, _, xquad_title, ids = min(complete)
        for doc_id in ids:
            choose(doc_id, f"XQuAD article {xquad_title} (6 translations)")

    # 3. One record per other language.
    by_lang: dict[str, list[str]] = {}
    for doc_id, record in records.items():
        by_lang.setdefault(record["meta"].get("lang", "?"), []).append(doc_id)
    for lang in sorted(by_lang):
        if lang == "en" or any(records[i]["meta"].get("lang") == lang for i in chosen):
            continue
        ids = sorted(by_lang[lang], key=rank)
        small = [i for i in ids if size[i] <= SMALL_BYTES]
        pick = small[0] if small else min(ids, key=lambda i: (size[i], rank(i)))
        if size[pick] <= LARGE_BYTES:
            choose(pick, f"language {lang}")

    # 4. Fill every (source, domain).
    by_group: dict[tuple[str, str], list[str]] = {}
    for doc_id, record in records.items():
        by_group.setdefault((record["source"], record["domain"]), []).append(doc_id)
    for group in sorted(by_group):
        ids = sorted(by_group[group], key=rank)
        limit = SMALL_BYTES if sum(size[i] <= SMALL_BYTES for i in ids) >= 3 else LARGE_BYTES
        used = 0  # records chosen in steps 1-3 do not count against the group's budget
        for doc_id in ids:
            if doc_id in chosen or size[doc_id] > limit:
                continue
            if used + size[doc_id] > GROUP_BUDGET:
                continue
            choose(doc_id, "source sample")
            used += size[doc_id]
        if not any((records[i]["source"], records[i]["domain"]) == group for i in chosen):
            smallest = min(ids, key=lambda i: (size[i], rank(i)))
            choose(smallest, "source sample (smallest record)")

    selected = sorted(chosen)
    os.makedirs(args.out, exist_ok=True)
    sample = b"".join(raw[i] for i in selected)
    with open(os.path.join(args.out, "sample.jsonl"), "wb") as f:
        f.write(sample)
    readme = render_readme(selected, records, raw, chosen, pairs, xquad_title,
                           hashlib.sha256(sample).hexdigest(), corpus_hash.hexdigest())
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(readme)
    print(f"wrote {len(selected)} records, {len(sample):,} bytes to "
          f"{os.path.normpath(os.path.join(args.out, 'sample.jsonl'))}")


def render_readme(selected, records, raw, chosen, pairs, xquad_title, sample_sha, corpus_sha) -> str:
    def text_bytes(i: str) -> int:
        return len(records[i]["text"].encode("utf-8"))

    out = []
    w = out.append
    total_jsonl = sum(len(raw[i]) for i in selected)
    w("# Example corpus: `sample.jsonl`\n")
    w(f"{len(selected)} documents ({total_jsonl:,} bytes of JSONL, "
      f"{sum(text_bytes(i) for i in selected):,} bytes of text) taken unchanged from the dev "
      "corpus `dev.jsonl.zst` (see `../shared/corpus/README.md` for the record format). "
      "Every line is a record of the corpus, byte for byte, in corpus order (sorted by `id`). "
      "Nothing was written or edited by us; the duplicates below exist in the original sources.\n")
    w("Regenerate (deterministic; Python 3.11 standard library and `zstd`):\n")
    w("```sh\npython3 scripts/make-example-sample.py\n```\n")
    w(f"sha256 of `sample.jsonl`: `{sample_sha}`  \n"
      f"sha256 of the decompressed corpus it was taken from: `{corpus_sha}`\n")

    w("## Contents by source\n")
    w("| source | domain(s) | docs | text bytes | languages |")
    w("|---|---|---:|---:|---|")
    by_source: dict[str, list[str]] = {}
    for i in selected:
        by_source.setdefault(records[i]["source"], []).append(i)
    for source in sorted(by_source):
        ids = by_source[source]
        domains: dict[str, int] = {}
        langs: dict[str, int] = {}
        for i in ids:
            domains[records[i]["domain"]] = domains.get(records[i]["domain"], 0) + 1
            lang = records[i]["meta"].get("lang", "?")
            langs[lang] = langs.get(lang, 0) + 1
        w(f"| {source} | " + ", ".join(f"{d} ({n})" for d, n in sorted(domains.items()))
          + f" | {len(ids)} | {sum(text_bytes(i) for i in ids):,} | "
          + ", ".join(f"{l} {n}" if n > 1 else l for l, n in sorted(langs.items())) + " |")
    w(f"| **total** | | **{len(selected)}** | **{sum(text_bytes(i) for i in selected):,}** | |\n")

    w("## Contents by domain\n")
    w("| domain | docs | text bytes | sources |")
    w("|---|---:|---:|---|")
    by_domain: dict[str, list[str]] = {}
    for i in selected:
        by_domain.setdefault(records[i]["domain"], []).append(i)
    for domain in sorted(by_domain):
        ids = by_domain[domain]
        w(f"| {domain} | {len(ids)} | {sum(text_bytes(i) for i in ids):,} | "
          + ", ".join(sorted({records[i]['source'] for i in ids})) + " |")
    w("")

    w("## Licences and origins\n")
    w("Each record keeps its own `url_or_path` (the exact origin, pinned to a commit where it "
      "comes from GitHub) and `meta.license`. Per source:\n")
    w("| source | licence | origin |")
    w("|---|---|---|")
    for source in sorted(by_source):
        licence, origin = SOURCES.get(source, ("see `meta.license`", "see `url_or_path`"))
        w(f"| {source} | {licence} | {origin} |")
    w("")
    repos = sorted({records[i]["meta"].get("repo", "?") for i in by_source.get("swift-packages", [])})
    if repos:
        w("Swift package repositories in the sample (each under its own licence, see the "
          "repository's LICENSE at the pinned commit): " + ", ".join(f"`{r}`" for r in repos) + ".\n")
    packages = sorted({records[i]["meta"].get("package", "?") for i in by_source.get("debian-doc", [])})
    if packages:
        w("Debian packages whose `/usr/share/doc` files are in the sample (terms in each "
          "package's `copyright` file): " + ", ".join(f"`{p}`" for p in packages) + ".\n")
    pages = sorted({records[i]["meta"].get("file", "?") for i in by_source.get("man", [])})
    if pages:
        w("Man pages (terms of the Debian package that ships each page): "
          + ", ".join(f"`{p}`" for p in pages) + ".\n")

    w("## Duplicates and near-duplicates\n")
    w("Pairs from `neardup-jaccard-dev.jsonl.zst` (word 5-gram Jaccard; exact = identical text), "
      "one per label and source combination:\n")
    w("| label | Jaccard | id_a | id_b |")
    w("|---|---:|---|---|")
    for pair in pairs:
        w(f"| {pair['label']} | {pair['jaccard']:.2f} | `{pair['id_a']}` | `{pair['id_b']}` |")
    w("")
    if xquad_title:
        w(f"Cross-lingual duplicates (invisible to shingling): the XQuAD article "
          f"*{xquad_title.replace('_', ' ')}* in its six languages (en, es, de, ru, zh, ar).\n")

    non_english = [i for i in selected if records[i]["meta"].get("lang") != "en"]
    langs = sorted({records[i]["meta"].get("lang", "?") for i in non_english})
    w("## Non-English documents\n")
    origins = ", ".join(f"{s} {n}" for s, n in sorted(
        {s: sum(records[i]["source"] == s for i in non_english)
         for s in {records[i]["source"] for i in non_english}}.items()))
    w(f"{len(non_english)} documents in {len(langs)} languages ({origins}): {', '.join(langs)}.\n")
    return "\n".join(out)


if __name__ == "__main__":
    main()

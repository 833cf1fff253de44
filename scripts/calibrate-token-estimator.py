#!/usr/bin/env python3
"""Fit and evaluate the coefficients of `TokenEstimator` against a real BPE tokenizer.

What it does
  1. Reads the dev corpus (JSONL, optionally zstd-compressed; `zstd` must be on PATH for .zst).
  2. Splits it by sha1(id): documents whose sha1 is even train, the others evaluate.
  3. Counts the 14 byte-level features exactly as
     `Sources/CatalogCore/Ingest/TokenEstimator.swift` does (same class table, same rules).
  4. Counts the true tokens with tiktoken (`encode_ordinary`, default `cl100k_base`).
  5. Fits the coefficients by least squares on the training split, each document weighted by
     1 / (true tokens * sqrt(training documents of its domain)): relative error per document,
     domains balanced. Coefficients are bounded below by 0 (so appending text never lowers the
     estimate) and, for the per-scalar features, above by the scalar's UTF-8 length + 1 (a
     byte-level BPE spends at most one token per byte on a scalar, plus one for the word it
     splits); this only binds for `astral`, whose 407 dev occurrences are mostly test fixtures.
  6. Rounds them to the fixed-point units the Swift code uses (1/1024 token) and prints, for
     the evaluation split, per domain and overall: median and mean absolute percentage error
     per document and the total-token ratio estimate/true, next to the naive references
     words x 1.3 (whitespace-separated words) and UTF-8 bytes / 4.

Installing the tokenizer (offline-capable; the BPE ranks ship inside the litellm wheel):

    python3 -m venv /tmp/tokenizer-venv
    /tmp/tokenizer-venv/bin/pip install tiktoken==0.14.0
    /tmp/tokenizer-venv/bin/pip install --no-deps litellm==1.110.2

`litellm` is installed without dependencies and never imported: only its data directory
`litellm/litellm_core_utils/tokenizers/` is used as TIKTOKEN_CACHE_DIR (it holds
`cl100k_base`, `o200k_base` and `p50k_base` under tiktoken's cache names; tiktoken checks their
sha256). If TIKTOKEN_CACHE_DIR is already set, it is used as is.

Usage

    /tmp/tokenizer-venv/bin/python scripts/calibrate-token-estimator.py \
        [--corpus ../shared/corpus/dev.jsonl.zst] [--encoding cl100k_base]
    python3 scripts/calibrate-token-estimator.py --pin        # features of the test strings
    python3 scripts/calibrate-token-estimator.py --self-test  # regex counter == byte loop
    scripts/bench-token-estimator.sh --tsv /tmp/swift.tsv     # Swift estimates per document
    python3 scripts/calibrate-token-estimator.py --check /tmp/swift.tsv  # Swift == Python?

`--pin`, `--self-test` and `--check` need no tokenizer.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys

# --------------------------------------------------------------------------------------------
# Feature extraction: mirrors TokenEstimator.swift. Keep the two in sync; the Swift tests pin
# the values printed by `--pin`.
# --------------------------------------------------------------------------------------------

FEATURES = [
    "words",          # ASCII letter runs (a letter whose previous byte is not a letter)
    "lineWords",      # letter runs that start a line (previous byte is LF/CR, or text start)
    "longLetters",    # letters beyond the 6th of their run: sum(max(0, run - 6))
    "capitalised",    # lower-case letter right after an upper-case one ("Th", "Se" in URLSession)
    "digits",         # ASCII digits
    "digitRuns",      # runs of digits
    "punctRuns",      # runs of ASCII punctuation / symbols / other control bytes
    "newlineRuns",    # runs of LF/CR
    "spaceRuns",      # runs of >= 2 horizontal whitespace bytes (indentation, alignment)
    "latin2",         # 2-byte scalars U+0080-U+02FF (accented Latin, IPA)
    "alpha2Runs",     # runs of 2-byte scalars U+0300-U+07FF (Greek, Cyrillic, Hebrew, Arabic...)
    "cjk",            # 3-byte scalars U+3000-U+DFFF (CJK, kana, Hangul)
    "other3",         # other 3-byte scalars (punctuation, symbols, Indic, Thai...) + invalid bytes
    "astral",         # 4-byte scalars (emoji, rare CJK)
]
UPPER_BOUNDS = [math.inf] * 9 + [3.0, math.inf, 4.0, 4.0, 5.0]  # tokens per count, see step 5
LONG_WORD = 6        # letters up to this position in a run are free
FIXED_POINT_SHIFT = 10  # coefficients are integers in units of 1/1024 token

# Byte classes, as one ASCII symbol per class (the Swift code uses small integers).
_CLASS_OF = bytearray(b"." * 256)            # punct: other ASCII, including control bytes
for _b in range(ord("a"), ord("z") + 1):
    _CLASS_OF[_b] = ord("a")                  # lower
for _b in range(ord("A"), ord("Z") + 1):
    _CLASS_OF[_b] = ord("A")                  # upper
for _b in range(ord("0"), ord("9") + 1):
    _CLASS_OF[_b] = ord("0")                  # digit
for _b in (0x20, 0x09, 0x0B, 0x0C):
    _CLASS_OF[_b] = ord(" ")                  # horizontal whitespace
for _b in (0x0A, 0x0D):
    _CLASS_OF[_b] = ord("\n")                 # newline
for _lo, _hi, _sym in (
    (0x80, 0xBF, "c"),  # continuation byte
    (0xC0, 0xC1, "T"),  # invalid lead: counted as other3
    (0xC2, 0xCB, "L"),  # latin2 lead
    (0xCC, 0xDF, "G"),  # alpha2 lead
    (0xE0, 0xE2, "T"),  # other3 lead
    (0xE3, 0xED, "H"),  # cjk lead
    (0xEE, 0xEF, "T"),  # other3 lead (private use, compatibility, fullwidth, BOM)
    (0xF0, 0xF4, "E"),  # astral lead
    (0xF5, 0xFF, "T"),  # invalid lead: counted as other3
):
    for _b in range(_lo, _hi + 1):
        _CLASS_OF[_b] = ord(_sym)
CLASS_OF = bytes(_CLASS_OF)

_LETTER_RUN = re.compile(rb"[aA]+")
_WORD_START = re.compile(rb"(?<![aA])[aA]")
_LINE_WORD = re.compile(rb"(?<![^\n])[aA]")   # previous symbol is a newline, or none
_DIGIT_RUN = re.compile(rb"0+")
_PUNCT_RUN = re.compile(rb"\.+")
_NEWLINE_RUN = re.compile(rb"\n+")
_SPACE_RUN2 = re.compile(rb"  +")
_ALPHA2_RUN = re.compile(rb"(?<!c)G")


def features(data: bytes) -> list[int]:
    """The 14 feature counts of UTF-8 `data` (regex version, fast enough for 100 MB)."""
    s = data.translate(CLASS_OF)
    return [
        len(_WORD_START.findall(s)),
        len(_LINE_WORD.findall(s)),
        sum(len(m) - LONG_WORD for m in _LETTER_RUN.findall(s) if len(m) > LONG_WORD),
        s.count(b"Aa"),
        s.count(b"0"),
        len(_DIGIT_RUN.findall(s)),
        len(_PUNCT_RUN.findall(s)),
        len(_NEWLINE_RUN.findall(s)),
        len(_SPACE_RUN2.findall(s)),
        s.count(b"L"),
        len(_ALPHA2_RUN.findall(s)),
        s.count(b"H"),
        s.count(b"T"),
        s.count(b"E"),
    ]


def features_byte_loop(data: bytes) -> list[int]:
    """The same counts with the byte loop of the Swift kernel (slow; for --self-test)."""
    f = [0] * len(FEATURES)
    prev = "^"  # virtual class before the first byte: not a letter, digit, ... and a line start
    run = 0
    group = {"a": "a", "A": "a"}
    for b in data:
        c = chr(CLASS_OF[b])
        letter, prev_letter = c in "aA", prev in "aA"
        run = run + 1 if group.get(c, c) == group.get(prev, prev) else 1
        if letter and not prev_letter:
            f[0] += 1
        if letter and prev in "\n^":
            f[1] += 1
        if letter and run > LONG_WORD:
            f[2] += 1
        if c == "a" and prev == "A":
            f[3] += 1
        if c == "0":
            f[4] += 1
            if prev != "0":
                f[5] += 1
        if c == "." and prev != ".":
            f[6] += 1
        if c == "\n" and prev != "\n":
            f[7] += 1
        if c == " " and run == 2:
            f[8] += 1
        f[9] += c == "L"
        if c == "G" and prev != "c":
            f[10] += 1
        f[11] += c == "H"
        f[12] += c == "T"
        f[13] += c == "E"
        prev = c
    return f


def has_content(data: bytes) -> bool:
    """False for empty or ASCII-whitespace-only text, which the estimator counts as 0 tokens."""
    return bool(data.strip(b" \t\n\r\x0b\x0c"))


def estimate(coefficients: list[int], counts: list[int], content: bool) -> int:
    """Fixed-point estimate, exactly as `TokenEstimator.estimate`: round, clamp to >= 1."""
    if not content:
        return 0
    total = sum(c * x for c, x in zip(coefficients, counts))
    return max(1, (total + (1 << (FIXED_POINT_SHIFT - 1))) >> FIXED_POINT_SHIFT)


# Coefficients currently in TokenEstimator.swift (units of 1/1024 token), for --pin.
SWIFT_COEFFICIENTS = [
    # words, lineWords, longLetters, capitalised, digits, digitRuns, punctRuns, newlineRuns,
    988, 923, 97, 516, 313, 1268, 810, 577,
    # spaceRuns, latin2, alpha2Runs, cjk, other3, astral
    786, 2933, 3831, 1319, 411, 5120,
]

PIN_STRINGS = [
    ("empty", ""),
    ("whitespace", " \t\n  \n"),
    ("english", "The quick brown fox jumps over the lazy dog."),
    ("code", "    let totalBytes = buffer.count * 2 // URLSession"),
    ("digits", "1234567 and 3.14159"),
    ("cjk", "東京都は日本の首都です。"),
    ("emoji", "Launch 🚀🚀 now!"),
    ("cyrillic", "Привет, мир!\nСтрока"),
    ("accented", "Café déjà vu"),
    # >= 128 bytes: takes the four-lane path of the Swift kernel.
    ("long", "Sphinx of black quartz, judge my vow!\n    internationalization  = 1234567890;\n" * 3
     + "Ελληνικά и русский 東京 🚀 Übergrößenträger"),
]


# --------------------------------------------------------------------------------------------
# Fitting (standard library only): box-constrained least squares by cyclic coordinate descent
# on the weighted normal equations.
# --------------------------------------------------------------------------------------------


def bounded_least_squares(
    gram: list[list[float]], rhs: list[float], upper: list[float], sweeps: int = 20000
) -> list[float]:
    """Minimise x'Gx - 2h'x subject to 0 <= x <= upper (G positive semi-definite)."""
    n = len(rhs)
    x = [0.0] * n
    for _ in range(sweeps):
        delta = 0.0
        for j in range(n):
            if gram[j][j] <= 0:
                continue
            r = rhs[j] - sum(gram[j][k] * x[k] for k in range(n))
            new = min(upper[j], max(0.0, x[j] + r / gram[j][j]))
            delta = max(delta, abs(new - x[j]))
            x[j] = new
        if delta < 1e-12:
            break
    return x


def fit(rows: list[dict]) -> list[float]:
    per_domain: dict[str, int] = {}
    for r in rows:
        per_domain[r["domain"]] = per_domain.get(r["domain"], 0) + 1
    n = len(FEATURES)
    gram = [[0.0] * n for _ in range(n)]
    rhs = [0.0] * n
    for r in rows:
        w = 1.0 / (r["tokens"] * math.sqrt(per_domain[r["domain"]]))
        x = [v * w for v in r["features"]]
        y = r["tokens"] * w
        for i in range(n):
            if x[i] == 0:
                continue
            rhs[i] += x[i] * y
            row = gram[i]
            for k in range(n):
                row[k] += x[i] * x[k]
    return bounded_least_squares(gram, rhs, UPPER_BOUNDS)


# --------------------------------------------------------------------------------------------
# Corpus, tokenizer, report.
# --------------------------------------------------------------------------------------------


def read_corpus(path: str):
    if path.endswith(".zst"):
        proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
        stream = proc.stdout
    else:
        proc, stream = None, open(path, "rb")
    with stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)
    if proc is not None and proc.wait() != 0:
        sys.exit(f"error: `zstd -dc {path}` failed (exit {proc.returncode})")


def load_encoding(name: str):
    try:
        import tiktoken  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "error: the tokenizer package `tiktoken` is not installed.\n"
            "Install it, with the BPE files bundled in the litellm wheel, into a venv:\n"
            "  python3 -m venv /tmp/tokenizer-venv\n"
            "  /tmp/tokenizer-venv/bin/pip install tiktoken==0.14.0\n"
            "  /tmp/tokenizer-venv/bin/pip install --no-deps litellm==1.110.2\n"
            "then run this script with /tmp/tokenizer-venv/bin/python."
        )
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        spec = importlib.util.find_spec("litellm")  # locates the package without importing it
        if spec is None or not spec.submodule_search_locations:
            sys.exit(
                "error: no BPE file for tiktoken: install the litellm wheel for its bundled\n"
                "files (`pip install --no-deps litellm==1.110.2`) or set TIKTOKEN_CACHE_DIR to a\n"
                "directory holding tiktoken's cached encoding files."
            )
        root = list(spec.submodule_search_locations)[0]
        os.environ["TIKTOKEN_CACHE_DIR"] = os.path.join(root, "litellm_core_utils", "tokenizers")
    try:
        return tiktoken.get_encoding(name)
    except Exception as error:  # network error or hash mismatch: say where we looked
        sys.exit(
            f"error: cannot load {name} from TIKTOKEN_CACHE_DIR="
            f"{os.environ['TIKTOKEN_CACHE_DIR']}: {error}"
        )


def package_version(name: str) -> str:
    try:
        from importlib.metadata import version  # noqa: PLC0415

        return version(name)
    except Exception:
        return "?"


def is_training(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 2 == 0


def summarise(rows: list[dict], key: str) -> tuple[float, float, float]:
    apes = [abs(r[key] - r["tokens"]) / r["tokens"] * 100 for r in rows]
    ratio = sum(r[key] for r in rows) / sum(r["tokens"] for r in rows)
    return statistics.median(apes), statistics.fmean(apes), ratio


def report(rows: list[dict], encoding: str) -> None:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["domain"], []).append(r)
    header = (
        f"| domain | docs | {encoding} tokens | estimator median / mean APE | ratio "
        "| words×1.3 median / mean APE | ratio | bytes/4 median / mean APE | ratio |"
    )
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    non_english = [r for r in rows if r["lang"] != "en"]
    for name, group in sorted(groups.items()) + [("**all**", rows), ("non-English", non_english)]:
        cells = []
        for key in ("estimate", "words13", "bytes4"):
            med, mean, ratio = summarise(group, key)
            cells.append(f"{med:.1f} % / {mean:.1f} % | {ratio:.3f}")
        total = sum(r["tokens"] for r in group)
        print(f"| {name} | {len(group):,} | {total:,} | " + " | ".join(cells) + " |")


def run_pin() -> None:
    print("# features (" + ", ".join(FEATURES) + ") and estimate with SWIFT_COEFFICIENTS")
    for label, text in PIN_STRINGS:
        data = text.encode("utf-8")
        counts = features(data)
        print(f"{label:10s} {counts} -> {estimate(SWIFT_COEFFICIENTS, counts, has_content(data))}")


def run_self_test() -> None:
    rng = random.Random(20240611)
    alphabet = list("aZ9 \t\n\r.,;(é€東🚀ЖЖ") + ["\u0301", "\ufeff", "  ", "Ab", "ab"]
    samples = [t for _, t in PIN_STRINGS]
    for _ in range(3000):
        samples.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))))
    for text in samples:
        data = text.encode("utf-8")
        if features(data) != features_byte_loop(data):
            sys.exit(f"self-test failed on {text!r}: {features(data)} != {features_byte_loop(data)}")
    raw = bytes(rng.randrange(256) for _ in range(5000))  # invalid UTF-8 too
    if features(raw) != features_byte_loop(raw):
        sys.exit("self-test failed on random bytes")
    print(f"self-test passed: {len(samples) + 1} samples, regex counter == byte loop")


def run_check(tsv_path: str, corpus: str) -> None:
    swift: dict[str, int] = {}
    with open(tsv_path, encoding="utf-8") as tsv:
        for number, line in enumerate(tsv, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 2 or not fields[0].isdigit():
                sys.exit(f"error: {tsv_path}:{number}: expected `tokens<TAB>doc_id`, got {line!r}")
            swift[fields[1]] = int(fields[0])
    checked = mismatched = 0
    for record in read_corpus(corpus):
        if record["id"] not in swift:
            continue
        data = record["text"].encode("utf-8")
        python = estimate(SWIFT_COEFFICIENTS, features(data), has_content(data))
        checked += 1
        if python != swift[record["id"]]:
            mismatched += 1
            if mismatched <= 10:
                print(f"mismatch {record['id']}: swift {swift[record['id']]} python {python}")
    missing = len(swift) - checked
    print(f"checked {checked:,} documents: {mismatched} mismatches, {missing} ids not in corpus")
    if mismatched or missing or not checked:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="../shared/corpus/dev.jsonl.zst")
    parser.add_argument("--encoding", default="cl100k_base", help="tiktoken encoding name")
    parser.add_argument("--pin", action="store_true", help="print the pinned test values")
    parser.add_argument("--self-test", action="store_true", help="check the feature counter")
    parser.add_argument("--check", metavar="FILE.tsv",
                        help="compare `tokens<TAB>doc_id` lines from the Swift side")
    args = parser.parse_args()
    if args.check:
        run_check(args.check, args.corpus)
        return
    if args.pin:
        run_pin()
        return
    if args.self_test:
        run_self_test()
        return

    encoding = load_encoding(args.encoding)
    rows: list[dict] = []
    texts: list[str] = []
    for record in read_corpus(args.corpus):
        data = record["text"].encode("utf-8")
        rows.append({
            "id": record["id"], "domain": record["domain"], "features": features(data),
            "bytes": len(data), "words": len(record["text"].split()), "content": has_content(data),
            "lang": record.get("meta", {}).get("lang", "?"),
        })
        texts.append(record["text"])
    for r, n in zip(rows, (len(t) for t in encoding.encode_ordinary_batch(texts, num_threads=2))):
        r["tokens"] = n
    rows = [r for r in rows if r["tokens"] > 0]
    train = [r for r in rows if is_training(r["id"])]
    evaluation = [r for r in rows if not is_training(r["id"])]

    coefficients = fit(train)
    fixed = [round(c * (1 << FIXED_POINT_SHIFT)) for c in coefficients]
    for r in evaluation:
        r["estimate"] = estimate(fixed, r["features"], r["content"])
        r["words13"] = r["words"] * 1.3
        r["bytes4"] = r["bytes"] / 4

    print(f"tokenizer: tiktoken {package_version('tiktoken')} {args.encoding} "
          f"(BPE file from TIKTOKEN_CACHE_DIR={os.environ['TIKTOKEN_CACHE_DIR']})")
    print(f"corpus: {args.corpus}: {len(rows):,} documents; "
          f"training split (sha1(id) even) {len(train):,}, evaluation split {len(evaluation):,}")
    print("\ncoefficients (tokens per feature count; fixed point = round(x * 1024)):")
    for name, c, q in zip(FEATURES, coefficients, fixed):
        print(f"  {name:12s} {c:8.4f}  {q:6d}")
    print("\nSwift: [" + ", ".join(str(q) for q in fixed) + "]")
    if fixed != SWIFT_COEFFICIENTS:
        print("note: these differ from SWIFT_COEFFICIENTS / TokenEstimator.swift")
    print("\nevaluation split (APE = |estimate - true| / true per document; ratio = Σ estimate / Σ true):\n")
    report(evaluation, args.encoding)


if __name__ == "__main__":
    main()

/// Computes `QualitySignals` from a document's UTF-8 bytes in a few linear passes.
///
/// Passes: words (`GopherQualityKernel.swift`: one scalar-level pass producing word hashes and
/// lengths and the Gopher quality counts), lines (`LineKernel.swift`: Gopher lines and
/// paragraphs, FineWeb lines, and each line through the three C4 configurations of
/// `C4LineKernel.swift`), and word n-grams (`GopherRepetitionKernel.swift`: over the word hashes,
/// counting only n-grams that can repeat).
///
/// Works on bytes and Unicode scalars, never `Character`; no Foundation. Buffers and hash tables
/// are reused across documents. One instance per thread: it is mutable and not `Sendable`.
///
/// **Cost.** About 0.85 s of CPU for the scanner alone on the dev corpus (109 M characters,
/// 21.8 M words; 1.07 s before the n-gram and word-scan tuning), i.e. ≈ 39 ns per word:
/// n-grams 16 (about 48 M table probes, bound by cache latency and collisions: 2-grams at
/// every position, 3- to 5-grams at candidates, the duplicate walks), word splitting 9 (ASCII
/// 64 bytes at a time in `CKernels/words.c`), lines 6, C4 line scans 5.5 (`CKernels/c4line.c`).
/// In `catalog add` the signals, with their rows and score, cost about 1 s of CPU: the default
/// ingest takes ×1.08 the time of the ingest before signals (session of 2026-11-25; ×1.11 and
/// ×1.21–1.27 in the two sessions before), ×1.37–1.41 that of `--no-signals` of the same build,
/// whose other costs shrank (`scripts/bench-ingest.sh`). Signal rows are a plain
/// INSERT at ingest (REPLACE cost 12 µs a row on the writer) and exact copies reuse their first
/// copy's signals (`SignalMemo`). Tried without gain: prefetching counter slots, a branch-free
/// duplicate walk, probing two slots at once, hashing short words after each block walk,
/// x86-64-v3 clones of the C4 scans. Left to try: fuse the paragraph pass into the line pass
/// (it rehashes every paragraph; only 16 % of paragraph bytes are one-line paragraphs whose
/// line hash could be reused); count 2-grams over small word ids, or in smaller tables (both
/// change which colliding hashes merge: a new signal version).
public final class QualitySignalScanner {
    /// Word hashes of the current document, in order.
    var wordHashes = ScanBuffer<UInt64>(capacity: 4096)
    /// Word lengths in characters, in order.
    var wordLengths = ScanBuffer<Int32>(capacity: 4096)
    /// Per word position: whether its n-gram (of the last size counted) occurs more than once.
    var repeated = ScanBuffer<UInt8>(capacity: 4096)
    /// Line, paragraph and duplicate-walk sets.
    var table = NGramTable()
    /// Counts of the 2- to 5-grams (top n-grams, repeat flags).
    var counter = NGramCounter()
    /// Polynomial prefix hashes of the words.
    var prefixHashes = ScanBuffer<UInt64>(capacity: 4096)
    /// Positions where an n-gram may repeat.
    var candidates = ScanBuffer<Int32>(capacity: 4096)
    /// N-gram hashes at the positions a duplicate walk may visit.
    var ngramHashes = ScanBuffer<UInt64>(capacity: 4096)
    /// Positions of the first LF of each run of two or more LFs (set by `scanLines`).
    var paragraphBreaks = ScanBuffer<Int>(capacity: 256)
    /// A C4 line with its citations removed.
    var cleanedLine = ScanBuffer<UInt8>(capacity: 4096)
    /// Whether the word splitter takes runs of ASCII 64 bytes at a time (off: byte by byte only;
    /// tests compare the two).
    var asciiWordBlocks = true
    /// Word classes of BMP scalars, computed on first sight (0 = not yet).
    let scalarClasses: UnsafeMutablePointer<UInt8>

    /// A scanner with empty buffers.
    public init() {
        scalarClasses = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        scalarClasses.initialize(repeating: 0, count: 0x10000)
    }

    deinit {
        wordHashes.deallocate()
        wordLengths.deallocate()
        repeated.deallocate()
        table.deallocate()
        counter.deallocate()
        prefixHashes.deallocate()
        candidates.deallocate()
        ngramHashes.deallocate()
        cleanedLine.deallocate()
        paragraphBreaks.deallocate()
        scalarClasses.deallocate()
    }

    /// The signals of `text` (UTF-8; invalid sequences are read as U+FFFD one byte at a time).
    public func signals(of text: UnsafeBufferPointer<UInt8>) -> QualitySignals {
        var signals = QualitySignals()
        guard let base = text.baseAddress, text.count > 0 else {
            finishEmpty(&signals)
            return signals
        }
        let newlines = scanWords(base, count: text.count, into: &signals)
        scanLines(base, count: text.count, newlines: newlines, into: &signals)
        scanParagraphs(base, count: text.count, newlines: newlines, into: &signals)
        scanNGrams(into: &signals)
        return signals
    }

    /// The signals of a string (tests and tools).
    public func signals(of text: String) -> QualitySignals {
        var copy = text
        return copy.withUTF8 { signals(of: $0) }
    }

    /// An empty text: the denominators that are defined for it.
    private func finishEmpty(_ signals: inout QualitySignals) {
        // re.split(r"\n+", "") == [""] and "".strip() split on \n{2,} == [""]: one element, no duplicate.
        signals.dupLineFraction = 0
        signals.dupParagraphFraction = 0
    }
}

/// A ratio, or nil when the denominator is zero (never NaN or infinity).
@inline(__always) func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator > 0 ? Double(numerator) / Double(denominator) : nil
}

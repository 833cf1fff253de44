/// Estimates how many BPE tokens a UTF-8 text encodes to, in one pass and without a vocabulary.
///
/// The estimator mimics GPT-style pre-tokenisation: it classifies every byte with a 256-entry
/// class table and counts 14 features (``Feature``) from the class of each byte, the class of
/// the byte before it and the length of the current run of same-class bytes. The estimate is a
/// linear model of those counts with non-negative integer weights in units of 1/1024 token:
///
///     estimate = 0                                             if the text is empty or only
///                                                              ASCII whitespace (space, tab,
///                                                              LF, CR, VT, FF)
///     estimate = max(1, (Σ weight[f] × count[f] + 512) >> 10)  otherwise
///
/// Because every count only grows when text is appended and every weight is ≥ 0, appending text
/// never lowers the estimate. (A real tokenizer gives whitespace-only text a token or two; such
/// a document has nothing to train on, so the catalog counts it as 0.)
///
/// Speed: at `init` the class table, the feature rules and the weights are compiled into one
/// 26 × 256 transition table (26 kB), so the kernel does one table read and two additions per
/// byte, with four interleaved lanes over long texts; no allocation, no Foundation. Measured
/// with `scripts/bench-token-estimator.sh` (release, one core of a 2.6 GHz AMD EPYC, the 111 MB
/// of dev-corpus text): about 1.5 GB/s.
///
/// Calibrated weights (``calibratedWeights``; tokens per count = weight / 1024):
///
/// | feature | weight | tokens | feature | weight | tokens |
/// |---|---:|---:|---|---:|---:|
/// | words | 988 | 0.965 | spaceRuns | 786 | 0.768 |
/// | lineWords | 923 | 0.901 | latin2 | 2933 | 2.865 |
/// | longLetters | 97 | 0.095 | alpha2Runs | 3831 | 3.741 |
/// | capitalised | 516 | 0.504 | cjk | 1319 | 1.288 |
/// | digits | 313 | 0.305 | other3 | 411 | 0.401 |
/// | digitRuns | 1268 | 1.238 | astral | 5120 | 5.000 (upper bound) |
/// | punctRuns | 810 | 0.791 | | | |
/// | newlineRuns | 577 | 0.563 | | | |
///
/// The weights were fitted by least squares against the real BPE tokenizer `cl100k_base`
/// (tiktoken 0.14.0 `encode_ordinary`, BPE ranks from the litellm 1.110.2 wheel) on the
/// documents of the dev corpus whose sha1(id) is even (9,560), with per-document relative error
/// and domains balanced, each weight bounded to [0, UTF-8 length + 1] for per-scalar features.
/// On the other 9,550 documents the error per document (median / mean absolute percentage
/// error) and the total-token ratio estimate/true are:
///
/// | domain | median | mean | ratio | words×1.3 ratio | bytes/4 ratio |
/// |---|---:|---:|---:|---:|---:|
/// | books | 1.8 % | 2.5 % | 0.992 | 0.941 | 1.031 |
/// | code | 3.9 % | 5.3 % | 1.000 | 0.561 | 1.020 |
/// | docs | 4.5 % | 6.0 % | 0.996 | 0.619 | 0.985 |
/// | news | 2.9 % | 5.3 % | 0.950 | 0.778 | 0.825 |
/// | papers | 4.7 % | 5.7 % | 0.965 | 0.877 | 1.149 |
/// | web | 3.4 % | 4.1 % | 1.023 | 1.001 | 1.141 |
/// | wiki | 5.4 % | 6.3 % | 0.973 | 0.532 | 0.874 |
/// | all | 3.9 % | 5.3 % | 0.990 | 0.710 | 0.992 |
///
/// Text in languages other than English is less predictable (a German or Dutch word fragments
/// more than an English one of the same length); see `docs/token-estimator.md` for those figures
/// and the command that reproduces the fit: `scripts/calibrate-token-estimator.py` counts the
/// features exactly as this file does (the tests pin both on the same strings).
public struct TokenEstimator: Sendable {
    /// A quantity the estimator counts; the raw value indexes ``weights`` and ``featureCounts(_:)``.
    ///
    /// "Letter" means an ASCII letter; a "run" is a maximal sequence of bytes of one class (upper-
    /// and lower-case letters form one class for runs). Multi-byte scalars are classified by their
    /// lead byte; bytes that cannot start a scalar count as ``other3``.
    public enum Feature: Int, CaseIterable, Sendable {
        /// Runs of letters: a letter whose previous byte is not a letter.
        case words
        /// Runs of letters at the start of the text or right after a line feed / carriage return.
        case lineWords
        /// Letters after the sixth of their run: Σ max(0, run length − 6).
        case longLetters
        /// A lower-case letter right after an upper-case one ("Th", the "Se" in "URLSession").
        case capitalised
        /// ASCII digits.
        case digits
        /// Runs of ASCII digits.
        case digitRuns
        /// Runs of other ASCII bytes: punctuation, symbols and control bytes.
        case punctRuns
        /// Runs of line feeds / carriage returns.
        case newlineRuns
        /// Runs of two or more spaces, tabs, vertical tabs or form feeds (indentation, alignment).
        case spaceRuns
        /// Scalars U+0080–U+02FF (lead bytes C2–CB): accented Latin letters, IPA.
        case latin2
        /// Runs of scalars U+0300–U+07FF (lead bytes CC–DF): Greek, Cyrillic, Hebrew, Arabic…
        case alpha2Runs
        /// Scalars U+3000–U+DFFF (lead bytes E3–ED): CJK ideographs, kana, Hangul.
        case cjk
        /// Other 3-byte scalars (lead bytes E0–E2, EE–EF: punctuation, symbols, Indic, Thai,
        /// fullwidth forms) and bytes that cannot start a scalar (C0, C1, F5–FF).
        case other3
        /// 4-byte scalars (lead bytes F0–F4): emoji, rare ideographs.
        case astral
    }

    /// Number of fractional bits of the fixed-point weights: a weight of 1024 is one token per count.
    public static let fractionBits = 10

    /// Letters up to this position in a run cost nothing extra (see ``Feature/longLetters``).
    public static let longWordLength = 6

    /// Weights calibrated against tiktoken `cl100k_base`, indexed by ``Feature/rawValue``.
    public static let calibratedWeights: [Int] = [
        988, 923, 97, 516, 313, 1268, 810, 577,  // words … newlineRuns
        786, 2933, 3831, 1319, 411, 5120,        // spaceRuns … astral
    ]

    /// Largest accepted weight (16 tokens per count): two weights must fit a 16-bit table field.
    public static let maximumWeight = 1 << 14

    /// The weights in use, in 1/1024 token per count, indexed by ``Feature/rawValue``.
    public let weights: [Int]

    /// The compiled model: `transitions[context·256 + byte]` = weight << 16 | next context·256.
    private let transitions: [UInt32]

    /// Creates the estimator calibrated against `cl100k_base` (``calibratedWeights``).
    public init() {
        weights = Self.calibratedWeights
        transitions = Self.calibratedTransitions
    }

    /// Compiled once; every `TokenEstimator()` shares the storage.
    private static let calibratedTransitions = compile(weights: calibratedWeights)

    /// One compiled table per feature, with that feature's weight 1 and the others 0.
    private static let unitTransitions: [[UInt32]] = Feature.allCases.map { feature in
        var unit = [Int](repeating: 0, count: Feature.allCases.count)
        unit[feature.rawValue] = 1
        return compile(weights: unit)
    }

    /// Creates an estimator with other weights, e.g. ones refitted by the calibration script.
    ///
    /// Returns `nil` unless there is exactly one weight per ``Feature`` and every weight lies in
    /// `0...maximumWeight` (negative weights would break monotonicity).
    public init?(weights: [Int]) {
        guard weights.count == Feature.allCases.count,
            weights.allSatisfy({ (0...Self.maximumWeight).contains($0) })
        else { return nil }
        self.weights = weights
        transitions = Self.compile(weights: weights)
    }

    /// Estimated number of tokens of the UTF-8 bytes: 0 when empty or whitespace-only, else ≥ 1.
    ///
    /// One pass, no allocation; invalid UTF-8 is accepted (see ``Feature/other3``). The
    /// whitespace check stops at the first other byte, so it costs nothing on ordinary text.
    public func estimate(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard utf8.contains(where: { !Self.isASCIIWhitespace($0) }) else { return 0 }
        let sum = transitions.withUnsafeBufferPointer { Self.weightedSum(utf8, transitions: $0) }
        return max(1, (sum &+ (1 &<< (Self.fractionBits &- 1))) &>> Self.fractionBits)
    }

    /// Estimated number of tokens of a string's UTF-8 encoding (convenience for callers and tests).
    public func estimate(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { estimate($0) }
    }

    /// The count of every ``Feature`` in the UTF-8 bytes, indexed by ``Feature/rawValue``.
    ///
    /// Runs the estimation kernel once per feature with that feature's weight set to 1, so the
    /// counts are by construction what ``estimate(_:)`` weighs. Meant for tests and calibration.
    public static func featureCounts(_ utf8: UnsafeBufferPointer<UInt8>) -> [Int] {
        unitTransitions.map { table in
            table.withUnsafeBufferPointer { weightedSum(utf8, transitions: $0) }
        }
    }

    /// The feature counts of a string's UTF-8 encoding.
    public static func featureCounts(_ text: String) -> [Int] {
        var text = text
        return text.withUTF8 { featureCounts($0) }
    }

    // MARK: - Kernel

    @inline(__always)
    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// Texts shorter than this run in one lane; longer ones in four.
    private static let laneThreshold = 128

    /// Σ weight × count over the bytes, in fixed point: the whole estimator.
    ///
    /// Per byte: one table read at `context·256 + byte`, whose low half is the next context
    /// (already multiplied by 256) and whose high half is the weight of the features the byte
    /// completes. The context depends only on the previous `letterRunCap` (7) bytes, so a long
    /// text is cut into four lanes walked in the same loop (independent dependency chains):
    /// lanes 1–3 start from the context their first byte would see, recomputed from the 7 bytes
    /// before it. The sum is exactly that of one lane.
    static func weightedSum(
        _ utf8: UnsafeBufferPointer<UInt8>, transitions: UnsafeBufferPointer<UInt32>
    ) -> Int {
        guard let bytes = utf8.baseAddress, utf8.count >= laneThreshold else {
            return oneLaneSum(utf8, transitions: transitions)
        }
        @inline(__always)
        func context(before position: Int) -> Int {
            var context = Self.startRow
            for i in (position &- ByteClass.letterRunCap)..<position {
                context = Int(transitions[context | Int(bytes[i])] & 0xFFFF)
            }
            return context
        }
        let count = utf8.count
        let quarter = count / 4
        var c0 = Self.startRow
        var c1 = context(before: quarter)
        var c2 = context(before: 2 &* quarter)
        var c3 = context(before: 3 &* quarter)
        var s0 = 0, s1 = 0, s2 = 0, s3 = 0
        for i in 0..<quarter {
            let e0 = transitions[c0 | Int(bytes[i])]
            let e1 = transitions[c1 | Int(bytes[quarter &+ i])]
            let e2 = transitions[c2 | Int(bytes[2 &* quarter &+ i])]
            let e3 = transitions[c3 | Int(bytes[3 &* quarter &+ i])]
            c0 = Int(e0 & 0xFFFF)
            c1 = Int(e1 & 0xFFFF)
            c2 = Int(e2 & 0xFFFF)
            c3 = Int(e3 & 0xFFFF)
            s0 &+= Int(e0 &>> 16)
            s1 &+= Int(e1 &>> 16)
            s2 &+= Int(e2 &>> 16)
            s3 &+= Int(e3 &>> 16)
        }
        for i in (4 &* quarter)..<count {  // the remainder continues lane 3
            let e3 = transitions[c3 | Int(bytes[i])]
            c3 = Int(e3 & 0xFFFF)
            s3 &+= Int(e3 &>> 16)
        }
        return s0 &+ s1 &+ s2 &+ s3
    }

    /// The same sum in a single lane: the reference the four-lane loop must reproduce.
    static func oneLaneSum(
        _ utf8: UnsafeBufferPointer<UInt8>, transitions: UnsafeBufferPointer<UInt32>
    ) -> Int {
        var context = Self.startRow
        var sum = 0
        for byte in utf8 {
            let entry = transitions[context | Int(byte)]
            context = Int(entry & 0xFFFF)
            sum &+= Int(entry &>> 16)
        }
        return sum
    }

    // MARK: - Model compilation

    /// Byte classes: the 256-entry class table is `ByteClass.of(byte)`.
    private enum ByteClass {
        static let lower = 0, upper = 1, digit = 2, space = 3, newline = 4, punct = 5
        static let continuation = 6, latin2 = 7, alpha2 = 8, cjk = 9, other3 = 10, astral = 11
        /// The virtual class before the first byte: a line start that continues no run.
        static let start = 12

        static func of(_ byte: Int) -> Int {
            switch byte {
            case 0x61...0x7A: return lower
            case 0x41...0x5A: return upper
            case 0x30...0x39: return digit
            case 0x20, 0x09, 0x0B, 0x0C: return space
            case 0x0A, 0x0D: return newline
            case 0x00...0x7F: return punct
            case 0x80...0xBF: return continuation
            case 0xC2...0xCB: return latin2
            case 0xCC...0xDF: return alpha2
            case 0xE3...0xED: return cjk
            case 0xF0...0xF4: return astral
            default: return other3  // E0–E2, EE–EF, and C0, C1, F5–FF which start no scalar
            }
        }

        static func isLetter(_ cls: Int) -> Bool { cls == lower || cls == upper }

        /// Classes that form one run: both letter cases together, every other class alone.
        static func continuesRun(_ previous: Int, _ current: Int) -> Bool {
            previous != start
                && (previous == current || (isLetter(previous) && isLetter(current)))
        }

        /// Letter runs are remembered up to "longer than `longWordLength`", no further.
        static let letterRunCap = TokenEstimator.longWordLength + 1

        /// Run lengths worth remembering: letters up to `letterRunCap`, spaces up to 2.
        static func runCap(_ cls: Int) -> Int {
            isLetter(cls) ? letterRunCap : cls == space ? 2 : 1
        }
    }

    /// What the kernel remembers between bytes: the previous byte's class and its capped run.
    private struct Context: Hashable {
        var byteClass: Int
        var run: Int
        /// Before the first byte; row 0 of the compiled table.
        static let start = Context(byteClass: ByteClass.start, run: 0)
    }

    /// Offset of the `start` context's row in the transition table.
    private static let startRow = 0

    /// Weight of the features completed by a byte of class `current` after one of `previous`,
    /// the byte making a run of length `run` (exact up to the cap of the previous context + 1):
    /// the rules of ``Feature``.
    private static func weight(previous: Int, current: Int, run: Int, weights: [Int]) -> Int {
        func w(_ feature: Feature) -> Int { weights[feature.rawValue] }
        let letter = ByteClass.isLetter(current)
        var total = 0
        if letter && !ByteClass.isLetter(previous) { total += w(.words) }
        if letter && (previous == ByteClass.newline || previous == ByteClass.start) {
            total += w(.lineWords)
        }
        if letter && run > longWordLength { total += w(.longLetters) }
        if current == ByteClass.lower && previous == ByteClass.upper { total += w(.capitalised) }
        if current == ByteClass.digit {
            total += w(.digits)
            if previous != ByteClass.digit { total += w(.digitRuns) }
        }
        if current == ByteClass.punct && previous != ByteClass.punct { total += w(.punctRuns) }
        if current == ByteClass.newline && previous != ByteClass.newline {
            total += w(.newlineRuns)
        }
        if current == ByteClass.space && run == 2 { total += w(.spaceRuns) }
        if current == ByteClass.latin2 { total += w(.latin2) }
        if current == ByteClass.alpha2 && previous != ByteClass.continuation {
            total += w(.alpha2Runs)
        }
        if current == ByteClass.cjk { total += w(.cjk) }
        if current == ByteClass.other3 { total += w(.other3) }
        if current == ByteClass.astral { total += w(.astral) }
        return total
    }

    /// Compiles the class table and the feature rules into the transition table.
    ///
    /// Contexts are numbered in the order they are first reached from `start` (26 in all:
    /// start, lower/upper × runs 1–7, space × runs 1–2, and the 9 other classes).
    static func compile(weights: [Int]) -> [UInt32] {
        let classOf = (0..<256).map(ByteClass.of)
        var contexts = [Context.start]
        var indexOf = [Context.start: 0]
        var rows: [[UInt32]] = []
        var next = 0
        while next < contexts.count {
            let from = contexts[next]
            next += 1
            var row = [UInt32](repeating: 0, count: 256)
            for byte in 0..<256 {
                let current = classOf[byte]
                let run = ByteClass.continuesRun(from.byteClass, current) ? from.run + 1 : 1
                let to = Context(byteClass: current, run: min(run, ByteClass.runCap(current)))
                let toIndex: Int
                if let known = indexOf[to] {
                    toIndex = known
                } else {
                    toIndex = contexts.count
                    indexOf[to] = toIndex
                    contexts.append(to)
                }
                let w = weight(previous: from.byteClass, current: current, run: run, weights: weights)
                // w ≤ 2 · maximumWeight < 2^16 (at most two features fire per byte) and
                // toIndex · 256 < 2^16 (26 contexts): both fit their half of the entry.
                row[byte] = UInt32(w) << 16 | UInt32(toIndex << 8)
            }
            rows.append(row)
        }
        return rows.flatMap { $0 }
    }
}

import Testing
@testable import CatalogCore

/// A string with its feature counts and estimate as printed by
/// `python3 scripts/calibrate-token-estimator.py --pin` (the Python mirror of the kernel).
struct PinnedEstimate: Sendable, CustomTestStringConvertible {
    let label: String
    let text: String
    /// words, lineWords, longLetters, capitalised, digits, digitRuns, punctRuns, newlineRuns,
    /// spaceRuns, latin2, alpha2Runs, cjk, other3, astral
    let counts: [Int]
    let estimate: Int
    var testDescription: String { label }
}

let pinnedEstimates: [PinnedEstimate] = [
    .init(label: "empty", text: "",
          counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], estimate: 0),
    .init(label: "whitespace", text: " \t\n  \n",
          counts: [0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0], estimate: 0),
    .init(label: "english", text: "The quick brown fox jumps over the lazy dog.",
          counts: [9, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], estimate: 11),
    .init(label: "code", text: "    let totalBytes = buffer.count * 2 // URLSession",
          counts: [5, 0, 8, 2, 1, 1, 4, 0, 1, 0, 0, 0, 0, 0], estimate: 12),
    .init(label: "digits", text: "1234567 and 3.14159",
          counts: [1, 0, 0, 0, 13, 3, 1, 0, 0, 0, 0, 0, 0, 0], estimate: 9),
    .init(label: "cjk", text: "東京都は日本の首都です。",
          counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0], estimate: 15),
    .init(label: "emoji", text: "Launch 🚀🚀 now!",
          counts: [2, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2], estimate: 14),
    .init(label: "cyrillic", text: "Привет, мир!\nСтрока",
          counts: [0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3, 0, 0, 0], estimate: 13),
    .init(label: "accented", text: "Café déjà vu",
          counts: [4, 1, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0], estimate: 14),
    // 301 bytes: the four-lane path.
    .init(label: "long",
          text: String(repeating: "Sphinx of black quartz, judge my vow!\n    internationalization  = 1234567890;\n",
                       count: 3) + "Ελληνικά и русский 東京 🚀 Übergrößenträger",
          counts: [27, 3, 42, 3, 30, 3, 12, 6, 6, 4, 3, 2, 0, 1], estimate: 95),
]

@Test(arguments: pinnedEstimates)
func agreesWithCalibrationScript(_ pinned: PinnedEstimate) {
    #expect(TokenEstimator.featureCounts(pinned.text) == pinned.counts)
    #expect(TokenEstimator().estimate(pinned.text) == pinned.estimate)
}

@Test func countsEnglishSentenceByHand() {
    // 9 letter runs; "The" starts the text (a line word) and has one capital followed by a
    // lower-case letter; no run is longer than 6 letters; the final "." is one punctuation run.
    let counts = TokenEstimator.featureCounts("The quick brown fox jumps over the lazy dog.")
    #expect(counts == [9, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    // 9·988 + 923 + 516 + 810 = 11141; (11141 + 512) >> 10 = 11  (cl100k_base: 10 tokens)
    #expect(TokenEstimator().estimate("The quick brown fox jumps over the lazy dog.") == 11)
}

@Test func countsCodeLineByHand() {
    // "    let totalBytes = buffer.count * 2 // URLSession"
    // runs: let, totalBytes, buffer, count, URLSession → 5 words; none starts a line (indented);
    // long letters: totalBytes 10−6 = 4, URLSession 10−6 = 4; capitalised: "By", "Se";
    // one digit run "2"; punctuation runs "=", ".", "*", "//"; one indentation run of 4 spaces.
    let text = "    let totalBytes = buffer.count * 2 // URLSession"
    let expected = [5, 0, 8, 2, 1, 1, 4, 0, 1, 0, 0, 0, 0, 0]
    #expect(TokenEstimator.featureCounts(text) == expected)
    // 5·988 + 8·97 + 2·516 + 313 + 1268 + 4·810 + 786 = 12355 → (12355 + 512) >> 10 = 12
    #expect(TokenEstimator().estimate(text) == 12)  // cl100k_base: 12 tokens
}

@Test func countsDigitsInRunsByHand() {
    // "1234567" and "3", "14159": 13 digits in 3 runs; "and" is a word; "." a punctuation run.
    #expect(TokenEstimator.featureCounts("1234567 and 3.14159")
        == [1, 0, 0, 0, 13, 3, 1, 0, 0, 0, 0, 0, 0, 0])
    // 988 + 13·313 + 3·1268 + 810 = 9671 → 9  (cl100k_base: 9 tokens)
    #expect(TokenEstimator().estimate("1234567 and 3.14159") == 9)
}

@Test func countsCJKAndEmojiScalarsByLeadByte() {
    // 11 ideographs/kana + "。" (U+3002), all with lead bytes E3–E9: 12 × 1319 = 15828 → 15.
    #expect(TokenEstimator().estimate("東京都は日本の首都です。") == 15)
    // Each 🚀 is one 4-byte scalar: astral = 2.
    #expect(TokenEstimator.featureCounts("🚀🚀")[TokenEstimator.Feature.astral.rawValue] == 2)
    #expect(TokenEstimator().estimate("🚀") == 5)  // (5120 + 512) >> 10
}

@Test func emptyAndWhitespaceOnlyTextIsZeroTokens() {
    let estimator = TokenEstimator()
    #expect(estimator.estimate("") == 0)
    #expect(estimator.estimate(" ") == 0)
    #expect(estimator.estimate("\n\n\t  \r\n") == 0)
    #expect(estimator.estimate(".") == 1)  // 810 rounds to 1
    #expect(estimator.estimate("a") == 2)  // words + lineWords: (988 + 923 + 512) >> 10
}

@Test func clampsNonEmptyTextToOneToken() {
    // A lone continuation byte matches no feature: the sum is 0, the clamp gives 1.
    let bytes: [UInt8] = [0x80]
    #expect(bytes.withUnsafeBufferPointer { TokenEstimator().estimate($0) } == 1)
}

@Test func countsBytesThatStartNoScalarAsOther3() {
    let bytes: [UInt8] = [0xC0, 0xFF, 0x80, 0xF5]
    let counts = bytes.withUnsafeBufferPointer { TokenEstimator.featureCounts($0) }
    #expect(counts == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0])
}

@Test func appendingTextNeverLowersTheEstimate() {
    let estimator = TokenEstimator()
    var generator = SeededGenerator(seed: 0x70CE_7E57)
    let pieces = ["a", "Z", "7", " ", "  ", "\n", ".", "é", "Ж", "東", "🚀", "\u{301}", "ab", "Ab"]
    var samples = pinnedEstimates.map(\.text)
    for _ in 0..<200 {
        let length = Int(generator.next() % 40)
        samples.append((0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            .joined())
    }
    for text in samples {
        let bytes = Array(text.utf8)
        var last = 0
        for end in 0...bytes.count {  // every byte prefix, including ones that split a scalar
            let value = bytes[..<end].withUnsafeBufferPointer { estimator.estimate($0) }
            #expect(value >= last, "estimate fell from \(last) to \(value) at byte \(end) of \(text.debugDescription)")
            last = value
        }
    }
}

@Test func estimateIsTheRoundedWeightedSumOfFeatureCounts() {
    let estimator = TokenEstimator()
    for text in ["Hello, World!\n\n    return x + 42", "naïve café — „Zitat“ 😀", "δοκιμή ✓ テスト"] {
        let counts = TokenEstimator.featureCounts(text)
        let sum = zip(counts, estimator.weights).map { $0 * $1 }.reduce(0, +)
        #expect(estimator.estimate(text) == max(1, (sum + 512) >> 10))
    }
}

@Test func customWeightsScaleTheEstimate() throws {
    // One token per letter run and nothing else: the estimate counts words.
    var weights = [Int](repeating: 0, count: TokenEstimator.Feature.allCases.count)
    weights[TokenEstimator.Feature.words.rawValue] = 1024
    let estimator = try #require(TokenEstimator(weights: weights))
    #expect(estimator.estimate("one two, three four") == 4)
}

@Test func rejectsInvalidWeights() {
    #expect(TokenEstimator(weights: [1, 2, 3]) == nil)
    var negative = TokenEstimator.calibratedWeights
    negative[0] = -1
    #expect(TokenEstimator(weights: negative) == nil)
    var huge = TokenEstimator.calibratedWeights
    huge[0] = TokenEstimator.maximumWeight + 1
    #expect(TokenEstimator(weights: huge) == nil)
    #expect(TokenEstimator(weights: TokenEstimator.calibratedWeights)?.weights
        == TokenEstimator().weights)
}

@Test func fourLaneKernelMatchesOneLane() {
    // Long texts are cut into four lanes; runs crossing a cut must be counted as in one pass.
    let transitions = TokenEstimator.compile(weights: TokenEstimator.calibratedWeights)
    var generator = SeededGenerator(seed: 0x1A9E5)
    let pieces = ["abcdefghij", "Q", "7", "       ", "\n", "::", "é", "Ж", "東", "🚀", "x", " "]
    var checked = 0
    for _ in 0..<300 {
        let length = 20 + Int(generator.next() % 300)
        let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
            .joined()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { utf8 in
            transitions.withUnsafeBufferPointer { table in
                #expect(TokenEstimator.weightedSum(utf8, transitions: table)
                    == TokenEstimator.oneLaneSum(utf8, transitions: table))
            }
        }
        checked += bytes.count >= 128 ? 1 : 0
    }
    #expect(checked > 250)  // most samples take the four-lane path
}

import CKernels

/// Word splitting and the Gopher quality counts.
///
/// Reproduces huggingface/datatrove `pipeline/filters/gopher_quality_filter.py` (Rae et al. 2021,
/// App. A), with these deliberate differences:
///
/// - **Words.** datatrove uses `split_into_words` (NLTK `word_tokenize` for English). Here a word
///   is a maximal run of word characters — letters (L*), marks (M*), numbers (N*) and `_` — and
///   a *symbol word* is a maximal run of punctuation and symbols (P*, S*, and unassigned or
///   private-use scalars), so "Hello, world..." is `Hello` `,` `world` `...` as with NLTK.
///   Differences: NLTK splits clitics ("don't" → `do` `n't`, here `don` `'` `t`) and some
///   punctuation runs (`),` is two tokens there, one here). Format characters (Cf: zero-width
///   joiner, soft hyphen) neither split nor start words; controls and spaces separate.
/// - **Scripts without spaces** (Han, Kana, Bopomofo, Thai, Lao, Khmer, Myanmar): each letter is
///   a word of its own (with the marks that follow it), as in `TextNormaliser` rule 5, instead
///   of a language-specific segmenter (jieba, pythainlp). Such text therefore has a mean word
///   length near 1 and no English stop words: the Gopher rules, which are English rules, fail
///   it, and the score (see `QualityScore`) leans on the script-neutral signals.
/// - **Non-symbol word** = a word with a character that is not punctuation: every word, and no
///   symbol word (a word of only `_` counts as a symbol word, like datatrove's PUNCTUATION set).
/// - **Lines** (bullets, ellipsis lines) are split on LF only; `str.splitlines()` also splits on
///   CR, VT, FF, U+001C–U+001E, U+0085, U+2028 and U+2029.
/// - Stop words are matched case-sensitively and counted once each, like datatrove (DCLM counts
///   occurrences).
extension QualitySignalScanner {
    /// Word classes (`scalarClasses` values and the ASCII table).
    enum WordClass {
        static let unknown: UInt8 = 0
        static let space: UInt8 = 1
        static let letter: UInt8 = 2
        /// Digits, `_`, number scalars: part of a word, not alphabetic.
        static let wordOther: UInt8 = 3
        static let mark: UInt8 = 4
        static let symbol: UInt8 = 5
        /// Format characters: ignored.
        static let ignorable: UInt8 = 6
        /// A letter of a script written without spaces: a word of its own.
        static let isolated: UInt8 = 7
    }

    /// ASCII classes: controls and spaces separate, letters, digits and `_` are word characters,
    /// the rest is punctuation.
    static let asciiClasses: [UInt8] = (0..<128).map { byte -> UInt8 in
        switch byte {
        case 0x41...0x5A, 0x61...0x7A: return WordClass.letter
        case 0x30...0x39, 0x5F: return WordClass.wordOther
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return WordClass.symbol
        default: return WordClass.space
        }
    }

    /// For the rest of an ASCII word: 1 letter, 2 digit, 4 `_`, 0 anything else (non-ASCII included).
    static let asciiWordRun: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x41...0x5A, 0x61...0x7A: return 1
        case 0x30...0x39: return 2
        case 0x5F: return 4
        default: return 0
        }
    }

    static func computeWordClass(_ value: UInt32) -> UInt8 {
        if value < 0xA0 || UnicodeText.isNonASCIISpace(value) { return WordClass.space }
        guard let scalar = Unicode.Scalar(value) else { return WordClass.symbol }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return UnicodeText.isUnspacedScript(value) ? WordClass.isolated : WordClass.letter
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return WordClass.mark
        case .decimalNumber, .letterNumber, .otherNumber:
            return UnicodeText.isUnspacedScript(value) ? WordClass.isolated : WordClass.wordOther
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control:
            return WordClass.space
        case .format:
            return WordClass.ignorable
        default:
            return WordClass.symbol
        }
    }

    /// Splits `bytes` into words (hashes and lengths into `wordHashes`/`wordLengths`) and
    /// fills the Gopher quality signals and `charCount`; returns the LF count.
    func scanWords(_ bytes: UnsafePointer<UInt8>, count: Int, into signals: inout QualitySignals) -> Int {
        var split = WordSplit(hashes: wordHashes, lengths: wordLengths)
        split.asciiBlocks = asciiWordBlocks
        split.hashes.reset(reserving: count / 4 + 16)
        split.lengths.reset(reserving: count / 4 + 16)
        split.run(bytes, count: count, scalarClasses: scalarClasses)
        wordHashes = split.hashes
        wordLengths = split.lengths

        let allWords = split.hashes.count
        signals.charCount = split.chars
        signals.wordCount = split.wordCount
        signals.wordCountAll = allWords
        signals.meanWordLength = ratio(split.wordChars, split.wordCount)
        signals.hashWordRatio = ratio(split.hashSigns, allWords)
        signals.ellipsisWordRatio = ratio(split.ellipses, allWords)
        signals.alphaWordFraction = ratio(split.alphaWords, allWords)
        signals.stopWordCount = split.stopWords.nonzeroBitCount
        return split.newlines
    }
}

/// The state of one word-splitting pass (a struct, so the loop has no exclusivity checks).
struct WordSplit {
    typealias WordClass = QualitySignalScanner.WordClass
    var hashes: ScanBuffer<UInt64>
    var lengths: ScanBuffer<Int32>
    var chars = 0
    var newlines = 0
    var hashSigns = 0
    var ellipses = 0
    var dotRun = 0
    var wordCount = 0
    var wordChars = 0
    var alphaWords = 0
    var stopWords: UInt8 = 0
    // The open word: its kind (0 none, 1 word, 2 symbol), start byte, characters, facts.
    var kind = 0
    var start = 0
    var length = 0
    var alpha = false
    var nonUnderscore = false
    var isolated = false
    /// Whether runs of ASCII go through `catalog_word_scan_ascii` (tests compare both ways).
    var asciiBlocks = true

    init(hashes: ScanBuffer<UInt64>, lengths: ScanBuffer<Int32>) {
        self.hashes = hashes
        self.lengths = lengths
    }

    @inline(__always) mutating func close(at end: Int, _ bytes: UnsafePointer<UInt8>, count: Int) {
        let byteCount = end &- start
        if byteCount <= 8 {
            // Short words (most): one masked 8-byte load when the buffer allows it.
            var packed: UInt64
            if start &+ 8 <= count {
                packed = UnsafeRawPointer(bytes + start).loadUnaligned(as: UInt64.self)
                if byteCount < 8 { packed &= (1 << UInt64(byteCount &* 8)) &- 1 }
            } else {
                packed = 0
                for offset in 0..<byteCount { packed |= UInt64(bytes[start &+ offset]) << UInt64(offset &* 8) }
            }
            hashes.append(SignalHash.short(packed, count: byteCount))
            if kind == 1 && nonUnderscore && byteCount >= 2 && byteCount <= 4 {
                stopWords |= QualitySignalScanner.stopWordBit(packed: packed)
            }
        } else {
            hashes.append(SignalHash.bytes(bytes + start, count: byteCount, readable: count &- start))
        }
        lengths.append(Int32(truncatingIfNeeded: length))
        if kind == 1 && nonUnderscore {
            wordCount &+= 1
            wordChars &+= length
        }
        if alpha { alphaWords &+= 1 }
        kind = 0
    }

    @inline(__always) mutating func open(_ newKind: Int, at index: Int) {
        kind = newKind
        start = index
        length = 0
        alpha = false
        nonUnderscore = false
        isolated = false
    }

    @inline(__always) mutating func flushDots() {
        if dotRun != 0 {
            ellipses &+= dotRun / 3
            dotRun = 0
        }
    }

    /// Runs `catalog_word_scan_ascii` from `index` (no word open); returns where it stopped.
    mutating func scanASCIIBlocks(_ bytes: UnsafePointer<UInt8>, count: Int, from index: Int) -> Int {
        hashes.reserve(additional: 64)
        lengths.reserve(additional: 64)
        var scan = catalog_word_scan(
            hashes: hashes.base, lengths: lengths.base, count: hashes.count,
            capacity: min(hashes.capacity, lengths.capacity), chars: Int64(chars), newlines: Int64(newlines),
            hash_signs: Int64(hashSigns), ellipses: Int64(ellipses), dot_run: Int64(dotRun),
            word_count: Int64(wordCount), word_chars: Int64(wordChars), alpha_words: Int64(alphaWords),
            stop_words: UInt32(stopWords))
        let next = catalog_word_scan_ascii(bytes, count, index, &scan)
        hashes.count = scan.count
        lengths.count = scan.count
        chars = Int(scan.chars)
        newlines = Int(scan.newlines)
        hashSigns = Int(scan.hash_signs)
        ellipses = Int(scan.ellipses)
        dotRun = Int(scan.dot_run)
        wordCount = Int(scan.word_count)
        wordChars = Int(scan.word_chars)
        alphaWords = Int(scan.alpha_words)
        stopWords = UInt8(truncatingIfNeeded: scan.stop_words)
        return next
    }

    mutating func run(_ bytes: UnsafePointer<UInt8>, count: Int, scalarClasses: UnsafeMutablePointer<UInt8>) {
        QualitySignalScanner.asciiWordRun.withUnsafeBufferPointer { wordRun in
        QualitySignalScanner.asciiClasses.withUnsafeBufferPointer { asciiClasses in
            var index = 0
            // Below this index the ASCII block path is not tried again (it found non-ASCII bytes).
            var blocksFrom = asciiBlocks ? 0 : Int.max
            while index < count {
                // Runs of ASCII text: 64 bytes at a time in C, between words.
                if kind == 0 && index >= blocksFrom && index &+ 64 <= count {
                    let next = scanASCIIBlocks(bytes, count: count, from: index)
                    if next == index { blocksFrom = index &+ 64 }
                    index = next
                    if index >= count { break }
                }
                // Fast path: the rest of an ASCII word (letter 1, digit 2, `_` 4, else 0).
                if kind == 1 && !isolated {
                    let runStart = index
                    var seen: UInt8 = 0
                    while index < count {
                        let fast = wordRun[Int(bytes[index])]
                        if fast == 0 { break }
                        seen |= fast
                        index &+= 1
                    }
                    if seen & 1 != 0 { alpha = true }
                    if seen & 3 != 0 { nonUnderscore = true }
                    length &+= index &- runStart
                    chars &+= index &- runStart
                    if index >= count { break }
                }
                let byte = bytes[index]
                var scalarLength = 1
                let wordClass: UInt8
                if byte < 0x80 {
                    wordClass = asciiClasses[Int(byte)]
                    if byte == 0x2E {
                        dotRun &+= 1
                    } else {
                        flushDots()
                        if byte == 0x23 { hashSigns &+= 1 } else if byte == 0x0A { newlines &+= 1 }
                    }
                } else {
                    flushDots()
                    let value: UInt32
                    (value, scalarLength) = UnicodeText.decode(bytes, count: count, at: index)
                    if value == 0x2026 { ellipses &+= 1 }
                    if value < 0x10000 {
                        let cached = scalarClasses[Int(value)]
                        if cached != WordClass.unknown {
                            wordClass = cached
                        } else {
                            wordClass = QualitySignalScanner.computeWordClass(value)
                            scalarClasses[Int(value)] = wordClass
                        }
                    } else {
                        wordClass = QualitySignalScanner.computeWordClass(value)
                    }
                }
                chars &+= 1
                switch wordClass {
                case WordClass.letter, WordClass.wordOther:
                    if kind != 1 || isolated {
                        if kind != 0 { close(at: index, bytes, count: count) }
                        open(1, at: index)
                    }
                    length &+= 1
                    if wordClass == WordClass.letter {
                        alpha = true
                        nonUnderscore = true
                    } else if byte != 0x5F {
                        nonUnderscore = true
                    }
                case WordClass.symbol:
                    if kind != 2 {
                        if kind != 0 { close(at: index, bytes, count: count) }
                        open(2, at: index)
                    }
                    length &+= 1
                case WordClass.mark:
                    if kind != 1 {
                        if kind != 0 { close(at: index, bytes, count: count) }
                        open(1, at: index)
                    }
                    length &+= 1
                    nonUnderscore = true
                case WordClass.isolated:
                    if kind != 0 { close(at: index, bytes, count: count) }
                    open(1, at: index)
                    isolated = true
                    length = 1
                    alpha = true
                    nonUnderscore = true
                case WordClass.ignorable:
                    if kind != 0 { length &+= 1 }
                default:  // space
                    if kind != 0 { close(at: index, bytes, count: count) }
                    if byte == 0x20 {
                        // Skip the rest of a run of spaces.
                        while index &+ 1 < count && bytes[index &+ 1] == 0x20 {
                            index &+= 1
                            chars &+= 1
                        }
                    }
                }
                index &+= scalarLength
            }
        }
        }
        if kind != 0 { close(at: count, bytes, count: count) }
        flushDots()
    }
}

import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C4 line filter in three configurations, in one pass over each line.
///
/// Reproduces tensorflow/datasets `tensorflow_datasets/text/c4_utils.py` `clean_page` (TFDS
/// defaults) and huggingface/datatrove `pipeline/filters/c4_filters.py` `C4QualityFilter`
/// (its defaults, and FineWeb's `filter_no_terminal_punct=False`). Per `splitlines()` line,
/// after `strip()`, in order: (1) a whitespace-separated word over 1,000 characters drops the
/// line; (2) citations `\[\d*\]`, `[edit]`, `[citation needed]` are removed; (3) a line not
/// ending with an end mark, or ending with `...`, is dropped (TFDS marks `. ? ! "`, datatrove
/// also `'`, FineWeb: no such rule); (4) fewer than 5 words (TFDS, counted after citation
/// removal) or 3 words (datatrove, counted before) drops the line; (5) "lorem ipsum"
/// (lowercased) flags the page; (6) "javascript" drops the line; (7) `{` flags the page;
/// (8) a policy phrase drops the line; (9) otherwise the line is kept and its sentences counted.
///
/// Deliberate differences:
/// - A flagged page is not cut short: the scan goes on (the flagged line is not kept), so
///   `lines_kept`/`sentences` count the whole page; the presets test the flags first.
/// - Sentences are not NLTK punkt: a sentence ends at a run of `. ! ?` (plus closing quotes or
///   brackets) followed by whitespace and then a character that is not a lowercase ASCII
///   letter, unless the word before a single `.` is an initial or a common abbreviation
///   (Mr, Dr, St, e.g. ...); text after the last end counts as a sentence. Every kept line has
///   at least one.
/// - Lowercasing is ASCII only (the phrases are ASCII); lines are split on LF only.
/// - C4's other steps are not line statistics and are not computed here: the page length limit
///   (1.9e5 characters) is applied by the `c4` preset from `char_count`; language id, the
///   badwords list and the global line dedup across pages are out of scope.
struct C4LineState {
    var tfds = QualitySignals.C4Lines()
    var datatrove = QualitySignals.C4Lines()
    var fineWeb = QualitySignals.C4Lines()

    func finish(into signals: inout QualitySignals) {
        signals.c4 = tfds
        signals.c4Datatrove = datatrove
        signals.c4FineWeb = fineWeb
    }
}

/// What steps 5–8 find in a line.
struct C4Phrases {
    var loremIpsum = false
    var javascript = false
    var curlyBracket = false
    var policy = false
}

extension QualitySignalScanner {
    /// Runs one stripped, non-blank line (`bytes[start..<end]`) through the three configurations.
    /// `textEnd` is the end of the text holding the line: the C scans may read up to it.
    func filterC4Line(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int, textEnd: Int, state: inout C4LineState) {
        if end - start > 1000 && Self.hasWordLongerThan1000(bytes, start: start, end: end) { return }
        let rawWords = catalog_c4_word_count(bytes + start, end - start, textEnd - start, 5)
        var line = bytes
        var lineStart = start
        var lineEnd = end
        if memchr(bytes + start, 0x5B, end - start) != nil && removeCitations(bytes, start: start, end: end) {
            line = UnsafePointer(cleanedLine.base)
            lineStart = 0
            lineEnd = cleanedLine.count
        }
        let readable = line == bytes ? textEnd - lineStart : cleanedLine.capacity - lineStart
        let cleanWords = line == bytes ? rawWords : catalog_c4_word_count(line + lineStart, lineEnd - lineStart, readable, 5)
        var tfdsEnd = false
        var datatroveEnd = false
        if lineEnd > lineStart {
            let last = line[lineEnd - 1]
            let ellipsis = lineEnd - lineStart >= 3 && last == 0x2E && line[lineEnd - 2] == 0x2E && line[lineEnd - 3] == 0x2E
            if !ellipsis {
                tfdsEnd = last == 0x2E || last == 0x3F || last == 0x21 || last == 0x22
                datatroveEnd = tfdsEnd || last == 0x27
            }
        }
        let reachesTFDS = tfdsEnd && cleanWords >= 5
        let reachesDatatrove = datatroveEnd && rawWords >= 3
        let reachesFineWeb = rawWords >= 3
        guard reachesTFDS || reachesDatatrove || reachesFineWeb else { return }
        // The C kernels (CKernels/c4line.c) reproduce `wordCount`, `scanPhrases` and
        // `sentenceCount` below, 16 bytes at a time; the tests compare the two.
        let phrases = Self.phrases(fromFlags: catalog_c4_phrases(line + lineStart, lineEnd - lineStart, readable))
        var sentences = -1
        @inline(__always) func apply(_ lines: inout QualitySignals.C4Lines) {
            if phrases.loremIpsum {
                lines.loremIpsum = true
            } else if phrases.javascript {
                lines.javascriptLines &+= 1
            } else if phrases.curlyBracket {
                lines.curlyBracket = true
            } else if phrases.policy {
                lines.policyLines &+= 1
            } else {
                if sentences < 0 { sentences = catalog_c4_sentence_count(line + lineStart, lineEnd - lineStart, readable) }
                lines.linesKept &+= 1
                lines.sentences &+= sentences
            }
        }
        if reachesTFDS { apply(&state.tfds) }
        if reachesDatatrove { apply(&state.datatrove) }
        if reachesFineWeb { apply(&state.fineWeb) }
    }

    /// The phrases of a `catalog_c4_phrases` result.
    static func phrases(fromFlags flags: UInt32) -> C4Phrases {
        C4Phrases(
            loremIpsum: flags & UInt32(CATALOG_C4_LOREM_IPSUM) != 0, javascript: flags & UInt32(CATALOG_C4_JAVASCRIPT) != 0,
            curlyBracket: flags & UInt32(CATALOG_C4_CURLY_BRACKET) != 0, policy: flags & UInt32(CATALOG_C4_POLICY) != 0)
    }

    /// Copies the line without its citations into `cleanedLine`; false when there were none.
    private func removeCitations(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> Bool {
        // A local copy: no exclusivity check per byte on the class's stored property.
        var cleaned = cleanedLine
        defer { cleanedLine = cleaned }
        cleaned.reset(reserving: end - start)
        var removed = false
        var index = start
        while index < end {
            if bytes[index] == 0x5B, let length = Self.citationLength(bytes, at: index, end: end) {
                index += length
                removed = true
            } else {
                cleaned.append(bytes[index])
                index += 1
            }
        }
        return removed
    }

    /// The length of the citation starting at `index` (`[digits]`, `[edit]`, `[citation needed]`), or nil.
    static func citationLength(_ bytes: UnsafePointer<UInt8>, at index: Int, end: Int) -> Int? {
        var next = index + 1
        while next < end && bytes[next] >= 0x30 && bytes[next] <= 0x39 { next += 1 }
        if next < end && bytes[next] == 0x5D { return next + 1 - index }
        if matches(bytes, at: index, end: end, "[edit]", lowercasing: false) { return 6 }
        if matches(bytes, at: index, end: end, "[citation needed]", lowercasing: false) { return 17 }
        return nil
    }

    /// Whether `bytes[index...]` starts with `pattern` (ASCII lowercase of the text when `lowercasing`).
    @inline(__always) static func matches(
        _ bytes: UnsafePointer<UInt8>, at index: Int, end: Int, _ pattern: StaticString, lowercasing: Bool
    ) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard end - index >= count else { return false }
        let expected = pattern.utf8Start
        for offset in 0..<count {
            var byte = bytes[index + offset]
            if lowercasing && byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected[offset] { return false }
        }
        return true
    }

    /// Anchor bytes of the phrases of steps 5–8 (a rare letter of each phrase, either case) and `{`:
    /// 1 `p` (lorem ipsum), 2 `j` (javascript), 3 `f` (terms of use), 4 `v` (privacy policy),
    /// 5 `k` (the cookie phrases), 6 `{`.
    static let phraseAnchors: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) | (UInt8(byte) >= 0x41 && UInt8(byte) <= 0x5A ? 0x20 : 0) {
        case UInt8(ascii: "p"): return 1
        case UInt8(ascii: "j"): return 2
        case UInt8(ascii: "f"): return 3
        case UInt8(ascii: "v"): return 4
        case UInt8(ascii: "k"): return 5
        case UInt8(ascii: "{"): return 6
        default: return 0
        }
    }

    /// Finds the phrases of steps 5–8 in one pass (ASCII lowercase), checking each phrase only
    /// around its anchor byte.
    static func scanPhrases(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> C4Phrases {
        phraseAnchors.withUnsafeBufferPointer { anchors in
            var found = C4Phrases()
            var index = start
            while index < end {
                let anchor = anchors[Int(bytes[index])]
                if anchor == 0 {
                    index &+= 1
                    continue
                }
                @inline(__always) func at(_ offset: Int, _ phrase: StaticString) -> Bool {
                    index - offset >= start && matches(bytes, at: index - offset, end: end, phrase, lowercasing: true)
                }
                switch anchor {
                case 1: if at(7, "lorem ipsum") { found.loremIpsum = true }
                case 2: if at(0, "javascript") { found.javascript = true }
                case 3: if at(7, "terms of use") { found.policy = true }
                case 4: if at(3, "privacy policy") { found.policy = true }
                case 5:
                    if at(3, "cookie policy") || at(8, "uses cookies") || at(10, "use of cookies") || at(7, "use cookies") {
                        found.policy = true
                    }
                default: found.curlyBracket = true
                }
                index &+= 1
            }
            return found
        }
    }

    /// Whether the scalar at `index` of `bytes[..<end]` is whitespace for `str.split()`, and its
    /// length in bytes.
    @inline(__always)
    static func whitespace(_ bytes: UnsafePointer<UInt8>, at index: Int, end: Int) -> (isSpace: Bool, length: Int) {
        let byte = bytes[index]
        if byte < 0x80 { return (UnicodeText.isASCIISpace(byte), 1) }
        let (value, length) = UnicodeText.decode(bytes, count: end, at: index)
        return (UnicodeText.isNonASCIISpace(value), length)
    }

    /// Whitespace-separated words (`str.split()`) in `bytes[start..<end]`, counting at most `limit`.
    static func wordCount(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int, upTo limit: Int) -> Int {
        var words = 0
        var inWord = false
        var index = start
        while index < end {
            let (space, length) = whitespace(bytes, at: index, end: end)
            if space {
                inWord = false
            } else if !inWord {
                inWord = true
                words += 1
                if words >= limit { return words }
            }
            index += length
        }
        return words
    }

    /// Whether a whitespace-separated word of `bytes[start..<end]` has more than 1,000 characters.
    static func hasWordLongerThan1000(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> Bool {
        var length = 0
        var index = start
        while index < end {
            let (space, scalarLength) = whitespace(bytes, at: index, end: end)
            if space {
                length = 0
            } else {
                length += 1
                if length > 1000 { return true }
            }
            index += scalarLength
        }
        return false
    }

    /// Sentences in a kept line (see the type's notes; at least 1).
    static func sentenceCount(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> Int {
        @inline(__always) func isMark(_ byte: UInt8) -> Bool { byte == 0x2E || byte == 0x21 || byte == 0x3F }
        @inline(__always) func isCloser(_ byte: UInt8) -> Bool {
            byte == 0x22 || byte == 0x27 || byte == 0x29 || byte == 0x5D
        }
        var sentences = 1
        var index = start
        while index < end {
            let byte = bytes[index]
            guard isMark(byte) else {
                index += 1
                continue
            }
            var next = index + 1
            while next < end && isMark(bytes[next]) { next += 1 }
            let single = next == index + 1
            while next < end && isCloser(bytes[next]) { next += 1 }
            guard next < end && UnicodeText.isASCIISpace(bytes[next]) else {
                index = next
                continue
            }
            while next < end && UnicodeText.isASCIISpace(bytes[next]) { next += 1 }
            if next < end {
                let following = bytes[next]
                let lowercase = following >= 0x61 && following <= 0x7A
                let abbreviation = byte == 0x2E && single && isAbbreviation(bytes, start: start, period: index)
                if !lowercase && !abbreviation { sentences += 1 }
            }
            index = next
        }
        return sentences
    }

    /// Abbreviations whose period does not end a sentence (besides single-letter initials).
    static let abbreviations: Set<String> = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "vs", "etc", "Fig", "fig", "No", "Inc", "Ltd", "Co",
        "Mt", "Gen", "Col", "Capt", "Lt", "Rev", "Hon", "Gov", "Sen", "Rep", "Jan", "Feb", "Aug", "Sept", "Oct",
        "Nov", "Dec", "e.g", "i.e", "al", "cf", "approx", "Vol", "vol", "pp", "Ch", "ch",
    ]

    /// Whether the word ending just before the period at `period` is an initial or an abbreviation.
    static func isAbbreviation(_ bytes: UnsafePointer<UInt8>, start: Int, period: Int) -> Bool {
        var wordStart = period
        while wordStart > start {
            let byte = bytes[wordStart - 1]
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E
            if !letter { break }
            wordStart -= 1
        }
        let length = period - wordStart
        if length == 0 { return false }
        if length == 1 { return true }
        if length > 6 { return false }
        let word = String(decoding: UnsafeBufferPointer(start: bytes + wordStart, count: length), as: UTF8.self)
        return abbreviations.contains(word)
    }
}

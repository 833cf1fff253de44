/// Splits UTF-8 text into normalised tokens (normalisation `norm_v1`) and hashes each token.
///
/// Rules of `norm_v1`, applied as if in this order to the whole text:
///
/// 1. **Compatibility decomposition**: NFKD, then every nonspacing mark (general category Mn)
///    is removed. So "Café" (precomposed or with U+0301) becomes "Cafe", full-width "Ｃａｆé"
///    and "１２" become "Cafe" and "12", ligatures such as "ﬁ" become "fi", "™" becomes "TM".
/// 2. **Words** are maximal runs of word characters: letters (L*), spacing and enclosing marks
///    (Mc, Me), numbers (Nd, Nl, No) and connector punctuation (Pc, e.g. `_`), like Python's
///    `\w+` plus marks. Everything else — punctuation, symbols (including emoji), spaces,
///    control and format characters (Cc, Cf, e.g. zero-width space) and invalid UTF-8 (decoded
///    as U+FFFD) — separates words and is dropped. Apostrophes split: "don't" → "don", "t".
/// 3. **Numbers**: a run of decimal digits (Nd, any script), optionally continued by
///    `[.,،٫⎖⎗⎘]` + digits any number of times, becomes the single character `0`
///    ("12.5" → "0", "1,000,000" → "0", "abc123def" → "abc0def"). Like datatrove's
///    `NUMBERS_PATTERN` (`\p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)?`), except that the group may repeat.
/// 4. **Lowercase**: each letter is replaced by its Unicode lowercase mapping (ASCII through a
///    byte table). This approximates full case folding: e.g. final sigma "ς" stays distinct from "σ".
/// 5. **Scripts written without spaces** — Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar —
///    make each word character its own token, so word n-grams over such a run are character
///    n-grams. Hangul is written with spaces and follows rule 2.
///
/// A token's value is its UTF-8 bytes after these rules; `tokenHash(of:)` maps it to 64 bits.
///
/// Unicode data (categories, lowercase mappings, NFKD) comes from the Swift runtime and
/// Foundation of the toolchain; a newer Unicode version can only change characters it assigns.
///
/// **Speed.** ASCII text is classified 64 bytes at a time into bitmaps (SWAR); a run of ASCII
/// letters is lowercased and hashed 8 bytes at a time, anything else goes through a byte-table
/// loop. Neither allocates nor uses Foundation, and hashes go into a reused buffer. A word
/// containing a non-ASCII character (with its neighbours up to the next ASCII separator) takes
/// a Unicode path that applies the rules scalar by scalar, with each scalar's facts (kind,
/// lowercase, NFKD) computed on first sight and kept per instance. Common non-ASCII
/// punctuation (U+00A0–U+00BF punctuation, ×, ÷, most of U+2000–U+206F, U+3000–U+3003,
/// U+FEFF) is recognised as a separator without it. The output does not depend on the path
/// taken (tests compare both paths, and the Unicode path with Foundation's NFKD of the whole text).
///
/// One instance per thread (about 300 KB of tables and buffers): it is mutable and not `Sendable`.
public final class TextNormaliser {
    /// The normalisation version implemented here, recorded in every `MinHashScheme`.
    public static let version = "norm_v1"

    /// Byte codes of the ASCII table; values ≥ `firstWordByte` are the lowercase word byte itself.
    enum ByteCode {
        static let separator: UInt8 = 0
        static let digit: UInt8 = 1
        static let numberJoiner: UInt8 = 2
        static let nonASCII: UInt8 = 3
        static let firstWordByte: UInt8 = 4
    }

    /// Token hashes produced per `scanTokenHashes` call (a Unicode segment may add more).
    static let tokenBatchSize = 2048

    let asciiTable: UnsafeMutablePointer<UInt8>
    private var hashBuffer: UnsafeMutablePointer<UInt64>
    private var hashBufferCapacity: Int

    // Unicode path state (see TextNormaliser+UnicodePath.swift).
    /// Facts of the Basic Multilingual Plane, computed on first sight (0 = not yet).
    let basicPlaneFacts: UnsafeMutablePointer<UInt32>
    var otherPlaneFacts: [UInt32: ScalarFacts] = [:]
    var compatibilityDecompositions: [UInt32: [Unicode.Scalar]] = [:]
    var segmentScalars: [Unicode.Scalar] = []
    var segmentTokens = NormalisedSegment()

    /// Creates a normaliser; Unicode facts are filled in as characters are first seen.
    public init() {
        asciiTable = .allocate(capacity: 256)
        for byte in 0..<256 {
            asciiTable[byte] = Self.byteCode(UInt8(byte))
        }
        hashBufferCapacity = Self.tokenBatchSize + 64
        hashBuffer = .allocate(capacity: hashBufferCapacity)
        basicPlaneFacts = .allocate(capacity: 0x1_0000)
        basicPlaneFacts.initialize(repeating: 0, count: 0x1_0000)
    }

    deinit {
        asciiTable.deallocate()
        hashBuffer.deallocate()
        basicPlaneFacts.deallocate()
    }

    private static func byteCode(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"): return byte
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte | 0x20
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ByteCode.digit
        case UInt8(ascii: "."), UInt8(ascii: ","): return ByteCode.numberJoiner
        case 0x80...0xFF: return ByteCode.nonASCII
        default: return ByteCode.separator
        }
    }

    // MARK: Public conveniences

    /// The hash of a token that is already normalised (its UTF-8 bytes after the `norm_v1` rules).
    ///
    /// wyhash-style. The bytes are cut into 8-byte little-endian blocks; every block but the
    /// last updates `h = mum(h ^ block, K1)`, and the last block `r` (1–8 bytes, zero-padded; 0
    /// for an empty token) gives `mum(h ^ r ^ K2, length ^ K3)`. `mum(a, b)` xors the two halves
    /// of the 128-bit product; `h` starts at `0x243F6A8885A308D3`; K1, K2, K3 are in `DedupHashing`.
    public static func tokenHash(of normalisedToken: some Sequence<UInt8>) -> UInt64 {
        var state = TokenHashState()
        for byte in normalisedToken {
            state.append(byte)
        }
        return state.finish()
    }

    /// The normalised tokens of `text`, as strings; meant for tests and diagnostics.
    ///
    /// Computed on the Unicode path over the whole text, which gives the same tokens as the fast
    /// path used for hashing (`tokenHashes(of:)`).
    public func tokens(of text: String) -> [String] {
        var text = text
        var segment = NormalisedSegment()
        text.withUTF8 { normaliseSegment($0, into: &segment) }
        var tokens: [String] = []
        var start = 0
        for end in segment.tokenEnds {
            tokens.append(String(decoding: segment.bytes[start..<end], as: UTF8.self))
            start = end
        }
        return tokens
    }

    /// The hash of every normalised token of `text`, in order (the fast path used by `MinHasher`).
    public func tokenHashes(of text: String) -> [UInt64] {
        var text = text
        return text.withUTF8 { bytes in
            var hashes: [UInt64] = []
            var index = 0
            while index < bytes.count {
                let batch = scanTokenHashes(bytes, from: index)
                hashes.append(contentsOf: batch.hashes)
                index = batch.end
            }
            return hashes
        }
    }

    // MARK: Scanner

    /// Hashes the tokens of `text` from byte `start` on, until about `tokenBatchSize` tokens are
    /// found or the text ends.
    ///
    /// Returns the hashes (in a buffer owned by the normaliser, valid until the next call; the
    /// caller may overwrite them) and the index to resume from, which is `text.count` at the end.
    /// `start` must be 0 or a value returned by a previous call on the same text.
    ///
    /// Text is classified 64 bytes at a time into two bitmaps: word bytes (ASCII letters, digits,
    /// `_`, any non-ASCII byte) and ASCII letters. A run of word bytes made only of letters is a
    /// whole token: it is lowercased and hashed 8 bytes at a time. Any other run (digits, `_`,
    /// non-ASCII) goes through the byte-table loop, which applies every rule and may hand the
    /// word to the Unicode path. A run touching the end of the block is reclassified from its
    /// first byte. All state lives in local variables so that it stays in registers.
    func scanTokenHashes(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> (hashes: UnsafeMutableBufferPointer<UInt64>, end: Int) {
        guard let bytes = text.baseAddress, start < text.count else {
            return (UnsafeMutableBufferPointer(start: hashBuffer, count: 0), text.count)
        }
        let count = text.count
        let target = Self.tokenBatchSize
        var output = hashBuffer
        var produced = 0
        var index = start
        var haveBlock = false
        var blockStart = 0
        var unconsumed: UInt64 = 0  // word bytes of the block not yet consumed (bit k = byte blockStart + k)
        var letters: UInt64 = 0
        while produced < target {
            if haveBlock {
                if unconsumed == 0 {
                    index = blockStart &+ 64
                    haveBlock = false
                    continue
                }
                let runStart = unconsumed.trailingZeroBitCount
                let runLength = (~(unconsumed &>> UInt64(runStart))).trailingZeroBitCount
                if runStart &+ runLength == 64 && runStart > 0 {
                    // The run may go on past the block: reclassify from its first byte.
                    index = blockStart &+ runStart
                    haveBlock = false
                    continue
                }
                if runStart &+ runLength < 64 {
                    let runBits = (UInt64.max &>> UInt64(64 &- runLength)) &<< UInt64(runStart)
                    if letters & runBits == runBits {
                        let tokenStart = blockStart &+ runStart
                        if runLength <= 8 {
                            let lowered =
                                (Self.loadUpTo8Bytes(bytes, count: count, at: tokenStart) | 0x2020_2020_2020_2020)
                                & (UInt64.max &>> UInt64(64 &- 8 &* runLength))
                            output[produced] = TokenHashState.hashOfShortToken(littleEndianBytes: lowered, count: runLength)
                            produced &+= 1
                            unconsumed &= ~runBits
                            index = tokenStart &+ runLength
                            continue
                        }
                        var hash = TokenHashState()
                        var offset = 0
                        while offset < runLength {
                            let chunk = min(8, runLength &- offset)
                            let lowered =
                                (Self.loadUpTo8Bytes(bytes, count: count, at: tokenStart &+ offset)
                                    | 0x2020_2020_2020_2020) & (UInt64.max &>> UInt64(64 &- 8 &* chunk))
                            hash.append(littleEndianBytes: lowered, count: chunk)
                            offset &+= 8
                        }
                        output[produced] = hash.finish()
                        produced &+= 1
                        unconsumed &= ~runBits
                        index = tokenStart &+ runLength
                        continue
                    }
                }
                // Digits, `_`, non-ASCII, or 64+ word bytes: the byte loop takes this run.
                index = blockStart &+ runStart
            } else {
                if index >= count { break }
                if index &+ 64 <= count {
                    (unconsumed, letters) = Self.classifyBlock(bytes + index)
                    blockStart = index
                    haveBlock = true
                    continue
                }
                // Fewer than 64 bytes left: the byte loop takes every unit.
            }

            // The byte loop: one unit at `index` — a separator, or a whole token with every rule.
            switch scanUnit(bytes, count: count, at: index) {
            case .separator(let end):
                index = end
            case .token(let hash, let end):
                output[produced] = hash
                produced &+= 1
                index = end
            case .unicodeSegment(let start):
                index = normaliseUnicodeSegment(bytes, count: count, from: start)
                let segmentHashes = segmentTokens.tokenHashes.count
                if produced &+ segmentHashes > hashBufferCapacity {
                    output = growHashBuffer(keeping: produced, toHold: produced &+ segmentHashes)
                }
                for hash in segmentTokens.tokenHashes {
                    output[produced] = hash
                    produced &+= 1
                }
            }
            if haveBlock {
                let consumed = index &- blockStart
                if consumed >= 64 {
                    haveBlock = false
                } else {
                    unconsumed &= UInt64.max &<< UInt64(consumed)
                }
            }
        }
        return (UnsafeMutableBufferPointer(start: output, count: produced), index)
    }

    /// What `scanUnit` found at an index.
    enum ScannedUnit {
        /// A separator, skipped.
        case separator(end: Int)
        /// An ASCII token and its hash.
        case token(hash: UInt64, end: Int)
        /// A word with non-ASCII characters, to normalise on the Unicode path from `start`.
        case unicodeSegment(start: Int)
    }

    /// The byte-table loop: reads one unit at `start` — a separator, or a whole token with every
    /// rule (numbers, `_`, letters) — up to the first non-ASCII character of a word.
    ///
    /// Out of line: it runs for digits, `_`, non-ASCII and the last 63 bytes of a text, and keeping
    /// it apart leaves the registers to the letter loop.
    @inline(never)
    private func scanUnit(_ bytes: UnsafePointer<UInt8>, count: Int, at start: Int) -> ScannedUnit {
        let table = asciiTable
        var index = start
        var code = table[Int(bytes[index])]
        if code == ByteCode.separator || code == ByteCode.numberJoiner {
            return .separator(end: index &+ 1)
        } else if code == ByteCode.nonASCII {
            let separatorLength = Self.knownSeparatorLength(bytes, count: count, at: index)
            return separatorLength > 0 ? .separator(end: index &+ separatorLength) : .unicodeSegment(start: index)
        }
        // A token starts with a word byte or a digit.
        let tokenStart = index
        var hash = TokenHashState()
        var inNumber = false
        while index < count {
            if index &+ 8 <= count {
                // Up to 8 ASCII letters at once: lowercase them with one OR.
                let block = Self.loadUpTo8Bytes(bytes, count: count, at: index)
                let run = Self.leadingASCIILetterCount(block)
                if run > 0 {
                    let lowered = (block | 0x2020_2020_2020_2020) & (UInt64.max &>> UInt64(64 &- 8 &* run))
                    hash.append(littleEndianBytes: lowered, count: run)
                    inNumber = false
                    index &+= run
                    if run == 8 { continue }
                }
            }
            code = table[Int(bytes[index])]
            if code >= ByteCode.firstWordByte {
                hash.append(code)
                inNumber = false
                index &+= 1
            } else if code == ByteCode.digit {
                if !inNumber {
                    hash.append(UInt8(ascii: "0"))
                    inNumber = true
                }
                index &+= 1
            } else if code == ByteCode.numberJoiner {
                guard inNumber, index &+ 1 < count else { break }
                let next = bytes[index &+ 1]
                if table[Int(next)] == ByteCode.digit {
                    index &+= 2  // "12.5": the joiner and the digit stay in the number
                } else if next >= 0x80 {
                    return .unicodeSegment(start: tokenStart)  // a non-ASCII digit may continue the number
                } else {
                    break
                }
            } else if code == ByteCode.nonASCII {
                if Self.knownSeparatorLength(bytes, count: count, at: index) > 0 { break }
                return .unicodeSegment(start: tokenStart)
            } else {
                break
            }
        }
        return .token(hash: hash.finish(), end: index)
    }

    /// Reallocates the hash buffer to hold at least `minimumCapacity` values, keeping the first
    /// `keptCount`, and returns it.
    @inline(never)
    private func growHashBuffer(keeping keptCount: Int, toHold minimumCapacity: Int) -> UnsafeMutablePointer<UInt64> {
        let capacity = max(minimumCapacity, hashBufferCapacity * 2)
        let grown = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        grown.initialize(from: hashBuffer, count: keptCount)
        hashBuffer.deallocate()
        hashBuffer = grown
        hashBufferCapacity = capacity
        return grown
    }

    /// Bitmaps of 64 bytes (bit k = byte k): word bytes (`[0-9A-Za-z_]` or ≥ 0x80) and ASCII letters.
    @inline(__always)
    static func classifyBlock(_ bytes: UnsafePointer<UInt8>) -> (wordBytes: UInt64, letters: UInt64) {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var wordBytes: UInt64 = 0
        var letters: UInt64 = 0
        for lane in 0..<8 {
            let block = UInt64(littleEndian: UnsafeRawPointer(bytes + 8 &* lane).loadUnaligned(as: UInt64.self))
            let ascii = ~block & highBits
            // Range checks on 7-bit values: the per-byte additions cannot carry into the next byte.
            let low7 = block & 0x7F7F_7F7F_7F7F_7F7F
            let folded = low7 | 0x2020_2020_2020_2020
            let letterBits = (folded &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(folded &+ 0x0505_0505_0505_0505) & ascii
            let digitBits = (low7 &+ 0x5050_5050_5050_5050) & ~(low7 &+ 0x4646_4646_4646_4646) & ascii
            let notUnderscore = block ^ 0x5F5F_5F5F_5F5F_5F5F
            let underscoreBits = ~(((notUnderscore & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | notUnderscore) & highBits
            let wordBits = letterBits | digitBits | underscoreBits | (block & highBits)
            let shift = UInt64(8 &* lane)
            wordBytes |= gatherHighBits(wordBits) &<< shift
            letters |= gatherHighBits(letterBits) &<< shift
        }
        return (wordBytes, letters)
    }

    /// Packs bit 7 of each of 8 bytes into an 8-bit value (byte k → bit k).
    @inline(__always)
    static func gatherHighBits(_ bits: UInt64) -> UInt64 {
        ((bits &>> 7) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// The 8 bytes at `index` as a little-endian integer; bytes past the end of the text read as zero.
    @inline(__always)
    static func loadUpTo8Bytes(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int) -> UInt64 {
        if index &+ 8 <= count {
            return UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
        }
        var value: UInt64 = 0
        for offset in 0..<(count &- index) {
            value |= UInt64(bytes[index &+ offset]) &<< UInt64(8 &* offset)
        }
        return value
    }

    /// The number of ASCII letters (`A`–`Z`, `a`–`z`) at the start of 8 little-endian bytes (SWAR).
    @inline(__always)
    static func leadingASCIILetterCount(_ block: UInt64) -> Int {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Fold case and clear bit 7 so the per-byte additions below cannot carry into the next byte.
        let folded = (block & 0x7F7F_7F7F_7F7F_7F7F) | 0x2020_2020_2020_2020
        let atLeastA = folded &+ 0x1F1F_1F1F_1F1F_1F1F  // bit 7 set where folded >= "a" (0x61)
        let beyondZ = folded &+ 0x0505_0505_0505_0505  // bit 7 set where folded >= "{" (0x7B)
        let letters = atLeastA & ~beyondZ & ~block & highBits
        return (~letters & highBits).trailingZeroBitCount &>> 3
    }

    /// The byte length of a common non-ASCII separator starting at `index`, or 0.
    ///
    /// Every character listed is punctuation, a symbol, a space or a format character whose NFKD
    /// holds no word character and no `.`/`,`, so treating it as a separator here gives the same
    /// tokens as the Unicode path. Left out: U+2024 ONE DOT LEADER (NFKD "."), and the connector
    /// punctuation U+203F, U+2040, U+2054 (word characters, like `_`).
    @inline(__always)
    static func knownSeparatorLength(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int) -> Int {
        let lead = bytes[index]
        switch lead {
        case 0xC2:
            guard index &+ 1 < count else { return 0 }
            let trail = bytes[index &+ 1]
            guard trail >= 0xA0 && trail <= 0xBF else { return 0 }
            switch trail {
            case 0xAA, 0xB2, 0xB3, 0xB5, 0xB9, 0xBA, 0xBC, 0xBD, 0xBE: return 0  // ª ² ³ µ ¹ º ¼ ½ ¾
            default: return 2
            }
        case 0xC3:
            guard index &+ 1 < count else { return 0 }
            let trail = bytes[index &+ 1]
            return trail == 0x97 || trail == 0xB7 ? 2 : 0  // × ÷
        case 0xE2, 0xE3, 0xEF:
            guard index &+ 2 < count else { return 0 }
            let second = bytes[index &+ 1]
            let third = bytes[index &+ 2]
            guard third >= 0x80 && third <= 0xBF else { return 0 }
            switch (lead, second) {
            case (0xE2, 0x80): return third == 0xA4 || third == 0xBF ? 0 : 3  // U+2000–U+203F except U+2024, U+203F
            case (0xE2, 0x81): return third <= 0xAF && third != 0x80 && third != 0x94 ? 3 : 0  // U+2040–U+206F except U+2040, U+2054
            case (0xE3, 0x80): return third <= 0x83 ? 3 : 0  // U+3000–U+3003
            case (0xEF, 0xBB): return third == 0xBF ? 3 : 0  // U+FEFF
            default: return 0
            }
        default:
            return 0
        }
    }
}

/// The tokens of a text normalised on the Unicode path: their bytes concatenated, the end offset
/// and the hash of each. Reused between segments.
struct NormalisedSegment {
    var bytes: [UInt8] = []
    var tokenEnds: [Int] = []
    var tokenHashes: [UInt64] = []
    private var hash = TokenHashState()

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        tokenEnds.removeAll(keepingCapacity: true)
        tokenHashes.removeAll(keepingCapacity: true)
        hash = TokenHashState()
    }

    mutating func append(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { byte in
            bytes.append(byte)
            hash.append(byte)
        }
    }

    mutating func endToken() {
        if bytes.count > (tokenEnds.last ?? 0) {
            tokenEnds.append(bytes.count)
            tokenHashes.append(hash.finish())
        }
    }
}

/// Streaming form of `TextNormaliser.tokenHash(of:)`.
///
/// A full 8-byte block is absorbed only when more bytes follow it, so the last 1–8 bytes are
/// always finalised together and a token of up to 8 bytes costs one multiplication.
struct TokenHashState {
    private var hash = DedupHashing.tokenHashSeed
    private var pendingBytes: UInt64 = 0
    private var length: UInt64 = 0

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        let used = length & 7
        if used == 0 && length > 0 {
            hash = DedupHashing.multiplyMix(hash ^ pendingBytes, DedupHashing.tokenBlockMultiplier)
            pendingBytes = 0
        }
        pendingBytes |= UInt64(byte) &<< (used &<< 3)
        length &+= 1
    }

    /// Appends `count` (1…8) bytes held in the low bytes of `littleEndianBytes` (higher bytes zero).
    @inline(__always)
    mutating func append(littleEndianBytes block: UInt64, count: Int) {
        let used = length & 7
        if used == 0 && length > 0 {
            hash = DedupHashing.multiplyMix(hash ^ pendingBytes, DedupHashing.tokenBlockMultiplier)
            pendingBytes = 0
        }
        pendingBytes |= block &<< (used &<< 3)
        if used &+ UInt64(count) > 8 {
            hash = DedupHashing.multiplyMix(hash ^ pendingBytes, DedupHashing.tokenBlockMultiplier)
            pendingBytes = block &>> (64 &- (used &<< 3))
        }
        length &+= UInt64(count)
    }

    /// Returns the hash of the bytes appended so far and resets for the next token.
    @inline(__always)
    mutating func finish() -> UInt64 {
        let result = DedupHashing.multiplyMix(
            hash ^ pendingBytes ^ DedupHashing.tokenFinalSalt, length ^ DedupHashing.tokenLengthSalt)
        self = TokenHashState()
        return result
    }

    /// The hash of a token of 1…8 bytes given as a little-endian integer (higher bytes zero).
    @inline(__always)
    static func hashOfShortToken(littleEndianBytes block: UInt64, count: Int) -> UInt64 {
        DedupHashing.multiplyMix(
            DedupHashing.tokenHashSeed ^ block ^ DedupHashing.tokenFinalSalt,
            UInt64(count) ^ DedupHashing.tokenLengthSalt)
    }
}

/// Constants and mixing functions of the `MinHashScheme.supportedHashFamily`.
enum DedupHashing {
    static let tokenHashSeed: UInt64 = 0x243F_6A88_85A3_08D3
    static let tokenBlockMultiplier: UInt64 = 0xA076_1D64_78BD_642F
    static let tokenFinalSalt: UInt64 = 0xE703_7ED1_A0B4_28DB
    static let tokenLengthSalt: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    /// Base of the shingle polynomial (odd, so each token hash enters bijectively).
    static let shinglePolynomialBase: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let bandKeySalt: UInt64 = 0x6A09_E667_F3BC_C909

    /// wyhash's `mum`: the xor of the high and low halves of the 128-bit product.
    @inline(__always)
    static func multiplyMix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}

import Foundation  // Only to learn each distinct scalar's NFKD once (`decomposedStringWithCompatibilityMapping`).

/// The `norm_v1` facts about one Unicode scalar, packed in 32 bits: its kind, its lowercase
/// mapping and whether it decomposes or takes part in canonical reordering.
struct ScalarFacts {
    /// What a scalar does in a token.
    enum Kind: UInt32 {
        case unknown = 0
        /// A nonspacing mark (Mn): removed.
        case dropped
        /// Ends the current token.
        case separator
        /// `. , ، ٫ ⎖ ⎗ ⎘`: continues a number when a digit follows, otherwise a separator.
        case numberJoiner
        /// A decimal digit (Nd): part of a number, written `0`.
        case digit
        /// A letter, mark, other number or connector punctuation: part of a word.
        case word
        /// A word character of a script written without spaces: a token by itself.
        case wordWithoutSpaces
    }

    let rawValue: UInt32

    private static let decomposesBit: UInt32 = 1 << 24
    private static let multiScalarLowercaseBit: UInt32 = 1 << 25
    private static let reordersBit: UInt32 = 1 << 26

    var kind: Kind { Kind(rawValue: (rawValue >> 21) & 7) ?? .separator }
    /// The lowercase mapping when it is one scalar (the scalar itself when it has none).
    var lowercase: UInt32 { rawValue & 0x1F_FFFF }
    var decomposes: Bool { rawValue & Self.decomposesBit != 0 }
    var hasMultiScalarLowercase: Bool { rawValue & Self.multiScalarLowercaseBit != 0 }
    /// Whether the canonical combining class is not 0.
    var reorders: Bool { rawValue & Self.reordersBit != 0 }

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    init(kind: Kind, lowercase: UInt32, decomposes: Bool, multiScalarLowercase: Bool, reorders: Bool) {
        rawValue =
            kind.rawValue << 21 | lowercase | (decomposes ? Self.decomposesBit : 0)
            | (multiScalarLowercase ? Self.multiScalarLowercaseBit : 0) | (reorders ? Self.reordersBit : 0)
    }
}

extension TextNormaliser {
    /// Normalises the segment from `start` to the next hard separator into `segmentTokens` and
    /// returns the index where the segment ends.
    ///
    /// The segment ends at an ASCII separator other than `.` and `,` or at a known non-ASCII
    /// separator: a character that separates whatever surrounds it, so normalising the segment
    /// alone gives the same tokens as normalising the whole text. Kept out of line so that the
    /// scanner keeps its state in registers.
    @inline(never)
    func normaliseUnicodeSegment(_ bytes: UnsafePointer<UInt8>, count: Int, from start: Int) -> Int {
        var end = start
        while end < count {
            let byte = bytes[end]
            if byte < 0x80 {
                if asciiTable[Int(byte)] == ByteCode.separator { break }
            } else if Self.knownSeparatorLength(bytes, count: count, at: end) > 0 {
                break
            }
            end &+= 1
        }
        var tokens = segmentTokens
        segmentTokens = NormalisedSegment()
        normaliseSegment(UnsafeBufferPointer(start: bytes + start, count: end - start), into: &tokens)
        segmentTokens = tokens
        return end
    }

    /// Applies every `norm_v1` rule to arbitrary UTF-8, scalar by scalar, replacing `output`.
    ///
    /// 1. Decode (an invalid byte becomes U+FFFD), replace each scalar by its NFKD
    ///    decomposition, and put runs of combining marks in canonical order: together this is NFKD.
    /// 2. Walk the scalars, skipping nonspacing marks: digits and joiners make numbers, word
    ///    characters are lowercased into the current token, scripts without spaces give
    ///    one-character tokens, everything else ends the token.
    func normaliseSegment(_ text: UnsafeBufferPointer<UInt8>, into output: inout NormalisedSegment) {
        output.removeAll()
        guard let bytes = text.baseAddress else { return }
        var scalars = segmentScalars
        segmentScalars = []
        defer { segmentScalars = scalars }
        scalars.removeAll(keepingCapacity: true)

        var index = 0
        var needsReordering = false
        var previousReorders = false
        while index < text.count {
            let (value, length) = Self.decodeScalar(bytes, count: text.count, at: index)
            index &+= length
            let scalarFacts = facts(of: value)
            if scalarFacts.decomposes, let parts = compatibilityDecompositions[value] {
                for part in parts {
                    let reorders = facts(of: part.value).reorders
                    needsReordering = needsReordering || (reorders && previousReorders)
                    previousReorders = reorders
                    scalars.append(part)
                }
            } else {
                needsReordering = needsReordering || (scalarFacts.reorders && previousReorders)
                previousReorders = scalarFacts.reorders
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            }
        }
        if needsReordering {
            Self.reorderCombiningMarks(&scalars)
        }

        var inNumber = false
        var position = 0
        while position < scalars.count {
            let scalar = scalars[position]
            let scalarFacts = facts(of: scalar.value)
            position &+= 1
            switch scalarFacts.kind {
            case .dropped:
                continue
            case .digit:
                if !inNumber {
                    output.append("0")
                    inNumber = true
                }
            case .word:
                inNumber = false
                appendLowercased(scalar, scalarFacts, to: &output)
            case .wordWithoutSpaces:
                inNumber = false
                output.endToken()
                appendLowercased(scalar, scalarFacts, to: &output)
                output.endToken()
            case .numberJoiner where inNumber:
                var next = position
                while next < scalars.count && facts(of: scalars[next].value).kind == .dropped {
                    next &+= 1
                }
                if next < scalars.count && facts(of: scalars[next].value).kind == .digit {
                    position = next &+ 1  // "12.5": the joiner and the digit stay in the number
                } else {
                    inNumber = false
                    output.endToken()
                }
            case .numberJoiner, .separator, .unknown:
                inNumber = false
                output.endToken()
            }
        }
        output.endToken()
    }

    private func appendLowercased(_ scalar: Unicode.Scalar, _ scalarFacts: ScalarFacts, to output: inout NormalisedSegment) {
        if scalarFacts.hasMultiScalarLowercase {
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars where facts(of: lowered.value).kind != .dropped {
                output.append(lowered)
            }
        } else {
            output.append(Unicode.Scalar(scalarFacts.lowercase) ?? scalar)
        }
    }

    /// The facts of a scalar, computed on first sight and kept for the life of the normaliser.
    @inline(__always)
    func facts(of value: UInt32) -> ScalarFacts {
        if value < 0x1_0000 {
            let raw = basicPlaneFacts[Int(value)]
            if raw != 0 { return ScalarFacts(rawValue: raw) }
            let computed = computeFacts(of: value)
            basicPlaneFacts[Int(value)] = computed.rawValue
            return computed
        }
        if let known = otherPlaneFacts[value] { return known }
        let computed = computeFacts(of: value)
        otherPlaneFacts[value] = computed
        return computed
    }

    @inline(never)
    private func computeFacts(of value: UInt32) -> ScalarFacts {
        guard let scalar = Unicode.Scalar(value) else {
            return ScalarFacts(kind: .separator, lowercase: 0xFFFD, decomposes: false, multiScalarLowercase: false, reorders: false)
        }
        let properties = scalar.properties
        let kind: ScalarFacts.Kind
        switch properties.generalCategory {
        case .nonspacingMark:
            kind = .dropped
        case .decimalNumber:
            kind = .digit
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .spacingMark, .enclosingMark, .letterNumber, .otherNumber, .connectorPunctuation:
            kind = Self.isInScriptWithoutSpaces(scalar) ? .wordWithoutSpaces : .word
        default:
            kind = Self.isNumberJoiner(scalar) ? .numberJoiner : .separator
        }
        var lowercase = value
        var multiScalarLowercase = false
        if properties.changesWhenLowercased {
            let mapping = Array(properties.lowercaseMapping.unicodeScalars)
            if mapping.count == 1 {
                lowercase = mapping[0].value
            } else {
                multiScalarLowercase = true
            }
        }
        var decomposes = false
        if value >= 0xA0 {  // nothing below U+00A0 decomposes
            let decomposition = Array(String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars)
            if decomposition != [scalar] {
                decomposes = true
                compatibilityDecompositions[value] = decomposition
            }
        }
        return ScalarFacts(
            kind: kind, lowercase: lowercase, decomposes: decomposes, multiScalarLowercase: multiScalarLowercase,
            reorders: properties.canonicalCombiningClass != .notReordered)
    }

    /// Sorts each run of scalars with a non-zero canonical combining class by that class,
    /// keeping the order of equal classes (the Canonical Ordering Algorithm).
    private static func reorderCombiningMarks(_ scalars: inout [Unicode.Scalar]) {
        var runStart = 0
        while runStart < scalars.count {
            guard scalars[runStart].properties.canonicalCombiningClass != .notReordered else {
                runStart += 1
                continue
            }
            var runEnd = runStart + 1
            while runEnd < scalars.count && scalars[runEnd].properties.canonicalCombiningClass != .notReordered {
                runEnd += 1
            }
            if runEnd - runStart > 1 {
                for position in (runStart + 1)..<runEnd {
                    let scalar = scalars[position]
                    let combiningClass = scalar.properties.canonicalCombiningClass.rawValue
                    var insertion = position
                    while insertion > runStart && scalars[insertion - 1].properties.canonicalCombiningClass.rawValue > combiningClass {
                        scalars[insertion] = scalars[insertion - 1]
                        insertion -= 1
                    }
                    scalars[insertion] = scalar
                }
            }
            runStart = runEnd
        }
    }

    /// Decodes the UTF-8 scalar at `index`; an invalid or truncated sequence yields U+FFFD and
    /// consumes one byte.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        func continuation(_ offset: Int) -> UInt32? {
            guard index &+ offset < count else { return nil }
            let byte = UInt32(bytes[index &+ offset])
            return byte & 0xC0 == 0x80 ? byte & 0x3F : nil
        }
        switch lead {
        case 0xC2...0xDF:
            if let second = continuation(1) { return ((lead & 0x1F) << 6 | second, 2) }
        case 0xE0...0xEF:
            if let second = continuation(1), let third = continuation(2) {
                let value = (lead & 0x0F) << 12 | second << 6 | third
                if value >= 0x800 && !(0xD800...0xDFFF).contains(value) { return (value, 3) }
            }
        case 0xF0...0xF4:
            if let second = continuation(1), let third = continuation(2), let fourth = continuation(3) {
                let value = (lead & 0x07) << 18 | second << 12 | third << 6 | fourth
                if value >= 0x1_0000 && value <= 0x10_FFFF { return (value, 4) }
            }
        default:
            break
        }
        return (0xFFFD, 1)
    }

    static func isNumberJoiner(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E, 0x2C, 0x060C, 0x066B, 0x2396...0x2398: return true  // . , ، ٫ ⎖ ⎗ ⎘
        default: return false
        }
    }

    /// Whether `scalar` belongs to a script written without spaces between words (by code point
    /// block): Thai, Lao, Myanmar, Khmer, Han (with radicals, 々 〆 〇 and Hangzhou numerals),
    /// Hiragana and Katakana.
    static func isInScriptWithoutSpaces(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0E00...0x0EFF,  // Thai, Lao
            0x1000...0x109F, 0xA9E0...0xA9FF, 0xAA60...0xAA7F,  // Myanmar
            0x1780...0x17FF, 0x19E0...0x19FF,  // Khmer
            0x2E80...0x2FDF,  // CJK radicals, Kangxi radicals
            0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303C,  // 々 〆 〇, Hangzhou numerals
            0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F, 0x1B000...0x1B16F,  // kana
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x323AF:  // Han
            return true
        default:
            return false
        }
    }
}

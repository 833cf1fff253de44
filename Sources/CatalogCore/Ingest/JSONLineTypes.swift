/// Which top-level JSON members of a line feed which document attributes.
///
/// Only members of the top-level object are matched; a key of the same name inside a nested
/// object stays part of that object's metadata. Several attributes may name the same key.
public struct JSONFieldMapping: Sendable, Equatable {
    /// Key of the document text (`--text-field`, default `text`). Required in every line.
    public var textField: String
    /// Key of the stable document id (`--id-field`, default `id`): a string or an integer.
    public var idField: String
    /// Key holding the source name (`--source-field`), or nil to keep such a key as metadata.
    public var sourceField: String?
    /// Key holding the domain (`--domain-field`), or nil.
    public var domainField: String?
    /// Key holding a quality score, a number or numeric string (`--quality-field`), or nil.
    public var qualityField: String?
    /// Key holding the language code (`--lang-field`), or nil.
    public var langField: String?

    /// Creates a mapping; the defaults read `text` and `id` and keep everything else as metadata.
    public init(
        textField: String = "text",
        idField: String = "id",
        sourceField: String? = nil,
        domainField: String? = nil,
        qualityField: String? = nil,
        langField: String? = nil
    ) {
        self.textField = textField
        self.idField = idField
        self.sourceField = sourceField
        self.domainField = domainField
        self.qualityField = qualityField
        self.langField = langField
    }
}

/// The JSON type of a value, for error messages.
public enum JSONValueKind: String, Sendable, Equatable {
    /// `{...}`
    case object
    /// `[...]`
    case array
    /// `"..."`
    case string
    /// `12`, `-0.5e3`
    case number
    /// `true` or `false`
    case boolean
    /// `null`
    case null

    /// The kind with an article, as used in messages: "an object", "a number", "null".
    public var phrase: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .boolean: "a boolean"
        case .null: "null"
        }
    }
}

/// Why one JSONL line was rejected. Columns are 1-based byte offsets within the line.
///
/// The caller prefixes the message with `file:line: `; `column` gives the position for tools.
public enum JSONLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is empty or only whitespace.
    case blankLine
    /// The bytes are not valid JSON; `expected` says what the grammar needed, `found` what was there.
    case malformed(expected: String, found: String, column: Int)
    /// The line is a valid JSON value start but not an object.
    case notAnObject(found: JSONValueKind, column: Int)
    /// The object has no member named like the text field.
    case missingTextField(field: String)
    /// The text member is not a string.
    case textNotString(field: String, found: JSONValueKind, column: Int)
    /// The text member is an empty or whitespace-only string.
    case emptyText(field: String, column: Int)
    /// The id member is neither a string nor an integer; `found` describes it ("a boolean", "the number 1.5").
    case idNotStringOrInteger(field: String, found: String, column: Int)
    /// A source/domain/lang member is not a string (or null).
    case fieldNotString(field: String, found: JSONValueKind, column: Int)
    /// The quality member is not a finite number or a numeric string (or null).
    case qualityNotNumber(field: String, found: String, column: Int)
    /// A byte sequence that is not UTF-8 (reported wherever it is in the line).
    case invalidUTF8(byte: UInt8, column: Int)
    /// A raw byte below 0x20 inside a string.
    case controlCharacterInString(byte: UInt8, column: Int)
    /// A backslash escape JSON does not define, or a `\u` without four hex digits.
    case badEscape(sequence: String, column: Int)
    /// Containers nested deeper than the limit.
    case nestingTooDeep(limit: Int, column: Int)
    /// Bytes other than whitespace after the closing `}`.
    case trailingCharacters(found: String, column: Int)

    /// The 1-based byte column of the problem, when it has one.
    public var column: Int? {
        switch self {
        case .blankLine, .missingTextField: nil
        case .malformed(_, _, let column), .notAnObject(_, let column), .textNotString(_, _, let column),
            .emptyText(_, let column), .idNotStringOrInteger(_, _, let column),
            .fieldNotString(_, _, let column), .qualityNotNumber(_, _, let column),
            .invalidUTF8(_, let column), .controlCharacterInString(_, let column),
            .badEscape(_, let column), .nestingTooDeep(_, let column), .trailingCharacters(_, let column):
            column
        }
    }

    /// A one-line explanation with the column and, where there is one, the fix.
    public var description: String {
        switch self {
        case .blankLine:
            return "blank line; JSONL needs one JSON object per line"
        case .malformed(let expected, let found, let column):
            return "malformed JSON at column \(column): expected \(expected), found \(found)"
        case .notAnObject(let found, let column):
            return "line is \(found.phrase), not a JSON object (column \(column)); each line must be one object like {\"text\": \"...\"}"
        case .missingTextField(let field):
            return "no \"\(field)\" field in the object; name the text field with --text-field"
        case .textNotString(let field, let found, let column):
            return "field \"\(field)\" must be a string, found \(found.phrase) at column \(column)"
        case .emptyText(let field, let column):
            return "field \"\(field)\" is empty or only whitespace (column \(column))"
        case .idNotStringOrInteger(let field, let found, let column):
            return "field \"\(field)\" must be a non-empty string or an integer, found \(found) at column \(column)"
        case .fieldNotString(let field, let found, let column):
            return "field \"\(field)\" must be a string or null, found \(found.phrase) at column \(column)"
        case .qualityNotNumber(let field, let found, let column):
            return "field \"\(field)\" must be a finite number or numeric string, found \(found) at column \(column)"
        case .invalidUTF8(let byte, let column):
            return "invalid UTF-8 at column \(column) (byte 0x\(hexByte(byte))); re-encode the file as UTF-8"
        case .controlCharacterInString(let byte, let column):
            return "raw control character 0x\(hexByte(byte)) in a string at column \(column); JSON requires it escaped (\\n, \\t, \\u00XX)"
        case .badEscape(let sequence, let column):
            return "invalid escape \(sequence) at column \(column); JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"
        case .nestingTooDeep(let limit, let column):
            return "JSON nested deeper than \(limit) levels at column \(column)"
        case .trailingCharacters(let found, let column):
            return "unexpected \(found) after the JSON object at column \(column); put exactly one object on each line"
        }
    }
}

/// A repair made while decoding a line that was nevertheless kept.
public struct JSONLineWarning: Sendable, Equatable, CustomStringConvertible {
    /// How many lone or reversed surrogate escapes were replaced by U+FFFD.
    public var replacedSurrogates: Int
    /// 1-based byte column of the first replaced escape.
    public var firstColumn: Int

    /// A one-line explanation for the diagnostics report.
    public var description: String {
        let escapes = replacedSurrogates == 1 ? "escape" : "escapes"
        return "replaced \(replacedSurrogates) lone surrogate \(escapes) with U+FFFD (first at column \(firstColumn))"
    }
}

/// The document fields extracted from one JSONL line by `JSONLineScanner`.
///
/// A record can be passed back to `scan(_:into:)` to reuse its buffers for the next line.
public struct ScannedRecord: Sendable {
    /// The decoded text, valid UTF-8 (escapes decoded, lone surrogates replaced by U+FFFD).
    public internal(set) var text: [UInt8] = []
    /// The id as written: a decoded string, or the digits of an integer. Nil when absent.
    public internal(set) var id: String?
    /// The source name, when mapped and present.
    public internal(set) var source: String?
    /// The domain, when mapped and present.
    public internal(set) var domain: String?
    /// The language code, when mapped and present.
    public internal(set) var lang: String?
    /// The quality score, when mapped and present.
    public internal(set) var quality: Double?
    /// Number of lone or reversed surrogate escapes replaced by U+FFFD in decoded fields.
    public internal(set) var repairs: Int = 0
    /// 1-based column of the first repair, or 0 when there is none.
    internal var firstRepairColumn: Int = 0
    /// Compact JSON object of the unmapped members (original bytes), empty when there are none.
    internal var metadataStorage: [UInt8] = []

    /// Creates an empty record, to be filled by `JSONLineScanner.scan(_:into:)`.
    public init() {}

    /// The unmapped top-level members as a JSON object built from their original bytes
    /// (`{"url":"…","meta":{…}}`), or nil when the line has no other members.
    public var metadataJSON: [UInt8]? {
        metadataStorage.isEmpty ? nil : metadataStorage
    }

    /// The text as a Swift string (copies; for tests and messages rather than hot paths).
    public var textString: String {
        String(decoding: text, as: UTF8.self)
    }

    /// The repair warning for the diagnostics report, or nil when nothing was repaired.
    public var warning: JSONLineWarning? {
        repairs == 0 ? nil : JSONLineWarning(replacedSurrogates: repairs, firstColumn: firstRepairColumn)
    }

    mutating func reset() {
        text.removeAll(keepingCapacity: true)
        metadataStorage.removeAll(keepingCapacity: true)
        id = nil
        source = nil
        domain = nil
        lang = nil
        quality = nil
        repairs = 0
        firstRepairColumn = 0
    }
}

func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
}

/// A strict, allocation-light JSON scanner for one JSONL line at a time.
///
/// It walks the top-level object once: mapped members (`JSONFieldMapping`) are decoded, every
/// other member is validated by structure and copied verbatim into `ScannedRecord.metadataJSON`.
/// Policy:
/// - the whole line must be valid UTF-8 (checked first, so invalid UTF-8 is the error reported
///   even when the JSON is also broken) and strict JSON (RFC 8259) up to `maximumDepth` levels;
///   trailing whitespace, including a `\r`, is allowed, anything else after the object is not;
/// - only top-level members are matched; for a duplicate top-level key the last one wins
///   (unmapped duplicates are recognised by their raw key bytes);
/// - a lone or reversed surrogate escape in a decoded field becomes U+FFFD and is counted in
///   `ScannedRecord.repairs` (the line is kept); in metadata it is copied unchanged;
/// - `null` for source, domain, lang or quality means "absent"; the id must be a string or an
///   integer (kept as its digits) and the text a non-blank string.
///
/// Not thread-safe: use one scanner per thread. Its buffers are reused from line to line.
public final class JSONLineScanner {
    /// Deepest nesting of arrays and objects accepted, the top-level object included.
    public static let maximumDepth = 512

    /// The field mapping this scanner applies.
    public let mapping: JSONFieldMapping

    private let fields: [(key: [UInt8], roles: FieldRoles)]
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var members: [MetadataMember] = []
    private var memberIndex: [UInt64: Int] = [:]

    /// Creates a scanner for `mapping`.
    public init(mapping: JSONFieldMapping = JSONFieldMapping()) {
        self.mapping = mapping
        var byKey: [(key: [UInt8], roles: FieldRoles)] = []
        func add(_ name: String?, _ role: FieldRoles) {
            guard let name else { return }
            let key = Array(name.utf8)
            if let index = byKey.firstIndex(where: { $0.key == key }) {
                byKey[index].roles.formUnion(role)
            } else {
                byKey.append((key, role))
            }
        }
        add(mapping.textField, .text)
        add(mapping.idField, .id)
        add(mapping.sourceField, .source)
        add(mapping.domainField, .domain)
        add(mapping.qualityField, .quality)
        add(mapping.langField, .lang)
        fields = byKey
        scratchCapacity = 64 * 1024
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        scratch.deallocate()
    }

    /// Scans one line (without its `\n`) into `record`, reusing the record's buffers.
    ///
    /// - Parameter allowingByteOrderMark: skip a UTF-8 byte order mark (EF BB BF) at the start;
    ///   pass true for the first line of a file only.
    /// - Throws: `JSONLineError` describing the first problem and its column; `record` is then
    ///   left in an unspecified state.
    public func scan(
        _ line: UnsafeRawBufferPointer,
        allowingByteOrderMark: Bool = false,
        into record: inout ScannedRecord
    ) throws(JSONLineError) {
        record.reset()
        guard let raw = line.baseAddress, !line.isEmpty else { throw .blankLine }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let count = line.count
        if let bad = UTF8Validation.firstInvalidOffset(base, count: count) {
            throw .invalidUTF8(byte: base[bad], column: bad + 1)
        }
        reserveScratch(count + 32)
        let cursor = LineCursor(base: base, end: count)
        members.removeAll(keepingCapacity: true)
        memberIndex.removeAll(keepingCapacity: true)

        var i = 0
        if allowingByteOrderMark, count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            i = 3
        }
        i = cursor.skipWhitespace(i)
        guard i < count else { throw .blankLine }
        guard base[i] == UInt8(ascii: "{") else {
            if let kind = cursor.kind(at: i) { throw .notAnObject(found: kind, column: i + 1) }
            throw cursor.malformed(expected: "'{' starting a JSON object", at: i)
        }
        var textColumn = 0
        i = cursor.skipWhitespace(i + 1)
        if i < count, base[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard i < count, base[i] == UInt8(ascii: "\"") else {
                    throw cursor.malformed(expected: "a string key", at: i)
                }
                let keyStart = i
                let (afterKey, escaped) = try cursor.skipString(from: i + 1)
                let roles = try roles(cursor, keyStart: keyStart, afterKey: afterKey, escaped: escaped)
                i = cursor.skipWhitespace(afterKey)
                guard i < count, base[i] == UInt8(ascii: ":") else {
                    throw cursor.malformed(expected: "':' after the key", at: i)
                }
                i = cursor.skipWhitespace(i + 1)
                if roles.isEmpty {
                    let valueStart = i
                    i = try cursor.skipValue(at: i, depth: 1)
                    addMember(cursor, keyStart: keyStart, afterKey: afterKey, valueStart: valueStart, valueEnd: i)
                } else {
                    i = try readMapped(roles, cursor, at: i, into: &record, textColumn: &textColumn)
                }
                i = cursor.skipWhitespace(i)
                guard i < count else { throw cursor.malformed(expected: "',' or '}'", at: i) }
                if base[i] == UInt8(ascii: ",") {
                    i = cursor.skipWhitespace(i + 1)
                    continue
                }
                guard base[i] == UInt8(ascii: "}") else { throw cursor.malformed(expected: "',' or '}'", at: i) }
                i += 1
                break
            }
        }
        i = cursor.skipWhitespace(i)
        if i < count { throw .trailingCharacters(found: cursor.describe(at: i), column: i + 1) }
        guard textColumn > 0 else { throw .missingTextField(field: mapping.textField) }
        guard record.text.contains(where: { !isASCIIWhitespace($0) }) else {
            throw .emptyText(field: mapping.textField, column: textColumn)
        }
        writeMetadata(cursor, into: &record.metadataStorage)
    }

    /// The value of the top-level string member `key` (the last one, when repeated), found by
    /// skipping over everything else without decoding or UTF-8 validation: several times
    /// faster than `scan` on long texts. Nil when the member is absent or not a string, when
    /// its key is written with escapes, or when the line is not a well-formed object.
    /// For a quick look (which source a line belongs to) before deciding whether to `scan` it.
    public func peekString(_ key: [UInt8], in line: UnsafeRawBufferPointer) -> String? {
        guard let raw = line.baseAddress, !line.isEmpty else { return nil }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let cursor = LineCursor(base: base, end: line.count)
        var i = cursor.skipWhitespace(0)
        guard i < line.count, base[i] == UInt8(ascii: "{") else { return nil }
        i = cursor.skipWhitespace(i + 1)
        var found: Int?
        while i < line.count, base[i] == UInt8(ascii: "\"") {
            guard let (afterKey, escaped) = try? cursor.skipString(from: i + 1) else { return nil }
            let isKey = !escaped && afterKey - i - 2 == key.count
                && key.withUnsafeBufferPointer { bytesEqual($0.baseAddress ?? base, base + i + 1, key.count) }
            i = cursor.skipWhitespace(afterKey)
            guard i < line.count, base[i] == UInt8(ascii: ":") else { return nil }
            i = cursor.skipWhitespace(i + 1)
            if isKey { found = i }
            guard let next = try? cursor.skipValue(at: i, depth: 1) else { return nil }
            i = cursor.skipWhitespace(next)
            guard i < line.count else { return nil }
            if base[i] == UInt8(ascii: "}") { break }
            guard base[i] == UInt8(ascii: ",") else { return nil }
            i = cursor.skipWhitespace(i + 1)
        }
        guard let start = found, base[start] == UInt8(ascii: "\"") else { return nil }
        reserveScratch(line.count + 32)
        var repairs = 0
        var firstRepair = 0
        guard let (_, count) = try? cursor.decodeString(
            from: start + 1, into: scratch, repairs: &repairs, firstRepair: &firstRepair)
        else { return nil }
        return String(decoding: UnsafeBufferPointer(start: UnsafePointer(scratch), count: count), as: UTF8.self)
    }

    /// `peekString(_:in:)` from the end of the line: the members are walked backwards from the
    /// closing brace (`JSONLineTailPeek`), so a short member after a long text is found without
    /// skipping the text. On a well-formed line it answers exactly as `peekString`; on a malformed
    /// one it may answer where `peekString` gives nil, so use it only where the line is then
    /// scanned or dropped anyway (the dictionary sampler). Walks forwards when the end of the line
    /// is not an object.
    public func peekStringFromEnd(_ key: [UInt8], in line: UnsafeRawBufferPointer) -> String? {
        guard let raw = line.baseAddress, !line.isEmpty else { return nil }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let finding = key.withUnsafeBufferPointer { JSONLineTailPeek(base: base, count: line.count).find($0) }
        switch finding {
        case .absent, .notString:
            return nil
        case .unknown:
            return peekString(key, in: line)
        case let .string(openingQuote):
            reserveScratch(line.count + 32)
            var repairs = 0
            var firstRepair = 0
            guard let (_, count) = try? LineCursor(base: base, end: line.count).decodeString(
                from: openingQuote + 1, into: scratch, repairs: &repairs, firstRepair: &firstRepair)
            else { return nil }
            return String(decoding: UnsafeBufferPointer(start: UnsafePointer(scratch), count: count), as: UTF8.self)
        }
    }

    /// Scans one line (without its `\n`) into a new record; convenient for tests and one-offs.
    public func scan(_ line: [UInt8], allowingByteOrderMark: Bool = false) throws(JSONLineError) -> ScannedRecord {
        var record = ScannedRecord()
        let result: Result<Void, JSONLineError> = line.withUnsafeBytes { bytes in
            Result { () throws(JSONLineError) in
                try scan(bytes, allowingByteOrderMark: allowingByteOrderMark, into: &record)
            }
        }
        try result.get()
        return record
    }

    // MARK: - Mapped fields

    private func roles(
        _ cursor: LineCursor, keyStart: Int, afterKey: Int, escaped: Bool
    ) throws(JSONLineError) -> FieldRoles {
        var keyBase = cursor.base + keyStart + 1
        var keyCount = afterKey - keyStart - 2
        if escaped {
            var repairs = 0
            var firstRepair = 0
            (_, keyCount) = try cursor.decodeString(
                from: keyStart + 1, into: scratch, repairs: &repairs, firstRepair: &firstRepair)
            keyBase = UnsafePointer(scratch)
        }
        for field in fields where field.key.count == keyCount {
            let equal = field.key.withUnsafeBufferPointer { key in
                key.baseAddress.map { bytesEqual($0, keyBase, keyCount) } ?? (keyCount == 0)
            }
            if equal { return field.roles }
        }
        return []
    }

    private func readMapped(
        _ roles: FieldRoles, _ cursor: LineCursor, at i: Int,
        into record: inout ScannedRecord, textColumn: inout Int
    ) throws(JSONLineError) -> Int {
        guard let kind = cursor.kind(at: i) else { throw cursor.malformed(expected: "a value", at: i) }
        let column = i + 1
        if roles.contains(.text), kind != .string {
            throw .textNotString(field: mapping.textField, found: kind, column: column)
        }
        switch kind {
        case .string:
            var repairs = 0
            var firstRepair = 0
            let (next, decodedCount) = try cursor.decodeString(
                from: i + 1, into: scratch, repairs: &repairs, firstRepair: &firstRepair)
            if repairs > 0 {
                if record.repairs == 0 { record.firstRepairColumn = firstRepair }
                record.repairs += repairs
            }
            let decoded = UnsafeBufferPointer(start: UnsafePointer(scratch), count: decodedCount)
            if roles.contains(.text) {
                record.text.removeAll(keepingCapacity: true)
                record.text.append(contentsOf: decoded)
                textColumn = column
            }
            if roles.isDisjoint(with: [.id, .source, .domain, .lang, .quality]) { return next }
            let string = String(decoding: decoded, as: UTF8.self)
            if roles.contains(.id) {
                guard !string.isEmpty else {
                    throw .idNotStringOrInteger(field: mapping.idField, found: "an empty string", column: column)
                }
                record.id = string
            }
            if roles.contains(.source) { record.source = string }
            if roles.contains(.domain) { record.domain = string }
            if roles.contains(.lang) { record.lang = string }
            if roles.contains(.quality) {
                let trimmed = string.trimmingASCIISpaces()
                guard let value = Double(trimmed), value.isFinite else {
                    throw .qualityNotNumber(
                        field: mapping.qualityField ?? "", found: "the string \(quoted(string))", column: column)
                }
                record.quality = value
            }
            return next
        case .number:
            let (next, isInteger) = try cursor.skipNumber(at: i)
            let digits = String(decoding: UnsafeBufferPointer(start: cursor.base + i, count: next - i), as: UTF8.self)
            if roles.contains(.id) {
                guard isInteger else {
                    throw .idNotStringOrInteger(field: mapping.idField, found: "the number \(digits)", column: column)
                }
                record.id = digits
            }
            try rejectNonString(roles, found: kind, column: column)
            if roles.contains(.quality) {
                guard let value = Double(digits), value.isFinite else {
                    throw .qualityNotNumber(
                        field: mapping.qualityField ?? "", found: "the number \(digits), out of range", column: column)
                }
                record.quality = value
            }
            return next
        case .null:
            let next = try cursor.skipLiteral("null", at: i)
            if roles.contains(.id) {
                throw .idNotStringOrInteger(field: mapping.idField, found: "null", column: column)
            }
            if roles.contains(.source) { record.source = nil }
            if roles.contains(.domain) { record.domain = nil }
            if roles.contains(.lang) { record.lang = nil }
            if roles.contains(.quality) { record.quality = nil }
            return next
        case .boolean, .object, .array:
            if roles.contains(.id) {
                throw .idNotStringOrInteger(field: mapping.idField, found: kind.phrase, column: column)
            }
            try rejectNonString(roles, found: kind, column: column)
            if roles.contains(.quality) {
                throw .qualityNotNumber(field: mapping.qualityField ?? "", found: kind.phrase, column: column)
            }
            return try cursor.skipValue(at: i, depth: 1)
        }
    }

    private func rejectNonString(_ roles: FieldRoles, found: JSONValueKind, column: Int) throws(JSONLineError) {
        let named: [(FieldRoles, String?)] = [
            (.source, mapping.sourceField), (.domain, mapping.domainField), (.lang, mapping.langField),
        ]
        for (role, field) in named where roles.contains(role) {
            throw .fieldNotString(field: field ?? "", found: found, column: column)
        }
    }

    // MARK: - Metadata

    private func addMember(_ cursor: LineCursor, keyStart: Int, afterKey: Int, valueStart: Int, valueEnd: Int) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in keyStart..<afterKey {
            hash = (hash ^ UInt64(cursor.base[k])) &* 0x0000_0100_0000_01B3
        }
        let member = MetadataMember(
            keyStart: keyStart, keyEnd: afterKey, valueStart: valueStart, valueEnd: valueEnd, hash: hash)
        if members.count < 32 {
            for index in members.indices where members[index].isAlive && members[index].hasSameKey(as: member, cursor) {
                members[index].isAlive = false
            }
        } else {
            if memberIndex.isEmpty {
                for index in members.indices where members[index].isAlive { memberIndex[members[index].hash] = index }
            }
            if let index = memberIndex[hash], members[index].hasSameKey(as: member, cursor) {
                members[index].isAlive = false
            }
            memberIndex[hash] = members.count
        }
        members.append(member)
    }

    private func writeMetadata(_ cursor: LineCursor, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for member in members where member.isAlive {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(contentsOf: UnsafeBufferPointer(start: cursor.base + member.keyStart, count: member.keyEnd - member.keyStart))
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: UnsafeBufferPointer(start: cursor.base + member.valueStart, count: member.valueEnd - member.valueStart))
        }
        if !out.isEmpty { out.append(UInt8(ascii: "}")) }
    }

    private func reserveScratch(_ capacity: Int) {
        guard capacity > scratchCapacity else { return }
        scratch.deallocate()
        scratchCapacity = max(capacity, scratchCapacity * 2)
        scratch = .allocate(capacity: scratchCapacity)
    }
}

// MARK: - Support types

private struct FieldRoles: OptionSet {
    let rawValue: UInt8
    static let text = FieldRoles(rawValue: 1)
    static let id = FieldRoles(rawValue: 2)
    static let source = FieldRoles(rawValue: 4)
    static let domain = FieldRoles(rawValue: 8)
    static let quality = FieldRoles(rawValue: 16)
    static let lang = FieldRoles(rawValue: 32)
}

/// An unmapped top-level member: raw key (with quotes) and raw value ranges in the line.
private struct MetadataMember {
    var keyStart: Int
    var keyEnd: Int
    var valueStart: Int
    var valueEnd: Int
    var hash: UInt64
    var isAlive = true

    func hasSameKey(as other: MetadataMember, _ cursor: LineCursor) -> Bool {
        let length = keyEnd - keyStart
        return hash == other.hash && length == other.keyEnd - other.keyStart
            && bytesEqual(cursor.base + keyStart, cursor.base + other.keyStart, length)
    }
}

@inline(__always)
private func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
}

private func quoted(_ string: String) -> String {
    let shown = string.count > 40 ? String(string.prefix(40)) + "…" : string
    return "\"\(shown)\""
}

private extension String {
    func trimmingASCIISpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}

/// Whether the `count` bytes at `a` and `b` are equal (the scanner's key comparisons).
@inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for k in 0..<count where a[k] != b[k] { return false }
    return true
}

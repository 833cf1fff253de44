import Foundation

/// One input value before it is given its attribute's type.
enum AnnotationCell: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case string(String)
    /// An array or object: never a valid attribute value.
    case nested

    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .real: return "a number"
        case .string: return "a string"
        case .nested: return "an array or object"
        }
    }
}

/// A parsed annotation file: per record its line, key and one cell per requested field.
struct AnnotationRecords {
    var lines: [Int] = []
    var keys: [String] = []
    /// `cells[field][record]`.
    var cells: [[AnnotationCell]]
    /// Whether cells came from CSV (all text, typed by parsing).
    var fromCSV: Bool
}

/// Collects `file:line: reason` problems, keeping the first 20.
struct AnnotationProblems {
    let path: String
    private(set) var kept: [String] = []
    private(set) var total = 0

    init(path: String) { self.path = path }

    mutating func add(line: Int?, _ reason: String) {
        total += 1
        if kept.count < 20 { kept.append(line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)") }
    }

    func check() throws(AnnotationError) {
        if total > 0 { throw .invalidFile(path: path, problems: kept, total: total) }
    }
}

/// Reads a JSONL or CSV annotation file completely (through the ingest byte sources, so
/// `.gz` and `.zst` work) and checks every line before anything is written.
enum AnnotationFileReader {
    /// The file's bytes, decompressed, and the sha256 of the bytes on disk.
    static func load(_ path: String) throws(AnnotationError) -> (bytes: [UInt8], sha256: String) {
        guard let raw = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        let sha256 = SHA256Hasher.hex(SHA256Hasher.digest([UInt8](raw)))
        do {
            let source = try openByteSource(path: path)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try buffer.withUnsafeMutableBytes { (raw) throws(InputError) in try source.read(into: raw) }
                if count == 0 { break }
                out += buffer[0..<count]
            }
            return (out, sha256)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }

    /// Parses JSONL: one object per line; blank lines are skipped.
    static func parseJSONL(_ bytes: [UInt8], options: AnnotationOptions, problems: inout AnnotationProblems) -> AnnotationRecords {
        var records = AnnotationRecords(cells: Array(repeating: [], count: options.fields.count), fromCSV: false)
        let decoder = JSONDecoder()
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? decoder.decode(JSONObjectCells.self, from: Data(line)) else {
                problems.add(line: lineNumber, "not a JSON object (malformed JSON or another kind of value)")
                continue
            }
            let key: String
            switch object.cells[options.keyField] ?? .null {
            case let .string(text) where !text.isEmpty: key = text
            case let .integer(number): key = String(number)
            case .null: problems.add(line: lineNumber, "missing key field '\(options.keyField)'"); continue
            case let other: problems.add(line: lineNumber, "key field '\(options.keyField)' is \(other.kindName), expected a string or an integer"); continue
            }
            records.lines.append(lineNumber)
            records.keys.append(key)
            for (index, field) in options.fields.enumerated() {
                records.cells[index].append(object.cells[field.inputField] ?? .null)
            }
        }
        return records
    }

    /// Parses RFC 4180 CSV with a header row: quoted fields may hold commas, quotes (doubled)
    /// and newlines; CRLF or LF line ends. Empty cells are nulls.
    static func parseCSV(_ bytes: [UInt8], options: AnnotationOptions, problems: inout AnnotationProblems) -> AnnotationRecords {
        var records = AnnotationRecords(cells: Array(repeating: [], count: options.fields.count), fromCSV: true)
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell: [UInt8] = []
        var line = 1
        var rowLine = 1
        var index = 0
        var quoted = false
        var afterQuote = false
        var badRow = false
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRow() {
            endCell()
            if !badRow, !(cells.count == 1 && cells[0].isEmpty) { rows.append((rowLine, cells)) }
            cells.removeAll()
            badRow = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == 0x22 {
                    if index < bytes.count, bytes[index] == 0x22 {
                        cell.append(0x22)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    cell.append(byte)
                }
                continue
            }
            switch byte {
            case 0x2C: endCell()
            case 0x0A:
                endRow()
                line += 1
                rowLine = line
            case 0x0D where index < bytes.count && bytes[index] == 0x0A: continue
            case 0x22:
                if cell.isEmpty, !afterQuote {
                    quoted = true
                } else if !badRow {
                    problems.add(line: line, "a quote inside an unquoted CSV field (quote the whole field and double inner quotes)")
                    badRow = true
                }
            default:
                if afterQuote, !badRow {
                    problems.add(line: line, "text after a closing quote in a CSV field")
                    badRow = true
                }
                cell.append(byte)
            }
        }
        if quoted {
            problems.add(line: rowLine, "unterminated quoted CSV field (starts on this line)")
        } else if !cell.isEmpty || !cells.isEmpty {
            endRow()
        }
        guard let header = rows.first else {
            problems.add(line: nil, "empty CSV file (expected a header row)")
            return records
        }
        var column: [String: Int] = [:]
        for (position, name) in header.cells.enumerated() where column[name] == nil { column[name] = position }
        guard let keyColumn = column[options.keyField] else {
            problems.add(line: header.line, "no key column '\(options.keyField)' in the header (\(header.cells.joined(separator: ",")))")
            return records
        }
        var fieldColumns: [Int] = []
        for field in options.fields {
            guard let position = column[field.inputField] else {
                problems.add(line: header.line, "no column '\(field.inputField)' in the header (\(header.cells.joined(separator: ",")))")
                return records
            }
            fieldColumns.append(position)
        }
        for row in rows.dropFirst() {
            guard row.cells.count == header.cells.count else {
                problems.add(line: row.line, "\(row.cells.count) fields, the header has \(header.cells.count)")
                continue
            }
            let key = row.cells[keyColumn]
            guard !key.isEmpty else {
                problems.add(line: row.line, "missing key field '\(options.keyField)'")
                continue
            }
            records.lines.append(row.line)
            records.keys.append(key)
            for (slot, position) in fieldColumns.enumerated() {
                let text = row.cells[position]
                records.cells[slot].append(text.isEmpty ? .null : .string(text))
            }
        }
        return records
    }

    /// The type of a field given without one: from JSON kinds, or for CSV real when every
    /// value is a finite number, else text.
    static func inferType(_ cells: [AnnotationCell], fromCSV: Bool) -> AttributeType {
        if fromCSV {
            let numeric = cells.allSatisfy { cell in
                if case let .string(text) = cell { return Double(text)?.isFinite == true }
                return true
            }
            return numeric ? .real : .text
        }
        for cell in cells {
            switch cell {
            case .bool: return .bool
            case .string: return .text
            case .integer, .real: return .real
            case .null, .nested: continue
            }
        }
        return .real
    }

    /// `cell` as a stored value of `type`; nil for null; a reason when it does not convert.
    static func convert(_ cell: AnnotationCell, to type: AttributeType) -> Result<SQLValue?, ConversionFailure> {
        switch (cell, type) {
        case (.null, _): return .success(nil)
        case let (.integer(number), .real): return .success(.real(Double(number)))
        case let (.real(number), .real): return .success(.real(number))
        case let (.integer(number), .int): return .success(.integer(number))
        case let (.real(number), .int) where number == number.rounded() && abs(number) < 9.2e18:
            return .success(.integer(Int64(number)))
        case let (.string(text), .text): return .success(.text(text))
        case let (.bool(flag), .bool): return .success(.integer(flag ? 1 : 0))
        case let (.string(text), .real):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite { return .success(.real(number)) }
        case let (.string(text), .int):
            if let number = Int64(text.trimmingCharacters(in: .whitespaces)) { return .success(.integer(number)) }
        case let (.string(text), .bool):
            switch text.lowercased() {
            case "true", "1": return .success(.integer(1))
            case "false", "0": return .success(.integer(0))
            default: break
            }
        default: break
        }
        let shown: String
        switch cell {
        case let .string(text): shown = "\"\(text.prefix(40))\""
        case let .integer(number): shown = String(number)
        case let .real(number): shown = String(number)
        case let .bool(flag): shown = String(flag)
        default: shown = cell.kindName
        }
        return .failure(ConversionFailure(shown: shown))
    }

    struct ConversionFailure: Error {
        var shown: String
    }
}

/// A JSON object decoded into cells (top-level members only).
private struct JSONObjectCells: Decodable {
    var cells: [String: AnnotationCell] = [:]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if try container.decodeNil(forKey: key) {
                cells[key.stringValue] = .null
            } else if let flag = try? container.decode(Bool.self, forKey: key) {
                cells[key.stringValue] = .bool(flag)
            } else if let number = try? container.decode(Int64.self, forKey: key) {
                cells[key.stringValue] = .integer(number)
            } else if let number = try? container.decode(Double.self, forKey: key) {
                cells[key.stringValue] = .real(number)
            } else if let text = try? container.decode(String.self, forKey: key) {
                cells[key.stringValue] = .string(text)
            } else {
                cells[key.stringValue] = .nested
            }
        }
    }
}

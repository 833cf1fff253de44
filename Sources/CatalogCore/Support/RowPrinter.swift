/// Output formats for commands that print rows.
public enum RowFormat: String, Sendable, CaseIterable {
    /// Aligned columns for people.
    case table
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON array of objects.
    case json
    /// One JSON object per line.
    case jsonl
}

/// A result set: column names and rows of values.
public struct RowSet: Sendable, Equatable {
    /// Column names.
    public var columns: [String]
    /// Rows, each with one value per column.
    public var rows: [[SQLValue]]

    /// A result set.
    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Renders result sets as table, CSV, JSON or JSON lines.
public enum RowPrinter {
    /// `rows` rendered in `format` (ends with a newline unless empty).
    public static func render(_ rows: RowSet, as format: RowFormat) -> String {
        switch format {
        case .table: return table(rows)
        case .csv: return csv(rows)
        case .json: return json(rows)
        case .jsonl: return jsonLines(rows)
        }
    }

    /// How a value reads in a table or CSV cell.
    static func cell(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        case let .integer(number): return String(number)
        case let .real(number): return realText(number)
        case let .text(text): return text
        case let .blob(bytes): return "<\(bytes.count) bytes>"
        }
    }

    /// A real with up to 6 significant decimals, without trailing zeros.
    static func realText(_ value: Double) -> String {
        guard value.isFinite else { return Format.decimal(value, digits: 0) }
        let magnitude = abs(value)
        let digits = magnitude >= 1000 ? 2 : magnitude >= 1 ? 4 : 6
        var text = Format.decimal(value, digits: digits)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func isNumeric(_ value: SQLValue) -> Bool {
        switch value {
        case .integer, .real: return true
        default: return false
        }
    }

    static func table(_ rows: RowSet) -> String {
        let cells = rows.rows.map { $0.map { cell($0).replacingNewlines() } }
        var widths = rows.columns.map { $0.count }
        for row in cells {
            for (index, text) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], text.count)
            }
        }
        func line(_ values: [String], rightAlign: [Bool]) -> String {
            values.enumerated().map { index, text in
                let padding = String(repeating: " ", count: widths[index] - text.count)
                return rightAlign[index] ? padding + text : text + padding
            }.joined(separator: "  ").trailingSpacesRemoved()
        }
        let numericColumns = rows.columns.indices.map { column in
            !rows.rows.isEmpty && rows.rows.allSatisfy { isNumeric($0[column]) || $0[column] == .null }
        }
        var out = line(rows.columns, rightAlign: numericColumns) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row, rightAlign: numericColumns) + "\n" }
        out += "(\(rows.rows.count) row\(rows.rows.count == 1 ? "" : "s"))\n"
        return out
    }

    static func csv(_ rows: RowSet) -> String {
        func field(_ text: String) -> String {
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            }
            return text
        }
        var out = rows.columns.map(field).joined(separator: ",") + "\r\n"
        for row in rows.rows { out += row.map { field(cell($0)) }.joined(separator: ",") + "\r\n" }
        return out
    }

    static func jsonValue(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case let .integer(number): return String(number)
        case let .real(number): return JSONText.number(number)
        case let .text(text): return JSONText.quoted(text)
        case let .blob(bytes): return JSONText.quoted(bytes.map { lowercaseHexByte($0) }.joined())
        }
    }

    static func jsonObject(_ columns: [String], _ row: [SQLValue]) -> String {
        "{" + zip(columns, row).map { JSONText.quoted($0) + ":" + jsonValue($1) }.joined(separator: ",") + "}"
    }

    static func json(_ rows: RowSet) -> String {
        "[" + rows.rows.map { jsonObject(rows.columns, $0) }.joined(separator: ",\n ") + "]\n"
    }

    static func jsonLines(_ rows: RowSet) -> String {
        rows.rows.map { jsonObject(rows.columns, $0) + "\n" }.joined()
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        guard contains(where: { $0.isNewline || $0 == "\t" }) else { return self }
        return String(self.map { character -> Character in
            character.isNewline ? "⏎" : character == "\t" ? " " : character
        })
    }

    fileprivate func trailingSpacesRemoved() -> String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}

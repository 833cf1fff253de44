/// A JSON value whose objects keep their keys in the order given, for files whose bytes
/// should not depend on dictionary ordering (`manifest.json`, `index.json`).
indirect enum OrderedJSON: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case real(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.rendered(pretty: false) == rhs.rendered(pretty: false)
    }

    /// An optional string as a string or null.
    static func optional(_ value: String?) -> OrderedJSON { value.map { .string($0) } ?? .null }

    /// The value as JSON text: two-space indentation and a final newline when `pretty`.
    func rendered(pretty: Bool) -> String {
        var out: [UInt8] = []
        write(to: &out, indent: pretty ? 0 : nil)
        if pretty { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    private func write(to out: inout [UInt8], indent: Int?) {
        func newline(_ level: Int) {
            out.append(0x0A)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: 2 * level))
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case let .integer(value): out.append(contentsOf: String(value).utf8)
        case let .unsigned(value): out.append(contentsOf: String(value).utf8)
        case let .real(value): JSONText.appendNumber(value, to: &out)
        case let .string(value): JSONText.appendQuoted(value, to: &out)
        case let .array(items):
            out.append(0x5B)
            // Arrays of scalars stay on one line.
            let scalars = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: indent != nil && scalars ? [0x2C, 0x20] : [0x2C]) }
                if let indent, !scalars { newline(indent + 1) }
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if let indent, !scalars, !items.isEmpty { newline(indent) }
            out.append(0x5D)
        case let .object(members):
            out.append(0x7B)
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(0x2C) }
                if let indent { newline(indent + 1) }
                JSONText.appendQuoted(member.0, to: &out)
                out.append(0x3A)
                if indent != nil { out.append(0x20) }
                member.1.write(to: &out, indent: indent.map { $0 + 1 })
            }
            if let indent, !members.isEmpty { newline(indent) }
            out.append(0x7D)
        }
    }
}

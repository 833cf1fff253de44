/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .integer(value): return String(value)
        case let .real(value): return String(value)
        case let .text(value): return value
        case let .blob(value): return "x'" + value.map { lowercaseHexByte($0) }.joined() + "'"
        }
    }
}

/// Two lowercase hex digits of a byte.
func lowercaseHexByte(_ byte: UInt8) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}

extension SQLValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// An integer value, or NULL for nil.
    public static func int(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    /// A text value, or NULL for nil.
    public static func optionalText(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    /// A real value, or NULL for nil.
    public static func optionalReal(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }
}

/// A NUL byte with a stable address, bound for empty text (a NULL pointer would bind SQL NULL).
nonisolated(unsafe) let emptyCString: UnsafeMutablePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
}()

/// Problems found while configuring or running near-duplicate detection.
public enum DedupError: Error, Equatable, CustomStringConvertible {
    /// A MinHash scheme parameter is out of range or names something this build cannot compute.
    case invalidScheme(parameter: String, value: String, reason: String)

    /// A message that says what is wrong and how to fix it.
    public var description: String {
        switch self {
        case let .invalidScheme(parameter, value, reason):
            return "invalid MinHash scheme: \(parameter) = \(value): \(reason)"
        }
    }
}

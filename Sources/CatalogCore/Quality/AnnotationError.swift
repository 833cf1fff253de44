/// Errors of `catalog annotate`; none of them changes the catalog.
public enum AnnotationError: Error, Equatable, CustomStringConvertible {
    /// A `--field` that does not parse.
    case invalidFieldSpec(String, reason: String)
    /// The same attribute name twice, or no field at all.
    case invalidFields(String)
    /// The file cannot be read or decompressed.
    case unreadable(path: String, reason: String)
    /// The file has problems (each `file:line: reason`); `total` counts all, only the first are kept.
    case invalidFile(path: String, problems: [String], total: Int)
    /// Keys found in more than one source when no `--source` was given.
    case ambiguousKeys(path: String, examples: [String], total: Int)
    /// `--source` names no source.
    case unknownSource(String)

    public var description: String {
        switch self {
        case let .invalidFieldSpec(spec, reason): return "--field \(spec): \(reason)"
        case let .invalidFields(reason): return "--field: \(reason)"
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .invalidFile(path, problems, total):
            let more = total > problems.count ? "\n... and \(total - problems.count) more" : ""
            return "\(path): \(total) problem\(total == 1 ? "" : "s"); nothing was imported:\n"
                + problems.joined(separator: "\n") + more
        case let .ambiguousKeys(path, examples, total):
            return "\(path): \(total) key\(total == 1 ? " is" : "s are") in more than one source (\(examples.joined(separator: ", "))); "
                + "pass --source NAME to say which source the file annotates; nothing was imported"
        case let .unknownSource(name): return "--source \(name): no such source; see catalog sources"
        }
    }
}

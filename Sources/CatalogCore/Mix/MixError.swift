/// One problem found in a recipe: where (file line, recipe path) and what.
public struct RecipeDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The recipe path, like `components[2].weight`.
    public var path: String
    /// The 1-based line in the YAML text, when known.
    public var line: Int?
    /// What is wrong and how to fix it.
    public var message: String

    /// A diagnostic at `path`.
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `file:line: path: message`, as compilers print diagnostics.
    public func located(in file: String) -> String {
        "\(file):\(line.map { "\($0):" } ?? "") \(path.isEmpty ? "" : path + ": ")\(message)"
    }

    public var description: String {
        let location = line.map { "line \($0): " } ?? ""
        return "\(location)\(path.isEmpty ? "" : path + ": ")\(message)"
    }
}

/// Errors of recipes, plans and materialization.
public enum MixError: Error, Equatable, CustomStringConvertible {
    /// The recipe has problems (all of them, in order).
    case invalidRecipe(file: String, problems: [RecipeDiagnostic])
    /// No recipe with this name (and version).
    case unknownRecipe(reference: String, known: [String])
    /// `NAME@VERSION` is malformed.
    case badRecipeReference(String)
    /// A target cannot be met under the recipe's shortfall policy.
    case shortfall(policy: ShortfallPolicy, problems: [String])
    /// A `prefer` expression gave a negative value for a document.
    case negativePreference(path: String, docKey: String, value: Double)
    /// A size like `256MiB` or `2B` could not be read.
    case badSize(String, reason: String)
    /// The output directory cannot be used.
    case output(String)

    public var description: String {
        switch self {
        case let .invalidRecipe(file, problems):
            let count = problems.count
            return "\(file): \(count) problem\(count == 1 ? "" : "s") in the recipe:\n"
                + problems.map { "  " + $0.located(in: file) }.joined(separator: "\n")
        case let .unknownRecipe(reference, known):
            let list = known.isEmpty ? "the catalog has no recipes; add one with `catalog recipe add FILE`"
                : "known: \(known.joined(separator: ", "))"
            return "no recipe \(reference) in the catalog (\(list))"
        case let .badRecipeReference(text):
            return "\(text): not a recipe reference; write NAME or NAME@VERSION (VERSION a positive integer)"
        case let .shortfall(policy, problems):
            return "the recipe's targets cannot be met (shortfall: \(policy.rawValue)):\n"
                + problems.map { "  \($0)" }.joined(separator: "\n")
                + "\nlower total_tokens or the weights, widen the filters, raise max_epochs with shortfall: repeat, "
                + "or use shortfall: redistribute"
        case let .negativePreference(path, docKey, value):
            return "\(path): prefer is \(value) for document \(docKey); it must be >= 0 (0 = never chosen)"
        case let .badSize(text, reason):
            return "\(text): \(reason)"
        case let .output(message):
            return message
        }
    }
}

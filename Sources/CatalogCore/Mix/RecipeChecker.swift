/// Checks a recipe's SQL expressions against a catalog: each `where` and `prefer` must stay one
/// expression (`UserExpression`) and compile over `docs` on the read-only connection, whose
/// authorizer refuses writes, ATTACH and PRAGMAs.
public struct RecipeChecker {
    private let query: ReadOnlyQuery

    /// A checker preparing statements with `query`.
    public init(query: ReadOnlyQuery) { self.query = query }

    /// Every problem of the recipe's expressions, in recipe order.
    public func problems(in recipe: Recipe, lines: [String: Int] = [:]) -> [RecipeDiagnostic] {
        var problems: [RecipeDiagnostic] = []
        func check(_ expression: String?, _ path: String, asWeight: Bool = false) {
            guard let expression else { return }
            if let problem = UserExpression.problem(expression) {
                problems.append(RecipeDiagnostic(path: path, line: lines[path], message: "refused: \(problem)"))
                return
            }
            let probe = MixQuerySQL.probe(expression: asWeight ? MixQuerySQL.weight(prefer: expression) : expression)
            do {
                _ = try query.prepare(probe)
            } catch {
                problems.append(RecipeDiagnostic(path: path, line: lines[path], message: Self.message(error)))
            }
        }
        for (index, component) in recipe.components.enumerated() {
            check(component.filter, "components[\(index)].where")
            check(component.prefer, "components[\(index)].prefer", asWeight: true)
        }
        for (index, phase) in recipe.phases.enumerated() {
            check(phase.filter, "phases[\(index)].where")
        }
        return problems
    }

    static func message(_ error: StoreError) -> String {
        switch error {
        case let .sqlite(_, message, _): return "not valid SQL over docs: \(message) (SQLite)"
        case let .readOnlyViolation(reason): return "refused: \(reason); filters may only read"
        case .multipleStatements: return "refused: more than one SQL statement"
        default: return "\(error)"
        }
    }
}

/// `NAME` or `NAME@VERSION`.
public struct RecipeReference: Sendable, Equatable, CustomStringConvertible {
    /// The recipe name.
    public var name: String
    /// The version, or nil for the latest.
    public var version: Int?

    /// Parses `text`.
    public init(parsing text: String) throws(MixError) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), RecipeParser.isValidName(String(parts[0])) else {
            throw .badRecipeReference(text)
        }
        name = String(parts[0])
        if parts.count == 2 {
            guard let number = Int(parts[1]), number >= 1 else { throw .badRecipeReference(text) }
            version = number
        }
    }

    public var description: String { version.map { "\(name)@\($0)" } ?? name }
}

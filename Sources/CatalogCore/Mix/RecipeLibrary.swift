import Foundation

/// `catalog recipe add/list/show`: validated recipes stored by name and version.
public struct RecipeLibrary {
    private let catalog: Catalog

    /// The library of `catalog` (opened for writing to add).
    public init(catalog: Catalog) { self.catalog = catalog }

    /// What `add` did, with the parser's warnings.
    public struct AddResult: Sendable {
        /// Added or unchanged.
        public var outcome: RecipeAddOutcome
        /// Normalised weights and the like.
        public var warnings: [RecipeDiagnostic]
    }

    /// Parses the recipe at `path`, checks its SQL against the catalog on a read-only
    /// connection, and stores it as the next version of its name (unless unchanged).
    public func add(file path: String) throws -> AddResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MixError.output("\(path): cannot read the recipe file (missing or unreadable)")
        }
        guard let body = String(data: data, encoding: .utf8) else {
            throw MixError.invalidRecipe(file: path, problems: [RecipeDiagnostic(path: "", line: nil, message: "not UTF-8 text")])
        }
        return try add(body: body, file: path)
    }

    /// Like `add(file:)` for YAML text; `file` names it in messages.
    public func add(body: String, file: String) throws -> AddResult {
        let parsed = RecipeParser.parse(body)
        guard let recipe = parsed.recipe else { throw MixError.invalidRecipe(file: file, problems: parsed.problems) }
        let readCatalog = try Catalog.openReadOnly(at: catalog.path)
        let problems = try MixCatalogReader(catalog: readCatalog).check(recipe, lines: parsed.lines)
        if !problems.isEmpty { throw MixError.invalidRecipe(file: file, problems: problems) }
        let outcome = try RecipeStore(catalog: catalog).add(name: recipe.name, body: body)
        return AddResult(outcome: outcome, warnings: parsed.warnings)
    }

    /// Every stored version.
    public func list() throws -> RowSet { try RecipeStore(catalog: catalog).list() }

    /// The stored text of `reference`.
    public func show(_ reference: RecipeReference) throws -> StoredRecipe {
        try LoadedRecipe.load(reference, from: catalog).stored
    }
}

/// Renders plans for `catalog plan`.
public enum MixPlanReport {
    /// One row per (phase, component) and a total per phase.
    public static func rows(_ plan: MixPlan) -> RowSet {
        let unit = plan.recipe.unit.rawValue
        let columns = [
            "phase", "component", "weight", "available_docs", "available_tokens", "target_\(unit)", "epochs_needed",
            "max_epochs", "planned_\(unit)", "shortfall_\(unit)",
        ]
        var rows: [[SQLValue]] = []
        for phase in plan.recipe.phases {
            let phaseRows = plan.components.filter { $0.phase == phase.name }
            for row in phaseRows {
                let epochs = row.epochsNeeded(unit: plan.recipe.unit)
                rows.append([
                    .text(row.phase), .text(row.component), .real((row.weight * 1e6).rounded() / 1e6),
                    .integer(row.available.docs), .integer(row.available.tokens), .integer(row.target),
                    epochs.isFinite ? .real((epochs * 1000).rounded() / 1000) : .null, .integer(Int64(row.maxEpochs)),
                    .integer(row.planned), .integer(max(0, row.target - row.planned)),
                ])
            }
            let target = phaseRows.reduce(Int64(0)) { $0 + $1.target }
            let planned = phaseRows.reduce(Int64(0)) { $0 + $1.planned }
            rows.append([
                .text(phase.name), .text("(total)"), .real((phaseRows.reduce(0) { $0 + $1.weight } * 1e6).rounded() / 1e6),
                .null, .null, .integer(target), .null, .null, .integer(planned), .integer(max(0, target - planned)),
            ])
        }
        return RowSet(columns: columns, rows: rows)
    }

    /// The SQL each (phase, component) compiles to.
    public static func sql(_ plan: MixPlan) -> String {
        plan.components.map { row in
            "-- phase \(row.phase), component \(row.component)\n"
                + MixQuerySQL.candidates(condition: row.condition, prefer: row.prefer) + ";\n"
        }.joined(separator: "\n")
    }
}

/// Renders what `catalog materialize` achieved.
public enum MaterializeReport {
    /// Per (phase, component): target, achieved tokens and documents, share of the phase, epochs.
    public static func rows(_ result: MaterializeResult) -> RowSet {
        let unit = result.selection.plan.recipe.unit.rawValue
        var rows: [[SQLValue]] = []
        for sampled in result.selection.phases {
            let phaseTokens = Double(sampled.reduce(Int64(0)) { $0 + $1.tokens })
            for component in sampled {
                rows.append([
                    .text(component.plan.phase), .text(component.plan.component), .integer(component.plan.target),
                    .integer(component.amount), .integer(component.tokens), .integer(Int64(component.entries.count)),
                    .real((component.plan.weight * 1e4).rounded() / 1e4),
                    .real(phaseTokens > 0 ? (Double(component.tokens) / phaseTokens * 1e4).rounded() / 1e4 : 0),
                    .integer(Int64(component.entries.map(\.epoch).max() ?? 0)),
                ])
            }
        }
        return RowSet(
            columns: ["phase", "component", "target_\(unit)", "achieved_\(unit)", "tokens", "documents", "target_share",
                      "token_share", "epochs"],
            rows: rows)
    }
}

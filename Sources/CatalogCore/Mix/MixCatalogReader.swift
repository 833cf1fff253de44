/// Reads what plans and samples need from a catalog, running the recipe's compiled SQL on a
/// read-only connection behind the authorizer.
public final class MixCatalogReader {
    private let query: ReadOnlyQuery

    /// A reader over a catalog opened with `Catalog.openReadOnly`.
    public init(catalog: Catalog) throws(StoreError) {
        query = try ReadOnlyQuery(catalog: catalog)
    }

    /// The problems of `recipe`'s SQL expressions (see `RecipeChecker`).
    public func check(_ recipe: Recipe, lines: [String: Int] = [:]) -> [RecipeDiagnostic] {
        RecipeChecker(query: query).problems(in: recipe, lines: lines)
    }

    /// The plan of `recipe` from SQL aggregates.
    public func plan(_ recipe: Recipe) throws -> MixPlan {
        try MixPlanner.plan(recipe) { phaseIndex, componentIndex in
            let phase = recipe.phases[phaseIndex]
            let component = recipe.components[componentIndex]
            let condition = MixQuerySQL.condition(
                componentFilter: component.filter, phaseFilter: phase.filter, excludeDuplicates: recipe.excludeDuplicates)
            let statement = try query.prepare(MixQuerySQL.availability(condition: condition, prefer: component.prefer))
            guard try statement.step() else { return ComponentAvailability(docs: 0, tokens: 0) }
            var available = ComponentAvailability(docs: statement.int64(0), tokens: statement.int64(1))
            available.negativeDocs = statement.int64(2)
            available.negativeKey = statement.optionalText(3)
            available.zeroWeightDocs = statement.int64(4)
            return available
        }
    }

    /// Ends the read transaction (the snapshot) begun before this reader was made; the reader is
    /// not used after it.
    public func endSnapshot() throws(StoreError) {
        try query.endTransaction()
    }

    /// The candidates of one planned (phase, component), in document_id order.
    public func candidates(of row: PlannedComponent) throws -> [MixCandidate] {
        let statement = try query.prepare(MixQuerySQL.candidates(condition: row.condition, prefer: row.prefer))
        var candidates: [MixCandidate] = []
        candidates.reserveCapacity(Int(row.available.docs))
        while try statement.step() {
            let weight = statement.double(4)
            if weight < 0 {
                throw MixError.negativePreference(
                    path: "components[\(row.componentIndex)].prefer", docKey: statement.text(1), value: weight)
            }
            guard weight > 0 else { continue }
            candidates.append(MixCandidate(
                documentID: statement.int64(0), docKey: statement.text(1), source: statement.text(2),
                tokens: statement.int(3), weight: weight))
        }
        return candidates
    }
}

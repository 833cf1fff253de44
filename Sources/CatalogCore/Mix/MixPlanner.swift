/// What a (phase, component) filter selects in the catalog, from SQL aggregates.
public struct ComponentAvailability: Sendable, Equatable {
    /// Documents with a sampling weight > 0.
    public var docs: Int64
    /// Their tokens.
    public var tokens: Int64
    /// Documents whose `prefer` is negative (an error), and the first such key.
    public var negativeDocs: Int64 = 0
    /// The smallest key of a document with a negative `prefer`.
    public var negativeKey: String?
    /// Documents left out because their `prefer` is 0 (or NULL).
    public var zeroWeightDocs: Int64 = 0

    /// Availability of `docs` documents holding `tokens` tokens.
    public init(docs: Int64, tokens: Int64) {
        self.docs = docs
        self.tokens = tokens
    }

    /// The amount in `unit`s.
    public func amount(in unit: MixUnit) -> Int64 { unit == .tokens ? tokens : docs }
}

/// The plan of one (phase, component).
public struct PlannedComponent: Sendable, Equatable {
    /// The phase's name.
    public var phase: String
    /// The component's name.
    public var component: String
    /// Index of the component in the recipe.
    public var componentIndex: Int
    /// The component's share of the phase after weighting (0…1).
    public var weight: Double
    /// What the filter selects.
    public var available: ComponentAvailability
    /// The epoch cap of the component.
    public var maxEpochs: Int
    /// The target in the recipe's unit: share × weight × total.
    public var target: Int64
    /// What will be drawn after the shortfall policy.
    public var planned: Int64
    /// target − planned when positive (before redistribution to others).
    public var shortfall: Int64
    /// The WHERE condition the component compiles to in this phase.
    public var condition: String
    /// The `prefer` expression, if any.
    public var prefer: String?

    /// Passes over the available documents the target needs (∞ when nothing is available).
    public func epochsNeeded(unit: MixUnit) -> Double {
        let amount = available.amount(in: unit)
        return amount > 0 ? Double(target) / Double(amount) : (target > 0 ? .infinity : 0)
    }
}

/// A recipe's plan: per phase and component, what is available, targeted and planned.
public struct MixPlan: Sendable {
    /// The recipe planned.
    public var recipe: Recipe
    /// One row per (phase, component), phases in order, components in recipe order.
    public var components: [PlannedComponent]
    /// Why the plan cannot be materialized under the recipe's policy (empty when it can).
    public var problems: [String]
    /// Things worth knowing (redistribution, shortfall under redistribute, zero weights).
    public var warnings: [String]

    /// Whether materialize may proceed.
    public var isFeasible: Bool { problems.isEmpty }
}

/// Turns a recipe and the availability of its components into targets, following the
/// weighting and the shortfall policy. Pure: the catalog is read by `MixCatalogReader`.
public enum MixPlanner {
    /// The plan of `recipe` given `availability(phaseIndex, componentIndex)`.
    public static func plan(
        _ recipe: Recipe, availability: (Int, Int) throws -> ComponentAvailability
    ) rethrows -> MixPlan {
        var rows: [PlannedComponent] = []
        var problems: [String] = []
        var warnings: [String] = []
        for (phaseIndex, phase) in recipe.phases.enumerated() {
            var phaseRows: [PlannedComponent] = []
            for (componentIndex, component) in recipe.components.enumerated() {
                let available = try availability(phaseIndex, componentIndex)
                if available.negativeDocs > 0 {
                    problems.append(
                        "components[\(componentIndex)].prefer: negative for \(available.negativeDocs) document(s) "
                            + "in phase \(phase.name) (first: \(available.negativeKey ?? "?")); prefer must be >= 0")
                }
                phaseRows.append(PlannedComponent(
                    phase: phase.name, component: component.name, componentIndex: componentIndex, weight: 0,
                    available: available, maxEpochs: component.maxEpochs ?? recipe.maxEpochs, target: 0, planned: 0,
                    shortfall: 0,
                    condition: MixQuerySQL.condition(
                        componentFilter: component.filter, phaseFilter: phase.filter,
                        excludeDuplicates: recipe.excludeDuplicates),
                    prefer: component.prefer))
            }
            let budget = Double(recipe.total) * phase.share
            let weights = self.weights(recipe, phase: phase, rows: phaseRows, budget: budget)
            for index in phaseRows.indices {
                phaseRows[index].weight = weights[index]
                phaseRows[index].target = Int64((budget * weights[index]).rounded())
            }
            applyPolicy(recipe, phase: phase.name, rows: &phaseRows, problems: &problems, warnings: &warnings)
            rows += phaseRows
        }
        return MixPlan(recipe: recipe, components: rows, problems: problems, warnings: warnings)
    }

    /// The components' shares of a phase (summing to 1 unless nothing is available).
    static func weights(_ recipe: Recipe, phase: RecipePhase, rows: [PlannedComponent], budget: Double) -> [Double] {
        let amounts = rows.map { Double($0.available.amount(in: recipe.unit)) }
        var raw: [Double]
        if let phaseWeights = phase.weights {
            raw = recipe.components.map { phaseWeights[$0.name] ?? 0 }
        } else {
            switch recipe.weighting {
            case .explicit:
                raw = recipe.components.map { $0.weight ?? 0 }
            case let .temperature(temperature):
                raw = amounts.map { $0 > 0 ? Foundation.pow($0, 1 / temperature) : 0 }
            case let .unimax(maxEpochs):
                raw = unimax(amounts: amounts, budget: budget, maxEpochs: maxEpochs)
            }
        }
        let sum = raw.reduce(0, +)
        return sum > 0 ? raw.map { $0 / sum } : raw.map { _ in 0 }
    }

    /// UniMax allocation: components in increasing order of what they have each get an equal
    /// part of what is left, but at most `maxEpochs` passes over their data.
    static func unimax(amounts: [Double], budget: Double, maxEpochs: Double) -> [Double] {
        let order = amounts.indices.sorted { (amounts[$0], $0) < (amounts[$1], $1) }
        var allocation = [Double](repeating: 0, count: amounts.count)
        var left = budget
        for (position, index) in order.enumerated() {
            let share = left / Double(order.count - position)
            allocation[index] = min(share, amounts[index] * maxEpochs)
            left -= allocation[index]
        }
        return allocation
    }

    /// Caps targets by what the policy allows and records problems, or moves the excess.
    static func applyPolicy(
        _ recipe: Recipe, phase: String, rows: inout [PlannedComponent], problems: inout [String], warnings: inout [String]
    ) {
        let unit = recipe.unit.rawValue
        func limit(_ row: PlannedComponent) -> Int64 {
            let amount = row.available.amount(in: recipe.unit)
            return recipe.shortfall == .error ? amount : amount * Int64(row.maxEpochs)
        }
        var excess: Int64 = 0
        for index in rows.indices {
            let cap = limit(rows[index])
            rows[index].planned = min(rows[index].target, cap)
            rows[index].shortfall = rows[index].target - rows[index].planned
            guard rows[index].shortfall > 0 else { continue }
            excess += rows[index].shortfall
            let row = rows[index]
            let amount = row.available.amount(in: recipe.unit)
            let what = "phase \(phase), component \(row.component): target \(row.target) \(unit), available \(amount)"
            switch recipe.shortfall {
            case .error:
                problems.append("\(what) (would need \(Format.decimal(row.epochsNeeded(unit: recipe.unit), digits: 2)) epochs; shortfall: error allows 1)")
            case .repeatEpochs:
                problems.append("\(what) × max_epochs \(row.maxEpochs) = \(cap) (short by \(row.shortfall))")
            case .redistribute:
                break
            }
        }
        guard recipe.shortfall == .redistribute, excess > 0 else { return }
        // Water-filling: share the excess among components with room, by weight, until it is
        // placed or nobody has room.
        var left = Double(excess)
        var extra = [Double](repeating: 0, count: rows.count)
        while left > 0.5 {
            let open = rows.indices.filter { rows[$0].weight > 0 && Double(rows[$0].planned) + extra[$0] < Double(limit(rows[$0])) - 0.5 }
            let weightSum = open.map { rows[$0].weight }.reduce(0, +)
            guard !open.isEmpty, weightSum > 0 else { break }
            var placed = 0.0
            for index in open {
                let room = Double(limit(rows[index])) - Double(rows[index].planned) - extra[index]
                let give = min(room, left * rows[index].weight / weightSum)
                extra[index] += give
                placed += give
            }
            left -= placed
            if placed < 1e-9 { break }
        }
        // Whole units: floors first, then the units left to the largest fractions (ties: recipe order).
        var moved: Int64 = 0
        var floors = extra.map { Int64($0.rounded(.down)) }
        let placedTotal = Int64(extra.reduce(0, +).rounded())
        let byFraction = rows.indices.filter { extra[$0] > 0 }
            .sorted { (extra[$0] - Double(floors[$0]), -$0) > (extra[$1] - Double(floors[$1]), -$1) }
        var leftover = placedTotal - floors.reduce(0, +)
        for index in byFraction where leftover > 0 && rows[index].planned + floors[index] < limit(rows[index]) {
            floors[index] += 1
            leftover -= 1
        }
        for index in rows.indices where floors[index] > 0 {
            rows[index].planned += floors[index]
            moved += floors[index]
        }
        warnings.append("phase \(phase): \(moved) of \(excess) \(unit) short in some components moved to components with room")
        if excess - moved > 0 {
            warnings.append("phase \(phase): \(excess - moved) \(unit) cannot be placed anywhere; the phase will be short by that much")
        }
    }
}

import Foundation

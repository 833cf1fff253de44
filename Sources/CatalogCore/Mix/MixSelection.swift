/// Everything a recipe draws from a catalog, before anything is written: the plan, then per
/// phase the sampled components and the interleaved stream.
public struct MixSelection: Sendable {
    /// The plan the selection fulfils.
    public var plan: MixPlan
    /// Per phase (recipe order), per component (recipe order), what was drawn.
    public var phases: [[SampledComponent]]
    /// Per phase, the uses in output order.
    public var streams: [[MixEntry]]
    /// Shortfalls met while sampling under `redistribute`, and other notes.
    public var warnings: [String]

    /// Plans and samples `recipe` with `reader`. Throws before anything is written when the plan
    /// is infeasible, a `prefer` is negative, or (under `error`/`repeat`) epoch caps reached
    /// across phases leave a target unmet.
    public static func make(_ recipe: Recipe, reader: MixCatalogReader) throws -> MixSelection {
        let plan = try reader.plan(recipe)
        guard plan.isFeasible else { throw MixError.shortfall(policy: recipe.shortfall, problems: plan.problems) }
        var warnings = plan.warnings
        var problems: [String] = []
        var usage: [String: [Int64: Int]] = [:]
        var phases: [[SampledComponent]] = []
        var streams: [[MixEntry]] = []
        var rowIndex = 0
        for _ in recipe.phases {
            var sampled: [SampledComponent] = []
            for _ in recipe.components {
                let row = plan.components[rowIndex]
                rowIndex += 1
                let candidates = row.planned > 0 ? try reader.candidates(of: row) : []
                var componentUsage = usage[row.component] ?? [:]
                let result = MixSampler.sample(
                    candidates, plan: row, seed: recipe.seed, unit: recipe.unit, usage: &componentUsage)
                usage[row.component] = componentUsage
                if result.unmet > 0 {
                    let message = "phase \(row.phase), component \(row.component): \(result.unmet) \(recipe.unit.rawValue) "
                        + "of \(row.planned) planned cannot be drawn: documents reached max_epochs \(row.maxEpochs) "
                        + "in earlier phases"
                    if recipe.shortfall == .redistribute { warnings.append(message) } else { problems.append(message) }
                }
                sampled.append(result)
            }
            warnings += shareWarnings(sampled)
            streams.append(MixInterleaver.interleave(sampled))
            phases.append(sampled)
        }
        if !problems.isEmpty { throw MixError.shortfall(policy: recipe.shortfall, problems: problems) }
        return MixSelection(plan: plan, phases: phases, streams: streams, warnings: warnings)
    }

    /// Components whose token share of the phase is more than 0.5 percentage points from the
    /// planned share (documents too large for a small target, or a shortfall).
    static func shareWarnings(_ sampled: [SampledComponent]) -> [String] {
        let planned = Double(sampled.reduce(Int64(0)) { $0 + $1.plan.planned })
        let drawn = Double(sampled.reduce(Int64(0)) { $0 + $1.amount })
        guard planned > 0, drawn > 0 else { return [] }
        return sampled.compactMap { component in
            let target = Double(component.plan.planned) / planned
            let share = Double(component.amount) / drawn
            guard abs(share - target) > 0.005 else { return nil }
            return "phase \(component.plan.phase), component \(component.plan.component): share "
                + "\(Format.decimal(share * 100, digits: 2))% against \(Format.decimal(target * 100, digits: 2))% planned "
                + "(\(component.amount) of \(component.plan.planned) planned; documents are drawn whole)"
        }
    }
}

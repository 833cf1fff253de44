import Testing
@testable import CatalogCore

/// Plans computed by hand: total 1000 tokens; a (weight 0.5) has 400 tokens in 4 documents,
/// b (0.3) 1000 in 10, c (0.2) 50 in 1.
@Suite struct MixPlannerTests {
    let available = [
        ComponentAvailability(docs: 4, tokens: 400), ComponentAvailability(docs: 10, tokens: 1000),
        ComponentAvailability(docs: 1, tokens: 50),
    ]

    func plan(_ extra: String) throws -> MixPlan {
        let recipe = try #require(RecipeParser.parse(fixtureRecipe(total: "1000", extra: extra, components: """
              - {name: a, weight: 0.5}
              - {name: b, weight: 0.3}
              - {name: c, weight: 0.2}
            """)).recipe)
        return MixPlanner.plan(recipe) { _, component in available[component] }
    }

    @Test func errorPolicyAllowsOnePass() throws {
        let plan = try plan("shortfall: error")
        #expect(plan.components.map(\.target) == [500, 300, 200])
        #expect(plan.components.map(\.planned) == [400, 300, 50])
        #expect(plan.components.map(\.shortfall) == [100, 0, 150])
        #expect(plan.problems.count == 2)
        #expect(plan.problems[0].hasPrefix("phase main, component a: target 500 tokens, available 400 (would need 1.25 epochs"))
    }

    @Test func repeatPolicyRepeatsUpToTheCap() throws {
        let plan = try plan("shortfall: repeat\nmax_epochs: 2")
        #expect(plan.components.map(\.planned) == [500, 300, 100])
        #expect(plan.components[0].epochsNeeded(unit: .tokens) == 1.25)
        #expect(plan.problems == ["phase main, component c: target 200 tokens, available 50 × max_epochs 2 = 100 (short by 100)"])
    }

    @Test func redistributeMovesTheRestByWeight() throws {
        let plan = try plan("shortfall: redistribute\nmax_epochs: 2")
        // c is capped at 100; its missing 100 goes 5:3 to a and b: 62.5 and 37.5.
        #expect(plan.components.map(\.planned) == [563, 337, 100])
        #expect(plan.isFeasible)
        #expect(plan.warnings == ["phase main: 100 of 100 tokens short in some components moved to components with room"])
    }

    @Test func temperatureAndUnimaxWeights() throws {
        let recipe = try #require(RecipeParser.parse(fixtureRecipe(
            total: "1000", extra: "weighting: {unimax: {max_epochs: 1}}\nshortfall: repeat",
            components: "  - {name: a}\n  - {name: b}\n  - {name: c}")).recipe)
        let unimax = MixPlanner.plan(recipe) { _, component in available[component] }
        // Uniform 333 each, but c only has 50 and a 400 (one pass): b takes the rest.
        #expect(unimax.components.map(\.target) == [400, 550, 50])
        var warm = recipe
        warm.weighting = .temperature(1)
        let proportional = MixPlanner.plan(warm) { _, component in available[component] }
        #expect(proportional.components.map(\.target) == [276, 690, 34])  // 1000 × 400/1450, 1000/1450, 50/1450
    }

    @Test func phasesSplitTheTotal() throws {
        let recipe = try #require(RecipeParser.parse(fixtureRecipe(total: "1000", extra: "shortfall: repeat", components: """
              - {name: a, weight: 0.5}
              - {name: b, weight: 0.5}
            """) + "\nphases:\n  - {name: main, share: 0.8}\n  - {name: anneal, share: 0.2, weights: {b: 1}}\n").recipe)
        let plan = MixPlanner.plan(recipe) { _, component in available[component] }
        #expect(plan.components.map(\.phase) == ["main", "main", "anneal", "anneal"])
        #expect(plan.components.map(\.target) == [400, 400, 0, 200])
    }
}

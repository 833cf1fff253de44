import Testing
@testable import CatalogCore

@Suite struct RecipeParserTests {
    @Test func parsesTheDesignExample() throws {
        let parsed = RecipeParser.parse("""
            name: base-v3
            seed: 20261124
            total_tokens: 2B
            exclude_duplicates: true
            max_epochs: 4
            shortfall: error
            output: {format: jsonl.zst, shard_size: 256MiB, fields: [id, text, source, domain]}
            components:
              - name: web
                where: "domain = 'web' AND quality >= 0.5"
                weight: 0.55
                prefer: "quality"
              - {name: code, where: "domain = 'code'", weight: 0.25, max_epochs: 2}
              - {name: books, where: "source = 'gutenberg'", weight: 0.20}
            phases:
              - {name: main, share: 0.9}
              - {name: anneal, share: 0.1, weights: {web: 0.2, code: 0.3, books: 0.5}, where: "quality >= 0.8"}
            """)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.warnings.isEmpty)
        let recipe = try #require(parsed.recipe)
        #expect(recipe.total == 2_000_000_000)
        #expect(recipe.output.shardSizeBytes == 256 << 20)
        #expect(recipe.components.map(\.name) == ["web", "code", "books"])
        #expect(recipe.components[1].maxEpochs == 2)
        #expect(recipe.components[0].prefer == "quality")
        #expect(recipe.phases.map(\.name) == ["main", "anneal"])
        #expect(recipe.phases[1].weights?["books"] == 0.5)
        #expect(parsed.lines["components[0].where"] == 10)
    }

    @Test func reportsEveryProblemWithItsPathAndLine() {
        let parsed = RecipeParser.parse("""
            name: bad name
            seed: 1
            total_tokens: 2X
            shortfall: sometimes
            colour: blue
            components:
              - {name: web, where: "domain = 'web'", weight: 0.5}
              - {name: web, weight: 0.5}
              - {name: code, where: "x", weight: -1, extra: 1}
            phases:
              - {name: main, share: 1, weights: {code: 1, nope: 2}}
            """)
        let rendered = parsed.problems.map(\.description)
        #expect(parsed.recipe == nil)
        #expect(rendered.contains("line 1: name: 'bad name' is not a valid name; use letters, digits, '.', '_' and '-'"))
        #expect(rendered.contains { $0.hasPrefix("line 3: total_tokens: 2X: expected a count") })
        #expect(rendered.contains("line 4: shortfall: expected error, repeat or redistribute"))
        #expect(rendered.contains { $0.hasPrefix("line 5: colour: unknown key 'colour'") })
        #expect(rendered.contains("line 8: components[1].name: 'web' is already the name of another component"))
        #expect(rendered.contains("line 9: components[2].weight: must be > 0"))
        #expect(rendered.contains { $0.hasPrefix("line 9: components[2].extra: unknown key 'extra'") })
        #expect(rendered.contains { $0.hasPrefix("line 11: phases[0].weights.nope: unknown component 'nope'") })
    }

    @Test func normalisesWeightsWithAWarning() throws {
        let parsed = RecipeParser.parse(fixtureRecipe(components: """
              - {name: a, weight: 2}
              - {name: b, weight: 6}
            """))
        let recipe = try #require(parsed.recipe)
        #expect(recipe.components.map(\.weight) == [0.25, 0.75])
        #expect(parsed.warnings.map(\.description) == ["line 6: components: weights sum to 8, not 1; normalised"])
    }

    @Test func requiresSeedBudgetAndComponents() {
        let rendered = RecipeParser.parse("name: x\n").problems.map(\.description)
        #expect(rendered.contains { $0.hasPrefix("seed: required") })
        #expect(rendered.contains { $0.hasPrefix("total_tokens: required") })
        #expect(rendered.contains { $0.hasPrefix("components: required") })
    }

    @Test func weightingExcludesExplicitWeights() throws {
        let parsed = RecipeParser.parse(fixtureRecipe(extra: "weighting: {temperature: 2}", components: """
              - {name: a, weight: 0.5}
              - {name: b}
            """))
        #expect(parsed.problems.map(\.description) == ["line 6: components[0].weight: not used with weighting; remove it or remove weighting"])
        let ok = try #require(RecipeParser.parse(fixtureRecipe(extra: "weighting: {unimax: {max_epochs: 2}}", components: """
              - {name: a}
            """)).recipe)
        #expect(ok.weighting == .unimax(maxEpochs: 2))
    }

    @Test func readsSizes() throws {
        #expect(try MixSize.count("2B") == 2_000_000_000)
        #expect(try MixSize.count("1.5T") == 1_500_000_000_000)
        #expect(try MixSize.count("500M") == 500_000_000)
        #expect(try MixSize.count("10_000") == 10_000)
        #expect(try MixSize.bytes("256MiB") == 268_435_456)
        #expect(try MixSize.bytes("64MB") == 64_000_000)
        #expect(throws: MixError.self) { try MixSize.count("1.5") }
        #expect(throws: MixError.self) { try MixSize.count("-3M") }
        #expect(throws: MixError.self) { try MixSize.bytes("lots") }
    }

    @Test func readsRecipeReferences() throws {
        #expect(try RecipeReference(parsing: "base-v3@2") == RecipeReference(parsing: "base-v3@2"))
        #expect(try RecipeReference(parsing: "base-v3@2").version == 2)
        #expect(try RecipeReference(parsing: "base-v3").version == nil)
        #expect(throws: MixError.badRecipeReference("a@b")) { try RecipeReference(parsing: "a@b") }
        #expect(throws: MixError.badRecipeReference("a@0")) { try RecipeReference(parsing: "a@0") }
    }
}

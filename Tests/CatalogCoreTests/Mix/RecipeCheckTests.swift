import Foundation
import Testing
@testable import CatalogCore

@Suite struct RecipeCheckTests {
    @Test func refusesExpressionsThatLeaveTheirParentheses() {
        #expect(UserExpression.problem("domain = 'web' AND (tokens > 3)") == nil)
        #expect(UserExpression.problem("doc_key = 'a)b;c--d'") == nil)
        #expect(UserExpression.problem("\"domain\" = 'it''s'") == nil)
        #expect(UserExpression.problem("1) UNION SELECT (1")?.hasPrefix("closes a parenthesis") == true)
        #expect(UserExpression.problem("1; DELETE FROM document")?.hasPrefix("contains ';'") == true)
        #expect(UserExpression.problem("1 -- )")?.hasPrefix("contains a comment") == true)
        #expect(UserExpression.problem("1 /* x */")?.hasPrefix("contains a comment") == true)
        #expect(UserExpression.problem("(1")  == "has 1 unclosed parenthesis")
        #expect(UserExpression.problem("'open") == "unterminated quote '")
    }

    @Test func reportsSQLiteMessagesAndRefusalsWithPaths() throws {
        let fixture = try MixFixture(count: 3)
        let recipe = try fixture.recipe(fixtureRecipe(components: """
              - {name: a, where: "domian = 'web'", weight: 1}
              - {name: b, where: "1) UNION SELECT (1", weight: 1}
              - {name: c, where: "domain = 'web'", weight: 1, prefer: "tokens +"}
              - {name: d, where: "source IN (SELECT name FROM source)", weight: 1}
            """))
        let problems = try MixCatalogReader(catalog: fixture.readOnly()).check(recipe).map(\.description)
        #expect(problems == [
            "components[0].where: not valid SQL over docs: no such column: domian (SQLite)",
            "components[1].where: refused: closes a parenthesis it did not open; a filter must be one SQL expression",
            "components[2].prefer: not valid SQL over docs: near \")\": syntax error (SQLite)",
        ])
    }

    @Test func storesVersionsAndIgnoresUnchangedText() throws {
        let fixture = try MixFixture(count: 3)
        let library = RecipeLibrary(catalog: try fixture.catalog())
        let first = try library.add(body: fixtureRecipe(), file: "r.yaml")
        let same = try library.add(body: fixtureRecipe(), file: "r.yaml")
        let second = try library.add(body: fixtureRecipe(seed: 9), file: "r.yaml")
        guard case let .added(one) = first.outcome, case let .unchanged(unchanged) = same.outcome,
              case let .added(two) = second.outcome else {
            Issue.record("unexpected outcomes")
            return
        }
        #expect(one.version == 1)
        #expect(unchanged.version == 1)
        #expect(two.version == 2)
        #expect(try library.show(RecipeReference(parsing: "test-mix@1")).body == fixtureRecipe())
        #expect(try library.show(RecipeReference(parsing: "test-mix")).version == 2)
        #expect(try library.list().rows.count == 2)
        #expect(throws: MixError.unknownRecipe(reference: "nope", known: ["test-mix"])) {
            try library.show(RecipeReference(parsing: "nope"))
        }
        #expect(throws: MixError.self) { try library.add(body: fixtureRecipe(extra: "colour: red"), file: "r.yaml") }
    }
}

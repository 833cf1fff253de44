import Foundation
@testable import CatalogCore

/// A catalog of generated documents for mix tests: sources `alpha` (domain web), `beta`
/// (domain code) and `gamma` (domain books), `count` documents each, with varied lengths.
final class MixFixture {
    let ingest = IngestFixture()
    var databasePath: String { ingest.databasePath }

    init(count: Int = 60, extraLines: [String] = []) throws {
        var lines: [String] = []
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = SampleHash.mix(state)
            return state
        }
        let words = ["river", "stone", "cloud", "paper", "market", "signal", "garden", "engine", "winter", "silver"]
        for (source, domain) in [("alpha", "web"), ("beta", "code"), ("gamma", "books")] {
            for index in 0..<count {
                let length = 10 + Int(next() % 40)
                let text = (0..<length).map { _ in words[Int(next() % 10)] }.joined(separator: " ")
                lines.append(jsonLine(
                    id: "\(source)-\(index)", text: "\(source) \(index) \(text)",
                    extra: "\"source\":\"\(source)\",\"domain\":\"\(domain)\",\"score\":\(Double(index % 10) / 10)"))
            }
        }
        lines += extraLines
        let input = ingest.directory.write("docs.jsonl", lines.joined(separator: "\n") + "\n")
        try ingest.add([input], source: .field("source"), domain: .field("domain")) { $0.qualityField = "score" }
    }

    func catalog() throws -> Catalog { try ingest.catalog() }
    func readOnly() throws -> Catalog { try Catalog.openReadOnly(at: databasePath) }

    /// Parses `yaml` (failing the test on problems).
    func recipe(_ yaml: String) throws -> Recipe {
        let parsed = RecipeParser.parse(yaml)
        guard let recipe = parsed.recipe else { throw MixError.invalidRecipe(file: "test", problems: parsed.problems) }
        return recipe
    }

    func selection(_ yaml: String) throws -> MixSelection {
        try MixSelection.make(try recipe(yaml), reader: MixCatalogReader(catalog: readOnly()))
    }

    func int(_ sql: String) throws -> Int64 { try ingest.int(sql) ?? -1 }
}

/// A recipe over the fixture: web 0.5, code 0.3, books 0.2.
func fixtureRecipe(total: String = "3000", seed: Int = 7, extra: String = "", components: String? = nil) -> String {
    """
    name: test-mix
    seed: \(seed)
    total_tokens: \(total)
    \(extra)
    components:
    \(components ?? """
      - {name: web, where: "domain = 'web'", weight: 0.5}
      - {name: code, where: "domain = 'code'", weight: 0.3}
      - {name: books, where: "domain = 'books'", weight: 0.2}
    """)
    """
}

/// Documents (id → times) drawn for `component` in every phase.
func drawn(_ selection: MixSelection, component: String) -> [Int64: Int] {
    var result: [Int64: Int] = [:]
    for phase in selection.phases {
        for sampled in phase where sampled.plan.component == component {
            for (id, times) in sampled.times { result[id, default: 0] += times }
        }
    }
    return result
}

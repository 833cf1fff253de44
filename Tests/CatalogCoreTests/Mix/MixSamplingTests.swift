import Foundation
import Testing
@testable import CatalogCore

@Suite struct MixSamplingTests {
    @Test func sampleHashIsPinned() {
        var hash = SampleHash(seed: 7)
        hash.add("alpha")
        hash.add("alpha-1")
        hash.add("web")
        // Golden value: a change to the hash changes every sample ever drawn.
        #expect(hash.value == 7_734_635_105_903_280_566)
        var split = SampleHash(seed: 7)
        split.add("alphaa")
        split.add("lpha-1")
        split.add("web")
        #expect(split.value != hash.value)
    }

    @Test func sameSeedSameSampleDifferentSeedDifferentSample() throws {
        let fixture = try MixFixture()
        let first = try fixture.selection(fixtureRecipe(seed: 7))
        let again = try fixture.selection(fixtureRecipe(seed: 7))
        let other = try fixture.selection(fixtureRecipe(seed: 8))
        #expect(first.streams == again.streams)
        #expect(drawn(first, component: "web") != drawn(other, component: "web"))
        #expect(first.streams != other.streams)
    }

    @Test func halfTheBudgetIsASubset() throws {
        let fixture = try MixFixture()
        for seed in [1, 2, 3] {
            let full = try fixture.selection(fixtureRecipe(total: "3000", seed: seed))
            let half = try fixture.selection(fixtureRecipe(total: "1500", seed: seed))
            for component in ["web", "code", "books"] {
                let small = Set(drawn(half, component: component).keys)
                let large = Set(drawn(full, component: component).keys)
                #expect(!small.isEmpty)
                #expect(small.isSubset(of: large), "seed \(seed), \(component)")
                #expect(small.count < large.count)
            }
        }
    }

    @Test func sharesAreWithinHalfAPercentagePoint() throws {
        let fixture = try MixFixture(count: 200)
        let selection = try fixture.selection(fixtureRecipe(total: "12000"))
        let phase = try #require(selection.phases.first)
        let total = Double(phase.reduce(Int64(0)) { $0 + $1.tokens })
        for (component, weight) in zip(phase, [0.5, 0.3, 0.2]) {
            #expect(abs(Double(component.tokens) / total - weight) <= 0.005, "\(component.plan.component)")
        }
        #expect(selection.warnings.isEmpty)
    }

    @Test func everyPrefixOfTheStreamIsCloseToTheShares() throws {
        let fixture = try MixFixture(count: 200)
        let selection = try fixture.selection(fixtureRecipe(total: "12000"))
        let stream = try #require(selection.streams.first)
        var tokens = [0.0, 0.0, 0.0]
        var total = 0.0
        let largest = Double(stream.map(\.tokens).max() ?? 0)
        for (position, entry) in stream.enumerated() {
            tokens[entry.componentIndex] += Double(entry.tokens)
            total += Double(entry.tokens)
            guard position >= 30 else { continue }
            for (index, weight) in [0.5, 0.3, 0.2].enumerated() {
                // Within one document of the weight at every prefix.
                #expect(abs(tokens[index] - weight * total) <= largest + 1, "position \(position), component \(index)")
            }
        }
    }

    @Test func noDocumentBeyondItsEpochCap() throws {
        let fixture = try MixFixture(count: 20)
        // web has ~20 documents × ~30 tokens: 10000 × 0.5 needs far more than 2 passes.
        let yaml = fixtureRecipe(total: "10000", extra: "shortfall: redistribute\nmax_epochs: 3", components: """
              - {name: web, where: "domain = 'web'", weight: 0.5, max_epochs: 2}
              - {name: code, where: "domain = 'code'", weight: 0.5}
            """) + "\nphases:\n  - {name: main, share: 0.5}\n  - {name: late, share: 0.5}\n"
        let selection = try fixture.selection(yaml)
        let web = drawn(selection, component: "web")
        let code = drawn(selection, component: "code")
        #expect(web.values.max() == 2)
        #expect(code.values.max() == 3)
        #expect(web.count == 20)
        // Across phases: the late phase could not reuse what main already used twice.
        #expect(!selection.warnings.isEmpty)
    }

    @Test func duplicatesAreExcludedWhenAsked() throws {
        let copy = jsonLine(id: "alpha-copy", text: "alpha 0 the same text", extra: "\"source\":\"alpha\",\"domain\":\"web\"")
        let original = jsonLine(id: "alpha-orig", text: "alpha 0 the same text", extra: "\"source\":\"alpha\",\"domain\":\"web\"")
        let fixture = try MixFixture(count: 5, extraLines: [original, copy])
        let copyID = try fixture.int("SELECT document_id FROM docs WHERE doc_key = 'alpha-copy'")
        #expect(try fixture.int("SELECT count(*) FROM docs WHERE duplicate_of IS NOT NULL") == 1)
        let everything = fixtureRecipe(total: "100000", extra: "shortfall: redistribute\nmax_epochs: 1")
        let excluded = try fixture.selection(everything)
        #expect(drawn(excluded, component: "web")[copyID] == nil)
        #expect(drawn(excluded, component: "web").count == 6)
        let included = try fixture.selection(everything + "\nexclude_duplicates: false\n")
        #expect(drawn(included, component: "web")[copyID] == 1)
    }

    @Test func preferZeroIsNeverChosenAndNegativeIsAnError() throws {
        let fixture = try MixFixture(count: 20)
        let zero = try fixture.selection(fixtureRecipe(total: "300", components: """
              - {name: web, where: "domain = 'web'", weight: 1, prefer: "CASE WHEN doc_key = 'alpha-3' THEN 0 ELSE 1 END"}
            """))
        let alpha3 = try fixture.int("SELECT document_id FROM docs WHERE doc_key = 'alpha-3'")
        #expect(drawn(zero, component: "web")[alpha3] == nil)
        #expect(zero.plan.components[0].available.docs == 19)
        #expect(throws: MixError.self) {
            try fixture.selection(fixtureRecipe(total: "300", components: """
                  - {name: web, where: "domain = 'web'", weight: 1, prefer: "quality - 0.5"}
                """))
        }
    }
}

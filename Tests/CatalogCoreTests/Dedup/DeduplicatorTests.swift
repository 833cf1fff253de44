import Foundation
import Testing
@testable import CatalogCore

/// A family of documents built from one word stream: document i covers words
/// [offset_i, offset_i + length), so overlaps (and Jaccard) are controlled.
private struct WordStream {
    let words: [String]

    init(seed: UInt64, count: Int) {
        var generator = SeededGenerator(seed: seed)
        // Letters only: the normaliser turns every digit run into "0".
        words = (0..<count).map { _ in
            var value = generator.next()
            return String((0..<6).map { _ -> Character in
                defer { value /= 26 }
                return Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(value % 26)))
            })
        }
    }

    func text(from offset: Int, length: Int) -> String { words[offset..<(offset + length)].joined(separator: " ") }
}

/// Runs dedup on a fixture's catalog and reads the resulting clusters.
private extension IngestFixture {
    func dedup(_ configure: (inout DedupOptions) -> Void = { _ in }) throws -> DedupReport {
        var options = DedupOptions()
        configure(&options)
        return try Deduplicator(catalog: try catalog(), options: options).run()
    }

    /// doc_key → canonical's doc_key (itself for canonicals), for documents in clusters.
    func clusterMap() throws -> [String: String] {
        var map: [String: String] = [:]
        for row in try rows("""
            SELECT d.doc_key, coalesce(c.doc_key, d.doc_key) FROM docs d LEFT JOIN docs c ON c.document_id = d.duplicate_of
             WHERE d.cluster_id IS NOT NULL
            """) {
            map[row[0].description] = row[1].description
        }
        return map
    }

    func estimatedSimilarity(_ a: String, _ b: String) throws -> Double {
        let explainer = try DuplicateExplainer(catalog: try catalog())
        return try #require(try explainer.similarity(try explainer.resolve(a), try explainer.resolve(b)))
    }

    func addLines(_ name: String, _ lines: [String], source: String = "test") throws {
        let path = directory.write(name, lines.joined(separator: "\n") + "\n")
        try add([path], source: .named(source)) { $0.qualityField = "q" }
    }
}

private func record(_ id: String, _ text: String, quality: Double? = nil) -> String {
    jsonLine(id: id, text: text, extra: quality.map { "\"q\":\($0)" } ?? "")
}

@Suite struct DeduplicatorTests {
    @Test func choosesABandingWithRecallAtTheThreshold() {
        for threshold in [0.5, 0.7, 0.8, 0.9, 0.95] {
            let banding = Deduplicator.banding(threshold: threshold, permutations: 128, recall: 0.95)
            let probability = LSHBanding.candidateProbability(similarity: threshold, bands: banding.bands, rows: banding.rows)
            #expect(probability >= 0.95, "threshold \(threshold)")
            #expect(banding.bands * banding.rows <= 128)
        }
        #expect(Deduplicator.banding(threshold: 0.8, permutations: 128, recall: 0.95) == (18, 7))
    }

    @Test func clustersNearAndExactCopiesAndKeepsTheBestByDefault() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 1, count: 2_000)
        try fixture.addLines("a.jsonl", [
            record("orig", stream.text(from: 0, length: 400), quality: 0.2),
            record("near", stream.text(from: 5, length: 400), quality: 0.9),
            record("copy", stream.text(from: 0, length: 400), quality: 0.1),
            record("other", stream.text(from: 1_000, length: 400)),
        ])
        let report = try fixture.dedup()
        #expect(report.clusters == 1)
        #expect(report.duplicates == 2)
        #expect(try fixture.clusterMap() == ["orig": "near", "near": "near", "copy": "near"])
        #expect(try fixture.int("SELECT cluster_id FROM docs WHERE doc_key = 'other'") == nil)
        let canonical = try fixture.int("SELECT document_id FROM docs WHERE doc_key = 'near'")
        #expect(try fixture.int("SELECT cluster_id FROM docs WHERE doc_key = 'copy'") == canonical)
    }

    @Test func verificationRejectsCandidatesBelowTheThreshold() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 2, count: 4_000)
        // Pairs sharing ~65% of their shingles: often LSH candidates at 18 × 7, never ≥ 0.8.
        var lines: [String] = []
        for pair in 0..<12 {
            let base = pair * 300
            lines.append(record("p\(pair)a", stream.text(from: base, length: 200)))
            lines.append(record("p\(pair)b", stream.text(from: base + 40, length: 200)))
        }
        try fixture.addLines("pairs.jsonl", lines)
        let report = try fixture.dedup()
        #expect(report.candidates > 0, "no band collision exercised the verification")
        #expect(report.clusters == 0)
        #expect(try fixture.int("SELECT count(*) FROM docs WHERE duplicate_of IS NOT NULL") == 0)
        // Candidates that reached the floor are stored for a later, lower threshold.
        #expect(try fixture.int("SELECT count(*) FROM dedup_edge WHERE similarity >= 0.8") == 0)
        let stored = try fixture.int("SELECT count(*) FROM dedup_edge") ?? 0
        #expect(stored <= Int64(report.candidates))
        // At 0.6 each pair with an edge ≥ 0.6 is its own cluster (the families share no words).
        let lower = try fixture.dedup { $0.threshold = 0.6 }
        #expect(lower.clusters == Int(try fixture.int("SELECT count(*) FROM dedup_edge WHERE similarity >= 0.6") ?? -1))
        #expect(lower.clusters > 0)
    }

    @Test func starModeDoesNotMergeChains() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 3, count: 2_000)
        try fixture.addLines("chain.jsonl", [
            record("a", stream.text(from: 0, length: 600), quality: 0.9),
            record("b", stream.text(from: 30, length: 600), quality: 0.5),
            record("c", stream.text(from: 60, length: 600), quality: 0.1),
        ])
        let threshold = 0.86
        #expect(try fixture.estimatedSimilarity("a", "b") >= threshold)
        #expect(try fixture.estimatedSimilarity("b", "c") >= threshold)
        #expect(try fixture.estimatedSimilarity("a", "c") < threshold)

        _ = try fixture.dedup { $0.threshold = threshold }
        #expect(try fixture.clusterMap() == ["a": "a", "b": "a", "c": "a"])  // chained through b

        _ = try fixture.dedup {
            $0.threshold = threshold
            $0.star = true
        }
        #expect(try fixture.clusterMap() == ["a": "a", "b": "a"])  // c is not close enough to a
        #expect(try fixture.int("SELECT cluster_id FROM docs WHERE doc_key = 'c'") == nil)
    }

    @Test func keepPolicyIsAnOrderByOverDocsAndDeterministic() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 4, count: 1_000)
        try fixture.addLines("k.jsonl", [
            record("long", stream.text(from: 0, length: 420), quality: 0.5),
            record("short", stream.text(from: 0, length: 400), quality: 0.5),
            record("mid", stream.text(from: 0, length: 410), quality: 0.5),
        ])
        _ = try fixture.dedup()
        #expect(try fixture.clusterMap()["short"] == "long")  // same quality: most tokens
        _ = try fixture.dedup { $0.keep = "tokens ASC" }
        let first = try fixture.clusterMap()
        #expect(first == ["long": "short", "short": "short", "mid": "short"])
        let again = try fixture.dedup { $0.keep = "tokens ASC" }
        #expect(again.changedDocuments == 0)
        #expect(try fixture.clusterMap() == first)
        _ = try fixture.dedup { $0.keep = "doc_key DESC" }
        #expect(try fixture.clusterMap()["long"] == "short")
    }

    @Test(arguments: ["no_such_column DESC", "tokens DESC; DELETE FROM document", "tokens DESC) --"])
    func badKeepIsAClearErrorThatChangesNothing(keep: String) throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 5, count: 1_000)
        try fixture.addLines("k.jsonl", [
            record("x", stream.text(from: 0, length: 300)), record("y", stream.text(from: 0, length: 300)),
        ])
        let before = try fixture.rows("SELECT * FROM document ORDER BY document_id")
        do {
            _ = try fixture.dedup { $0.keep = keep }
            Issue.record("accepted --keep \(keep)")
        } catch let error as DedupRunError {
            guard case .invalidKeep = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.description.contains("--keep"))
        }
        #expect(try fixture.rows("SELECT * FROM document ORDER BY document_id") == before)
        #expect(try fixture.int("SELECT count(*) FROM dedup_run") == 0)
        #expect(try fixture.int("SELECT count(*) FROM dedup_edge") == 0)
    }

    @Test func incrementalEqualsBatchAndTwiceChangesNothing() throws {
        let stream = WordStream(seed: 6, count: 5_000)
        var first: [String] = []
        var second: [String] = []
        for family in 0..<6 {
            let base = family * 700
            first.append(record("f\(family)-1", stream.text(from: base, length: 300)))
            first.append(record("f\(family)-2", stream.text(from: base + 3, length: 300)))
            second.append(record("f\(family)-3", stream.text(from: base + 6, length: 300)))
        }
        second.append(record("lonely", stream.text(from: 4_500, length: 300)))

        let incremental = IngestFixture()
        try incremental.addLines("a.jsonl", first)
        let firstRun = try incremental.dedup()
        #expect(firstRun.newDocuments == 12)
        try incremental.addLines("b.jsonl", second, source: "later")
        let secondRun = try incremental.dedup()
        #expect(secondRun.newDocuments == 7)
        let twice = try incremental.dedup()
        #expect(twice.newDocuments == 0 && twice.newEdges == 0 && twice.changedDocuments == 0)

        let batch = IngestFixture()
        try batch.addLines("a.jsonl", first)
        try batch.addLines("b.jsonl", second, source: "later")
        _ = try batch.dedup()
        #expect(try incremental.clusterMap() == batch.clusterMap())
        #expect(try incremental.clusterMap().count == 18)
        #expect(try incremental.rows("SELECT doc_a, doc_b, similarity FROM dedup_edge ORDER BY 1, 2")
            == batch.rows("SELECT doc_a, doc_b, similarity FROM dedup_edge ORDER BY 1, 2"))
    }

    @Test func scanJoinFindsTheSameEdgesAsLookups() throws {
        let stream = WordStream(seed: 12, count: 8_000)
        var lines: [String] = []
        for family in 0..<10 {
            for member in 0..<(family % 3 + 2) {
                lines.append(record("s\(family)-\(member)", stream.text(from: family * 700 + member * 7, length: 300)))
            }
            lines.append(record("far\(family)", stream.text(from: family * 700 + 60, length: 300)))
        }
        lines.append(record("copy", stream.text(from: 0, length: 300)))
        var results: [[[SQLValue]]] = []
        for scan in [false, true] {
            let fixture = IngestFixture()
            try fixture.addLines("a.jsonl", lines)
            for threshold in [0.8, 0.7] {
                let report = try fixture.dedup {
                    $0.threshold = threshold
                    $0.scanJoinMinimum = scan ? 0 : Int.max
                }
                #expect(report.newEdges > 0)
            }
            results.append(try fixture.rows("SELECT doc_a, doc_b, similarity FROM dedup_edge ORDER BY 1, 2"))
            results.append(try fixture.rows("SELECT doc_key, duplicate_of, cluster_id FROM docs ORDER BY doc_key"))
        }
        #expect(results[0] == results[2])
        #expect(results[1] == results[3])
    }

    @Test func aBridgingDocumentMergesClustersAndReElectsTheCanonical() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 7, count: 3_000)
        // Two families 300 words apart; the bridge covers the end of one and the start of the other.
        try fixture.addLines("a.jsonl", [
            record("x1", stream.text(from: 0, length: 600), quality: 0.3),
            record("x2", stream.text(from: 4, length: 600), quality: 0.2),
            record("y1", stream.text(from: 60, length: 600), quality: 0.4),
            record("y2", stream.text(from: 64, length: 600), quality: 0.1),
        ])
        _ = try fixture.dedup { $0.threshold = 0.9 }
        #expect(try fixture.clusterMap() == ["x1": "x1", "x2": "x1", "y1": "y1", "y2": "y1"])
        try fixture.addLines("b.jsonl", [record("bridge", stream.text(from: 30, length: 600), quality: 0.8)], source: "more")
        _ = try fixture.dedup { $0.threshold = 0.9 }
        #expect(try fixture.clusterMap() == [
            "x1": "bridge", "x2": "bridge", "y1": "bridge", "y2": "bridge", "bridge": "bridge",
        ])
    }

    @Test func reportsAddUp() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 8, count: 6_000)
        var lines: [String] = []
        for family in 0..<8 {
            for member in 0..<(family % 4 + 1) {
                lines.append(record("d\(family)-\(member)", stream.text(from: family * 700 + member * 2, length: 300)))
            }
        }
        try fixture.addLines("r.jsonl", lines)
        let report = try fixture.dedup { $0.maxClusterSize = 3 }
        let inClusters = try fixture.int("SELECT count(*) FROM docs WHERE cluster_id IS NOT NULL") ?? -1
        let marked = try fixture.int("SELECT count(*) FROM docs WHERE duplicate_of IS NOT NULL") ?? -1
        let clusters = try fixture.int("SELECT count(*) FROM dedup_cluster") ?? -1
        #expect(marked + clusters == inClusters)
        #expect(try fixture.int("SELECT sum(size) FROM dedup_cluster") == inClusters)
        #expect(try fixture.int("SELECT sum(documents) FROM dedup_cluster_sizes") == inClusters)
        #expect(try fixture.int("SELECT sum(duplicates) FROM dedup_by_source") == marked)
        #expect(try fixture.int("SELECT sum(duplicates) FROM dedup_source_overlap") == marked)
        #expect(Int64(report.duplicates) == marked)
        #expect(try fixture.int("SELECT marked_docs FROM dedup_sweep WHERE threshold = 0.8") == marked)
        // Families of 4 exceed --max-cluster-size 3 and are flagged.
        #expect(report.warnings.count == 2)
        #expect(try fixture.int("SELECT count(*) FROM dup_clusters WHERE warning IS NOT NULL") == 2)
    }

    @Test func scopeKeepsSourcesApart() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 9, count: 1_000)
        try fixture.addLines("a.jsonl", [record("a", stream.text(from: 0, length: 300))], source: "one")
        try fixture.addLines("b.jsonl", [record("b", stream.text(from: 0, length: 300))], source: "two")
        _ = try fixture.dedup { $0.scope = .source }
        #expect(try fixture.clusterMap().isEmpty)
        _ = try fixture.dedup { $0.scope = .global }
        #expect(try fixture.clusterMap().count == 2)
    }

    @Test func similarAndExplainNameTheMatches() throws {
        let fixture = IngestFixture()
        let stream = WordStream(seed: 10, count: 1_000)
        try fixture.addLines("a.jsonl", [
            record("keep", stream.text(from: 0, length: 300), quality: 0.9),
            record("dup", stream.text(from: 2, length: 300), quality: 0.1),
        ])
        _ = try fixture.dedup()
        let explainer = try DuplicateExplainer(catalog: try fixture.catalog())
        let dup = try explainer.resolve("dup")
        let similar = try explainer.similar(to: dup)
        #expect(similar.rows.count == 1)
        #expect(similar.rows.first?[1] == .text("keep"))
        let lines = try explainer.explain(dup)
        #expect(lines.contains { $0.hasPrefix("duplicate of") && $0.contains("keep") })
        #expect(try explainer.explain(try explainer.resolve("keep")).contains { $0.hasPrefix("canonical: kept") })
        #expect(throws: DedupRunError.unknownDocument("missing")) { _ = try explainer.resolve("missing") }
    }
}

@Suite struct ThresholdSweepTests {
    @Test func matchesClusteringAtEachThreshold() {
        var generator = SeededGenerator(seed: 11)
        let count = 300
        // Every fifth document is an exact copy of the one before; ranks are a shuffled order.
        let representative = (0..<count).map { Int32($0 % 5 == 4 ? $0 - 1 : $0) }
        var ranks = (0..<count).map { Int32($0) }
        for index in stride(from: count - 1, to: 0, by: -1) { ranks.swapAt(index, generator.below(index + 1)) }
        let universe = DedupUniverse(
            ids: (0..<count).map { Int64($0 * 3 + 1) }, sources: (0..<count).map { Int64($0 % 3) },
            domains: (0..<count).map { $0 % 2 == 0 ? "web" : "code" }, tokens: (0..<count).map { 10 + $0 % 17 },
            representative: representative, rank: ranks, sourceNames: [:])
        var edges: [DedupEdge] = []
        for _ in 0..<400 {
            let a = generator.below(count)
            let b = generator.below(count)
            guard a != b else { continue }
            edges.append(DedupEdge(
                a: universe.ids[min(a, b)], b: universe.ids[max(a, b)],
                similarity: Double(77 + generator.below(52)) / 128))
        }
        let dense = universe.denseEdges(edges.sorted { ($0.a, $0.b) < ($1.a, $1.b) })
        let thresholds = [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0]
        for scope in DedupScope.allCases {
            var options = DedupOptions()
            options.scope = scope
            let builder = ClusterBuilder(universe: universe, options: options, sourceSizes: [:])
            let sweep = ThresholdSweep(universe: universe, scope: scope).rows(edges: dense, thresholds: thresholds)
            for (row, threshold) in zip(sweep, thresholds) {
                let clusters = builder.clusters(edges: dense, threshold: threshold)
                let marked = clusters.reduce(0) { $0 + $1.members.count - 1 }
                let tokens = clusters.reduce(0) { total, cluster in
                    total + cluster.members.filter { $0 != cluster.canonical }.reduce(0) { $0 + universe.tokens[$1] }
                }
                #expect(row.threshold == threshold)
                #expect(row.clusters == clusters.count, "\(scope) \(threshold)")
                #expect(row.markedDocs == marked, "\(scope) \(threshold)")
                #expect(row.markedTokens == tokens, "\(scope) \(threshold)")
            }
        }
    }
}

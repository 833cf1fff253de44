import Foundation
import Testing
@testable import CatalogCore

/// Incremental runs re-cluster only the components new documents reach; these tests check that
/// the result (marks, cluster rows, threshold sweep, edges) is exactly what a full run over the
/// same documents gives.
@Suite struct IncrementalReclusteringTests {
    /// A random corpus: families of shifted windows of one word stream (similarities from about
    /// 0.6 to 1), exact copies and unrelated documents; the first file is large, the later ones
    /// small, so every later dedup runs incrementally.
    private static func files(seed: UInt64) -> [[String]] {
        var generator = SeededGenerator(seed: seed)
        var words: [String] = []
        for _ in 0..<40_000 {
            var value = generator.next()
            words.append(String((0..<6).map { _ -> Character in
                defer { value /= 26 }
                return Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(value % 26)))
            }))
        }
        var texts: [String] = []
        func window(family: Int, shift: Int) -> String {
            words[(family * 400 + shift)..<(family * 400 + shift + 300)].joined(separator: " ")
        }
        var counter = 0
        func line(_ text: String) -> String {
            counter += 1
            let quality = Double(generator.below(10)) / 10
            return jsonLine(id: "d\(counter)", text: text, extra: "\"q\":\(quality)")
        }
        func randomDocument() -> String {
            switch generator.below(10) {
            case 0 where !texts.isEmpty:
                return texts[generator.below(texts.count)]  // an exact copy
            case 1:
                return window(family: 60 + generator.below(30), shift: 0)  // mostly unrelated
            default:
                return window(family: generator.below(25), shift: generator.below(70))
            }
        }
        var result: [[String]] = []
        for size in [80, 12, 9, 14, 6, 12] {
            var file: [String] = []
            for _ in 0..<size {
                let text = randomDocument()
                texts.append(text)
                file.append(line(text))
            }
            result.append(file)
        }
        return result
    }

    private static let state = [
        "SELECT document_id, duplicate_of, cluster_id FROM docs ORDER BY document_id",
        "SELECT cluster_id, canonical_id, size, warning FROM dedup_cluster ORDER BY cluster_id",
        "SELECT threshold, clusters, marked_docs, marked_tokens FROM dedup_sweep ORDER BY threshold",
        "SELECT doc_a, doc_b, similarity FROM dedup_edge ORDER BY doc_a, doc_b",
    ]

    @Test(arguments: [
        (DedupScope.global, false, 0.8, UInt64(1)), (.global, true, 0.8, 2), (.source, false, 0.75, 3),
        (.domain, true, 0.9, 4), (.global, false, 0.7, 5), (.global, false, 0.8, 6),
    ])
    func incrementalRunsEqualOneFullRun(scope: DedupScope, star: Bool, threshold: Double, seed: UInt64) throws {
        let files = Self.files(seed: seed)
        func configure(_ options: inout DedupOptions) {
            options.scope = scope
            options.star = star
            options.threshold = threshold
            options.maxClusterSize = 4
        }
        func add(_ fixture: IngestFixture, _ index: Int) throws {
            let path = fixture.directory.write("f\(index).jsonl", files[index].joined(separator: "\n") + "\n")
            try fixture.add([path], source: .named(index % 2 == 0 ? "even" : "odd")) {
                $0.qualityField = "q"
                $0.domain = .named(index % 3 == 0 ? "web" : "books")
            }
        }

        let incremental = IngestFixture()
        var reports: [DedupReport] = []
        for index in files.indices {
            try add(incremental, index)
            var options = DedupOptions()
            configure(&options)
            reports.append(try Deduplicator(catalog: try incremental.catalog(), options: options).run())
        }
        #expect(!reports[0].incremental)
        #expect(reports.dropFirst().allSatisfy { $0.incremental })
        #expect(reports.dropFirst().allSatisfy { $0.reclusteredDocuments < 100 })

        let batch = IngestFixture()
        for index in files.indices { try add(batch, index) }
        var options = DedupOptions()
        configure(&options)
        let full = try Deduplicator(catalog: try batch.catalog(), options: options).run()
        #expect(!full.incremental)
        #expect(full.clusters > 5 && full.duplicates > 10)
        #expect(reports.last?.clusters == full.clusters)
        #expect(reports.last?.duplicates == full.duplicates)
        for sql in Self.state {
            #expect(try incremental.rows(sql) == batch.rows(sql), "\(sql)")
        }

        // A forced full run over the incremental catalog changes nothing.
        options.full = true
        let check = try Deduplicator(catalog: try incremental.catalog(), options: options).run()
        #expect(check.changedDocuments == 0 && !check.incremental)
        for sql in Self.state {
            #expect(try incremental.rows(sql) == batch.rows(sql), "\(sql)")
        }
    }

    @Test func changedSettingsOrManyNewDocumentsRunInFull() throws {
        let files = Self.files(seed: 9)
        let fixture = IngestFixture()
        for (index, file) in files.enumerated() {
            _ = fixture.directory.write("f\(index).jsonl", file.joined(separator: "\n") + "\n")
        }
        func add(_ index: Int) throws {
            try fixture.add([fixture.directory.path + "/f\(index).jsonl"], source: .named("s")) { $0.qualityField = "q" }
        }
        func dedup(_ configure: (inout DedupOptions) -> Void = { _ in }) throws -> DedupReport {
            var options = DedupOptions()
            configure(&options)
            return try Deduplicator(catalog: try fixture.catalog(), options: options).run()
        }
        try add(0)
        #expect(try !(dedup()).incremental)  // first run
        try add(1)
        #expect(try dedup().incremental)
        try add(2)
        #expect(try !(dedup { $0.threshold = 0.85 }).incremental)  // another threshold
        #expect(try dedup { $0.threshold = 0.85 }.incremental)
        #expect(try !(dedup { $0.keep = "tokens DESC" }).incremental)  // another keep policy
        #expect(try !(dedup { $0.keep = "tokens DESC"; $0.full = true }).incremental)
        #expect(try dedup { $0.keep = "tokens DESC" }.incremental)
    }
}

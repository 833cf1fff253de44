import Foundation
import Testing
@testable import CatalogCore

/// Exact copies whose frame and signature the writer copies from their first copy
/// (`ProcessedDocument.elision`) are stored byte for byte as if computed.
extension Ingest {
    @Suite struct ExactCopyReuseTests {
        /// Texts of `words` pseudo-random words, different for each `seed`.
        static func text(seed: UInt64, words: Int) -> String {
            let vocabulary = [
                "the", "catalog", "stores", "documents", "with", "their", "signals", "and", "a", "zstd",
                "frame", "per", "text", "while", "mixes", "are", "planned", "from", "recipes", "of",
                "sources", "domains", "tokens", "quality", "duplicates", "cluster", "near", "exact",
            ]
            var generator = SeededGenerator(seed: seed)
            var lines: [String] = []
            var line: [String] = []
            for _ in 0..<words {
                line.append(vocabulary[generator.below(vocabulary.count)])
                if line.count == 12 {
                    lines.append(line.joined(separator: " ") + ".")
                    line = []
                }
            }
            lines.append(line.joined(separator: " "))
            return lines.joined(separator: "\n")
        }

        /// Two sources, each with enough text for a dictionary, and exact copies within a source
        /// (the same dictionary: copied) and across sources (another dictionary: computed).
        static func lines() -> (lines: [String], sameSourceCopies: Int) {
            var lines: [String] = []
            var copies = 0
            for index in 0..<120 {
                let source = index % 2 == 0 ? "books" : "web"
                let text = Self.text(seed: UInt64(index), words: 250 + index * 3)
                lines.append(jsonLine(id: "d\(index)", text: text, extra: "\"src\":\"\(source)\""))
                if index % 10 == 3 {
                    lines.append(jsonLine(id: "copy\(index)", text: text, extra: "\"src\":\"\(source)\",\"q\":0.25"))
                    lines.append(jsonLine(id: "again\(index)", text: text, extra: "\"src\":\"\(source)\""))
                    copies += 2
                }
                if index % 10 == 7 {
                    let other = source == "books" ? "web" : "books"
                    lines.append(jsonLine(id: "elsewhere\(index)", text: text, extra: "\"src\":\"\(other)\""))
                }
            }
            return (lines, copies)
        }

        /// Every stored row that depends on how texts were processed, in a fixed order.
        static func storedRows(_ fixture: IngestFixture) throws -> [String: [[SQLValue]]] {
            let queries = [
                "document": """
                    SELECT document_id, source_id, line_no, doc_key, bytes, tokens, quality, content_hash, duplicate_of
                      FROM document ORDER BY document_id
                    """,
                "text": "SELECT document_id, dict_id, body FROM document_text ORDER BY document_id",
                "meta": "SELECT document_id, json FROM document_meta ORDER BY document_id",
                "signature": "SELECT scheme_id, document_id, signature FROM minhash_signature ORDER BY document_id",
                "bands": "SELECT * FROM lsh_bands ORDER BY document_id, band",
                "signals": "SELECT * FROM quality_signal ORDER BY document_id",
            ]
            return try queries.mapValues { try fixture.rows($0) }
        }

        func ingest(
            _ path: String, into fixture: IngestFixture, reuse: Bool, workers: Int, level: Int32 = 3
        ) throws -> IngestReport {
            try fixture.add([path], source: .field("src"), domain: .named("web")) {
                $0.qualityField = "q"
                $0.reusesExactCopies = reuse
                $0.workers = workers
                $0.compressionLevel = level
            }
        }

        @Test func copiedFramesAndSignaturesEqualComputedOnes() throws {
            let (lines, sameSourceCopies) = Self.lines()
            let computed = IngestFixture()
            let path = computed.directory.write("copies.jsonl", lines.joined(separator: "\n") + "\n")
            let plain = try ingest(path, into: computed, reuse: false, workers: 1)
            #expect(plain.exactCopiesCopied == 0)
            #expect(try computed.int("SELECT count(*) FROM zstd_dictionary") == 2)

            // One worker meets every copy after its first copy: each same-source copy is copied.
            let copiedInOrder = IngestFixture()
            let inOrder = try ingest(path, into: copiedInOrder, reuse: true, workers: 1)
            #expect(inOrder.exactCopiesCopied == sameSourceCopies)
            #expect(inOrder.exactCopiesRecomputed == 0)

            let copiedByThree = IngestFixture()
            let byThree = try ingest(path, into: copiedByThree, reuse: true, workers: 3)
            #expect(byThree.exactCopiesCopied + byThree.exactCopiesRecomputed <= sameSourceCopies)

            let expected = try Self.storedRows(computed)
            #expect(expected["document"]?.count == lines.count)
            #expect(try computed.int("SELECT count(*) FROM document WHERE duplicate_of IS NOT NULL") == Int64(lines.count - 120))
            for fixture in [copiedInOrder, copiedByThree] {
                let actual = try Self.storedRows(fixture)
                for (table, rows) in expected {
                    let stored = actual[table] ?? []
                    // The first difference only: the rows hold whole frames.
                    let difference = zip(stored, rows).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    #expect(stored.count == rows.count && difference == nil, "\(table) differs at row \(difference ?? -1)")
                }
            }
            // The copies read back as their text.
            let texts = try copiedInOrder.rows("""
                SELECT count(*) FROM docs c JOIN docs f ON f.document_id = c.duplicate_of
                 WHERE doc_text(c.document_id) = doc_text(f.document_id)
                """)
            #expect(texts == [[.integer(Int64(lines.count - 120))]])
        }

        @Test func aCopyWhoseFirstCopyWasRolledBackIsComputedByTheWriter() throws {
            let text = Self.text(seed: 99, words: 400)
            let fixture = IngestFixture()
            // The first file fails (--strict and a bad line) after its copy of the text was processed.
            let failing = fixture.directory.write("failing.jsonl", [
                jsonLine(id: "first", text: text, extra: "\"src\":\"web\""), "{not json",
            ].joined(separator: "\n") + "\n")
            let later = fixture.directory.write("later.jsonl", [
                jsonLine(id: "second", text: text, extra: "\"src\":\"web\""),
                jsonLine(id: "third", text: text, extra: "\"src\":\"web\""),
            ].joined(separator: "\n") + "\n")
            let report = try fixture.add([failing, later], source: .field("src"), domain: .named("web")) {
                $0.strict = true
                $0.workers = 1
            }
            #expect(report.failedFiles.count == 1)
            #expect(report.exactCopiesRecomputed == 1)
            #expect(report.exactCopiesCopied == 1)

            let computed = IngestFixture()
            let laterAlone = computed.directory.write("later.jsonl", try String(contentsOfFile: later, encoding: .utf8))
            try computed.add([laterAlone], source: .field("src"), domain: .named("web")) {
                $0.reusesExactCopies = false
                $0.workers = 1
            }
            let stored = "SELECT doc_key, dict_id, body, signature FROM document JOIN document_text USING (document_id) "
                + "JOIN minhash_signature USING (document_id) ORDER BY doc_key"
            let rows = try fixture.rows(stored)
            #expect(rows.count == 2)
            #expect(rows == (try computed.rows(stored)))
            #expect(try fixture.text("SELECT doc_text(document_id) FROM document WHERE doc_key = 'third'") == text)
        }

        @Test func framesAreNotCopiedFromAnEarlierRun() throws {
            let text = Self.text(seed: 7, words: 3_000)
            let fixture = IngestFixture()
            let earlier = fixture.directory.write("earlier.jsonl", jsonLine(id: "old", text: text, extra: "\"src\":\"web\"") + "\n")
            _ = try ingest(earlier, into: fixture, reuse: true, workers: 1, level: 1)
            let now = fixture.directory.write("now.jsonl", [
                jsonLine(id: "new", text: text, extra: "\"src\":\"web\""),
                jsonLine(id: "newer", text: text, extra: "\"src\":\"web\""),
            ].joined(separator: "\n") + "\n")
            let report = try ingest(now, into: fixture, reuse: true, workers: 1, level: 19)
            #expect(report.exactCopiesCopied == 1)
            let frames = try fixture.rows("""
                SELECT doc_key, body FROM document JOIN document_text USING (document_id) ORDER BY document_id
                """)
            #expect(frames.map { $0[0] } == [.text("old"), .text("new"), .text("newer")])
            // Level 19 in this run: the copy has this run's frame, not the level-1 one.
            #expect(frames[2][1] == frames[1][1])
            #expect(frames[1][1] != frames[0][1])
        }
    }
}

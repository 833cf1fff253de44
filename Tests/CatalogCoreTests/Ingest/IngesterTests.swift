import Foundation
import Testing
@testable import CatalogCore

@Suite struct IngesterTests {
    static let texts = [
        "The quick brown fox jumps over the lazy dog near the river bank today.",
        "Ünïcödé text — with “quotes”, emoji 🙂, CJK 漢字かな and a tab\there.",
        "Line one\nLine two\n\nParagraph with \\ backslash and \"quotes\".",
        String(repeating: "Long repeated paragraph about data mixtures and tokens. ", count: 400),
        "x",
    ]

    @Test func everyDocumentReadsBackByteIdentical() throws {
        let fixture = IngestFixture()
        var lines: [String] = []
        for (index, text) in Self.texts.enumerated() {
            lines.append(jsonLine(id: "d\(index)", text: text, extra: "\"url\":\"https://e.x/\(index)\",\"meta\":{\"text\":\"nested\",\"n\":1e400}"))
        }
        let path = fixture.directory.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let report = try fixture.add([path])
        #expect(report.docsAdded == Self.texts.count)
        #expect(report.linesRejected == 0)
        let catalog = try fixture.catalog()
        let statement = try catalog.connection.prepare(
            "SELECT doc_key, doc_text(document_id), bytes, source, domain FROM docs ORDER BY line_no")
        var index = 0
        while try statement.step() {
            #expect(statement.text(0) == "d\(index)")
            #expect(statement.text(1) == Self.texts[index])
            #expect(statement.int(2) == Self.texts[index].utf8.count)
            #expect(statement.text(3) == "test")
            #expect(statement.text(4) == "web")
            index += 1
        }
        #expect(index == Self.texts.count)
        #expect(try fixture.text("SELECT json FROM document_meta ORDER BY document_id LIMIT 1")
            == "{\"url\":\"https://e.x/0\",\"meta\":{\"text\":\"nested\",\"n\":1e400}}")
        #expect(try fixture.text("SELECT status FROM ingest_file") == "complete")
        #expect(try fixture.int("SELECT docs_added FROM ingest_file") == Int64(Self.texts.count))
        let sha = try fixture.text("SELECT content_sha256 FROM ingest_file") ?? ""
        #expect(sha.count == 64)
    }

    /// The writer's page cache grows with the catalog (512 bytes a document over 16 MiB) up to
    /// the default, which the connection gets back after the ingest.
    @Test func pageCacheGrowsWithTheCatalogAndIsRestored() throws {
        #expect(DocumentWriter.pageCacheMebibytes(documents: 0) == 16)
        #expect(DocumentWriter.pageCacheMebibytes(documents: 19_110) == 25)
        #expect(DocumentWriter.pageCacheMebibytes(documents: 98_304) == 64)
        #expect(DocumentWriter.pageCacheMebibytes(documents: 10_000_000) == Catalog.defaultCacheMebibytes)
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", jsonLine(id: "a", text: Self.texts[0]) + "\n")
        let catalog = try fixture.catalog()
        var options = IngestOptions(paths: [path], source: .named("test"), domain: .named("web"))
        options.workers = 1
        _ = try Ingester(catalog: catalog, options: options, observer: nil).run()
        #expect(try catalog.connection.scalarInt("PRAGMA cache_size") == -Int64(Catalog.defaultCacheMebibytes * 1024))
    }

    @Test func mapsFieldsAndKeepsTheRestAsMetadata() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", """
            {"doc":"a1","body":"first text here","src":"books","dom":"books","q":0.75,"language":"en","x":[1,2]}
            {"doc":7,"body":"second text here","src":"code","dom":"code","q":"0.25","language":"fr"}

            """)
        try fixture.add([path], source: .field("src"), domain: .field("dom")) { options in
            options.textField = "body"
            options.idField = "doc"
            options.qualityField = "q"
            options.langField = "language"
        }
        let rows = try fixture.rows("SELECT doc_key, source, domain, lang, quality FROM docs ORDER BY doc_key")
        #expect(rows == [
            [.text("7"), .text("code"), .text("code"), .text("fr"), .real(0.25)],
            [.text("a1"), .text("books"), .text("books"), .text("en"), .real(0.75)],
        ])
        #expect(try fixture.text("SELECT json FROM document_meta ORDER BY document_id LIMIT 1") == "{\"x\":[1,2]}")
        #expect(try fixture.int("SELECT count(*) FROM document_meta") == 1)
        #expect(try fixture.int("SELECT count(*) FROM source") == 2)
    }

    @Test func exactDuplicatesPointToTheFirstCopy() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", [
            jsonLine(id: "a", text: "same text for everyone here"),
            jsonLine(id: "b", text: "different text entirely"),
            jsonLine(id: "c", text: "same text for everyone here"),
        ].joined(separator: "\n"))
        try fixture.add([path])
        let rows = try fixture.rows("SELECT doc_key, duplicate_of FROM docs ORDER BY doc_key")
        let firstID = try fixture.int("SELECT document_id FROM docs WHERE doc_key = 'a'") ?? -1
        #expect(rows == [[.text("a"), .null], [.text("b"), .null], [.text("c"), .integer(firstID)]])
        let second = fixture.directory.write("more.jsonl", jsonLine(id: "z", text: "same text for everyone here"))
        try fixture.add([second], source: .named("other"))
        #expect(try fixture.int("SELECT duplicate_of FROM docs WHERE doc_key = 'z'") == firstID)
    }

    @Test func repeatedIdIsReportedAndTheFirstKept() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", [
            jsonLine(id: "a", text: "first version"), jsonLine(id: "a", text: "second version"),
        ].joined(separator: "\n"))
        let report = try fixture.add([path])
        #expect(report.docsAdded == 1)
        #expect(report.linesRejected == 1)
        #expect(fixture.observer.problems.map { $0.problem.line } == [2])
        #expect(fixture.observer.problems.first?.problem.reason.contains("repeated id \"a\"") == true)
        #expect(try fixture.text("SELECT doc_text(document_id) FROM docs") == "first version")
    }

    @Test func recordsWithoutIdGetContentKeys() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", """
            {"text":"copy me"}
            {"text":"copy me"}
            {"text":"unique"}
            """)
        try fixture.add([path])
        let keys = try fixture.rows("SELECT doc_key FROM docs ORDER BY line_no").map { $0[0].description }
        #expect(keys.count == 3)
        #expect(keys[0].hasPrefix("sha256:") && keys[0].count == 23)
        #expect(keys[1] == keys[0] + "#2")
        #expect(keys[2] != keys[0])
    }

    @Test func reAddingTheSameFileDoesNothing() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", jsonLine(id: "a", text: "hello world"))
        try fixture.add([path])
        let copy = fixture.directory.write("copy.jsonl", jsonLine(id: "a", text: "hello world"))
        let report = try fixture.add([path, copy])
        #expect(report.docsAdded == 0)
        #expect(report.files.map(\.status) == [.alreadyIngested(previousPath: path), .alreadyIngested(previousPath: path)])
        #expect(fixture.observer.notes.contains { $0.contains("already ingested") })
        #expect(try fixture.int("SELECT count(*) FROM document") == 1)
        #expect(try fixture.int("SELECT count(*) FROM ingest_file") == 1)
    }

    /// The sha256 and size of each file's bytes, as `sha256sum` gives them.
    func fingerprint(of path: String) throws -> (sha256: String, bytes: Int64) {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return (SHA256Hasher.hex(SHA256Hasher.digest(bytes)), Int64(bytes.count))
    }

    /// A file of a size no recorded file has starts before its hash is known; the hash is
    /// stored before its first commit, whether the file gives documents, none, or fails.
    @Test func aFileStartedBeforeItsHashRecordsIt() throws {
        let fixture = IngestFixture()
        let documents = fixture.directory.write("docs.jsonl", (0..<40).map { jsonLine(id: "d\($0)", text: "text \($0)") }.joined(separator: "\n"))
        let empty = fixture.directory.write("empty.jsonl", "")
        let rejected = fixture.directory.write("rejected.jsonl", "{not json\n{\"id\":1}\n")
        let failing = fixture.directory.write("failing.jsonl", jsonLine(id: "ok", text: "fine") + "\n{broken\n")
        try fixture.add([documents, empty, rejected])
        try fixture.add([failing]) { $0.strict = true }
        for (path, status) in [(documents, "complete"), (empty, "complete"), (rejected, "complete"), (failing, "failed")] {
            let recorded = try fixture.rows("SELECT content_sha256, bytes, status FROM ingest_file WHERE path = '\(path)'")
            let expected = try fingerprint(of: path)
            #expect(recorded == [[.text(expected.sha256), .integer(expected.bytes), .text(status)]], "\(path)")
        }
        // With its hash known, the same file is recognised: as itself and under another name.
        let copy = fixture.directory.write("copy.jsonl", (0..<40).map { jsonLine(id: "d\($0)", text: "text \($0)") }.joined(separator: "\n"))
        let again = try fixture.add([documents, copy])
        #expect(again.files.map(\.status) == [.alreadyIngested(previousPath: documents), .alreadyIngested(previousPath: documents)])
    }

    /// Two different files of one size: the second waits for its hash, matches nothing, and
    /// is ingested.
    @Test func aFileOfARecordedSizeWithOtherBytesIsIngested() throws {
        let fixture = IngestFixture()
        let first = fixture.directory.write("first.jsonl", jsonLine(id: "a", text: "alpha beta"))
        let second = fixture.directory.write("second.jsonl", jsonLine(id: "b", text: "gamma delt"))
        #expect(try fingerprint(of: first).bytes == fingerprint(of: second).bytes)
        let report = try fixture.add([first, second])
        #expect(report.files.map(\.status) == [.added, .added])
        #expect(try fixture.int("SELECT count(DISTINCT content_sha256) FROM ingest_file WHERE status = 'complete'") == 2)
        #expect(try fixture.text("SELECT group_concat(doc_text(document_id), '|') FROM docs") == "alpha beta|gamma delt")
    }

    /// A run killed after recording a file but before its first commit leaves a running row
    /// with no hash and no documents: the next run starts the file over, without calling it changed.
    @Test func anIngestInterruptedBeforeItsFirstCommitStartsOverQuietly() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", jsonLine(id: "a", text: "hello world"))
        let catalog = try fixture.catalog()
        try catalog.connection.execute("""
            INSERT INTO ingest_file (path, bytes, content_sha256, format, options, status, started_at)
            VALUES ('\(path)', \(try fingerprint(of: path).bytes), '', 'jsonl', '{}', 'running', '2026-11-25T00:00:00Z')
            """)
        let report = try fixture.add([path])
        #expect(report.files.map(\.status) == [.added])
        #expect(try fixture.rows("SELECT status, error FROM ingest_file ORDER BY ingest_file_id") == [
            [.text("failed"), .text("interrupted before its first commit")], [.text("complete"), .null],
        ])
        #expect(!fixture.observer.notes.contains { $0.contains("changed") })
        #expect(try fixture.text("SELECT content_sha256 FROM ingest_file WHERE status = 'complete'") == fingerprint(of: path).sha256)
    }

    @Test func outputIsTheSameWhateverTheThreadCount() throws {
        var dumps: [[[SQLValue]]] = []
        var lines: [String] = []
        for index in 0..<3000 {
            lines.append(jsonLine(id: "k\(index)", text: "document number \(index) " + String(repeating: "word\(index % 17) ", count: index % 50 + 3)))
        }
        for threads in [1, 3] {
            let fixture = IngestFixture()
            let path = fixture.directory.write("in.jsonl", lines.joined(separator: "\n"))
            try fixture.add([path]) { options in
                options.workers = threads
                options.commitEveryDocs = 500
            }
            dumps.append(try fixture.rows("""
                SELECT d.document_id, d.doc_key, d.line_no, d.tokens, d.bytes, hex(d.content_hash), d.duplicate_of,
                       hex(t.body), t.dict_id, hex(s.signature),
                       (SELECT group_concat(band || ':' || band_key, ',') FROM lsh_bands b WHERE b.document_id = d.document_id)
                  FROM document d JOIN document_text t USING (document_id)
                  LEFT JOIN minhash_signature s USING (document_id)
                 ORDER BY d.document_id
                """))
        }
        #expect(dumps[0].count == 3000)
        #expect(dumps[0] == dumps[1])
    }

    @Test func storesTheMinHashSchemeAndBandsForEachDocument() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", [
            jsonLine(id: "a", text: "one two three four five six seven"),
            jsonLine(id: "b", text: "!!! ???"),
        ].joined(separator: "\n"))
        try fixture.add([path])
        let scheme = try fixture.rows("""
            SELECT s.shingle_size, s.permutations, b.bands, b.rows_per_band, s.normalisation
              FROM minhash_scheme s JOIN lsh_banding b USING (scheme_id)
            """)
        #expect(scheme == [[.integer(5), .integer(128), .integer(18), .integer(7), .text("norm_v1")]])
        #expect(try fixture.int("SELECT length(signature) FROM minhash_signature") == 512)
        #expect(try fixture.int("SELECT count(*) FROM lsh_bands") == 18)
        // A text without words has no signature (it can only be an exact duplicate).
        #expect(try fixture.int("SELECT count(*) FROM minhash_signature s JOIN docs d USING (document_id) WHERE d.doc_key = 'b'") == 0)
    }
}

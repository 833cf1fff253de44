import Testing
@testable import CatalogCore

/// Signals written by `catalog add`, the default score in `document.quality`, and `catalog rescore`.
@Suite struct QualityIngestTests {
    static let prose = String(
        repeating: "The river runs to the sea and the boats go with it. People have lived by it for a long time. ",
        count: 6)

    func ingest(_ fixture: IngestFixture, signals: Bool = true) throws {
        let path = fixture.directory.write("in.jsonl", [
            jsonLine(id: "scored", text: Self.prose, extra: "\"q\":0.125"),
            jsonLine(id: "unscored", text: Self.prose + " And more."),
            jsonLine(id: "code", text: "func f() { return x[0] + y }\nlet z = f()\n"),
        ].joined(separator: "\n") + "\n")
        try fixture.add([path]) {
            $0.qualityField = "q"
            $0.computesSignals = signals
        }
    }

    @Test func noSignalsDefersThemToRescoreWhichGivesWhatIngestWouldHave() throws {
        let deferred = IngestFixture()
        try ingest(deferred, signals: false)
        #expect(try deferred.int("SELECT count(*) FROM quality_signal") == 0)
        #expect(try deferred.rows("SELECT doc_key, quality, fineweb_pass FROM docs ORDER BY doc_key") == [
            [.text("code"), .null, .null], [.text("scored"), .real(0.125), .null], [.text("unscored"), .null, .null],
        ])
        let report = try QualityRescorer(catalog: try deferred.catalog()).run()
        #expect(report.rescored == 3 && report.qualityKept == 1)

        let direct = IngestFixture()
        try ingest(direct)
        let columns = "SELECT * FROM quality_signal ORDER BY document_id"
        #expect(try deferred.rows(columns) == direct.rows(columns))
        #expect(try deferred.rows("SELECT doc_key, quality FROM docs ORDER BY doc_key")
            == direct.rows("SELECT doc_key, quality FROM docs ORDER BY doc_key"))
    }

    @Test func ingestStoresSignalsAndTheDefaultScoreUnlessTheInputHasQuality() throws {
        let fixture = IngestFixture()
        try ingest(fixture)
        let rows = try fixture.rows("""
            SELECT d.doc_key, d.quality = d.default_quality, d.signal_version, q.quality_from_input
              FROM docs d JOIN quality_signal q USING (document_id) ORDER BY d.doc_key
            """)
        #expect(rows == [
            [.text("code"), .integer(1), .integer(Int64(QualitySignals.version)), .integer(0)],
            [.text("scored"), .integer(0), .integer(Int64(QualitySignals.version)), .integer(1)],
            [.text("unscored"), .integer(1), .integer(Int64(QualitySignals.version)), .integer(0)],
        ])
        #expect(try fixture.rows("SELECT quality FROM docs WHERE doc_key = 'scored'") == [[.real(0.125)]])
        #expect(try fixture.int("SELECT count(*) FROM quality_signal_version WHERE version = \(QualitySignals.version)") == 1)
        // The signals match the scanner's, and prose scores above code.
        let expected = QualitySignalScanner().signals(of: Self.prose)
        #expect(try fixture.rows("SELECT word_count, c4_sentences FROM docs WHERE doc_key = 'scored'")
            == [[.integer(Int64(expected.wordCount)), .integer(Int64(expected.c4.sentences))]])
        let prose = try fixture.catalog().connection.prepare("SELECT quality FROM docs WHERE doc_key = 'unscored'")
        let code = try fixture.catalog().connection.prepare("SELECT quality FROM docs WHERE doc_key = 'code'")
        #expect(try prose.step() && code.step())
        #expect(prose.double(0) > code.double(0))
        #expect(try fixture.rows("SELECT fineweb_pass, c4_reason FROM docs WHERE doc_key = 'code'")
            == [[.integer(0), .text("c4:sentences<3")]])
    }

    /// Exact copies reuse the first copy's scan (`SignalMemo`): the same signals as a fresh
    /// scan, while input quality stays per copy.
    @Test func exactCopiesGetTheFirstCopysSignalsAndKeepTheirOwnInputQuality() throws {
        let fixture = IngestFixture()
        let other = "Short note.\nAnother line here.\n"
        let path = fixture.directory.write("copies.jsonl", [
            jsonLine(id: "a", text: Self.prose),
            jsonLine(id: "b", text: other),
            jsonLine(id: "a2", text: Self.prose, extra: "\"q\":0.5"),
            jsonLine(id: "b2", text: other),
            jsonLine(id: "a3", text: Self.prose),
        ].joined(separator: "\n") + "\n")
        try fixture.add([path]) { $0.qualityField = "q" }
        let rows = try fixture.rows("""
            SELECT d.doc_key, d.word_count, d.dup_line_fraction, d.top_2gram_char_fraction, d.default_quality,
                   q.quality_from_input, d.quality
              FROM docs d JOIN quality_signal q USING (document_id) ORDER BY d.doc_key
            """)
        let prose = QualitySignalScanner().signals(of: Self.prose)
        let proseScore = QualityScore.score(prose)
        #expect(rows.count == 5)
        #expect(rows[0] == [.text("a"), .integer(Int64(prose.wordCount)), .real(prose.dupLineFraction ?? -1),
                            .real(prose.top2GramCharFraction ?? -1), .real(proseScore), .integer(0), .real(proseScore)])
        #expect(rows[1] == [.text("a2")] + rows[0][1..<5] + [.integer(1), .real(0.5)])
        #expect(rows[2] == [.text("a3")] + rows[0][1...])
        #expect(rows[4] == [.text("b2")] + rows[3][1...])
        #expect(try fixture.int("SELECT count(*) FROM document WHERE duplicate_of IS NOT NULL") == 3)
    }

    @Test func signalMemoDropsItsOldestEntriesWhenFull() {
        let memo = SignalMemo(capacity: 2)
        func key(_ byte: UInt8) -> SignalMemo.Key { SignalMemo.Key(digest: [UInt8](repeating: byte, count: 16)) }
        func entry(_ score: Double) -> SignalMemo.Entry { SignalMemo.Entry(signals: QualitySignals(), defaultQuality: score) }
        memo.store(entry(0.1), for: key(1))
        memo.store(entry(0.2), for: key(2))
        memo.store(entry(0.9), for: key(1))  // already known: kept as first stored, not re-queued
        #expect(memo.lookup(key(1))?.defaultQuality == 0.1)
        memo.store(entry(0.3), for: key(3))  // evicts key 1, the oldest
        #expect(memo.lookup(key(1)) == nil)
        #expect(memo.lookup(key(2))?.defaultQuality == 0.2)
        #expect(memo.lookup(key(3))?.defaultQuality == 0.3)
        #expect(memo.hits == 3)
        // Round the ring again: the slots are reused in the same order.
        memo.store(entry(0.4), for: key(4))  // evicts key 2
        memo.store(entry(0.5), for: key(5))  // evicts key 3
        memo.store(entry(0.6), for: key(6))  // evicts key 4
        #expect(memo.lookup(key(2)) == nil && memo.lookup(key(3)) == nil && memo.lookup(key(4)) == nil)
        #expect(memo.lookup(key(5))?.defaultQuality == 0.5)
        #expect(memo.lookup(key(6))?.defaultQuality == 0.6)
        #expect(memo.hits == 5)
        #expect(SignalMemo.Key(digest: Array(0..<16)) != SignalMemo.Key(digest: Array(0..<15) + [99]))
    }

    @Test func rescoreFillsCatalogsWithoutSignalsAndKeepsInputQuality() throws {
        let fixture = IngestFixture()
        try ingest(fixture)
        let before = try fixture.rows("SELECT * FROM quality_signal ORDER BY document_id")
        // A catalog ingested before quality signals: no rows, quality only where the input had it.
        let catalog = try fixture.catalog()
        try catalog.connection.execute("""
            DELETE FROM quality_signal;
            UPDATE document SET quality = NULL WHERE doc_key <> 'scored';
            """)
        let report = try QualityRescorer(catalog: catalog, batchSize: 2).run()
        #expect(report.stale == 3)
        #expect(report.rescored == 3)
        #expect(report.qualityUpdated == 2)
        #expect(report.qualityKept == 1)
        #expect(report.batches == 2)
        #expect(try fixture.rows("SELECT * FROM quality_signal ORDER BY document_id") == before)
        #expect(try fixture.rows("SELECT quality FROM docs WHERE doc_key = 'scored'") == [[.real(0.125)]])
        #expect(try fixture.int("SELECT count(*) FROM docs WHERE quality IS NULL") == 0)
        // Everything is current now: nothing to do.
        let again = try QualityRescorer(catalog: try fixture.catalog()).run()
        #expect(again.stale == 0 && again.rescored == 0)
        #expect(again.summary.contains("nothing to do"))
    }

    @Test func rescoreOnlyTouchesOlderVersionsAndRespectsTheOriginFlag() throws {
        let fixture = IngestFixture()
        try ingest(fixture)
        let catalog = try fixture.catalog()
        try catalog.connection.execute("""
            UPDATE quality_signal SET signal_version = 0, word_count = -1
             WHERE document_id IN (SELECT document_id FROM document WHERE doc_key IN ('scored', 'code'));
            UPDATE quality_signal SET word_count = -7
             WHERE document_id = (SELECT document_id FROM document WHERE doc_key = 'unscored');
            UPDATE document SET quality = 0.9 WHERE doc_key = 'code';
            """)
        let report = try QualityRescorer(catalog: catalog).run()
        #expect(report.rescored == 2)
        #expect(report.qualityKept == 1)
        // The current document was skipped; the stale ones were recomputed.
        #expect(try fixture.int("SELECT word_count FROM docs WHERE doc_key = 'unscored'") == -7)
        #expect(try fixture.int("SELECT count(*) FROM docs WHERE word_count = -1") == 0)
        #expect(try fixture.rows("SELECT quality FROM docs WHERE doc_key = 'scored'") == [[.real(0.125)]])
        #expect(try fixture.int("SELECT quality = default_quality FROM docs WHERE doc_key = 'code'") == 1)
    }

    @Test func rolledBackFilesLoseTheirSignals() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("in.jsonl", jsonLine(id: "a", text: Self.prose) + "\n{bad json\n")
        let report = try fixture.add([path]) { $0.strict = true }
        #expect(report.docsAdded == 0)
        #expect(try fixture.int("SELECT count(*) FROM quality_signal") == 0)
    }
}

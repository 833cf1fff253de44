import Foundation
import Testing
@testable import CatalogCore

/// Every kind of bad input gets a clear, located message and loses nothing else.
@Suite struct BadInputTests {
    /// A file mixing good lines with one bad line per kind of per-line problem.
    static func mixedLines() -> [UInt8] {
        var bytes: [UInt8] = []
        func line(_ text: String) { bytes += Array(text.utf8) + [0x0A] }
        line(jsonLine(id: "ok1", text: "a good document number one"))            // 1
        line("{\"id\":\"bad\",\"text\":\"unterminated}")                        // 2 malformed
        line("{\"id\":\"notext\"}")                                            // 3 missing text
        line("{\"id\":\"num\",\"text\":42}")                                   // 4 text not a string
        bytes += Array("{\"id\":\"utf\",\"text\":\"bad ".utf8) + [0xC3, 0x28] + Array("\"}".utf8) + [0x0A]  // 5 invalid UTF-8
        line("{\"id\":\"sur\",\"text\":\"lone \\ud800 surrogate\"}")          // 6 repaired
        line("{\"id\":\"empty\",\"text\":\"   \"}")                             // 7 empty
        line("[1,2,3]")                                                         // 8 not an object
        line(jsonLine(id: "ok2", text: "a good document number two"))            // 9
        return bytes
    }

    @Test func perLineProblemsAreReportedWithLineNumbersAndTheRestIsKept() throws {
        let fixture = IngestFixture()
        let path = fixture.directory.write("mixed.jsonl", Self.mixedLines())
        let report = try fixture.add([path])
        #expect(report.docsAdded == 3)
        #expect(report.linesRejected == 6)
        #expect(report.linesRepaired == 1)
        let lines = fixture.observer.problems.map { $0.problem.line }
        #expect(lines == [2, 3, 4, 5, 6, 7, 8])
        #expect(fixture.observer.problems.allSatisfy { $0.path == path })
        let reasons = fixture.observer.problems.map { $0.problem.reason.lowercased() }
        #expect(reasons[1].contains("text"))
        #expect(reasons[2].contains("string") || reasons[2].contains("number"))
        #expect(reasons[3].contains("utf-8"))
        #expect(reasons[4].contains("surrogate"))
        #expect(reasons[5].contains("empty") || reasons[5].contains("whitespace"))
        #expect(reasons[6].contains("object"))
        #expect(try fixture.rows("SELECT doc_key FROM docs ORDER BY line_no").map { $0[0] } == [
            .text("ok1"), .text("sur"), .text("ok2"),
        ])
        #expect(try fixture.text("SELECT doc_text(document_id) FROM docs WHERE doc_key = 'sur'") == "lone \u{FFFD} surrogate")
        #expect(try fixture.rows("SELECT lines_rejected, lines_repaired, status FROM ingest_file")
            == [[.integer(6), .integer(1), .text("complete")]])
        #expect(try fixture.int("SELECT count(*) FROM ingest_problem") == 7)
        #expect(try fixture.int("SELECT count(*) FROM ingest_problem WHERE severity = 'repaired' AND line_no = 6") == 1)
        #expect(report.summary.contains("6 lines rejected"))
    }

    @Test func strictFailsTheFileAndRollsItBackLeavingOtherFilesAlone() throws {
        let fixture = IngestFixture()
        let good = fixture.directory.write("good.jsonl", jsonLine(id: "g", text: "a good earlier document"))
        try fixture.add([good])
        let before = try fixture.rows("SELECT * FROM docs")
        var lines = (0..<50).map { jsonLine(id: "s\($0)", text: "strict document \($0)") }
        lines.append("{broken")
        let path = fixture.directory.write("strict.jsonl", lines.joined(separator: "\n"))
        let report = try fixture.add([path]) { options in
            options.strict = true
            options.commitEveryDocs = 10
        }
        guard case let .failed(reason) = report.files.first?.status else {
            Issue.record("file did not fail: \(report.files)")
            return
        }
        #expect(reason.contains("strict.jsonl:51"))
        #expect(try fixture.rows("SELECT * FROM docs") == before)
        #expect(try fixture.int("SELECT count(*) FROM document") == 1)
        #expect(try fixture.text("SELECT status FROM ingest_file WHERE path LIKE '%strict.jsonl'") == "failed")
        #expect(try fixture.text("SELECT error FROM ingest_file WHERE path LIKE '%strict.jsonl'")?.contains("--strict") == true)
    }

    @Test func maxErrorsStopsAHopelessFile() throws {
        let fixture = IngestFixture()
        let lines = (0..<100).map { $0 % 2 == 0 ? "not json \($0)" : jsonLine(id: "k\($0)", text: "fine \($0)") }
        let path = fixture.directory.write("hopeless.jsonl", lines.joined(separator: "\n"))
        let report = try fixture.add([path]) { $0.maxErrors = 5 }
        guard case let .failed(reason) = report.files.first?.status else {
            Issue.record("file did not fail")
            return
        }
        #expect(reason.contains("--max-errors 5"))
        #expect(try fixture.int("SELECT count(*) FROM document") == 0)
    }

    @Test func oversizedLineIsRejectedAndTheNextLinesKept() throws {
        let fixture = IngestFixture()
        let big = jsonLine(id: "big", text: String(repeating: "y", count: 300_000))
        let path = fixture.directory.write("big.jsonl", [
            jsonLine(id: "a", text: "before the big one"), big, jsonLine(id: "b", text: "after the big one"),
        ].joined(separator: "\n"))
        let report = try fixture.add([path]) { $0.maxLineBytes = 100_000 }
        #expect(report.docsAdded == 2)
        #expect(fixture.observer.problems.map { $0.problem.line } == [2])
        #expect(fixture.observer.problems.first?.problem.reason.contains("--max-line-bytes") == true)
    }

    @Test func missingPathIsAClearErrorAndChangesNothing() throws {
        let fixture = IngestFixture()
        let good = fixture.directory.write("good.jsonl", jsonLine(id: "g", text: "kept"))
        let missing = fixture.directory.path + "/nope.jsonl"
        #expect(throws: IngestError.input(.notFound(path: missing))) { try fixture.add([good, missing]) }
        #expect(try fixture.int("SELECT count(*) FROM document") == 0)
        #expect(IngestError.input(.notFound(path: missing)).description.contains("no such file"))
    }

    @Test func fifoIsRefused() throws {
        let fixture = IngestFixture()
        let fifo = fixture.directory.path + "/pipe.jsonl"
        #expect(mkfifo(fifo, 0o644) == 0)
        do {
            try fixture.add([fifo])
            Issue.record("FIFO accepted")
        } catch let error as IngestError {
            #expect(error.description.contains("not a regular file"))
        }
    }

    @Test func emptyDirectoryIsAClearError() throws {
        let fixture = IngestFixture()
        let folder = fixture.directory.path + "/empty"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try fixture.add([folder])
            Issue.record("empty directory accepted")
        } catch let error as IngestError {
            #expect(error.description.contains("no input files"))
        }
    }

    @Test func textDirectorySkipsBinaryFilesAndHonoursGlobs() throws {
        let fixture = IngestFixture()
        fixture.directory.write("docs/a.txt", "Plain text document A with several words in it.")
        fixture.directory.write("docs/sub/b.md", "# Title\n\nMarkdown document B.")
        fixture.directory.write("docs/logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00])
        fixture.directory.write("docs/skip.log", "excluded by the glob")
        let report = try fixture.add([fixture.directory.path + "/docs"], source: .named("notes")) { options in
            options.exclude = ["*.log"]
        }
        #expect(report.docsAdded == 2)
        #expect(try fixture.rows("SELECT doc_key FROM docs ORDER BY doc_key").map { $0[0] } == [
            .text("docs/a.txt"), .text("docs/sub/b.md"),
        ])
        #expect(report.files.contains { if case .skipped = $0.status { return $0.path.hasSuffix("logo.png") } else { return false } })
        #expect(try fixture.text("SELECT doc_text(document_id) FROM docs WHERE doc_key = 'docs/a.txt'")
            == "Plain text document A with several words in it.")
        let again = try fixture.add([fixture.directory.path + "/docs"], source: .named("notes")) { $0.exclude = ["*.log"] }
        #expect(again.docsAdded == 0)
    }

    @Test func truncatedCompressedInputFailsTheFileOnly() throws {
        let fixture = IngestFixture()
        let lines = (0..<2000).map { jsonLine(id: "z\($0)", text: "compressed document \($0) with some words") }
        let plain = Array(lines.joined(separator: "\n").utf8)
        let encodings: [(suffix: String, bytes: [UInt8])] = [
            ("gz", try CompressionFixtures.gzip(plain)), ("zst", try CompressionFixtures.zstd(plain)),
        ]
        for (suffix, compressed) in encodings {
            let truncated = fixture.directory.write("cut.jsonl.\(suffix)", Array(compressed.prefix(compressed.count / 2)))
            let report = try fixture.add([truncated], source: .named("cut-\(suffix)"))
            guard case let .failed(reason) = report.files.first?.status else {
                Issue.record("truncated .\(suffix) did not fail")
                continue
            }
            #expect(reason.contains(truncated))
            #expect(reason.contains("truncated"))
            #expect(try fixture.int(
                "SELECT count(*) FROM document d JOIN source s USING (source_id) WHERE s.name = 'cut-\(suffix)'") == 0)
            #expect(try fixture.text("SELECT status FROM ingest_file WHERE path = '\(truncated)'") == "failed")
            // The intact file ingests completely.
            let full = fixture.directory.write("full.jsonl.\(suffix)", compressed)
            #expect(try fixture.add([full], source: .named("full-\(suffix)")).docsAdded == 2000)
        }
    }

    @Test func aHundredMegabyteLineIsSkippedWithoutStoppingTheFile() throws {
        let fixture = IngestFixture()
        var bytes = Array((jsonLine(id: "before", text: "a normal line") + "\n").utf8)
        bytes += Array("{\"id\":\"huge\",\"text\":\"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 100 << 20)
        bytes += Array("\"}\n".utf8)
        bytes += Array((jsonLine(id: "after", text: "another normal line") + "\n").utf8)
        let path = fixture.directory.write("huge.jsonl", bytes)
        let report = try fixture.add([path])
        #expect(report.docsAdded == 2)
        #expect(fixture.observer.problems.map { $0.problem.line } == [2])
        #expect(fixture.observer.problems.first?.problem.reason.contains("100.0 MiB") == true)
        #expect(try fixture.rows("SELECT doc_key FROM docs ORDER BY line_no").map { $0[0] } == [.text("before"), .text("after")])
    }
}

/// Regressions found in review: state that must not leak between files.
@Suite struct IngestIsolationTests {
    @Test func sourcesOfARolledBackFileAreForgotten() throws {
        let fixture = IngestFixture()
        let first = fixture.directory.write("a.jsonl", """
            {"id":"1","src":"x","text":"first x document"}
            {"id":"1","src":"x","text":"repeated id fails the file under --strict"}
            """)
        let second = fixture.directory.write("b.jsonl", """
            {"id":"2","src":"y","text":"a y document"}
            {"id":"3","src":"x","text":"an x document"}
            """)
        let report = try fixture.add([first, second], source: .field("src")) { $0.strict = true }
        #expect(report.failedFiles.map(\.path) == [first])
        #expect(try fixture.rows("SELECT doc_key, source FROM docs ORDER BY doc_key") == [
            [.text("2"), .text("y")], [.text("3"), .text("x")],
        ])
    }

    @Test func aFailedFileKeepsItsProblemsAndCountsNoDocuments() throws {
        let fixture = IngestFixture()
        let lines = (0..<40).map { $0 % 2 == 0 ? "broken \($0)" : jsonLine(id: "k\($0)", text: "fine \($0)") }
        let path = fixture.directory.write("bad.jsonl", lines.joined(separator: "\n"))
        _ = try fixture.add([path]) { $0.maxErrors = 5 }
        #expect(try fixture.rows("SELECT status, docs_added FROM ingest_file") == [[.text("failed"), .integer(0)]])
        #expect(try fixture.int("SELECT count(*) FROM ingest_problem") == 6)
    }

    @Test func aStrictTextRunFailsOnlyTheOffendingFile() throws {
        let fixture = IngestFixture()
        fixture.directory.write("a/x.txt", "first file x")
        fixture.directory.write("b/x.txt", "second file x, another directory")
        fixture.directory.write("b/z.txt", "file z")
        let report = try fixture.add(
            [fixture.directory.path + "/a", fixture.directory.path + "/b"], source: .named("books")
        ) { $0.strict = true }
        #expect(report.docsAdded == 3)
        #expect(try fixture.rows("SELECT doc_key FROM docs ORDER BY doc_key").map { $0[0] } == [
            .text("a/x.txt"), .text("b/x.txt"), .text("b/z.txt"),
        ])
    }

    @Test func largeNumbersPrint() {
        #expect(Format.decimal(1e17, digits: 2) == "1e+17")
        #expect(RowPrinter.render(RowSet(columns: ["n"], rows: [[.real(1e17)]]), as: .csv) == "n\r\n1e+17\r\n")
    }
}

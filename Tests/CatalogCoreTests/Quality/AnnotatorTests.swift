import Foundation
import Testing
@testable import CatalogCore

@Suite struct AnnotatorTests {
    /// A catalog with documents a, b, c in source `web` and a in source `books`.
    static func fixture() throws -> IngestFixture {
        let fixture = IngestFixture()
        let web = fixture.directory.write("web.jsonl", ["a", "b", "c"].map { jsonLine(id: $0, text: "text of \($0) here") }.joined(separator: "\n") + "\n")
        try fixture.add([web], source: .named("web"))
        let books = fixture.directory.write("books.jsonl", jsonLine(id: "a", text: "a book called a") + "\n")
        try fixture.add([books], source: .named("books"))
        return fixture
    }

    static func annotate(
        _ fixture: IngestFixture, _ name: String, _ contents: String, fields: [String], source: String? = "web",
        key: String = "id"
    ) throws -> AnnotationReport {
        let path = fixture.directory.write(name, contents)
        let options = AnnotationOptions(
            path: path, keyField: key, fields: try fields.map { try AnnotationField(parsing: $0) }, source: source, format: nil)
        return try Annotator(catalog: try fixture.catalog()).run(options)
    }

    static func attrs(_ fixture: IngestFixture) throws -> [String] {
        try fixture.rows("SELECT source || ':' || doc_key || ' ' || attrs FROM docs ORDER BY source, doc_key").map {
            if case let .text(text) = $0[0] { return text }
            return ""
        }
    }

    @Test func jsonlRoundTripWithTypesRenamesAndUnknownKeys() throws {
        let fixture = try Self.fixture()
        let report = try Self.annotate(fixture, "s.jsonl", """
            {"id":"a","score":0.75,"lang":"en","n":3,"keep":true}
            {"id":"b","score":1,"lang":"de","n":4,"keep":false}

            {"id":"zz","score":0.5,"lang":"fr","n":5,"keep":true}
            {"id":"c","score":null,"lang":"en","n":6,"keep":true}
            """, fields: ["fasttext_en=score", "lid=lang", "n:int", "keep"])
        #expect(report.records == 4)
        #expect(report.unknownKeys == 1)
        #expect(report.unknownKeyExamples == [fixture.directory.path + "/s.jsonl:4: zz"])
        #expect(report.attributes.map(\.type) == [.real, .text, .int, .bool])
        #expect(report.attributes.map(\.documents) == [2, 3, 3, 3])
        #expect(report.attributes[0].nulls == 1)
        #expect(try Self.attrs(fixture) == [
            "books:a {}",
            "web:a {\"fasttext_en\":0.75,\"lid\":\"en\",\"n\":3,\"keep\":true}",
            "web:b {\"fasttext_en\":1.0,\"lid\":\"de\",\"n\":4,\"keep\":false}",
            "web:c {\"lid\":\"en\",\"n\":6,\"keep\":true}",
        ])
        #expect(try fixture.int("SELECT count(*) FROM docs WHERE attrs ->> 'fasttext_en' > 0.8") == 1)
        #expect(try fixture.text("SELECT field || ',' || type || ',' || unknown_keys || ',' || documents FROM attribute WHERE name = 'fasttext_en'") == "score,real,1,2")
        #expect(try fixture.text("SELECT file_sha256 FROM attribute WHERE name = 'lid'") == report.sha256)
        #expect(try fixture.int("SELECT count(*) FROM annotations WHERE attribute = 'n'") == 3)
    }

    @Test func csvRoundTripWithQuotedFieldsCommasAndNewlines() throws {
        let fixture = try Self.fixture()
        let report = try Self.annotate(fixture, "s.csv", "id,label,score\r\na,\"says \"\"hi\"\", twice\",0.5\r\n\"b\",\"two\nlines\",2\r\nc,,\r\n",
            fields: ["label", "score"])
        #expect(report.attributes.map(\.type) == [.text, .real])
        #expect(report.attributes.map(\.documents) == [2, 2])
        #expect(try fixture.text("SELECT value FROM annotations WHERE doc_key = 'a' AND attribute = 'label'") == "says \"hi\", twice")
        #expect(try fixture.text("SELECT value FROM annotations WHERE doc_key = 'b' AND attribute = 'label'") == "two\nlines")
        #expect(try fixture.rows("SELECT typeof(value) FROM annotations WHERE attribute = 'score' ORDER BY doc_key") == [[.text("real")], [.text("real")]])
    }

    @Test func reimportReplacesTheAttribute() throws {
        let fixture = try Self.fixture()
        _ = try Self.annotate(fixture, "one.jsonl", "{\"id\":\"a\",\"s\":0.1}\n{\"id\":\"b\",\"s\":0.2}\n", fields: ["s"])
        let report = try Self.annotate(fixture, "two.jsonl", "{\"id\":\"c\",\"s\":0.9}\n", fields: ["s"])
        #expect(report.attributes[0].documents == 1)
        #expect(try fixture.rows("SELECT doc_key, value FROM annotations ORDER BY doc_key") == [[.text("c"), .real(0.9)]])
        #expect(try fixture.text("SELECT source_file FROM attribute") == fixture.directory.url.standardizedFileURL.path + "/two.jsonl")
        #expect(try fixture.int("SELECT count(*) FROM attribute") == 1)
    }

    @Test(arguments: [
        ("bad.jsonl", "{\"id\":\"a\",\"s\":0.5}\n{\"id\":\"b\",\"s\":0.6\n", "2: not a JSON object"),
        ("bad.csv", "id,s\na,0.5\nb,0\"6\n", "3: a quote inside an unquoted CSV field"),
        ("open.csv", "id,s\na,0.5\nb,\"0.6\n", "3: unterminated quoted CSV field"),
        ("type.jsonl", "{\"id\":\"a\",\"s\":0.5}\n{\"id\":\"b\",\"s\":\"high\"}\n", "2: field 's': \"high\" is not a real"),
        ("nokey.jsonl", "{\"id\":\"a\",\"s\":0.5}\n{\"s\":0.6}\n", "2: missing key field 'id'"),
        ("dup.jsonl", "{\"id\":\"a\",\"s\":0.5}\n{\"id\":\"a\",\"s\":0.6}\n", "2: key 'a' repeats line 1"),
        ("cols.csv", "id,s\na,0.5,extra\n", "2: 3 fields, the header has 2"),
    ])
    func malformedFileChangesNothing(name: String, contents: String, expected: String) throws {
        let fixture = try Self.fixture()
        _ = try Self.annotate(fixture, "good.jsonl", "{\"id\":\"c\",\"s\":0.9}\n", fields: ["s"])
        let error = #expect(throws: AnnotationError.self) {
            _ = try Self.annotate(fixture, name, contents, fields: ["s:real"])
        }
        guard case let .invalidFile(path, problems, _) = error else {
            Issue.record("expected invalidFile, got \(String(describing: error))")
            return
        }
        #expect(problems.first?.hasPrefix(path + ":" + expected) == true, "\(problems)")
        #expect(try fixture.rows("SELECT doc_key, value FROM annotations") == [[.text("c"), .real(0.9)]])
        #expect(try fixture.text("SELECT source_file FROM attribute")?.hasSuffix("good.jsonl") == true)
    }

    @Test func keysInTwoSourcesNeedASource() throws {
        let fixture = try Self.fixture()
        let error = #expect(throws: AnnotationError.self) {
            _ = try Self.annotate(fixture, "s.jsonl", "{\"id\":\"a\",\"s\":1}\n{\"id\":\"b\",\"s\":2}\n", fields: ["s"], source: nil)
        }
        #expect(error == .ambiguousKeys(path: fixture.directory.path + "/s.jsonl", examples: ["a in books and web"], total: 1))
        #expect(try fixture.int("SELECT count(*) FROM attribute") == 0)
        let report = try Self.annotate(fixture, "s.jsonl", "{\"id\":\"a\",\"s\":1}\n", fields: ["s"], source: "books")
        #expect(report.attributes[0].documents == 1)
        #expect(try fixture.text("SELECT source FROM annotations") == "books")
        #expect(throws: AnnotationError.unknownSource("nope")) {
            _ = try Self.annotate(fixture, "s.jsonl", "{\"id\":\"a\",\"s\":1}\n", fields: ["s"], source: "nope")
        }
    }

    @Test func compressedInputAndIntegerKeys() throws {
        let fixture = IngestFixture()
        let web = fixture.directory.write("web.jsonl", "{\"id\":7,\"text\":\"seven\"}\n")
        try fixture.add([web], source: .named("web"))
        let compressed = try ZstdFrameCompressor().compress(Array("{\"id\":7,\"s\":0.5}\n".utf8), dictionary: nil)
        let path = fixture.directory.write("s.jsonl.zst", compressed)
        let options = AnnotationOptions(path: path, keyField: "id", fields: [try AnnotationField(parsing: "s")], source: nil, format: nil)
        let report = try Annotator(catalog: try fixture.catalog()).run(options)
        #expect(report.attributes[0].documents == 1)
    }

    @Test func fieldSpecsParse() throws {
        #expect(try AnnotationField(parsing: "q") == AnnotationField(name: "q", inputField: "q", type: nil))
        #expect(try AnnotationField(parsing: "q:int") == AnnotationField(name: "q", inputField: "q", type: .int))
        #expect(try AnnotationField(parsing: "q=score:bool") == AnnotationField(name: "q", inputField: "score", type: .bool))
        #expect(throws: AnnotationError.self) { try AnnotationField(parsing: "q:float") }
        #expect(throws: AnnotationError.self) { try AnnotationField(parsing: "=x") }
    }

    @Test func docsDoesNotEvaluateAttrsUnlessAsked() throws {
        let fixture = try Self.fixture()
        let plan = try fixture.rows("EXPLAIN QUERY PLAN SELECT doc_key, tokens FROM docs WHERE tokens > 0").map { "\($0[3])" }
        #expect(!plan.joined().contains("SUBQUERY"))
        let withAttrs = try fixture.rows("EXPLAIN QUERY PLAN SELECT attrs FROM docs").map { "\($0[3])" }
        #expect(withAttrs.joined().contains("CORRELATED SCALAR SUBQUERY"))
    }
}

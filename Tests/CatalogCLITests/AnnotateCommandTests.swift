import Foundation
import Testing

@Suite struct AnnotateCommandTests {
    @Test func annotateImportsReportsUnknownKeysAndIsQueryable() throws {
        let directory = TemporaryDirectory()
        let db = directory.path + "/c.db"
        let input = directory.write("in.jsonl", "{\"id\":\"a\",\"text\":\"alpha text\"}\n{\"id\":\"b\",\"text\":\"beta text\"}\n")
        #expect(try CLIRunner.run(["add", input, "--source", "s", "--db", db]).exitCode == 0)
        let scores = directory.write("scores.csv", "doc,score\na,0.9\nb,0.1\nmissing,0.5\n")
        let result = try CLIRunner.run(["annotate", scores, "--key", "doc", "--field", "fasttext_en=score", "--db", db])
        #expect(result.exitCode == 0)
        #expect(result.stdout == "fasttext_en (real): 2 documents\n\(scores): 3 records, 1 unknown key\n")
        #expect(result.stderr.contains("\(scores):4: missing: unknown key"))
        let query = try CLIRunner.run(["sql", "SELECT doc_key FROM docs WHERE attrs ->> 'fasttext_en' > 0.5", "--format", "csv", "--db", db])
        #expect(query.stdout == "doc_key\r\na\r\n")
        let bad = directory.write("bad.csv", "doc,score\na,high\n")
        let failed = try CLIRunner.run(["annotate", bad, "--key", "doc", "--field", "fasttext_en=score:real", "--db", db])
        #expect(failed.exitCode == 1)
        #expect(failed.stderr.contains("\(bad):2: field 'score': \"high\" is not a real"))
        let list = try CLIRunner.run(["annotate", "--list", "--format", "csv", "--db", db])
        #expect(list.stdout.contains("fasttext_en,real,2,1,score,,"))
    }
}

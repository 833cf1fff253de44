import Foundation
import Testing

/// `catalog recipe`, `plan` and `materialize` end to end.
@Suite struct MixCommandTests {
    @Test func recipePlanMaterializeOnTheExample() throws {
        let directory = TemporaryDirectory()
        let database = directory.path + "/c.db"
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sample = root.appendingPathComponent("examples/sample.jsonl").path
        let recipe = root.appendingPathComponent("examples/recipes/sample-mix.yaml").path
        let add = try CLIRunner.run(["add", sample, "--db", database, "--source-field", "source", "--domain-field", "domain"])
        #expect(add.exitCode == 0)
        #expect(try CLIRunner.run(["dedup", "--db", database]).exitCode == 0)

        let added = try CLIRunner.run(["recipe", "add", recipe, "--db", database])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.hasPrefix("added recipe sample-mix@1"))
        let again = try CLIRunner.run(["recipe", "add", recipe, "--db", database])
        #expect(again.stdout.hasPrefix("recipe sample-mix@1 unchanged"))
        let shown = try CLIRunner.run(["recipe", "show", "sample-mix@1", "--db", database])
        #expect(shown.stdout == (try String(contentsOfFile: recipe, encoding: .utf8)))

        let plan = try CLIRunner.run(["plan", "sample-mix", "--db", database, "--format", "csv"])
        #expect(plan.exitCode == 0, "\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("phase,component,weight,available_docs,available_tokens,target_tokens,"))
        #expect(plan.stdout.contains("main,(total),1,,,54000,,,54000,0\r\n"))
        let sql = try CLIRunner.run(["plan", "sample-mix", "--db", database, "--sql"])
        #expect(sql.stdout.contains("WHERE (source = 'chronam-1916')\n   AND (tokens >= 200)\n   AND duplicate_of IS NULL"))

        let out = directory.path + "/out"
        let run = try CLIRunner.run(["materialize", "sample-mix", "--db", database, "--out", out, "--threads", "1"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/manifest.json"))
        let refused = try CLIRunner.run(["materialize", "sample-mix", "--db", database, "--out", out])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("exists and is not empty; choose another --out directory or pass --overwrite"))
        let mixes = try CLIRunner.run([
            "sql", "SELECT count(DISTINCT run) FROM document_mixes WHERE source = 'chronam-1916'", "--db", database,
            "--format", "csv",
        ])
        #expect(mixes.stdout == "count(DISTINCT run)\r\n1\r\n")
    }

    @Test func planFailsWhenATargetCannotBeMet() throws {
        let directory = TemporaryDirectory()
        let database = directory.path + "/c.db"
        let input = directory.write("in.jsonl", generatedJSONL(count: 20, source: "s"))
        #expect(try CLIRunner.run(["add", input, "--db", database, "--source-field", "source"]).exitCode == 0)
        let recipe = directory.write("r.yaml", """
            name: too-big
            seed: 1
            total_tokens: 1M
            components:
              - {name: all, where: "source = 's'", weight: 1}
            """)
        #expect(try CLIRunner.run(["recipe", "add", recipe, "--db", database]).exitCode == 0)
        let plan = try CLIRunner.run(["plan", "too-big", "--db", database])
        #expect(plan.exitCode == 1)
        #expect(plan.stderr.contains("the recipe's targets cannot be met (shortfall: error)"))
        let bad = directory.write("bad.yaml", """
            name: bad
            seed: 1
            total_tokens: 1M
            components:
              - {name: all, where: "1) UNION SELECT (1", weight: 1}
            """)
        let refused = try CLIRunner.run(["recipe", "add", bad, "--db", database])
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("bad.yaml:5: components[0].where: refused: closes a parenthesis"))
    }
}

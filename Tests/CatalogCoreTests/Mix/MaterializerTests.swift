import Foundation
import Testing
@testable import CatalogCore

@Suite struct MaterializerTests {
    func materialize(_ fixture: MixFixture, out: String, threads: Int, overwrite: Bool = false) throws -> MaterializeResult {
        var options = MaterializeOptions(outDirectory: out)
        options.threads = threads
        options.overwrite = overwrite
        return try Materializer(catalog: fixture.catalog()).run(try RecipeReference(parsing: "test-mix"), options: options) {
            try ShardSetOutput(settings: $0)
        }
    }

    func files(_ directory: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "manifest.json" {
            result[name] = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }
        return result
    }

    @Test func sameOutputWhateverTheThreadsAndTheRunIsRecorded() throws {
        let fixture = try MixFixture(count: 80)
        _ = try RecipeLibrary(catalog: fixture.catalog()).add(
            body: fixtureRecipe(total: "4000", extra: "output: {format: jsonl, shard_size: 8KiB, fields: [id, text, component]}"),
            file: "r.yaml")
        let directory = fixture.ingest.directory
        let one = try materialize(fixture, out: directory.path + "/one", threads: 1)
        let two = try materialize(fixture, out: directory.path + "/two", threads: 2)
        let first = try files(directory.path + "/one")
        #expect(first.count > 1)
        #expect(first == (try files(directory.path + "/two")))
        #expect(one.shards == two.shards)
        #expect(try fixture.int("SELECT count(*) FROM mix_run") == 2)
        #expect(try fixture.int("SELECT sum(documents) FROM mix_run_shard WHERE mix_run_id = 1") == one.documents)
        // Which mixes contain a document: one query over document_mixes.
        let some = try fixture.int("SELECT min(document_id) FROM mix_run_document")
        #expect(try fixture.int("SELECT count(DISTINCT run) FROM document_mixes WHERE document_id = \(some)") == 2)
        #expect(try fixture.int("SELECT sum(times) FROM mix_run_document d JOIN mix_run_component c USING (mix_run_component_id) WHERE c.mix_run_id = 1")
            == one.documents)
    }

    @Test func refusesANonEmptyDirectoryUnlessOverwrite() throws {
        let fixture = try MixFixture(count: 20)
        _ = try RecipeLibrary(catalog: fixture.catalog()).add(body: fixtureRecipe(total: "500"), file: "r.yaml")
        let out = fixture.ingest.directory.path + "/out"
        _ = try materialize(fixture, out: out, threads: 1)
        #expect(throws: ShardError.self) { try materialize(fixture, out: out, threads: 1) }
        _ = try materialize(fixture, out: out, threads: 1, overwrite: true)
        #expect(try fixture.int("SELECT count(*) FROM mix_run") == 2)
    }

    @Test func anInfeasiblePlanWritesNothing() throws {
        let fixture = try MixFixture(count: 5)
        _ = try RecipeLibrary(catalog: fixture.catalog()).add(body: fixtureRecipe(total: "1M"), file: "r.yaml")
        let out = fixture.ingest.directory.path + "/out"
        #expect(throws: MixError.self) { try materialize(fixture, out: out, threads: 1) }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try fixture.int("SELECT count(*) FROM mix_run") == 0)
    }
}

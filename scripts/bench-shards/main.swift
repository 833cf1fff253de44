// Benchmarks ShardSetWriter: documents held in memory are written as shards in every format;
// prints MB/s of uncompressed output and documents/s, medians of several runs, and checks that
// the shards are byte-identical across thread counts. Run by scripts/bench-shards.sh.
import CatalogCore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: bench-shards FILE.jsonl WORKDIR [RUNS]")
    exit(64)
}
let runs = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
let work = arguments[2]

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

var documents: [OutputDocument] = []
guard let data = FileManager.default.contents(atPath: arguments[1]) else {
    print("cannot read \(arguments[1])")
    exit(1)
}
for (index, line) in data.split(separator: 0x0A).enumerated() {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
        let text = object["text"] as? String
    else { continue }
    let meta = object.filter { $0.key != "text" && $0.key != "id" }
    let metaJSON = try? JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys])
    let component = ["web", "code", "books"][index % 3]
    documents.append(OutputDocument(
        documentId: Int64(index + 1), docKey: (object["id"] as? String) ?? "doc-\(index)",
        source: (object["source"] as? String) ?? "dev", domain: object["domain"] as? String, lang: "en",
        tokens: text.utf8.count / 4, quality: Double(index % 100) / 100, text: Array(text.utf8),
        metaJSON: metaJSON.map { [UInt8]($0) }, component: component, phase: index < 17_000 ? "main" : "anneal",
        epoch: 0))
}
let textBytes = documents.reduce(0) { $0 + $1.text.count }
print("documents: \(documents.count), text: \(String(format: "%.1f", Double(textBytes) / 1e6)) MB, runs: \(runs)")

let header = ManifestHeader(recipe: "bench", version: 1, sha256: "00", seed: 1, catalogFingerprint: "bench", createdAt: "now")
let fields: [OutputField] = [.id, .text, .source, .domain, .tokens, .quality, .meta, .component]

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let only = ProcessInfo.processInfo.environment["BENCH_FORMATS"]?.split(separator: ",").map(String.init)
let allCases: [(ShardFormat, Int)] = [
    (.jsonl, 1), (.jsonlZstd, 1), (.jsonlZstd, 2), (.jsonlGzip, 1), (.mds, 2), (.mdsUncompressed, 1),
]
let cases = allCases.filter { only?.contains($0.0.rawValue) ?? true }
var digests: [ShardFormat: [String]] = [:]
for (format, threads) in cases {
    var seconds: [Double] = []
    var raw: Int64 = 0
    var onDisk: Int64 = 0
    for run in 0..<runs {
        let out = "\(work)/out-\(format.rawValue)-\(threads)-\(run)"
        try? FileManager.default.removeItem(atPath: out)
        let start = now()
        let writer = try ShardSetWriter(
            directory: out, format: format, shardSizeBytes: 64 << 20, fields: fields, overwrite: true, threads: threads)
        for document in documents { try writer.write(document) }
        let shards = try writer.finish(manifestHeader: header, components: [])
        seconds.append(now() - start)
        raw = shards.reduce(0) { $0 + $1.uncompressedBytes }
        onDisk = shards.reduce(0) { $0 + $1.bytes }
        if let previous = digests[format], previous != shards.map(\.sha256) {
            print("  MISMATCH: \(format.rawValue) differs between runs or thread counts")
        }
        digests[format] = shards.map(\.sha256)
        if ProcessInfo.processInfo.environment["BENCH_KEEP"] == nil || run + 1 < runs {
            try? FileManager.default.removeItem(atPath: out)
        }
    }
    let best = median(seconds)
    print(String(
        format: "%-10@ threads %d: %7.1f MB/s uncompressed, %8.0f docs/s, %.2f s median (%@), ratio %.2f",
        format.rawValue, threads, Double(raw) / 1e6 / best, Double(documents.count) / best, best,
        seconds.map { String(format: "%.2f", $0) }.joined(separator: " "), Double(raw) / Double(max(onDisk, 1))))
}

// Throughput benchmark for TokenEstimator (built by scripts/bench-token-estimator.sh).
//
// Reads a JSONL corpus (decompressed), copies every `text` into one contiguous buffer, then
// times `TokenEstimator.estimate` over all documents, best of N rounds. With `--tsv FILE` it
// also writes `estimate<TAB>id` per document, which
// `scripts/calibrate-token-estimator.py --check FILE` compares with the Python mirror.
import Foundation

var arguments = Array(CommandLine.arguments.dropFirst())
var tsvPath: String?
if let i = arguments.firstIndex(of: "--tsv"), i + 1 < arguments.count {
    tsvPath = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
guard let corpusPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: bench-token-estimator CORPUS.jsonl [--tsv OUT.tsv] [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5

guard let data = FileManager.default.contents(atPath: corpusPath) else {
    FileHandle.standardError.write(Data("error: cannot read \(corpusPath)\n".utf8))
    exit(1)
}
var ids: [String] = []
var offsets: [Int] = [0]
var buffer: [UInt8] = []
buffer.reserveCapacity(data.count)
/// The fields the benchmark needs. JSONDecoder keeps a leading U+FEFF in `text` (some corpus
/// documents start with one); JSONSerialization drops it, which would skew `--check`.
struct Record: Decodable {
    let id: String
    let text: String
}
let decoder = JSONDecoder()
for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
    guard let record = try? decoder.decode(Record.self, from: Data(line)) else {
        FileHandle.standardError.write(Data("error: \(corpusPath):\(number + 1): not a JSON record with id and text\n".utf8))
        exit(1)
    }
    ids.append(record.id)
    buffer.append(contentsOf: record.text.utf8)
    offsets.append(buffer.count)
}

let estimator = TokenEstimator()
var estimates = [Int](repeating: 0, count: ids.count)
var best = Duration.seconds(1_000_000)
let clock = ContinuousClock()
buffer.withUnsafeBufferPointer { all in
    for _ in 0..<max(1, rounds) {
        let elapsed = clock.measure {
            for i in 0..<ids.count {
                let document = UnsafeBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]])
                estimates[i] = estimator.estimate(document)
            }
        }
        best = min(best, elapsed)
    }
}
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) * 1e-18
let megabytes = Double(buffer.count) / 1e6
print("documents: \(ids.count), text: \(String(format: "%.1f", megabytes)) MB, estimated tokens: \(estimates.reduce(0, +))")
print("best of \(rounds): \(String(format: "%.3f", seconds)) s = \(String(format: "%.0f", megabytes / seconds)) MB/s (one core)")

if let tsvPath {
    var out = ""
    for (id, estimate) in zip(ids, estimates) { out += "\(estimate)\t\(id)\n" }
    guard FileManager.default.createFile(atPath: tsvPath, contents: Data(out.utf8)) else {
        FileHandle.standardError.write(Data("error: cannot write \(tsvPath)\n".utf8))
        exit(1)
    }
    print("wrote \(tsvPath)")
}

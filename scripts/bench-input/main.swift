// Benchmark of the ingest input layer; run it through scripts/bench-input.sh.
// Figures are best-of-N wall times on one thread; MB/s counts decompressed JSONL bytes.
import CatalogCore
import Foundation

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func report(_ label: String, bytes: Int, seconds: Double, extra: String = "") {
    let padded = label.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(padded + String(format: "%6.0f MB/s  (%.3f s)", Double(bytes) / seconds / 1e6, seconds) + extra)
}

func best(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<runs {
        let start = now()
        try body()
        fastest = min(fastest, now() - start)
    }
    return fastest
}

let arguments = CommandLine.arguments
let path = arguments.count > 1 ? arguments[1] : "/tmp/catalog-bench-input/dev.jsonl"
let work = arguments.count > 2 ? arguments[2] : "/tmp/catalog-bench-input"
let data = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
var lines: [Range<Int>] = []
var start = 0
for (i, b) in data.enumerated() where b == 0x0A {
    lines.append(start..<i)
    start = i + 1
}
if start < data.count { lines.append(start..<data.count) }
print("input: \(path), \(data.count) bytes, \(lines.count) lines")

// 1. Scanner alone, lines already in memory.
let scanner = JSONLineScanner()
var record = ScannedRecord()
var textBytes = 0, metadataBytes = 0, failures = 0
let scanSeconds = best(5) {
    textBytes = 0; metadataBytes = 0; failures = 0
    data.withUnsafeBytes { all in
        for range in lines {
            do {
                try scanner.scan(UnsafeRawBufferPointer(rebasing: all[range]), into: &record)
                textBytes += record.text.count
                metadataBytes += record.metadataJSON?.count ?? 0
            } catch {
                failures += 1
            }
        }
    }
}
report("scanner (text+id+metadata)", bytes: data.count, seconds: scanSeconds,
       extra: String(format: ", %.0fk docs/s, text %d B, metadata %d B, errors %d",
                     Double(lines.count) / scanSeconds / 1000, textBytes, metadataBytes, failures))

// 2. Byte sources: read the whole file through each, 4 MiB at a time.
let gzPath = work + "/dev.jsonl.gz"
let zstPath = work + "/dev.jsonl.zst"
if !FileManager.default.fileExists(atPath: gzPath) {
    _ = try? Process.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "gzip -6 -c '\(path)' > '\(gzPath)'"]).waitUntilExit()
}
if !FileManager.default.fileExists(atPath: zstPath) {
    _ = try? Process.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "zstd -q -3 -c '\(path)' > '\(zstPath)'"]).waitUntilExit()
}
let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
for (label, file) in [("plain source (read(2))", path), ("gzip source (zlib, level 6 file)", gzPath), ("zstd source (level 3 file)", zstPath)] {
    var total = 0
    var compressed: Int64 = 0
    let seconds = try best(3) {
        let source = try openByteSource(path: file)
        total = 0
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            total += n
        }
        compressed = source.bytesConsumed
    }
    report(label, bytes: total, seconds: seconds, extra: String(format: ", %d compressed bytes", compressed))
}

// 3. LineBatcher over each source (split only), then the full path: zstd → batches → scanner.
for (label, file) in [("batcher over plain file", path), ("batcher over zstd", zstPath)] {
    var lineCount = 0
    let seconds = try best(3) {
        let batcher = LineBatcher(source: try openByteSource(path: file))
        var batch = LineBatch()
        lineCount = 0
        while try batcher.next(into: &batch) { lineCount += batch.lines.count }
    }
    report(label, bytes: data.count, seconds: seconds, extra: ", \(lineCount) lines")
}
var docs = 0
let pipelineSeconds = try best(3) {
    let batcher = LineBatcher(source: try openByteSource(path: zstPath))
    var batch = LineBatch()
    docs = 0
    while try batcher.next(into: &batch) {
        try batch.withUnsafeBytes { all in
            for span in batch.lines {
                try scanner.scan(UnsafeRawBufferPointer(rebasing: all[span.start..<span.end]), into: &record)
                docs += 1
            }
        }
    }
}
report("zstd → batcher → scanner", bytes: data.count, seconds: pipelineSeconds, extra: ", \(docs) docs")

// 4. SHA-256 of the file, hardware path and portable path.
for (label, make) in [("sha256 (SHA-NI if present)", { SHA256Hasher() }), ("sha256 (portable C)", { SHA256Hasher.portable() })] {
    var hex = ""
    let seconds = best(3) {
        var hasher = make()
        data.withUnsafeBytes { hasher.update($0) }
        hex = SHA256Hasher.hex(hasher.finalize())
    }
    report(label, bytes: data.count, seconds: seconds, extra: ", \(hex.prefix(16))…")
}
buffer.deallocate()

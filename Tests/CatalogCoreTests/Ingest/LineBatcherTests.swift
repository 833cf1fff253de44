import Testing
@testable import CatalogCore

extension Ingest {
    @Suite struct LineBatcherTests {
        /// All lines (text, number) and oversized reports from `batcher`.
        func collect(_ batcher: LineBatcher) throws(InputError) -> (lines: [(String, Int)], oversized: [OversizedLine], batches: Int) {
            var lines: [(String, Int)] = []
            var oversized: [OversizedLine] = []
            var batches = 0
            var batch = LineBatch()
            while try batcher.next(into: &batch) {
                batches += 1
                for (index, span) in batch.lines.enumerated() {
                    let text = batch.withLine(index) { String(decoding: $0, as: UTF8.self) }
                    lines.append((text, span.lineNumber))
                }
                oversized += batch.oversizedLines
            }
            return (lines, oversized, batches)
        }

        @Test(arguments: [1, 2, 3, 5, 7, 64])
        func splitsAtEveryChunkBoundary(chunk: Int) throws {
            let text = "alpha\nbeta\r\ngamma\n\n\r\ndelta"
            for readChunk in [1, 4, 16, 1 << 20] {
                let batcher = LineBatcher(source: MemoryByteSource(text, chunk: chunk), readChunkBytes: readChunk)
                let result = try collect(batcher)
                #expect(result.lines.map(\.0) == ["alpha", "beta", "gamma", "", "", "delta"], "chunk \(chunk), read \(readChunk)")
                #expect(result.lines.map(\.1) == [1, 2, 3, 4, 5, 6])
                #expect(result.oversized.isEmpty)
                #expect(batcher.bytesConsumed == Int64(text.utf8.count))
            }
        }

        @Test func finalNewlineAddsNoEmptyLine() throws {
            let result = try collect(LineBatcher(source: MemoryByteSource("a\nb\n")))
            #expect(result.lines.map(\.0) == ["a", "b"])
            #expect(try collect(LineBatcher(source: MemoryByteSource(""))).lines.isEmpty)
        }

        @Test func closesBatchesByBytesAndByLines() throws {
            let text = (1...10).map { "line\($0)" }.joined(separator: "\n")
            let byBytes = try collect(LineBatcher(source: MemoryByteSource(text, chunk: 3), byteBudget: 12, readChunkBytes: 8))
            #expect(byBytes.lines.map(\.1) == Array(1...10))
            #expect(byBytes.lines.map(\.0) == (1...10).map { "line\($0)" })
            #expect(byBytes.batches == 5)  // two lines of 5 bytes and their \n reach the 12-byte budget
            let byLines = try collect(LineBatcher(source: MemoryByteSource(text), maxLinesPerBatch: 3))
            #expect(byLines.batches == 4)
            #expect(byLines.lines.map(\.1) == Array(1...10))
        }

        @Test(arguments: [4, 1 << 20])
        func skipsOversizedLinesAndKeepsTheRest(readChunk: Int) throws {
            let long = String(repeating: "x", count: 25)
            let longLast = String(repeating: "y", count: 30)
            let text = "short\n\(long)\nafter\n\(longLast)"
            let batcher = LineBatcher(source: MemoryByteSource(text, chunk: 3), maxLineBytes: 10, readChunkBytes: readChunk)
            let result = try collect(batcher)
            #expect(result.lines.map(\.0) == ["short", "after"])
            #expect(result.lines.map(\.1) == [1, 3])
            #expect(result.oversized == [
                OversizedLine(lineNumber: 2, byteCount: 25, limit: 10),
                OversizedLine(lineNumber: 4, byteCount: 30, limit: 10),
            ])
            #expect(result.oversized.first?.reason == "line is 25 bytes, over the 10 bytes limit (--max-line-bytes)")
        }

        @Test func oversizedReasonInMiB() {
            let line = OversizedLine(lineNumber: 7, byteCount: 100 << 20, limit: 64 << 20)
            #expect(line.reason == "line is 100.0 MiB, over the 64 MiB limit (--max-line-bytes)")
        }

        @Test func hugeLineIsNeverBuffered() throws {
            // 16 MiB of one line against a 64 KiB limit, generated on the fly.
            final class OneLongLine: ByteSource {
                var remaining = 16 << 20
                var consumed: Int64 = 0
                var path: String { "generated" }
                var format: CompressionFormat { .none }
                var bytesConsumed: Int64 { consumed }
                func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
                    if remaining == 0 {
                        let tail = Array("\n{\"text\":\"next\"}\n".utf8)
                        guard consumed == Int64(16 << 20) else { return 0 }
                        buffer.copyBytes(from: tail)
                        consumed += Int64(tail.count)
                        return tail.count
                    }
                    let n = min(buffer.count, remaining)
                    buffer.baseAddress?.initializeMemory(as: UInt8.self, repeating: 0x61, count: n)
                    remaining -= n
                    consumed += Int64(n)
                    return n
                }
            }
            let batcher = LineBatcher(
                source: OneLongLine(), byteBudget: 64 << 10, maxLineBytes: 64 << 10, readChunkBytes: 64 << 10)
            var batch = LineBatch()
            var oversized: [OversizedLine] = []
            var lines: [String] = []
            while try batcher.next(into: &batch) {
                #expect(batch.byteCapacity < 1 << 20)
                #expect(batcher.retainedBytes < 1 << 20)
                oversized += batch.oversizedLines
                for index in batch.lines.indices { lines.append(batch.withLine(index) { String(decoding: $0, as: UTF8.self) }) }
            }
            #expect(oversized == [OversizedLine(lineNumber: 1, byteCount: 16 << 20, limit: 64 << 10)])
            #expect(lines == [#"{"text":"next"}"#])
        }

        /// Lines as the batcher's contract defines them, computed the plain way.
        func referenceLines(_ bytes: [UInt8], maxLineBytes: Int) -> (lines: [([UInt8], Int)], oversized: [OversizedLine]) {
            var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if bytes.last == 0x0A || bytes.isEmpty { pieces.removeLast() }
            var lines: [([UInt8], Int)] = []
            var oversized: [OversizedLine] = []
            for (index, piece) in pieces.enumerated() {
                if piece.count > maxLineBytes {
                    oversized.append(OversizedLine(lineNumber: index + 1, byteCount: piece.count, limit: maxLineBytes))
                } else {
                    lines.append((piece.last == 0x0D ? Array(piece.dropLast()) : piece, index + 1))
                }
            }
            return (lines, oversized)
        }

        @Test func matchesThePlainSplitOnRandomInputs() throws {
            var generator = SeededGenerator(seed: 29)
            for round in 0..<400 {
                // Lines of 0-300 bytes, some with \r\n, some far over the limit; bytes that look
                // like terminators only where they are.
                var bytes: [UInt8] = []
                for _ in 0..<Int.random(in: 0...60, using: &generator) {
                    let length = Int.random(in: 0...10, using: &generator) == 0
                        ? Int.random(in: 300...3000, using: &generator) : Int.random(in: 0...300, using: &generator)
                    bytes += (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                    if Bool.random(using: &generator) && Int.random(in: 0...3, using: &generator) == 0 { bytes.append(0x0D) }
                    bytes.append(0x0A)
                }
                if Bool.random(using: &generator) && !bytes.isEmpty { bytes.removeLast() }
                let maxLineBytes = Int.random(in: 1...400, using: &generator)
                let batcher = LineBatcher(
                    source: MemoryByteSource(bytes, chunk: Int.random(in: 1...5000, using: &generator)),
                    byteBudget: Int.random(in: 1...4000, using: &generator),
                    maxLinesPerBatch: Int.random(in: 1...40, using: &generator), maxLineBytes: maxLineBytes,
                    readChunkBytes: Int.random(in: 1...70_000, using: &generator))
                var lines: [([UInt8], Int)] = []
                var oversized: [OversizedLine] = []
                var batch = LineBatch()
                while try batcher.next(into: &batch) {
                    #expect(batch.lines.count + batch.oversizedLines.count <= batcher.maxLinesPerBatch)
                    for (index, span) in batch.lines.enumerated() {
                        lines.append((batch.withLine(index) { Array($0) }, span.lineNumber))
                    }
                    oversized += batch.oversizedLines
                }
                let expected = referenceLines(bytes, maxLineBytes: maxLineBytes)
                // As text (printable ASCII and \r): a failure shows the lines, not byte arrays.
                let text = { (line: ([UInt8], Int)) in String(decoding: line.0, as: UTF8.self) }
                #expect(lines.map(text) == expected.lines.map(text), "round \(round)")
                #expect(lines.map(\.1) == expected.lines.map(\.1), "round \(round)")
                #expect(oversized == expected.oversized, "round \(round)")
                #expect(batcher.bytesConsumed == Int64(bytes.count))
            }
        }

        @Test func sourceErrorComesAfterTheCompleteLines() throws {
            let cut = InputError.truncated(path: "x.gz", format: .gzip, compressedOffset: 99)
            let batcher = LineBatcher(source: MemoryByteSource(Array("a\nb\npartial".utf8), chunk: 4, failure: cut))
            var batch = LineBatch()
            #expect(try batcher.next(into: &batch))
            #expect(batch.lines.map(\.lineNumber) == [1, 2])
            #expect(throws: cut) { _ = try batcher.next(into: &batch) }
            #expect(try batcher.next(into: &batch) == false)
        }

        @Test func readsLinesOfARealGzipFile() throws {
            let directory = TemporaryDirectory()
            let lines = (1...2000).map { #"{"id":\#($0),"text":"document \#($0)"}"# }
            let data = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
            let half = data.count / 2
            let path = directory.write(
                "docs.jsonl.gz", try CompressionFixtures.gzip(Array(data[..<half])) + CompressionFixtures.gzip(Array(data[half...])))
            let batcher = LineBatcher(source: try openByteSource(path: path), byteBudget: 4096, readChunkBytes: 1000)
            let result = try collect(batcher)
            #expect(result.lines.map(\.0) == lines)
            #expect(result.lines.map(\.1) == Array(1...2000))
            #expect(result.batches > 10)
        }
    }
}

import Foundation
import Testing
@testable import CatalogCore

extension Ingest {
    @Suite struct ByteSourceTests {
        /// Text-like but poorly compressible bytes, so the compressed file spans several reads.
        static func sample(_ count: Int, seed: UInt64 = 7) -> [UInt8] {
            var generator = SeededGenerator(seed: seed)
            return (0..<count).map { index in
                index % 61 == 60 ? 0x0A : UInt8(0x21 + generator.next() % 90)
            }
        }

        @Test func readsPlainFilesAndCountsBytes() throws {
            let directory = TemporaryDirectory()
            let data = Self.sample(100_000)
            let path = directory.write("plain.jsonl", data)
            let source = try openByteSource(path: path)
            #expect(source.format == .none)
            #expect(try drain(source, chunk: 4096) == data)
            #expect(source.bytesConsumed == 100_000)
        }

        @Test func gzipRoundTripAcrossManyInputChunks() throws {
            let directory = TemporaryDirectory()
            let data = Self.sample(3_000_000)
            let compressed = try CompressionFixtures.gzip(data)
            #expect(compressed.count > 1 << 20)  // more than one 1 MiB input read
            let path = directory.write("data.jsonl.gz", compressed)
            let source = try openByteSource(path: path)
            #expect(source.format == .gzip)
            #expect(try drain(source, chunk: 1000) == data)
            #expect(source.bytesConsumed == Int64(compressed.count))
        }

        @Test func gzipConcatenatedMembers() throws {
            let directory = TemporaryDirectory()
            let first = Array("{\"text\":\"one\"}\n".utf8)
            let second = Array("{\"text\":\"two\"}\n".utf8)
            let path = directory.write(
                "two.jsonl.gz", try CompressionFixtures.gzip(first) + CompressionFixtures.gzip(second) + CompressionFixtures.gzip([]))
            #expect(try drain(openByteSource(path: path), chunk: 7) == first + second)
        }

        @Test func truncatedGzipIsAnErrorWithTheOffset() throws {
            let directory = TemporaryDirectory()
            let data = Self.sample(200_000)
            let compressed = try CompressionFixtures.gzip(data)
            let cut = compressed.count / 2
            let path = directory.write("cut.jsonl.gz", Array(compressed[..<cut]))
            let source = try openByteSource(path: path)
            var delivered: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
            defer { buffer.deallocate() }
            let failure = #expect(throws: InputError.self) {
                while true {
                    let n = try source.read(into: buffer)
                    if n == 0 { break }
                    delivered += buffer[..<n]
                }
            }
            #expect(failure == .truncated(path: path, format: .gzip, compressedOffset: Int64(cut)))
            #expect(!delivered.isEmpty && data.starts(with: delivered))
            #expect(
                failure?.description
                    == "\(path): gzip data ends early at compressed byte \(cut); the file is truncated (interrupted download or copy?), so its last line is incomplete: fetch or compress it again")
        }

        @Test func gzipCutInsideTheHeaderOrTrailerIsTruncated() throws {
            let directory = TemporaryDirectory()
            let compressed = try CompressionFixtures.gzip(Array("hello\n".utf8))
            for cut in [3, compressed.count - 4] {
                let path = directory.write("cut\(cut).gz", Array(compressed[..<cut]))
                #expect(throws: InputError.truncated(path: path, format: .gzip, compressedOffset: Int64(cut))) {
                    _ = try drain(openByteSource(path: path))
                }
            }
        }

        @Test func corruptGzipNamesTheFileAndOffset() throws {
            let directory = TemporaryDirectory()
            var compressed = try CompressionFixtures.gzip(Self.sample(50_000))
            for index in 20..<60 { compressed[index] ^= 0x5A }
            let path = directory.write("bad.gz", compressed)
            let failure = #expect(throws: InputError.self) { _ = try drain(openByteSource(path: path)) }
            guard case .corrupt(let failedPath, .gzip, let offset, let reason)? = failure else {
                Issue.record("expected a corrupt-gzip error, got \(String(describing: failure))")
                return
            }
            #expect(failedPath == path)
            #expect(offset >= 10 && offset <= Int64(compressed.count))
            #expect(!reason.isEmpty)
            #expect(failure?.description.hasPrefix("\(path): corrupt gzip data at compressed byte \(offset) (") == true)
        }

        @Test func zstdRoundTripWithSeveralFrames() throws {
            let directory = TemporaryDirectory()
            let first = Self.sample(2_000_000, seed: 1)
            let second = Self.sample(10_000, seed: 2)
            let compressed = try CompressionFixtures.zstd(first) + CompressionFixtures.zstd(second)
            let path = directory.write("data.jsonl.zst", compressed)
            let source = try openByteSource(path: path)
            #expect(source.format == .zstd)
            #expect(try drain(source, chunk: 65_536) == first + second)
            #expect(source.bytesConsumed == Int64(compressed.count))
        }

        @Test func truncatedZstdIsAnErrorWithTheOffset() throws {
            let directory = TemporaryDirectory()
            let data = Self.sample(300_000)
            let compressed = try CompressionFixtures.zstd(data)
            for cut in [compressed.count / 2, compressed.count - 1, 5] {
                let path = directory.write("cut\(cut).zst", Array(compressed[..<cut]))
                #expect(throws: InputError.truncated(path: path, format: .zstd, compressedOffset: Int64(cut))) {
                    _ = try drain(openByteSource(path: path))
                }
            }
        }

        @Test func corruptZstdNamesTheFileAndOffset() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("bad.zst", try CompressionFixtures.zstd(Array("ok\n".utf8)) + [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00, 0x07, 0x00, 0x00])  // a block of the reserved type
            let failure = #expect(throws: InputError.self) { _ = try drain(openByteSource(path: path)) }
            guard case .corrupt(path, .zstd, _, _)? = failure else {
                Issue.record("expected a corrupt-zstd error, got \(String(describing: failure))")
                return
            }
        }

        @Test func sniffsMagicBytesWhateverTheName() throws {
            let directory = TemporaryDirectory()
            let data = Array("{\"text\":\"x\"}\n".utf8)
            let gzipNamedPlain = directory.write("really-gzip.jsonl", try CompressionFixtures.gzip(data))
            let zstdNamedGzip = directory.write("really-zstd.jsonl.gz", try CompressionFixtures.zstd(data))
            #expect(try openByteSource(path: gzipNamedPlain).format == .gzip)
            #expect(try drain(openByteSource(path: gzipNamedPlain)) == data)
            #expect(try drain(openByteSource(path: zstdNamedGzip)) == data)
        }

        @Test func plainDataNamedCompressedIsRejected() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("plain.jsonl.gz", "{\"text\":\"x\"}\n")
            let failure = #expect(throws: InputError.self) { _ = try openByteSource(path: path) }
            #expect(failure == .misnamed(path: path, expected: .gzip, firstBytes: "7b 22 74 65"))
            #expect(
                failure?.description
                    == "\(path): named like gzip but does not start with its magic bytes (1f 8b); it starts with 7b 22 74 65: rename the file to match its content")
        }

        @Test func emptyCompressedFileIsAnEmptyStream() throws {
            let directory = TemporaryDirectory()
            #expect(try drain(openByteSource(path: directory.write("empty.jsonl.gz", []))).isEmpty)
            #expect(try drain(openByteSource(path: directory.write("empty.jsonl.zst", []))).isEmpty)
        }

        @Test func openingMissingOrSpecialPathsFails() throws {
            let directory = TemporaryDirectory()
            #expect(throws: InputError.notFound(path: directory.path + "/nope.jsonl")) {
                _ = try openByteSource(path: directory.path + "/nope.jsonl")
            }
            #expect(throws: InputError.notRegularFile(path: directory.path, kind: "directory")) {
                _ = try openByteSource(path: directory.path)
            }
        }
    }
}

import Foundation
import Testing
@testable import CatalogCore

/// Namespace for the ingest input-layer suites, so `swift test --filter Ingest` selects them.
enum Ingest {}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A `ByteSource` over memory that hands out at most `chunk` bytes per read, to exercise
/// boundaries; it can end with an error instead of a clean end.
final class MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    let failure: InputError?
    private var offset = 0

    init(_ bytes: [UInt8], chunk: Int = .max, failure: InputError? = nil) {
        self.bytes = bytes
        self.chunk = chunk
        self.failure = failure
    }

    convenience init(_ text: String, chunk: Int = .max) {
        self.init(Array(text.utf8), chunk: chunk)
    }

    var path: String { "memory" }
    var format: CompressionFormat { .none }
    var bytesConsumed: Int64 { Int64(offset) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(buffer.count, chunk, bytes.count - offset)
        if n == 0, let failure { throw failure }
        bytes[offset..<offset + n].withUnsafeBytes { buffer.copyMemory(from: $0) }
        offset += n
        return n
    }
}

/// Reads a whole byte source by repeated reads of `chunk` bytes.
func drain(_ source: any ByteSource, chunk: Int = 1 << 16) throws(InputError) -> [UInt8] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { buffer.deallocate() }
    var out: [UInt8] = []
    while true {
        let n = try source.read(into: buffer)
        if n == 0 { return out }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
}

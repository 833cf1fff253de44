import Foundation
import Testing
@testable import CatalogCore

/// Namespace for the ingest input-layer suites, so `swift test --filter Ingest` selects them.
enum Ingest {}

/// A fresh directory under the system temporary directory, removed on deinit.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "catalog-ingest-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Restore permissions changed by tests before removing.
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in enumerator {
                chmod(path + "/" + relative, 0o755)
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        let directory = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw TestFailure("cannot write \(full)")
        }
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Array(text.utf8))
    }

    func makeDirectory(_ relative: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }
}

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

import CKernels

/// A growable byte buffer for hot output paths (shard records and chunks): appends check one
/// capacity and copy, and JSON escaping writes straight into the free space through
/// `CKernels/json.c`. Reused across records: `removeAll()` keeps the storage.
///
/// Not thread-safe; one owner at a time.
public final class ByteBuilder {
    private var storage: UnsafeMutablePointer<UInt8>
    /// Bytes appended.
    public private(set) var count = 0
    /// Bytes the storage holds before it must grow.
    public private(set) var capacity: Int

    /// An empty builder with room for `capacity` bytes.
    public init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// The bytes appended so far (valid until the next change).
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// Empties the builder, keeping its storage.
    public func removeAll() { count = 0 }

    /// Drops the bytes from `newCount` on, keeping the storage.
    public func truncate(to newCount: Int) {
        precondition((0...count).contains(newCount), "truncate(to: \(newCount)) of \(count) bytes")
        count = newCount
    }

    /// Makes room for `additional` more bytes (growing by at least half).
    @inline(__always) public func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    private func grow(to needed: Int) {
        let newCapacity = max(needed, capacity + capacity / 2)
        let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newStorage.update(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always) public func append(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        count += 1
    }

    /// Appends `bytes`.
    public func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(storage + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Lets `write` fill up to `maxBytes` of free space (raw, uninitialised) and appends the
    /// number of bytes it returns (0...maxBytes); returns where they are. Nothing is appended
    /// when `write` throws.
    @discardableResult
    public func appendWriting<Failure: Error>(
        upTo maxBytes: Int, _ write: (UnsafeMutableRawBufferPointer) throws(Failure) -> Int
    ) throws(Failure) -> Range<Int> {
        reserve(maxBytes)
        let written = try write(UnsafeMutableRawBufferPointer(start: storage + count, count: maxBytes))
        precondition((0...maxBytes).contains(written), "appendWriting: wrote \(written) of at most \(maxBytes) bytes")
        count += written
        return count - written..<count
    }

    /// Appends `bytes`.
    public func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(bytes: $0) }
    }

    /// Appends `bytes` escaped as the inside of a JSON string (see `JSONText.appendQuoted`).
    public func appendEscapedJSON(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var done = 0
        while done < bytes.count {
            let remaining = bytes.count - done
            // Most text needs no escapes: room for all of it plus an eighth, then grow as needed.
            reserve(remaining + remaining / 8 + 64)
            var consumed = 0
            count += catalog_json_escape(source + done, remaining, storage + count, capacity - count, &consumed)
            done += consumed
        }
    }
}

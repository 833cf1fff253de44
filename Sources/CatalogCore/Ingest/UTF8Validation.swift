/// Strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) with a
/// 32- and 16-byte ASCII fast paths. Used on every JSONL line and on plain-text files.
enum UTF8Validation {
    /// Returns the offset of the first byte of the first invalid or truncated sequence, or nil
    /// when all `count` bytes at `base` are valid UTF-8.
    static func firstInvalidOffset(_ base: UnsafePointer<UInt8>, count: Int) -> Int? {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i < count {
            while i &+ 32 <= count {
                let p = UnsafeRawPointer(base + i)
                let chunk = p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if chunk & highBits != 0 { break }
                i &+= 32
            }
            while i &+ 16 <= count {
                let p = UnsafeRawPointer(base + i)
                let chunk = p.loadUnaligned(as: UInt64.self) | p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                if chunk & highBits != 0 { break }
                i &+= 16
            }
            guard i < count else { return nil }
            let lead = base[i]
            if lead < 0x80 {
                i &+= 1
                continue
            }
            let length = sequenceLength(base, count: count, at: i)
            if length == 0 { return i }
            i &+= length
        }
        return nil
    }

    /// Returns the offset of the first invalid sequence in `bytes`, or nil when they are valid.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        return firstInvalidOffset(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    /// Length of the valid multi-byte sequence whose lead byte is at `i`, or 0 when invalid.
    @inline(__always)
    static func sequenceLength(_ base: UnsafePointer<UInt8>, count: Int, at i: Int) -> Int {
        @inline(__always) func byte(_ k: Int) -> UInt8 { i &+ k < count ? base[i &+ k] : 0 }
        @inline(__always) func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
        let lead = base[i]
        let b1 = byte(1)
        switch lead {
        case 0xC2...0xDF:
            return isContinuation(b1) ? 2 : 0
        case 0xE0:
            return (0xA0...0xBF).contains(b1) && isContinuation(byte(2)) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return isContinuation(b1) && isContinuation(byte(2)) ? 3 : 0
        case 0xED:
            return (0x80...0x9F).contains(b1) && isContinuation(byte(2)) ? 3 : 0
        case 0xF0:
            return (0x90...0xBF).contains(b1) && isContinuation(byte(2)) && isContinuation(byte(3)) ? 4 : 0
        case 0xF1...0xF3:
            return isContinuation(b1) && isContinuation(byte(2)) && isContinuation(byte(3)) ? 4 : 0
        case 0xF4:
            return (0x80...0x8F).contains(b1) && isContinuation(byte(2)) && isContinuation(byte(3)) ? 4 : 0
        default:
            return 0
        }
    }
}

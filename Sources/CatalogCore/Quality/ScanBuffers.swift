/// A growable buffer of trivial values reused across documents (no bounds checks, no
/// copy-on-write); owned by one `QualitySignalScanner`.
struct ScanBuffer<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    /// Elements in use.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    /// Makes room for at least `minimum` elements (keeping none of the old ones) and sets `count` to 0.
    mutating func reset(reserving minimum: Int) {
        count = 0
        if minimum > capacity {
            base.deallocate()
            capacity = max(minimum, capacity * 2)
            base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        }
    }

    /// Makes room for `additional` more elements, keeping the elements.
    @inline(__always) mutating func reserve(additional: Int) {
        while count &+ additional > capacity { grow() }
    }

    /// Appends, growing when full.
    @inline(__always) mutating func append(_ value: Element) {
        if count == capacity { grow() }
        base[count] = value
        count &+= 1
    }

    /// Doubles the capacity, keeping the elements.
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    @inline(__always) subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    func deallocate() { base.deallocate() }
}

/// An open-addressing set of 64-bit hashes, reused across documents. An entry is 8 bytes: a
/// 32-bit fingerprint (the hash's high half with bit 32 set, so never 0) and a 32-bit count;
/// the slot comes from the low half, so two hashes are merged only when 32 + log2(size) bits
/// agree (about one document in 10^5 of 50,000 words has one such merge).
struct NGramTable {
    private var entries: ScanBuffer<UInt64>
    private var mask = 0

    init() {
        entries = ScanBuffer(capacity: 1024)
    }

    /// Empties the table, sized for up to `elements` insertions (at most half full).
    mutating func reset(forElements elements: Int) {
        let size = NGramTable.size(forElements: elements)
        entries.reset(reserving: size)
        entries.base.update(repeating: 0, count: size)
        mask = size - 1
    }

    /// The slot count for up to `elements` insertions: a power of two, at least 256, at most half full.
    static func size(forElements elements: Int) -> Int {
        var size = 256
        while size < elements * 2 { size <<= 1 }
        return size
    }

    /// The fingerprint stored for `hash` (never 0).
    @inline(__always) static func fingerprint(_ hash: UInt64) -> UInt64 {
        (hash | 0x1_0000_0000) & 0xFFFF_FFFF_0000_0000
    }

    /// Inserts `hash` unless present; true when it was already there.
    @inline(__always) mutating func contains(orInsert hash: UInt64) -> Bool {
        let fingerprint = Self.fingerprint(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = entries.base[slot]
            if entry & 0xFFFF_FFFF_0000_0000 == fingerprint { return true }
            if entry == 0 {
                entries.base[slot] = fingerprint | 1
                return false
            }
            slot = (slot &+ 1) & mask
        }
    }

    func deallocate() { entries.deallocate() }
}

/// An open-addressing table counting 64-bit hashes with the position of each one's first
/// occurrence, reused across documents. Same slots, fingerprints and probing as `NGramTable`
/// (so exactly the same hashes merge), with the first position stored in the slot itself, so
/// a probe touches one cache line:
///
/// - **compact** (positions below 2^16, i.e. documents of up to 65,536 words): 8 bytes, the
///   fingerprint in the high half, then a 16-bit count and the 16-bit first position;
/// - **wide** (longer documents): 16 bytes, the fingerprint and a 32-bit count, then the first
///   position in the low half of the next word.
struct NGramCounter {
    private var slots: ScanBuffer<UInt64>
    private var mask = 0
    /// The layout chosen by the last `reset`.
    private(set) var isCompact = true
    /// Documents with at most this many positions use the compact layout (at most 2^16; tests
    /// lower it to cover the wide layout with small inputs).
    var compactLimit = 1 << 16

    init() {
        slots = ScanBuffer(capacity: 2048)
    }

    /// Empties the table, sized for up to `elements` insertions (at most half full), for
    /// positions below `positions` (which picks the layout).
    mutating func reset(forElements elements: Int, positions: Int) {
        let size = NGramTable.size(forElements: elements)
        isCompact = positions <= compactLimit
        let words = isCompact ? size : size * 2
        slots.reset(reserving: words)
        slots.base.update(repeating: 0, count: words)
        mask = size - 1
    }

    /// Adds one occurrence of `hash` seen at `position` (compact layout: `isCompact`); returns
    /// the count so far and the position of the first occurrence. Branch-free apart from
    /// collisions (whether the n-gram is new is as good as random, and a mispredicted branch
    /// costs more than both paths).
    @inline(__always) mutating func addCompact(_ hash: UInt64, position: Int32) -> (count: Int, first: Int32) {
        let fingerprint = NGramTable.fingerprint(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        var entry = slots.base[slot]
        // Stop at an empty slot (high half 0) or a match (high halves equal): one branch,
        // taken only on a collision, instead of a random one on whether the n-gram is new.
        while min(entry >> 32, (entry ^ fingerprint) >> 32) != 0 {
            slot = (slot &+ 1) & mask
            entry = slots.base[slot]
        }
        let updated = entry == 0 ? fingerprint | 0x1_0000 | UInt64(UInt32(bitPattern: position)) : entry &+ 0x1_0000
        slots.base[slot] = updated
        return (Int(truncatingIfNeeded: (updated >> 16) & 0xFFFF), Int32(truncatingIfNeeded: updated & 0xFFFF))
    }

    /// `addCompact(_:position:)` for the wide layout (`isCompact` false).
    @inline(__always) mutating func addWide(_ hash: UInt64, position: Int32) -> (count: Int, first: Int32) {
        let fingerprint = NGramTable.fingerprint(hash)
        var slot = Int(truncatingIfNeeded: hash) & mask
        var entry = slots.base[slot &* 2]
        while min(entry >> 32, (entry ^ fingerprint) >> 32) != 0 {
            slot = (slot &+ 1) & mask
            entry = slots.base[slot &* 2]
        }
        let isNew = entry == 0
        let updated = isNew ? fingerprint | 1 : entry &+ 1
        let stored = slots.base[slot &* 2 &+ 1]
        let first = isNew ? UInt64(UInt32(bitPattern: position)) : stored
        slots.base[slot &* 2] = updated
        slots.base[slot &* 2 &+ 1] = first
        return (Int(truncatingIfNeeded: updated & 0xFFFF_FFFF), Int32(truncatingIfNeeded: first))
    }

    func deallocate() { slots.deallocate() }
}

/// Hashing of byte ranges and hash sequences for the signal kernels (wrapping arithmetic intended).
enum SignalHash {
    /// The hash of a word of `count` ≤ 8 bytes packed little-endian into `packed` (words longer
    /// than 8 bytes use `bytes(_:count:)`; the two never meet in one table).
    @inline(__always) static func short(_ packed: UInt64, count: Int) -> UInt64 {
        HashMixing.fmix64(packed ^ (UInt64(truncatingIfNeeded: count) << 59) ^ 0x2545_F491_4F6C_DD1D)
    }

    /// A 64-bit hash of `count` bytes at `bytes`, 8 bytes per step.
    @inline(__always) static func bytes(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        Self.bytes(bytes, count: count, readable: count)
    }

    /// `bytes(_:count:)`, where `readable` (≥ `count`) bytes from `bytes` may be read: the last
    /// 1–7 bytes are then one masked 8-byte load instead of a byte loop (the same value).
    @inline(__always) static func bytes(_ bytes: UnsafePointer<UInt8>, count: Int, readable: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: count &+ 1)
        var index = 0
        let raw = UnsafeRawPointer(bytes)
        while index &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            index &+= 8
        }
        if index < count {
            var word: UInt64
            if index &+ 8 <= readable {
                word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                word &= (1 << UInt64((count &- index) &* 8)) &- 1
            } else {
                word = 0
                var shift: UInt64 = 0
                while index < count {
                    word |= UInt64(bytes[index]) << shift
                    shift &+= 8
                    index &+= 1
                }
            }
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return HashMixing.fmix64(h)
    }

    /// Combines the hash of a sequence with the (well-mixed) hash of its next element; order
    /// matters. Cheap because the element hashes are already mixed.
    @inline(__always) static func combine(_ sequence: UInt64, _ next: UInt64) -> UInt64 {
        let mixed = sequence &* 0x9E37_79B9_7F4A_7C15
        return ((mixed << 23) | (mixed >> 41)) ^ next
    }
}

/// Unicode facts the kernels need, without Foundation.
enum UnicodeText {
    /// Python's `str.isspace()` for a non-ASCII scalar.
    @inline(__always) static func isNonASCIISpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// ASCII whitespace of `str.isspace()` (space, \t, \n, \v, \f, \r, \x1c–\x1f).
    @inline(__always) static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F)
    }

    /// Scripts written without spaces (Han, Hiragana, Katakana, Bopomofo, Thai, Lao, Khmer,
    /// Myanmar): each character is a word of its own, as in `TextNormaliser` rule 5.
    @inline(__always) static func isUnspacedScript(_ value: UInt32) -> Bool {
        switch value {
        case 0x0E00...0x0EFF,  // Thai, Lao
             0x1000...0x109F,  // Myanmar
             0x1780...0x17FF,  // Khmer
             0x2E80...0x2FDF,  // CJK radicals
             0x3040...0x30FF,  // Hiragana, Katakana
             0x3100...0x312F, 0x31A0...0x31FF,  // Bopomofo, Katakana extensions
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,  // Han
             0xFF66...0xFF9D,  // half-width Katakana
             0x20000...0x3FFFF:  // Han extensions
            return true
        default:
            return false
        }
    }

    /// Decodes the scalar starting at `index` (valid UTF-8 expected; an invalid byte decodes
    /// as itself with length 1). Returns the value and its byte length.
    @inline(__always) static func decode(_ bytes: UnsafePointer<UInt8>, count: Int, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 {
            if lead >= 0xC2 && index &+ 1 < count {
                return (((lead & 0x1F) << 6) | (UInt32(bytes[index &+ 1]) & 0x3F), 2)
            }
        } else if lead < 0xF0 {
            if index &+ 2 < count {
                return (((lead & 0x0F) << 12) | ((UInt32(bytes[index &+ 1]) & 0x3F) << 6)
                    | (UInt32(bytes[index &+ 2]) & 0x3F), 3)
            }
        } else if lead < 0xF5 && index &+ 3 < count {
            return (((lead & 0x07) << 18) | ((UInt32(bytes[index &+ 1]) & 0x3F) << 12)
                | ((UInt32(bytes[index &+ 2]) & 0x3F) << 6) | (UInt32(bytes[index &+ 3]) & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    /// The value of the last scalar of `bytes[start..<end]` (end > start), decoding backwards.
    @inline(__always) static func lastScalar(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> UInt32 {
        var index = end &- 1
        while index > start && (bytes[index] & 0xC0) == 0x80 && end &- index < 4 { index &-= 1 }
        return decode(bytes, count: end, at: index).0
    }

    /// Unicode scalars in `bytes[start..<end]` (bytes that are not continuation bytes).
    @inline(__always) static func scalarCount(_ bytes: UnsafePointer<UInt8>, start: Int, end: Int) -> Int {
        scalarCount(bytes, start: start, end: end, readableEnd: end)
    }

    /// `scalarCount(_:start:end:)`, where `bytes` may be read up to `readableEnd` (≥ `end`): the
    /// last 1–7 bytes are then one masked 8-byte load instead of a byte loop.
    @inline(__always) static func scalarCount(
        _ bytes: UnsafePointer<UInt8>, start: Int, end: Int, readableEnd: Int
    ) -> Int {
        // 8 bytes at a time: a continuation byte has bit 7 set and bit 6 clear. Those bits are
        // summed per byte lane and the lanes added once per 31 words (at most 248, no carry
        // out of the top byte): no popcount, which the x86-64 baseline does not have.
        @inline(__always) func continuationBits(_ word: UInt64) -> UInt64 {
            (word & ~(word &<< 1) & 0x8080_8080_8080_8080) >> 7
        }
        @inline(__always) func laneSum(_ lanes: UInt64) -> Int {
            Int(truncatingIfNeeded: (lanes &* 0x0101_0101_0101_0101) >> 56)
        }
        var continuation = 0
        var index = start
        let raw = UnsafeRawPointer(bytes)
        while index &+ 8 <= end {
            let stop = min(end, index &+ 31 &* 8)
            var lanes: UInt64 = 0
            while index &+ 8 <= stop {
                lanes &+= continuationBits(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index &+= 8
            }
            continuation &+= laneSum(lanes)
        }
        if index < end {
            if index &+ 8 <= readableEnd {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                continuation &+= laneSum(continuationBits(word & ((1 << UInt64((end &- index) &* 8)) &- 1)))
            } else {
                while index < end {
                    continuation &+= Int((bytes[index] & 0xC0) == 0x80 ? 1 : 0)
                    index &+= 1
                }
            }
        }
        return end &- start &- continuation
    }
}

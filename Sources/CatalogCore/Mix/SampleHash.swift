/// The 64-bit hash behind every sampling and shuffling decision: a function of the seed and
/// the bytes of stable strings only (never the standard library's per-process `Hasher`), so a
/// decision is the same in every process, partition and thread.
///
/// Fields are absorbed 8 bytes at a time through the SplitMix64 finaliser, each field ended
/// by the byte 0xFF (which UTF-8 never contains), so ("ab", "c") and ("a", "bc") differ.
public struct SampleHash: Sendable {
    private var state: UInt64
    private var length: UInt64 = 0

    /// A hash started from `seed`.
    public init(seed: UInt64) { state = Self.mix(seed ^ 0x9E37_79B9_7F4A_7C15) }

    /// SplitMix64's output function.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Adds a string field (its UTF-8 bytes).
    public mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            var index = 0
            while index + 8 <= bytes.count {
                var word: UInt64 = 0
                for offset in 0..<8 { word |= UInt64(bytes[index + offset]) << (8 * offset) }
                state = Self.mix(state ^ word)
                index += 8
            }
            var word: UInt64 = 0xFF << (8 * UInt64(bytes.count - index))
            for offset in 0..<(bytes.count - index) { word |= UInt64(bytes[index + offset]) << (8 * offset) }
            state = Self.mix(state ^ word)
            length &+= UInt64(bytes.count) &+ 1
        }
    }

    /// Adds an integer field.
    public mutating func add(_ value: UInt64) {
        state = Self.mix(state ^ value)
        state = Self.mix(state ^ 0xFF)
        length &+= 9
    }

    /// The hash of everything added.
    public var value: UInt64 { Self.mix(state ^ length) }

    /// The hash mapped to a uniform number in the open interval (0, 1).
    public var unit: Double { (Double(value >> 11) + 0.5) / 9_007_199_254_740_992.0 }
}

/// Gopher's stop words: {the, be, to, of, and, that, have, with} (Rae et al. 2021, App. A;
/// datatrove `STOP_WORDS`), matched case-sensitively like datatrove ("The" does not count).
extension QualitySignalScanner {
    /// The stop words, each packed little-endian into a `UInt32` (at most 4 bytes).
    static let stopWords: [(packed: UInt32, length: Int)] = ["the", "be", "to", "of", "and", "that", "have", "with"]
        .map { word in
            var packed: UInt32 = 0
            for (offset, byte) in word.utf8.enumerated() { packed |= UInt32(byte) << (8 * UInt32(offset)) }
            return (packed, word.utf8.count)
        }

    /// The bit of the stop word equal to `bytes[0..<count]` (2...4 bytes), or 0.
    @inline(__always) static func stopWordBit(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt8 {
        var packed: UInt32 = 0
        for offset in 0..<count { packed |= UInt32(bytes[offset]) << (8 * UInt32(offset)) }
        for (bit, word) in stopWords.enumerated() where word.length == count && word.packed == packed {
            return 1 << UInt8(bit)
        }
        return 0
    }
}

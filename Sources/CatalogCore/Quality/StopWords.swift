/// Gopher's stop words: {the, be, to, of, and, that, have, with} (Rae et al. 2021, App. A;
/// datatrove `STOP_WORDS`), matched case-sensitively like datatrove ("The" does not count).
extension QualitySignalScanner {
    /// The bit of the stop word whose bytes, packed little-endian, are `packed`, or 0.
    @inline(__always) static func stopWordBit(packed: UInt64) -> UInt8 {
        switch packed {
        case 0x65_6874: return 1  // the
        case 0x6562: return 2  // be
        case 0x6F74: return 4  // to
        case 0x666F: return 8  // of
        case 0x64_6E61: return 16  // and
        case 0x7461_6874: return 32  // that
        case 0x6576_6168: return 64  // have
        case 0x6874_6977: return 128  // with
        default: return 0
        }
    }
}

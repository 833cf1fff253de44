/// Bit mixers shared by the hashing kernels (MinHash, quality signals). Standard library only;
/// wrapping arithmetic intended.
enum HashMixing {
    /// MurmurHash3's 64-bit finaliser (a bijection).
    @inline(__always)
    static func fmix64(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed ^= mixed >> 33
        mixed &*= 0xFF51_AFD7_ED55_8CCD
        mixed ^= mixed >> 33
        mixed &*= 0xC4CE_B9FE_1A85_EC53
        mixed ^= mixed >> 33
        return mixed
    }
}

/// Every parameter that decides a MinHash signature and its LSH band keys.
///
/// Two signatures are comparable only when `normalisation`, `hashFamily`, `shingleSize`,
/// `permutations` and `seed` are all equal (see `signatureIdentity`); band keys additionally
/// depend on `bands` and `rowsPerBand`. Store the scheme next to the signatures it produced.
///
/// Instances are always valid: the public initialiser checks every field.
public struct MinHashScheme: Sendable, Hashable {
    /// The only text normalisation this build implements (see `TextNormaliser`).
    public static let supportedNormalisation = TextNormaliser.version

    /// The only hash family this build implements.
    ///
    /// `wymum64-tokens`: each normalised token's UTF-8 bytes hashed with 64-bit wyhash-style
    /// multiply-mix (`TextNormaliser.tokenHash(of:)`); `poly-fmix64-shingles`: the hashes of
    /// `shingleSize` consecutive tokens combined as a polynomial in an odd 64-bit constant, then
    /// MurmurHash3's `fmix64`; `multiply-shift-u32`: permutation i maps a shingle hash x to
    /// `UInt32((a_i &* x &+ b_i) >> 32)`.
    public static let supportedHashFamily = "wymum64-tokens/poly-fmix64-shingles/multiply-shift-u32"

    /// Largest accepted `shingleSize`.
    public static let maximumShingleSize = 32

    /// Largest accepted `permutations`.
    public static let maximumPermutations = 4096

    /// The catalog default: word 5-grams, 128 permutations, 18 bands of 7 rows, seed 1, `norm_v1`.
    ///
    /// 18 × 7 is `LSHBanding.banding(forThreshold: 0.8, permutations: 128)`: the banding in which a
    /// pair at the default dedup threshold 0.8 becomes a candidate with probability ≥ 0.95
    /// (0.986; 16 × 8 reaches only 0.947).
    public static let standard = MinHashScheme(
        checkedShingleSize: 5, permutations: 128, bands: 18, rowsPerBand: 7, seed: 1,
        normalisation: supportedNormalisation, hashFamily: supportedHashFamily)

    /// Number of consecutive tokens in one shingle (5 = word 5-grams).
    public let shingleSize: Int
    /// Number of permutations, i.e. `UInt32` values in a signature.
    public let permutations: Int
    /// Number of LSH bands, i.e. band keys per document.
    public let bands: Int
    /// Signature values hashed into one band key.
    public let rowsPerBand: Int
    /// Seed of the SplitMix64 stream that draws the permutation parameters.
    public let seed: UInt64
    /// Version of the token normalisation (`norm_v1`).
    public let normalisation: String
    /// Name of the token hash, shingle combination and permutation family.
    public let hashFamily: String

    /// Creates a scheme after checking every parameter.
    ///
    /// - Throws: `DedupError.invalidScheme` when a size is out of range, when
    ///   `bands * rowsPerBand > permutations`, or when `normalisation` / `hashFamily` name
    ///   something this build cannot compute (for example a scheme read from a newer catalog).
    public init(
        shingleSize: Int = 5,
        permutations: Int = 128,
        bands: Int = 18,
        rowsPerBand: Int = 7,
        seed: UInt64 = 1,
        normalisation: String = MinHashScheme.supportedNormalisation,
        hashFamily: String = MinHashScheme.supportedHashFamily
    ) throws(DedupError) {
        guard (1...Self.maximumShingleSize).contains(shingleSize) else {
            throw .invalidScheme(
                parameter: "shingleSize", value: "\(shingleSize)",
                reason: "must be between 1 and \(Self.maximumShingleSize)")
        }
        guard (1...Self.maximumPermutations).contains(permutations) else {
            throw .invalidScheme(
                parameter: "permutations", value: "\(permutations)",
                reason: "must be between 1 and \(Self.maximumPermutations)")
        }
        guard bands >= 1 else {
            throw .invalidScheme(parameter: "bands", value: "\(bands)", reason: "must be at least 1")
        }
        guard rowsPerBand >= 1 else {
            throw .invalidScheme(
                parameter: "rowsPerBand", value: "\(rowsPerBand)", reason: "must be at least 1")
        }
        let (bandedValues, overflow) = bands.multipliedReportingOverflow(by: rowsPerBand)
        guard !overflow, bandedValues <= permutations else {
            throw .invalidScheme(
                parameter: "bands × rowsPerBand", value: "\(bands) × \(rowsPerBand)",
                reason: "must not exceed permutations (\(permutations)); lower bands or rowsPerBand")
        }
        guard normalisation == Self.supportedNormalisation else {
            throw .invalidScheme(
                parameter: "normalisation", value: normalisation,
                reason: "this build implements only \(Self.supportedNormalisation)")
        }
        guard hashFamily == Self.supportedHashFamily else {
            throw .invalidScheme(
                parameter: "hashFamily", value: hashFamily,
                reason: "this build implements only \(Self.supportedHashFamily)")
        }
        self.init(
            checkedShingleSize: shingleSize, permutations: permutations, bands: bands,
            rowsPerBand: rowsPerBand, seed: seed, normalisation: normalisation, hashFamily: hashFamily)
    }

    private init(
        checkedShingleSize shingleSize: Int, permutations: Int, bands: Int, rowsPerBand: Int,
        seed: UInt64, normalisation: String, hashFamily: String
    ) {
        self.shingleSize = shingleSize
        self.permutations = permutations
        self.bands = bands
        self.rowsPerBand = rowsPerBand
        self.seed = seed
        self.normalisation = normalisation
        self.hashFamily = hashFamily
    }

    /// A string that is equal for two schemes exactly when their signatures are comparable.
    ///
    /// Example: `norm_v1/wymum64-tokens/poly-fmix64-shingles/multiply-shift-u32/n5/k128/seed1`.
    public var signatureIdentity: String {
        "\(normalisation)/\(hashFamily)/n\(shingleSize)/k\(permutations)/seed\(seed)"
    }

    /// The permutation parameters `(a_i, b_i)` for `i < permutations`.
    ///
    /// Drawn from SplitMix64 seeded with `seed`, in the order a_0, b_0, a_1, b_1, …; each
    /// multiplier has its lowest bit forced to 1 (an odd multiplier makes `x ↦ a·x + b` a
    /// bijection modulo 2^64).
    public func permutationParameters() -> (multipliers: [UInt64], offsets: [UInt64]) {
        var state = seed
        var multipliers: [UInt64] = []
        var offsets: [UInt64] = []
        multipliers.reserveCapacity(permutations)
        offsets.reserveCapacity(permutations)
        for _ in 0..<permutations {
            multipliers.append(Self.splitMix64Next(&state) | 1)
            offsets.append(Self.splitMix64Next(&state))
        }
        return (multipliers, offsets)
    }

    /// SplitMix64 (Steele, Lea and Flood 2014): the reference constants, wrapping arithmetic.
    static func splitMix64Next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

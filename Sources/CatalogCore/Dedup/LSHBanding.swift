/// Locality-sensitive hashing arithmetic for MinHash signatures split into bands.
///
/// Two documents become candidates when all `rows` values of at least one of `bands` bands are
/// equal; with Jaccard similarity s that happens with probability `1 − (1 − s^rows)^bands`.
public enum LSHBanding {
    /// The probability that two documents with Jaccard `similarity` share at least one band:
    /// `1 − (1 − s^r)^b`.
    public static func candidateProbability(similarity: Double, bands: Int, rows: Int) -> Double {
        1 - power(1 - power(similarity, rows), bands)
    }

    /// `base` raised to a non-negative integer `exponent`, by repeated squaring.
    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var factor = base
        var remaining = max(exponent, 0)
        while remaining > 0 {
            if remaining & 1 == 1 {
                result *= factor
            }
            factor *= factor
            remaining >>= 1
        }
        return result
    }

    /// The banding with the largest `rows` whose candidate probability at `threshold` is at least
    /// `recall`, using `bands = permutations / rows`.
    ///
    /// This is gaoya's method (`calculate_b_and_r`), except that every `rows` from 1 to
    /// `permutations` is tried and the probability may equal `recall`.
    ///
    /// Larger `rows` makes the S-curve steeper, so fewer dissimilar pairs become candidates.
    /// Example: t = 0.8, k = 128 gives 18 bands of 7 rows at recall 0.95 (P = 0.986), because
    /// 16 bands of 8 rows reach only P = 0.947; recall 0.94 gives 16 × 8. When no `rows`
    /// qualifies, returns one row per band.
    ///
    /// - Precondition: `permutations >= 1`.
    public static func banding(
        forThreshold threshold: Double, permutations: Int, recall: Double = 0.95
    ) -> (bands: Int, rows: Int) {
        precondition(permutations >= 1, "permutations must be at least 1")
        var best = (bands: permutations, rows: 1)
        for rows in 1...permutations {
            let bands = permutations / rows
            if candidateProbability(similarity: threshold, bands: bands, rows: rows) >= recall {
                best = (bands, rows)
            }
        }
        return best
    }

    /// The MinHash estimate of Jaccard similarity: the fraction of slots with equal values, or
    /// `nil` when the signatures differ in length or are empty.
    public static func estimatedJaccard(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double? {
        guard a.count == b.count, !a.isEmpty else { return nil }
        var equal = 0
        for slot in 0..<a.count where a[slot] == b[slot] {
            equal += 1
        }
        return Double(equal) / Double(a.count)
    }

    /// The MinHash estimate of Jaccard similarity of two signatures held in arrays.
    public static func estimatedJaccard(_ a: [UInt32], _ b: [UInt32]) -> Double? {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in estimatedJaccard(a, b) } }
    }

    /// The MinHash estimate of Jaccard similarity of two signatures stored as raw bytes (for
    /// example SQLite blobs), comparing 4-byte slots; byte order does not matter. Returns `nil`
    /// when the lengths differ, are zero or are not a multiple of 4.
    public static func estimatedJaccard(rawSignature a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Double? {
        guard a.count == b.count, !a.isEmpty, a.count % 4 == 0 else { return nil }
        var equal = 0
        let slots = a.count / 4
        for slot in 0..<slots
        where a.loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self)
            == b.loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self)
        {
            equal += 1
        }
        return Double(equal) / Double(slots)
    }
}

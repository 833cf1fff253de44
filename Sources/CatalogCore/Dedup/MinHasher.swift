import CKernels

/// Computes MinHash signatures and LSH band keys of documents under one `MinHashScheme`.
///
/// Pipeline for one document (nothing is allocated per document; buffers are reused):
///
/// 1. `TextNormaliser` yields the 64-bit hash of each normalised token.
/// 2. Shingles are `shingleSize` consecutive tokens. A shingle's hash is the polynomial
///    `((t_0·P + t_1)·P + …)·P + t_{n−1}` (wrapping, `P = 0x9E3779B97F4A7C15`) passed through
///    `fmix64`; it is updated as a rolling hash and never built as a string. A text with
///    1…(`shingleSize`−1) tokens has exactly one shingle made of all its tokens.
/// 3. Signature slot i is `min over shingles x of UInt32((a_i &* x &+ b_i) >> 32)` with the
///    parameters of `MinHashScheme.permutationParameters()`, computed by the C kernel
///    `catalog_minhash_reduce` (AVX-512/AVX2 clones chosen at load time) on batches of about
///    2,048 shingles, so memory stays bounded for any document size.
///
/// Not thread-safe: create one `MinHasher` per worker thread.
public final class MinHasher {
    /// The scheme whose signatures this hasher computes.
    public let scheme: MinHashScheme

    /// Number of tokens in the text of the last `signature(of:into:)` call.
    public private(set) var tokenCount = 0

    private let normaliser = TextNormaliser()
    private let multipliers: UnsafeMutablePointer<UInt64>
    private let offsets: UnsafeMutablePointer<UInt64>
    private let tokenWindow: UnsafeMutablePointer<UInt64>
    /// `P^(shingleSize − 1)`: the weight of the token that leaves the rolling window.
    private let leavingTokenWeight: UInt64

    /// Creates a hasher with its own buffers and permutation parameters.
    public init(scheme: MinHashScheme) {
        self.scheme = scheme
        let (multiplierValues, offsetValues) = scheme.permutationParameters()
        multipliers = .allocate(capacity: scheme.permutations)
        multipliers.initialize(from: multiplierValues, count: scheme.permutations)
        offsets = .allocate(capacity: scheme.permutations)
        offsets.initialize(from: offsetValues, count: scheme.permutations)
        tokenWindow = .allocate(capacity: scheme.shingleSize)
        tokenWindow.initialize(repeating: 0, count: scheme.shingleSize)
        var weight: UInt64 = 1
        for _ in 1..<scheme.shingleSize {
            weight &*= DedupHashing.shinglePolynomialBase
        }
        leavingTokenWeight = weight
    }

    deinit {
        multipliers.deallocate()
        offsets.deallocate()
        tokenWindow.deallocate()
    }

    /// Writes the MinHash signature of the UTF-8 `text` into `out` and returns the number of shingles.
    ///
    /// The count includes repeated shingles (it is `tokenCount − shingleSize + 1`, or 1 for a
    /// short text). A return value of 0 means the text has no tokens (empty, whitespace, punctuation or emoji
    /// only): the signature is undefined (`out` is filled with `UInt32.max`) and should not be
    /// stored. Invalid UTF-8 is tolerated (it separates words).
    ///
    /// - Precondition: `out.count >= scheme.permutations`; only the first `permutations` slots are written.
    public func signature(of text: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt32>) -> Int {
        precondition(out.count >= scheme.permutations, "signature buffer smaller than scheme.permutations")
        guard let signature = out.baseAddress else { return 0 }
        let permutations = scheme.permutations
        let shingleSize = scheme.shingleSize
        signature.update(repeating: .max, count: permutations)
        var tokens = 0
        var shingles = 0
        var rollingHash: UInt64 = 0
        var windowPosition = 0
        var index = 0
        while index < text.count {
            let batch = normaliser.scanTokenHashes(text, from: index)
            index = batch.end
            guard let hashes = batch.hashes.baseAddress else { continue }
            // Turn token hashes into shingle hashes in place (shingle j overwrites slot j ≤ token i).
            var written = 0
            for position in 0..<batch.hashes.count {
                let hash = hashes[position]
                tokens &+= 1
                if tokens <= shingleSize {
                    rollingHash = rollingHash &* DedupHashing.shinglePolynomialBase &+ hash
                } else {
                    let leaving = tokenWindow[windowPosition]
                    rollingHash =
                        (rollingHash &- leaving &* leavingTokenWeight) &* DedupHashing.shinglePolynomialBase &+ hash
                }
                tokenWindow[windowPosition] = hash
                windowPosition &+= 1
                if windowPosition == shingleSize {
                    windowPosition = 0
                }
                if tokens >= shingleSize {
                    hashes[written] = HashMixing.fmix64(rollingHash)
                    written &+= 1
                }
            }
            if written > 0 {
                catalog_minhash_reduce(hashes, written, multipliers, offsets, permutations, signature)
                shingles &+= written
            }
        }
        if tokens > 0 && tokens < shingleSize {
            // A short text is one shingle made of all its tokens.
            var shortTextShingle = HashMixing.fmix64(rollingHash)
            catalog_minhash_reduce(&shortTextShingle, 1, multipliers, offsets, permutations, signature)
            shingles = 1
        }
        tokenCount = tokens
        return shingles
    }

    /// The signature of `text`, or `nil` when it has no tokens; a convenience that allocates.
    public func signature(of text: String) -> [UInt32]? {
        var values = [UInt32](repeating: 0, count: scheme.permutations)
        var text = text
        let shingles = text.withUTF8 { bytes in
            values.withUnsafeMutableBufferPointer { signature(of: bytes, into: $0) }
        }
        return shingles > 0 ? values : nil
    }

    /// Writes one 64-bit LSH key per band of `signature` into `keys`.
    ///
    /// Band j covers slots `j·rowsPerBand ..< (j+1)·rowsPerBand`. Its key starts from
    /// `fmix64(0x6A09E667F3BCC909 &+ j)` and folds each value v as `h = fmix64(h &+ v)`; since every
    /// step is a bijection in `h`, equal values in different bands always give different keys.
    /// Keys are `Int64` bit patterns, ready for SQLite.
    ///
    /// - Precondition: `signature.count >= bands·rowsPerBand` and `keys.count >= bands`.
    public func bandKeys(of signature: UnsafeBufferPointer<UInt32>, into keys: UnsafeMutableBufferPointer<Int64>) {
        let rows = scheme.rowsPerBand
        precondition(signature.count >= scheme.bands * rows, "signature shorter than bands × rowsPerBand")
        precondition(keys.count >= scheme.bands, "band key buffer smaller than scheme.bands")
        for band in 0..<scheme.bands {
            var key = HashMixing.fmix64(DedupHashing.bandKeySalt &+ UInt64(band))
            for row in 0..<rows {
                key = HashMixing.fmix64(key &+ UInt64(signature[band * rows + row]))
            }
            keys[band] = Int64(bitPattern: key)
        }
    }

    /// The band keys of `signature`; a convenience that allocates.
    public func bandKeys(of signature: [UInt32]) -> [Int64] {
        var keys = [Int64](repeating: 0, count: scheme.bands)
        signature.withUnsafeBufferPointer { values in
            keys.withUnsafeMutableBufferPointer { bandKeys(of: values, into: $0) }
        }
        return keys
    }
}

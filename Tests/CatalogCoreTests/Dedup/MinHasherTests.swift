import CKernels
import Testing

@testable import CatalogCore

@Suite struct DedupMinHasherTests {
    @Test func matchesNaiveReferenceOnGeneratedASCIIDocuments() {
        let hasher = MinHasher(scheme: .standard)
        var generator = SeededGenerator(seed: 20_240_601)
        // Lengths from empty to several scan batches (2,048 tokens), so short texts, the tail
        // loop, the 64-byte block loop and batch boundaries are all covered.
        let pieceCounts = [0, 1, 2, 3, 4, 5, 6, 9, 17, 40, 120, 400, 1_500, 5_000]
        var checked = 0
        for round in 0..<12 {
            for pieceCount in pieceCounts {
                let text =
                    round % 4 == 3
                    ? GeneratedText.asciiNoise(length: pieceCount * 6, using: &generator)
                    : GeneratedText.document(pieceCount: pieceCount, using: &generator)
                let expected = NaiveMinHash.signature(ofASCII: text, scheme: .standard)
                let actual = hasher.signature(of: text)
                #expect(actual == expected, "round \(round), \(pieceCount) pieces: \(text.prefix(80))")
                let tokens = NaiveMinHash.asciiTokens(Array(text.utf8))
                #expect(hasher.tokenCount == tokens.count)
                checked += 1
            }
        }
        #expect(checked == 12 * pieceCounts.count)
    }

    @Test func returnsShingleCountAndOneShingleForShortTexts() {
        let hasher = MinHasher(scheme: .standard)
        var signature = [UInt32](repeating: 0, count: 128)
        func shingles(_ text: String) -> Int {
            var text = text
            return text.withUTF8 { bytes in
                signature.withUnsafeMutableBufferPointer { hasher.signature(of: bytes, into: $0) }
            }
        }
        #expect(shingles("") == 0)
        #expect(signature.allSatisfy { $0 == .max })
        #expect(shingles("one") == 1)
        #expect(shingles("one two three four") == 1)
        #expect(hasher.tokenCount == 4)
        #expect(shingles("one two three four five") == 1)
        #expect(shingles("one two three four five six seven") == 3)
        #expect(hasher.tokenCount == 7)
    }

    @Test func isDeterministicAcrossCallsAndInstances() {
        var generator = SeededGenerator(seed: 7)
        let text = GeneratedText.document(pieceCount: 700, using: &generator) + " Café 東京 naïve"
        let first = MinHasher(scheme: .standard)
        let second = MinHasher(scheme: .standard)
        let signature = first.signature(of: text)
        #expect(signature != nil)
        #expect(first.signature(of: "something else entirely, in between") != signature)
        #expect(first.signature(of: text) == signature)
        #expect(second.signature(of: text) == signature)
    }

    /// Fails when anything in the scheme drifts (normalisation, hashes, permutations, band keys).
    @Test func goldenSignatureOfAFixedSentence() throws {
        let hasher = MinHasher(scheme: .standard)
        let sentence = "The quick brown fox jumps over the lazy dog 12.5 times; Café ＦＵＬＬ naïve 東京タワー!"
        let signature = try #require(hasher.signature(of: sentence))
        #expect(hasher.tokenCount == 19)
        #expect(Array(signature.prefix(8)) == GOLDEN_SIGNATURE)
        #expect(hasher.bandKeys(of: signature) == GOLDEN_BAND_KEYS)
    }

    @Test func estimatesJaccardWithinStatisticalTolerance() throws {
        let scheme = MinHashScheme.standard
        let hasher = MinHasher(scheme: scheme)
        var generator = SeededGenerator(seed: 99)
        let vocabulary: [String] = (0..<3_000).map { _ in
            String(decoding: (0..<(3 + generator.below(7))).map { _ in UInt8(0x61 + generator.below(26)) }, as: UTF8.self)
        }
        var errors: [Double] = []
        for fraction in [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0] {
            for _ in 0..<4 {
                let original = (0..<400).map { _ in vocabulary[generator.below(vocabulary.count)] }
                var edited = original
                for position in 0..<edited.count where Double(generator.below(10_000)) < fraction * 10_000 {
                    edited[position] = vocabulary[generator.below(vocabulary.count)]
                }
                let textA = original.joined(separator: " ")
                let textB = edited.joined(separator: " ")
                let shinglesA = Set(NaiveMinHash.shingleHashes(
                    NaiveMinHash.asciiTokens(Array(textA.utf8)).map(NaiveMinHash.tokenHash), size: 5))
                let shinglesB = Set(NaiveMinHash.shingleHashes(
                    NaiveMinHash.asciiTokens(Array(textB.utf8)).map(NaiveMinHash.tokenHash), size: 5))
                let exact = Double(shinglesA.intersection(shinglesB).count) / Double(shinglesA.union(shinglesB).count)
                let signatureA = try #require(hasher.signature(of: textA))
                let signatureB = try #require(hasher.signature(of: textB))
                let estimate = try #require(LSHBanding.estimatedJaccard(signatureA, signatureB))
                let tolerance = 4 * (exact * (1 - exact) / 128).squareRoot() + 0.01
                #expect(abs(estimate - exact) <= tolerance, "fraction \(fraction): exact \(exact), estimate \(estimate)")
                errors.append(estimate - exact)
            }
        }
        let meanAbsoluteError = errors.map(abs).reduce(0, +) / Double(errors.count)
        let meanError = errors.reduce(0, +) / Double(errors.count)
        #expect(meanAbsoluteError < 0.03)
        #expect(abs(meanError) < 0.015)
    }

    @Test func bandKeysAreEqualForEqualSignaturesAndDifferPerBand() {
        let hasher = MinHasher(scheme: .standard)
        let constant = [UInt32](repeating: 42, count: 128)
        let keys = hasher.bandKeys(of: constant)
        let bands = MinHashScheme.standard.bands
        let rows = MinHashScheme.standard.rowsPerBand
        #expect(keys.count == bands)
        #expect(Set(keys).count == bands)  // same values, different bands → different keys
        #expect(hasher.bandKeys(of: constant) == keys)
        #expect(MinHasher(scheme: .standard).bandKeys(of: constant) == keys)

        var changed = constant
        changed[rows * 5 + 3] = 43  // a value in band 5
        let changedKeys = hasher.bandKeys(of: changed)
        for band in 0..<bands {
            #expect((changedKeys[band] == keys[band]) == (band != 5))
        }

        let text = "near duplicate detection with locality sensitive hashing over word shingles"
        let a = hasher.signature(of: text)
        let b = MinHasher(scheme: .standard).signature(of: text)
        #expect(a != nil && a == b)
        if let a, let b {
            #expect(hasher.bandKeys(of: a) == hasher.bandKeys(of: b))
        }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 33, 1_000, 4_099])
    func kernelMatchesPlainSwiftLoop(shingleCount: Int) {
        var generator = SeededGenerator(seed: UInt64(shingleCount) + 1)
        let permutations = 37  // not a multiple of the vector width
        let shingles = (0..<shingleCount).map { _ in generator.next() }
        let multipliers = (0..<permutations).map { _ in generator.next() | 1 }
        let offsets = (0..<permutations).map { _ in generator.next() }
        // Start from arbitrary values: the kernel lowers slots, it does not overwrite them.
        let initial = (0..<permutations).map { index in index % 3 == 0 ? UInt32.max : UInt32(truncatingIfNeeded: generator.next()) }

        var expected = initial
        for index in 0..<permutations {
            for x in shingles {
                expected[index] = min(expected[index], UInt32((multipliers[index] &* x &+ offsets[index]) >> 32))
            }
        }
        var actual = initial
        actual.withUnsafeMutableBufferPointer { out in
            catalog_minhash_reduce(shingles, shingleCount, multipliers, offsets, permutations, out.baseAddress)
        }
        #expect(actual == expected)
    }
}

@Suite struct DedupMinHashSchemeTests {
    @Test func standardSchemeIsValidAndDocumented() throws {
        let rebuilt = try MinHashScheme()
        #expect(rebuilt == .standard)
        #expect(MinHashScheme.standard.shingleSize == 5)
        #expect(MinHashScheme.standard.permutations == 128)
        #expect(MinHashScheme.standard.bands == 18)
        #expect(MinHashScheme.standard.rowsPerBand == 7)
        let tuned = LSHBanding.banding(forThreshold: 0.8, permutations: 128)
        #expect(tuned.bands == MinHashScheme.standard.bands && tuned.rows == MinHashScheme.standard.rowsPerBand)
        #expect(MinHashScheme.standard.seed == 1)
        #expect(MinHashScheme.standard.normalisation == "norm_v1")
        #expect(
            MinHashScheme.standard.signatureIdentity
                == "norm_v1/wymum64-tokens/poly-fmix64-shingles/multiply-shift-u32/n5/k128/seed1")
    }

    @Test func rejectsInvalidParameters() {
        #expect(throws: DedupError.self) { try MinHashScheme(shingleSize: 0) }
        #expect(throws: DedupError.self) { try MinHashScheme(permutations: 0) }
        #expect(throws: DedupError.self) { try MinHashScheme(bands: 0) }
        #expect(throws: DedupError.self) { try MinHashScheme(rowsPerBand: 0) }
        #expect(throws: DedupError.self) { try MinHashScheme(bands: 19, rowsPerBand: 7) }
        #expect(throws: DedupError.self) { try MinHashScheme(bands: Int.max, rowsPerBand: 2) }
        #expect(throws: DedupError.self) { try MinHashScheme(normalisation: "norm_v2") }
        #expect(throws: DedupError.self) { try MinHashScheme(hashFamily: "sha1") }
        #expect(
            throws: DedupError.invalidScheme(
                parameter: "bands × rowsPerBand", value: "17 × 8",
                reason: "must not exceed permutations (128); lower bands or rowsPerBand")
        ) { try MinHashScheme(bands: 17, rowsPerBand: 8) }
        #expect((try? MinHashScheme(shingleSize: 3, permutations: 256, bands: 32, rowsPerBand: 8, seed: 9)) != nil)
    }

    @Test func permutationParametersComeFromSplitMix64() throws {
        let scheme = try MinHashScheme(permutations: 4, bands: 2, rowsPerBand: 2, seed: 1)
        var generator = SeededGenerator(seed: 1)  // SplitMix64 with the same seed
        let (multipliers, offsets) = scheme.permutationParameters()
        #expect(multipliers.count == 4 && offsets.count == 4)
        for index in 0..<4 {
            #expect(multipliers[index] == generator.next() | 1)
            #expect(offsets[index] == generator.next())
        }
        #expect(multipliers.allSatisfy { $0 & 1 == 1 })
        // SplitMix64's first output for seed 1, as published with the reference implementation.
        var pinned = SeededGenerator(seed: 1)
        #expect(pinned.next() == 0x910A_2DEC_8902_5CC1)
    }
}

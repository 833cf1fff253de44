import Foundation
import Testing

@testable import CatalogCore

@Suite struct DedupLSHBandingTests {
    @Test func candidateProbabilityMatchesTheFormula() {
        let p = LSHBanding.candidateProbability(similarity: 0.8, bands: 16, rows: 8)
        #expect(abs(p - (1 - pow(1 - pow(0.8, 8), 16))) < 1e-12)
        #expect((p * 1000).rounded() / 1000 == 0.947)
        #expect(abs(LSHBanding.candidateProbability(similarity: 0.5, bands: 16, rows: 8) - 0.061) < 0.0005)
        #expect(abs(LSHBanding.candidateProbability(similarity: 0.8, bands: 14, rows: 8) - 0.924) < 0.0005)
        #expect(LSHBanding.candidateProbability(similarity: 1, bands: 16, rows: 8) == 1)
        #expect(LSHBanding.candidateProbability(similarity: 0, bands: 16, rows: 8) == 0)
    }

    @Test func autoTuneTakesTheLargestRowsThatReachTheRecall() {
        // 8 rows reach only P = 0.947 at t = 0.8, so recall 0.95 needs 7 rows (P = 0.986).
        #expect(LSHBanding.banding(forThreshold: 0.8, permutations: 128, recall: 0.95) == (bands: 18, rows: 7))
        #expect(LSHBanding.banding(forThreshold: 0.8, permutations: 128) == (bands: 18, rows: 7))
        #expect(LSHBanding.banding(forThreshold: 0.8, permutations: 128, recall: 0.94) == (bands: 16, rows: 8))
        // The examples in gaoya's documentation (recall 0.99).
        #expect(LSHBanding.banding(forThreshold: 0.5, permutations: 128, recall: 0.99) == (bands: 42, rows: 3))
        #expect(LSHBanding.banding(forThreshold: 0.7, permutations: 196, recall: 0.99) == (bands: 39, rows: 5))
        #expect(LSHBanding.banding(forThreshold: 0.01, permutations: 16, recall: 0.99) == (bands: 16, rows: 1))
    }

    @Test func estimatedJaccardIsTheFractionOfEqualSlots() {
        let a: [UInt32] = [1, 2, 3, 4, 5, 6, 7, 8]
        let b: [UInt32] = [1, 2, 0, 4, 0, 6, 0, 8]
        #expect(LSHBanding.estimatedJaccard(a, a) == 1)
        #expect(LSHBanding.estimatedJaccard(a, b) == 0.625)
        #expect(LSHBanding.estimatedJaccard(a, Array(b.prefix(4))) == nil)
        #expect(LSHBanding.estimatedJaccard([], []) == nil)
        let raw = a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in LSHBanding.estimatedJaccard(rawSignature: ra, rb) } }
        #expect(raw == 0.625)
    }
}

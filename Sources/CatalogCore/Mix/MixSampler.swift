/// A document that may be drawn for a component.
public struct MixCandidate: Sendable, Equatable {
    /// `docs.document_id`.
    public var documentID: Int64
    /// `docs.doc_key`.
    public var docKey: String
    /// `docs.source`; with the key, the document's stable identity.
    public var source: String
    /// `docs.tokens`.
    public var tokens: Int
    /// The sampling weight (`prefer`, else 1), > 0.
    public var weight: Double

    /// A candidate.
    public init(documentID: Int64, docKey: String, source: String, tokens: Int, weight: Double) {
        self.documentID = documentID
        self.docKey = docKey
        self.source = source
        self.tokens = tokens
        self.weight = weight
    }
}

/// One use of a document in the output stream.
public struct MixEntry: Sendable, Equatable {
    /// The document.
    public var documentID: Int64
    /// Its key.
    public var docKey: String
    /// Its source's name.
    public var source: String
    /// Its tokens.
    public var tokens: Int
    /// Which pass over the component's documents this use belongs to (1, 2, …).
    public var epoch: Int
    /// Index of the component in the recipe.
    public var componentIndex: Int
    /// The shuffle key ordering uses within a pass.
    var shuffleKey: UInt64
}

/// What was drawn for one (phase, component).
public struct SampledComponent: Sendable {
    /// The plan row it fulfils.
    public var plan: PlannedComponent
    /// The uses in output order within the component: by pass, then by shuffle key.
    public var entries: [MixEntry]
    /// Tokens drawn (repeats counted).
    public var tokens: Int64
    /// What was drawn in the recipe's unit.
    public var amount: Int64
    /// Planned amount that could not be drawn because documents reached their epoch cap.
    public var unmet: Int64
    /// How many times each drawn document is used, by document id.
    public var times: [Int64: Int]
}

/// Weighted hash sampling without replacement (Efraimidis–Spirakis).
///
/// Every candidate of a component gets the key `log(u) / w`, u ∈ (0, 1) from
/// `SampleHash(seed, source, doc_key, component)` and w its `prefer` weight, and candidates
/// are taken in decreasing key order (ties: source, key). The order depends only on the seed and
/// the documents' stable identities, so a smaller target takes a prefix of a larger one's
/// order (monotone subsets) and the result does not depend on threads or partitions.
///
/// A target larger than one pass takes whole passes, then a prefix of the next pass. Within a
/// pass, documents are taken in key order while they fit; the first one that does not fit is
/// taken only when that overshoots the target by less than stopping would undershoot it, and
/// the pass ends there. So a component's amount is within half a document of its target.
///
/// The epoch cap counts every use of a document by the component across phases: `usage` carries
/// the counts from phase to phase, and a document at its cap is skipped.
public enum MixSampler {
    /// The sampling key of a candidate in `component` (larger is drawn first).
    public static func key(seed: UInt64, candidate: MixCandidate, component: String) -> Double {
        var hash = SampleHash(seed: seed)
        hash.add(candidate.source)
        hash.add(candidate.docKey)
        hash.add(component)
        return Foundation.log(hash.unit) / candidate.weight
    }

    /// The shuffle key of one use of a document (same seed, another stream than sampling).
    static func shuffleKey(seed: UInt64, candidate: MixCandidate, component: String, epoch: Int) -> UInt64 {
        var hash = SampleHash(seed: seed ^ 0x5348_5546_464C_4531)  // "SHUFFLE1"
        hash.add(candidate.source)
        hash.add(candidate.docKey)
        hash.add(component)
        hash.add(UInt64(epoch))
        return hash.value
    }

    /// Draws `plan.planned` units from `candidates` for the plan row.
    public static func sample(
        _ candidates: [MixCandidate], plan: PlannedComponent, seed: UInt64, unit: MixUnit, usage: inout [Int64: Int]
    ) -> SampledComponent {
        let component = plan.component
        let keyed = candidates.map { (key: key(seed: seed, candidate: $0, component: component), candidate: $0) }
            .sorted { left, right in
                if left.key != right.key { return left.key > right.key }
                if left.candidate.source != right.candidate.source { return left.candidate.source < right.candidate.source }
                return left.candidate.docKey < right.candidate.docKey
            }
        func size(_ candidate: MixCandidate) -> Int64 { unit == .tokens ? Int64(candidate.tokens) : 1 }
        var times: [Int64: Int] = [:]
        var order: [(candidate: MixCandidate, epoch: Int)] = []
        var remaining = plan.planned
        var unmet: Int64 = 0
        var epoch = 0
        while remaining > 0 {
            epoch += 1
            let open = keyed.filter { (usage[$0.candidate.documentID] ?? 0) < plan.maxEpochs }
            let passAmount = open.reduce(Int64(0)) { $0 + size($1.candidate) }
            if passAmount == 0 {
                unmet = remaining
                break
            }
            if remaining >= passAmount {
                for item in open { order.append((item.candidate, epoch)) }
                remaining -= passAmount
            } else {
                var taken: Int64 = 0
                for item in open {
                    let amount = size(item.candidate)
                    if taken + amount <= remaining {
                        order.append((item.candidate, epoch))
                        taken += amount
                        if taken == remaining { break }
                    } else {
                        if taken + amount - remaining < remaining - taken {
                            order.append((item.candidate, epoch))
                            taken += amount
                        }
                        break
                    }
                }
                remaining = 0
            }
            for item in order where item.epoch == epoch {
                usage[item.candidate.documentID, default: 0] += 1
                times[item.candidate.documentID, default: 0] += 1
            }
        }
        var entries = order.map { item in
            MixEntry(
                documentID: item.candidate.documentID, docKey: item.candidate.docKey, source: item.candidate.source,
                tokens: item.candidate.tokens, epoch: item.epoch,
                componentIndex: plan.componentIndex,
                shuffleKey: shuffleKey(seed: seed, candidate: item.candidate, component: component, epoch: item.epoch))
        }
        entries.sort { ($0.epoch, $0.shuffleKey, $0.documentID) < ($1.epoch, $1.shuffleKey, $1.documentID) }
        let tokens = entries.reduce(Int64(0)) { $0 + Int64($1.tokens) }
        let amount = unit == .tokens ? tokens : Int64(entries.count)
        return SampledComponent(plan: plan, entries: entries, tokens: tokens, amount: amount, unmet: unmet, times: times)
    }
}

/// Orders the uses of a phase so that every prefix is close to the components' shares by
/// tokens: at each step the component with the largest deficit (its share × tokens written
/// in the phase − its tokens written) goes next, ties to the earlier component (as Megatron's
/// blended dataset does).
public enum MixInterleaver {
    /// The phase's stream from its components' ordered uses.
    public static func interleave(_ components: [SampledComponent]) -> [MixEntry] {
        let totals = components.map { Double($0.tokens) }
        let sum = totals.reduce(0, +)
        guard sum > 0 else { return components.flatMap(\.entries) }
        let shares = totals.map { $0 / sum }
        var next = [Int](repeating: 0, count: components.count)
        var written = [Double](repeating: 0, count: components.count)
        var writtenTotal = 0.0
        var stream: [MixEntry] = []
        stream.reserveCapacity(components.reduce(0) { $0 + $1.entries.count })
        while true {
            var best = -1
            var bestDeficit = -Double.infinity
            for index in components.indices where next[index] < components[index].entries.count {
                let deficit = shares[index] * writtenTotal - written[index]
                if deficit > bestDeficit {
                    best = index
                    bestDeficit = deficit
                }
            }
            guard best >= 0 else { break }
            let entry = components[best].entries[next[best]]
            next[best] += 1
            stream.append(entry)
            written[best] += Double(entry.tokens)
            writtenTotal += Double(entry.tokens)
        }
        return stream
    }
}

import Foundation

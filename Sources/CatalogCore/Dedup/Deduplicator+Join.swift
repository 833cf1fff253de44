/// The two ways `catalog dedup` joins new documents against the LSH index and verifies the
/// candidates with the stored signatures.
extension Deduplicator {
    /// Bulk join: every representative's signature in memory (512 bytes each), then one pass
    /// over the index in key order; a pair is verified in the first band where its rows agree.
    func joinByScan(
        universe: DedupUniverse, isNew: [Bool], context: JoinContext, report: inout DedupReport
    ) throws {
        let (store, lshIndex, schemeID) = (context.store, context.lshIndex, context.schemeID)
        let (bandingScheme, writesKeys) = (context.bandingScheme, context.writesKeys)
        let permutations = bandingScheme.permutations
        let rows = bandingScheme.rowsPerBand
        let count = universe.ids.count
        var signatures = [UInt32](repeating: 0, count: count * permutations)
        var hasSignature = [Bool](repeating: false, count: count)
        try store.forEachSignature(schemeID: schemeID) { id, raw in
            guard raw.count == permutations * 4, let index = universe.index(of: id),
                  Int(universe.representative[index]) == index else { return }
            signatures.withUnsafeMutableBytes { all in
                UnsafeMutableRawBufferPointer(rebasing: all[(index * permutations * 4)..<((index + 1) * permutations * 4)])
                    .copyMemory(from: raw)
            }
            hasSignature[index] = true
        }
        if writesKeys {
            let hasher = MinHasher(scheme: bandingScheme)
            var keys = [Int64](repeating: 0, count: bandingScheme.bands)
            for index in 0..<count where isNew[index] && hasSignature[index] {
                signatures.withUnsafeBufferPointer { all in
                    keys.withUnsafeMutableBufferPointer {
                        hasher.bandKeys(of: UnsafeBufferPointer(rebasing: all[(index * permutations)..<((index + 1) * permutations)]), into: $0)
                    }
                }
                try keys.withUnsafeBufferPointer { try lshIndex.insert(documentID: universe.ids[index], keys: $0) }
            }
        }
        // Dense indices and matching slots: 10 bytes an edge while millions are collected.
        var found: [(a: Int32, b: Int32, equal: UInt16)] = []
        var members: [Int] = []
        var candidates = 0
        let floor = options.effectiveFloor
        try signatures.withUnsafeBufferPointer { all in
            func agree(_ a: Int, _ b: Int, band: Int) -> Bool {
                let start = band * rows
                for row in start..<(start + rows) where all[a * permutations + row] != all[b * permutations + row] {
                    return false
                }
                return true
            }
            try lshIndex.forEachBucket { band, _, documents in
                guard documents.count > 1 else { return }
                members.removeAll(keepingCapacity: true)
                for id in documents {
                    if let index = universe.index(of: id), hasSignature[index] { members.append(index) }
                }
                for x in 0..<members.count {
                    for y in (x + 1)..<members.count {
                        let a = members[x]
                        let b = members[y]
                        guard isNew[a] || isNew[b], !(0..<band).contains(where: { agree(a, b, band: $0) }) else { continue }
                        candidates += 1
                        var equal = 0
                        for slot in 0..<permutations where all[a * permutations + slot] == all[b * permutations + slot] {
                            equal += 1
                        }
                        if Double(equal) / Double(permutations) >= floor {
                            found.append((Int32(min(a, b)), Int32(max(a, b)), UInt16(equal)))
                        }
                    }
                }
            }
        }
        report.candidates = candidates
        signatures = []
        // Dense indices follow document ids, so this is the edge table's key order.
        found.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        var edges: [DedupEdge] = []
        edges.reserveCapacity(found.count)
        for edge in found where edges.last.map({ $0.a != universe.ids[Int(edge.a)] || $0.b != universe.ids[Int(edge.b)] }) ?? true {
            edges.append(DedupEdge(
                a: universe.ids[Int(edge.a)], b: universe.ids[Int(edge.b)],
                similarity: Double(edge.equal) / Double(permutations)))
        }
        found = []
        report.newEdges = try store.insertEdges(edges, bandingID: context.bandingID)
    }

    /// Incremental join: each new document looks up the buckets of its band keys. Only
    /// `isJoinable` documents (visible, first copy of their text) are verified; a pair of new
    /// documents is verified once. Returns the verified edges.
    ///
    /// Lookups are batched and sorted (buckets by key, candidates by id) so that the index,
    /// document and signature pages are visited in order rather than at random.
    func joinByLookup(
        newRepresentatives: [Int64], isNew: (Int64) -> Bool, isJoinable: (Int64) throws -> Bool,
        context: JoinContext, report: inout DedupReport
    ) throws -> [DedupEdge] {
        let (store, lshIndex, schemeID) = (context.store, context.lshIndex, context.schemeID)
        let bandingScheme = context.bandingScheme
        let hasher = MinHasher(scheme: bandingScheme)
        let permutations = bandingScheme.permutations
        let bands = bandingScheme.bands

        // The new documents' signatures and band keys.
        var newIDs: [Int64] = []
        var newSignatures: [UInt32] = []
        var lookups: [BucketLookup] = []
        var signature = [UInt32](repeating: 0, count: permutations)
        var keys = [Int64](repeating: 0, count: bands)
        for id in newRepresentatives {
            let hasSignature = try store.withSignature(schemeID: schemeID, documentID: id) { raw -> Bool in
                guard let raw, raw.count == permutations * 4 else { return false }
                signature.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
                return true
            }
            guard hasSignature else { continue }
            signature.withUnsafeBufferPointer { values in
                keys.withUnsafeMutableBufferPointer { hasher.bandKeys(of: values, into: $0) }
            }
            if context.writesKeys {
                try keys.withUnsafeBufferPointer { try lshIndex.insert(documentID: id, keys: $0) }
            }
            for (band, key) in keys.enumerated() {
                lookups.append(BucketLookup(band: Int32(band), key: key, document: Int32(newIDs.count)))
            }
            newIDs.append(id)
            newSignatures += signature
        }

        // Candidate pairs (new document, other document), each once. Buckets are looked up in
        // the LSH tables' key order (band_key, band), so their pages are read in order.
        lookups.sort { ($0.key, $0.band, $0.document) < ($1.key, $1.band, $1.document) }
        var pairs: [(other: Int64, document: Int32)] = []
        var members: [Int64] = []
        var start = 0
        while start < lookups.count {
            var end = start + 1
            while end < lookups.count && lookups[end].band == lookups[start].band && lookups[end].key == lookups[start].key {
                end += 1
            }
            members.removeAll(keepingCapacity: true)
            try lshIndex.members(band: Int(lookups[start].band), key: lookups[start].key, into: &members)
            for lookup in lookups[start..<end] {
                let id = newIDs[Int(lookup.document)]
                // A pair of new documents is joined once, from its larger id.
                for other in members where other != id && !(other > id && isNew(other)) {
                    pairs.append((other, lookup.document))
                }
            }
            start = end
        }
        lookups = []
        pairs.sort { ($0.other, $0.document) < ($1.other, $1.document) }

        // Verify, reading each candidate's signature once, in id order.
        var found: [DedupEdge] = []
        let floor = options.effectiveFloor
        var index = 0
        while index < pairs.count {
            let other = pairs[index].other
            var end = index + 1
            while end < pairs.count && pairs[end].other == other { end += 1 }
            defer { index = end }
            guard try isJoinable(other) else { continue }
            var previous: Int32 = -1
            try store.withSignature(schemeID: schemeID, documentID: other) { raw in
                guard let raw, raw.count == permutations * 4 else { return }
                for pair in pairs[index..<end] where pair.document != previous {
                    previous = pair.document
                    report.candidates += 1
                    let base = Int(pair.document) * permutations
                    var equal = 0
                    for slot in 0..<permutations
                    where newSignatures[base + slot] == raw.loadUnaligned(fromByteOffset: slot * 4, as: UInt32.self) {
                        equal += 1
                    }
                    let similarity = Double(equal) / Double(permutations)
                    if similarity >= floor {
                        let id = newIDs[Int(pair.document)]
                        found.append(DedupEdge(a: min(id, other), b: max(id, other), similarity: similarity))
                    }
                }
            }
        }
        // Stored in key order: random-order inserts into a large B-tree would dirty (and
        // rewrite) most of its pages many times over.
        found.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        report.newEdges = try store.insertEdges(found, bandingID: context.bandingID)
        return found
    }
}

/// What both joins work with.
struct JoinContext {
    let store: DedupStore
    let lshIndex: LSHIndex
    let schemeID: Int64
    let bandingID: Int64
    let bandingScheme: MinHashScheme
    let writesKeys: Bool
}

/// One band key of a new document to look up.
private struct BucketLookup {
    var band: Int32
    var key: Int64
    var document: Int32
}

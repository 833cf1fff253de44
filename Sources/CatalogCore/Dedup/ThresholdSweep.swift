/// How many clusters, marked documents and marked tokens each threshold would give, computed
/// from stored edges in one pass (Kruskal-style: edges by descending similarity, union-find
/// that tracks each component's size, tokens and canonical).
///
/// Counts connected components (the default clustering); star mode is not modelled here.
/// Similarities are estimated Jaccards k / permutations with permutations dividing 1,024, so a
/// counting sort on similarity × 1,024 orders them exactly.
struct ThresholdSweep {
    let universe: DedupUniverse
    let scope: DedupScope

    /// One row per threshold, ascending.
    func rows(edges: [DenseEdge], thresholds: [Double]) -> [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] {
        let count = universe.ids.count
        var sets = UnionFind(count: count)
        var size = [Int](repeating: 1, count: count)
        var tokens = universe.tokens
        var canonical = Array(0..<count)
        var clusters = 0
        var markedDocs = 0
        var markedTokens = 0

        func contribution(_ root: Int) -> (clusters: Int, docs: Int, tokens: Int) {
            size[root] < 2 ? (0, 0, 0) : (1, size[root] - 1, tokens[root] - universe.tokens[canonical[root]])
        }
        func join(_ a: Int, _ b: Int) {
            let rootA = sets.find(a)
            let rootB = sets.find(b)
            guard rootA != rootB else { return }
            let partA = contribution(rootA)
            let partB = contribution(rootB)
            clusters -= partA.clusters + partB.clusters
            markedDocs -= partA.docs + partB.docs
            markedTokens -= partA.tokens + partB.tokens
            sets.union(rootA, rootB)
            let root = sets.find(rootA)
            let other = root == rootA ? rootB : rootA
            size[root] += size[other]
            tokens[root] += tokens[other]
            if universe.rank[canonical[other]] < universe.rank[canonical[root]] { canonical[root] = canonical[other] }
            let part = contribution(root)
            clusters += part.clusters
            markedDocs += part.docs
            markedTokens += part.tokens
        }

        for index in 0..<count where Int(universe.representative[index]) != index {
            let representative = Int(universe.representative[index])
            if universe.inScope(index, representative, scope) { join(index, representative) }
        }
        // Counting sort, most similar first.
        let scale = 1_024
        func bucket(_ similarity: Double) -> Int { scale - min(scale, max(0, Int((similarity * Double(scale)).rounded()))) }
        var starts = [Int](repeating: 0, count: scale + 2)
        for edge in edges { starts[bucket(edge.similarity) + 1] += 1 }
        for index in 1..<starts.count { starts[index] += starts[index - 1] }
        var ordered = [DenseEdge](repeating: DenseEdge(a: 0, b: 0, similarity: 0), count: edges.count)
        for edge in edges {
            let slot = bucket(edge.similarity)
            ordered[starts[slot]] = edge
            starts[slot] += 1
        }
        var next = 0
        var result: [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] = []
        for threshold in thresholds.sorted(by: >) {
            while next < ordered.count && ordered[next].similarity >= threshold {
                let edge = ordered[next]
                next += 1
                let a = Int(edge.a)
                let b = Int(edge.b)
                if universe.inScope(a, b, scope) { join(a, b) }
            }
            result.append((threshold, clusters, markedDocs, markedTokens))
        }
        return result.reversed()
    }
}

/// How many clusters, marked documents and marked tokens each threshold would give, computed
/// from stored edges in one pass (Kruskal-style: edges by descending similarity, union-find
/// that tracks each component's size, tokens and canonical).
///
/// Counts connected components (the default clustering); star mode is not modelled here.
struct ThresholdSweep {
    let universe: DedupUniverse
    let scope: DedupScope

    /// One row per threshold, ascending.
    func rows(edges: [DedupEdge], thresholds: [Double]) -> [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] {
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
            for root in [rootA, rootB] {
                let part = contribution(root)
                clusters -= part.clusters
                markedDocs -= part.docs
                markedTokens -= part.tokens
            }
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
        let ordered = edges.sorted { $0.similarity > $1.similarity }
        var next = 0
        var result: [(threshold: Double, clusters: Int, markedDocs: Int, markedTokens: Int)] = []
        for threshold in thresholds.sorted(by: >) {
            while next < ordered.count && ordered[next].similarity >= threshold {
                let edge = ordered[next]
                next += 1
                guard let a = universe.index(of: edge.a), let b = universe.index(of: edge.b),
                      universe.inScope(a, b, scope) else { continue }
                join(a, b)
            }
            result.append((threshold, clusters, markedDocs, markedTokens))
        }
        return result.reversed()
    }
}

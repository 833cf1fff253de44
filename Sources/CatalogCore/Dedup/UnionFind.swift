/// Disjoint sets over 0..<count with path halving and union by size.
struct UnionFind {
    private var parent: [Int32]
    private var size: [Int32]

    /// `count` singletons.
    init(count: Int) {
        parent = (0..<count).map { Int32($0) }
        size = [Int32](repeating: 1, count: count)
    }

    /// The representative of `element`'s set.
    mutating func find(_ element: Int) -> Int {
        var node = element
        while parent[node] != Int32(node) {
            let grandparent = parent[Int(parent[node])]
            parent[node] = grandparent
            node = Int(grandparent)
        }
        return node
    }

    /// Merges the sets of `a` and `b`.
    mutating func union(_ a: Int, _ b: Int) {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = Int32(rootA)
        size[rootA] += size[rootB]
    }
}

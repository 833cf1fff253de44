/// The documents clustering works on, indexed densely (0..<count) in document-id order.
struct DedupUniverse {
    /// Document ids, ascending.
    let ids: [Int64]
    /// Source of each document.
    let sources: [Int64]
    /// Domain of each document.
    let domains: [String?]
    /// Tokens of each document.
    let tokens: [Int]
    /// The index of the first document with the same text (itself when it is the first).
    let representative: [Int32]
    /// Position in the keep order (lower is kept first).
    var rank: [Int32]
    /// Source names by id, for messages.
    let sourceNames: [Int64: String]

    /// The dense index of `id`, if it is a visible document.
    func index(of id: Int64) -> Int? {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// `edges` with dense indices; edges of documents not in the universe are dropped.
    func denseEdges(_ edges: [DedupEdge]) -> [DenseEdge] {
        var result: [DenseEdge] = []
        result.reserveCapacity(edges.count)
        // Many edges per document (a part of the catalog, for an incremental run): one hash
        // lookup per end instead of a binary search.
        let positions: [Int64: Int32]? = edges.count > 2 * ids.count
            ? Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($0.element, Int32($0.offset)) }) : nil
        func position(_ id: Int64) -> Int? {
            if let positions { return positions[id].map(Int.init) }
            return index(of: id)
        }
        // Edges come sorted by (a, b): remember the last `a` to halve the lookups.
        var lastA: (id: Int64, index: Int?) = (-1, nil)
        for edge in edges {
            if edge.a != lastA.id { lastA = (edge.a, position(edge.a)) }
            guard let a = lastA.index, let b = position(edge.b) else { continue }
            result.append(DenseEdge(a: Int32(a), b: Int32(b), similarity: edge.similarity))
        }
        return result
    }

    /// Whether documents `a` and `b` may be in one cluster under `scope`.
    func inScope(_ a: Int, _ b: Int, _ scope: DedupScope) -> Bool {
        switch scope {
        case .global: return true
        case .source: return sources[a] == sources[b]
        case .domain: return domains[a] == domains[b]
        }
    }
}

/// A verified edge between two documents of a `DedupUniverse`, by dense index.
struct DenseEdge {
    var a: Int32
    var b: Int32
    var similarity: Double
}

/// One cluster: its canonical and its members (canonical included), as dense indices.
struct DedupCluster {
    var canonical: Int
    var members: [Int]
    var warning: String?
}

/// Builds clusters from verified edges and exact-copy groups, and elects canonicals.
///
/// Clusters are the connected components of edges ≥ threshold plus exact-copy groups (within
/// the scope). The canonical is the member first in the keep order. In star mode a component is
/// split greedily in keep order so that every member is ≥ threshold to its canonical.
struct ClusterBuilder {
    let universe: DedupUniverse
    let options: DedupOptions
    /// Documents per source.
    private let sourceSizes: [Int64: Int]

    /// `sourceSizes`: visible documents per source (for the source-share guard), which may
    /// be more than `universe` holds when it is part of the catalog.
    init(universe: DedupUniverse, options: DedupOptions, sourceSizes: [Int64: Int]) {
        self.universe = universe
        self.options = options
        self.sourceSizes = sourceSizes
    }

    /// The clusters of two or more documents, ordered by canonical id.
    func clusters(edges: [DenseEdge], threshold: Double) -> [DedupCluster] {
        let count = universe.ids.count
        var sets = UnionFind(count: count)
        var adjacency: [Int: [Int: Double]] = [:]
        // Only documents with an exact copy or an edge can be in a cluster.
        var touched: [Int] = []
        for index in 0..<count where Int(universe.representative[index]) != index {
            let representative = Int(universe.representative[index])
            if universe.inScope(index, representative, options.scope) {
                sets.union(index, representative)
                touched += [index, representative]
            }
        }
        for edge in edges where edge.similarity >= threshold {
            let a = Int(edge.a)
            let b = Int(edge.b)
            // Edges join representatives; copies follow through their representative.
            guard universe.inScope(a, b, options.scope) else { continue }
            sets.union(a, b)
            touched += [a, b]
            if options.star {
                adjacency[a, default: [:]][b] = edge.similarity
                adjacency[b, default: [:]][a] = edge.similarity
            }
        }
        var components: [Int: [Int]] = [:]
        for index in Set(touched) { components[sets.find(index), default: []].append(index) }
        var result: [DedupCluster] = []
        for members in components.values where members.count > 1 {
            let ordered = members.sorted { universe.rank[$0] < universe.rank[$1] }
            if options.star {
                result += starClusters(ordered, adjacency: adjacency, threshold: threshold)
            } else {
                result.append(DedupCluster(canonical: ordered[0], members: ordered))
            }
        }
        result.sort { universe.ids[$0.canonical] < universe.ids[$1.canonical] }
        return result.filter { $0.members.count > 1 }.map(flagged)
    }

    /// Splits a component (in keep order) so each member is ≥ threshold to its canonical.
    private func starClusters(_ ordered: [Int], adjacency: [Int: [Int: Double]], threshold: Double) -> [DedupCluster] {
        var remaining = ordered
        var clusters: [DedupCluster] = []
        while let canonical = remaining.first {
            let canonicalText = Int(universe.representative[canonical])
            var members = [canonical]
            var rest: [Int] = []
            for member in remaining.dropFirst() {
                let text = Int(universe.representative[member])
                let similarity = text == canonicalText ? 1.0 : adjacency[text]?[canonicalText] ?? 0
                if similarity >= threshold { members.append(member) } else { rest.append(member) }
            }
            clusters.append(DedupCluster(canonical: canonical, members: members))
            remaining = rest
        }
        return clusters
    }

    /// Adds a warning to a cluster that is too large or swallows too much of one source.
    private func flagged(_ cluster: DedupCluster) -> DedupCluster {
        var cluster = cluster
        var notes: [String] = []
        if cluster.members.count > options.maxClusterSize {
            notes.append("\(cluster.members.count) members, over --max-cluster-size \(options.maxClusterSize)")
        }
        var perSource: [Int64: Int] = [:]
        for member in cluster.members { perSource[universe.sources[member], default: 0] += 1 }
        for (source, members) in perSource.sorted(by: { $0.key < $1.key }) {
            let total = sourceSizes[source] ?? 0
            if total >= options.minSourceDocsForShare && Double(members) > options.maxSourceShare * Double(total) {
                notes.append("holds \(members) of the \(total) documents of source \(universe.sourceNames[source] ?? "?")")
            }
        }
        cluster.warning = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return cluster
    }
}

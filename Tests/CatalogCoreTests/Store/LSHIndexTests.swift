import Testing
@testable import CatalogCore

@Suite struct LSHIndexTests {
    /// A new catalog (kept while `directory` lives) with an empty index of a 2 × 3 banding.
    private func emptyIndex() throws -> (directory: TemporaryDirectory, catalog: Catalog, banding: Int64, index: LSHIndex) {
        let directory = TemporaryDirectory()
        let catalog = try Catalog.open(at: directory.path + "/c.db", create: true)
        let store = try IngestStore(catalog: catalog)
        let scheme = try store.schemeID(for: MinHashScheme.standard.row)
        let banding = try store.bandingID(schemeID: scheme, bands: 2, rowsPerBand: 3)
        return (directory, catalog, banding, try LSHIndex(catalog: catalog, bandingID: banding))
    }

    @Test func mergesRecentKeysIntoTheMainTableAndFindsMembersInBoth() throws {
        let (directory, catalog, banding, index) = try emptyIndex()
        defer { withExtendedLifetime(directory) {} }
        index.minimumMergeRows = 4
        func keys(_ values: [Int64]) -> [Int64] { values }
        try catalog.connection.transaction {
            try keys([10, 20]).withUnsafeBufferPointer { try index.insert(documentID: 1, keys: $0) }
            try keys([10, 21]).withUnsafeBufferPointer { try index.insert(documentID: 2, keys: $0) }
            try index.mergeIfLarge()  // 4 recent rows ≥ max(4, 0 / 4): merged
            try keys([10, 22]).withUnsafeBufferPointer { try index.insert(documentID: 3, keys: $0) }
            try index.mergeIfLarge()  // 2 recent rows < 4: stays recent
        }
        let connection = catalog.connection
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band") == 4)
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 2)
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_bands") == 6)
        #expect(try connection.prepare("SELECT merged_rows, recent_rows FROM lsh_banding WHERE banding_id = \(banding)")
            .allRows() == [[.integer(4), .integer(2)]])
        var members: [Int64] = []
        try index.members(band: 0, key: 10, into: &members)
        #expect(members.sorted() == [1, 2, 3])
        members.removeAll()
        try index.members(band: 1, key: 22, into: &members)
        #expect(members == [3])
    }

    @Test func buffersKeysUntilTheFirstReadAndDropsThemOnRollback() throws {
        let (directory, catalog, banding, index) = try emptyIndex()
        defer { withExtendedLifetime(directory) {} }
        let connection = catalog.connection
        // 45 documents, 90 rows: two full multi-row steps and a tail of single rows. Keys are
        // inserted out of order; band 1 puts every third document in one bucket.
        var expected: [String: Set<Int64>] = [:]
        try connection.transaction {
            for document in Int64(1)...45 {
                let keys: [Int64] = [(document * 7919) % 101 - 50, document % 3]
                try keys.withUnsafeBufferPointer { try index.insert(documentID: document, keys: $0) }
                for (band, key) in keys.enumerated() { expected["\(band):\(key)", default: []].insert(document) }
            }
            #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 0)
            var members: [Int64] = []
            try index.members(band: 1, key: 0, into: &members)
            #expect(members.sorted() == Array(stride(from: Int64(3), through: 45, by: 3)))
            #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 90)
            try index.mergeIfLarge()
        }
        var buckets: [String: Set<Int64>] = [:]
        var order: [(Int64, Int)] = []
        try index.forEachBucket { band, key, documents in
            buckets["\(band):\(key)"] = Set(documents)
            order.append((key, band))
        }
        #expect(buckets == expected)
        #expect(order.map { "\($0.0):\($0.1)" } == order.sorted { $0 < $1 }.map { "\($0.0):\($0.1)" })

        try connection.begin()
        try [Int64(7), 8].withUnsafeBufferPointer { try index.insert(documentID: 46, keys: $0) }
        connection.rollbackIfOpen()
        index.rolledBack()
        try connection.transaction { try index.mergeIfLarge() }
        var members: [Int64] = []
        try index.members(band: 1, key: 8, into: &members)
        #expect(members.isEmpty)
        #expect(try connection.prepare("SELECT merged_rows, recent_rows FROM lsh_banding WHERE banding_id = \(banding)")
            .allRows() == [[.integer(0), .integer(90)]])
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 90)
    }

    @Test func insertFlushesOnceEnoughKeysAreBuffered() throws {
        let (directory, catalog, _, index) = try emptyIndex()
        defer { withExtendedLifetime(directory) {} }
        index.flushRows = 4
        let connection = catalog.connection
        try connection.transaction {
            try [Int64(5), 6].withUnsafeBufferPointer { try index.insert(documentID: 1, keys: $0) }
            #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 0)
            try [Int64(3), 4].withUnsafeBufferPointer { try index.insert(documentID: 2, keys: $0) }
            #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 4)
            try [Int64(1), 2].withUnsafeBufferPointer { try index.insert(documentID: 3, keys: $0) }
            #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 4)
            try index.mergeIfLarge()
        }
        #expect(try connection.scalarInt("SELECT count(*) FROM lsh_band_recent") == 6)
    }

    @Test func radixSortOrdersBySignedKeyAndKeepsTheOrderOfEqualKeys() {
        var generator = SeededGenerator(seed: 7)
        var keys: [PendingKey] = []
        for document in Int64(0)..<5_000 {
            // Few distinct high digits and repeated keys: every pass and tie matters.
            let raw = Int64(bitPattern: generator.next())
            let key = document % 7 == 0 ? Int64(document % 5) - 2 : raw >> (document % 3 == 0 ? 40 : 0)
            keys.append(PendingKey(key: key, band: Int32(document % 16), document: document))
        }
        keys.append(contentsOf: [Int64.min, Int64.max, 0, -1].map { PendingKey(key: $0, band: 0, document: -1) })
        let expected = keys.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
        var scratch: [PendingKey] = []
        PendingKey.sortByKey(&keys, scratch: &scratch)
        #expect(keys == expected)
    }
}

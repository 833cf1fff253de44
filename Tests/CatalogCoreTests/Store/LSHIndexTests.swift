import Testing
@testable import CatalogCore

@Suite struct LSHIndexTests {
    @Test func mergesRecentKeysIntoTheMainTableAndFindsMembersInBoth() throws {
        let directory = TemporaryDirectory()
        let catalog = try Catalog.open(at: directory.path + "/c.db", create: true)
        let store = try IngestStore(catalog: catalog)
        let scheme = try store.schemeID(for: MinHashScheme.standard.row)
        let banding = try store.bandingID(schemeID: scheme, bands: 2, rowsPerBand: 3)
        let index = try LSHIndex(catalog: catalog, bandingID: banding)
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
}

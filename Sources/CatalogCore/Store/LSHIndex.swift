/// Reads and writes the two-level LSH index of one banding (`lsh_band` + `lsh_band_recent`).
///
/// New keys go to `lsh_band_recent`; `mergeIfLarge()` (called at commits) moves them into
/// `lsh_band` in key order once recent holds at least a quarter as many rows as merged (and at
/// least `minimumMergeRows`), so the large table's pages are each written at most once per
/// merge and merges get rarer as it grows.
public final class LSHIndex {
    private let connection: SQLiteConnection
    /// The banding this index belongs to.
    public let bandingID: Int64
    private var insertStatement: SQLiteStatement?
    private var insertCount = 0
    private let membersStatement: SQLiteStatement
    private var mergedRows: Int64
    private var recentRows: Int64
    /// Recent rows below which no merge happens (about 50 MB of index).
    public var minimumMergeRows: Int64 = 2 << 20

    /// The index of `bandingID` on `catalog`.
    public init(catalog: Catalog, bandingID: Int64) throws(StoreError) {
        connection = catalog.connection
        self.bandingID = bandingID
        membersStatement = try connection.prepare(StoreSQL.LSHIndex.members, persistent: true)
        let counts = try connection.prepare(StoreSQL.LSHIndex.counts)
        try counts.bind([.integer(bandingID)])
        if try counts.step() {
            mergedRows = counts.int64(0)
            recentRows = counts.int64(1)
        } else {
            mergedRows = 0
            recentRows = 0
        }
    }

    /// Stores a document's band keys (band i has key `keys[i]`).
    public func insert(documentID: Int64, keys: UnsafeBufferPointer<Int64>) throws(StoreError) {
        if insertStatement == nil || insertCount != keys.count {
            insertStatement = try connection.prepare(StoreSQL.LSHIndex.insertRecent(count: keys.count), persistent: true)
            insertCount = keys.count
        }
        guard let statement = insertStatement else { return }
        defer { statement.reset() }
        try statement.bind(bandingID, at: 1)
        try statement.bind(documentID, at: 2)
        for (band, key) in keys.enumerated() { try statement.bind(key, at: band + 3) }
        try statement.step()
        recentRows += Int64(keys.count)
    }

    /// Appends the documents in bucket (`band`, `key`) to `members`.
    public func members(band: Int, key: Int64, into members: inout [Int64]) throws(StoreError) {
        let statement = membersStatement
        defer { statement.reset() }
        try statement.bind(bandingID, at: 1)
        try statement.bind(band, at: 2)
        try statement.bind(key, at: 3)
        while try statement.step() { members.append(statement.int64(0)) }
    }

    /// Inside the caller's transaction: merges recent keys when they have grown large enough,
    /// and records the row counts.
    public func mergeIfLarge() throws(StoreError) {
        if recentRows >= max(minimumMergeRows, mergedRows / 4) {
            try connection.prepare(StoreSQL.LSHIndex.merge).run([.integer(bandingID)])
            try connection.prepare(StoreSQL.LSHIndex.clearRecent).run([.integer(bandingID)])
            mergedRows += recentRows
            recentRows = 0
        }
        try connection.prepare(StoreSQL.LSHIndex.saveCounts).run([
            .integer(mergedRows), .integer(recentRows), .integer(bandingID),
        ])
    }
}

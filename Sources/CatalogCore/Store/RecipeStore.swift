/// A recipe version stored in the catalog.
public struct StoredRecipe: Sendable, Equatable {
    /// The row id (`recipe.recipe_id`).
    public var recipeID: Int64
    /// The recipe's name.
    public var name: String
    /// Its version (1, 2, …).
    public var version: Int
    /// The YAML text as added.
    public var body: String
    /// sha256 of the YAML text, lowercase hex.
    public var sha256: String
    /// When it was added (ISO 8601 UTC).
    public var createdAt: String

    /// `name@version`.
    public var reference: String { "\(name)@\(version)" }
}

/// What `RecipeStore.add` did.
public enum RecipeAddOutcome: Sendable, Equatable {
    /// A new version was stored.
    case added(StoredRecipe)
    /// The text equals the latest version's: nothing was stored.
    case unchanged(StoredRecipe)
}

/// Stores and finds recipe versions (`recipe` table).
public struct RecipeStore {
    private let connection: SQLiteConnection

    /// A store over `catalog`.
    public init(catalog: Catalog) { self.connection = catalog.connection }

    /// Stores `body` as the next version of `name`, unless it equals the latest version.
    public func add(name: String, body: String) throws -> RecipeAddOutcome {
        let sha256 = SHA256Hasher.hex(SHA256Hasher.digest(Array(body.utf8)))
        return try connection.transaction {
            if let latest = try findLatest(name: name), latest.sha256 == sha256 {
                return .unchanged(latest)
            }
            let version = (try findLatest(name: name)?.version ?? 0) + 1
            let createdAt = Clock.timestamp()
            try connection.prepare(StoreSQL.Recipe.insert).run(
                [.text(name), .integer(Int64(version)), .text(body), .text(sha256), .text(createdAt)])
            return .added(StoredRecipe(
                recipeID: connection.lastInsertRowID, name: name, version: version, body: body, sha256: sha256,
                createdAt: createdAt))
        }
    }

    /// Version `version` of `name`, or its latest version when `version` is nil.
    public func find(name: String, version: Int?) throws(StoreError) -> StoredRecipe? {
        guard let version else { return try findLatest(name: name) }
        let statement = try connection.prepare(StoreSQL.Recipe.find)
        try statement.bind([.text(name), .integer(Int64(version))])
        return try Self.read(statement)
    }

    private func findLatest(name: String) throws(StoreError) -> StoredRecipe? {
        let statement = try connection.prepare(StoreSQL.Recipe.findLatest)
        try statement.bind([.text(name)])
        return try Self.read(statement)
    }

    private static func read(_ statement: SQLiteStatement) throws(StoreError) -> StoredRecipe? {
        guard try statement.step() else { return nil }
        return StoredRecipe(
            recipeID: statement.int64(0), name: statement.text(1), version: statement.int(2), body: statement.text(3),
            sha256: statement.text(4), createdAt: statement.text(5))
    }

    /// Every version of every recipe: name, version, sha256, created_at, runs.
    public func list() throws(StoreError) -> RowSet {
        let statement = try connection.prepare(StoreSQL.Recipe.list)
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        return RowSet(columns: columns, rows: try statement.allRows())
    }

    /// The names of stored recipes, sorted.
    public func names() throws(StoreError) -> [String] {
        try connection.prepare(StoreSQL.Recipe.names).allRows().map { $0.first?.description ?? "" }
    }
}

import Foundation
import Testing
@testable import CatalogCore

@Suite struct BackgroundCheckpointerTests {
    /// Commits `pages` pages of fresh rows (one 60 KB blob per 64 KiB page).
    private func commitPages(_ pages: Int, to catalog: Catalog) throws {
        try catalog.connection.transaction {
            for _ in 0..<pages {
                try catalog.connection.execute("INSERT INTO scratch (body) VALUES (randomblob(60000))")
            }
        }
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test func copiesCommittedPagesIntoTheCatalogFileOnItsOwnThread() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/c.db"
        let catalog = try Catalog.open(at: path, create: true)
        try catalog.connection.execute("CREATE TABLE scratch (body BLOB)")
        let checkpointer = try #require(try BackgroundCheckpointer(catalog: catalog))
        #expect(try catalog.connection.scalarInt("PRAGMA wal_autocheckpoint") == 0)

        let before = fileSize(path)
        try commitPages(20, to: catalog)
        // The commit itself leaves its pages in the WAL: automatic checkpoints are off.
        #expect(fileSize(path) == before)
        checkpointer.committed()
        checkpointer.waitUntilIdle()
        #expect(fileSize(path) >= before + 20 * 60_000)

        checkpointer.finish()
        #expect(try catalog.connection.scalarInt("PRAGMA wal_autocheckpoint") == 1000)
        #expect(try catalog.connection.scalarInt("SELECT count(*) FROM scratch") == 20)
    }

    @Test func keepsTheWALBoundedThroughManyCommits() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/c.db"
        let catalog = try Catalog.open(at: path, create: true)
        try catalog.connection.execute("CREATE TABLE scratch (body BLOB)")
        // Start from an empty WAL (creating the schema wrote about 70 pages).
        try catalog.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        #expect(fileSize(path + "-wal") == 0)
        let checkpointer = try #require(try BackgroundCheckpointer(catalog: catalog, restartFrames: 30))
        // As an ingest does: commit, tell the checkpointer, begin the next transaction at once
        // (before the background checkpoint is done, as a rule), write.
        var largestWAL = 0
        let connection = catalog.connection
        try connection.begin()
        for _ in 0..<25 {
            for _ in 0..<10 { try connection.execute("INSERT INTO scratch (body) VALUES (randomblob(60000))") }
            try connection.commit()
            largestWAL = max(largestWAL, fileSize(path + "-wal"))
            checkpointer.committed()
            try connection.begin()
            checkpointer.waitUntilIdle()
        }
        try connection.commit()
        checkpointer.finish()
        // 250 pages committed in all; without restarts the WAL would hold them all (16 MB).
        // With them it stays near 30 pages plus two commits (about 50 pages, 3.3 MB).
        #expect(largestWAL > 0)
        #expect(largestWAL < 60 * 65_600)
        #expect(try catalog.connection.scalarInt("SELECT count(*) FROM scratch") == 250)
        #expect(try catalog.connection.prepare("PRAGMA integrity_check").allRows() == [[.text("ok")]])
    }

    @Test func isNotNeededForAnInMemoryCatalog() throws {
        let catalog = try Catalog.inMemory()
        #expect(try BackgroundCheckpointer(catalog: catalog) == nil)
    }
}

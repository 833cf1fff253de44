import CSQLite
import Foundation

/// Copies committed WAL pages into the catalog file on a thread of its own, so that a long
/// writer (an ingest) rarely stops for a checkpoint.
///
/// With SQLite's default `wal_autocheckpoint`, the commit that takes the WAL past 1000 pages
/// (64 MiB here) copies them all and syncs the file on the writer thread: on the dev corpus a
/// 0.14 s stall of the ingest's one serial stage, often near the end of the run, where nothing
/// else is left to overlap it. While a checkpointer runs, the writer's automatic checkpoints are
/// off and every commit wakes this thread, which runs a passive checkpoint on its own
/// connection: it copies what no reader still needs and never blocks the writer. A checkpoint
/// that falls behind only leaves pages in the WAL, which stays the source of truth.
///
/// SQLite starts the WAL file over only when a write transaction begins on a fully copied WAL,
/// which never happens while the writer commits and begins again at once. So once the WAL holds
/// `restartFrames` pages, the next commit copies its own pages on the writer thread (the
/// earlier ones are already copied) and the writer's next transaction starts the file over:
/// the WAL stays under `restartFrames` pages plus about two commits' worth, however large the run.
final class BackgroundCheckpointer: @unchecked Sendable {
    /// WAL pages after which a commit checkpoints synchronously, by default SQLite's own
    /// checkpoint size (1000 pages: 64 MiB with 64 KiB pages).
    let restartFrames: Int32

    private let writer: SQLiteConnection
    /// Its own connection; released by `finish()`.
    private var connection: SQLiteConnection?
    private let condition = NSCondition()
    private var pending = false
    private var checkpointing = false
    private var stopping = false
    private var running = true
    /// Pages in the WAL at the last checkpoint.
    private var walFrames: Int32 = 0

    /// Starts a checkpointer for `catalog`'s file and turns off the automatic checkpoints of its
    /// connection; nil for an in-memory catalog, which has no WAL.
    init?(catalog: Catalog, restartFrames: Int32 = 1_000) throws(StoreError) {
        guard catalog.path != ":memory:" else { return nil }
        writer = catalog.connection
        self.restartFrames = restartFrames
        let connection = try SQLiteConnection(path: catalog.path, mode: .readWrite)
        // A connection learns that the file is in WAL mode from its first read; before that a
        // checkpoint does nothing.
        _ = try connection.scalarInt("SELECT count(*) FROM sqlite_schema")
        self.connection = connection
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        let thread = Thread { [self] in run() }
        thread.name = "catalog-checkpoint"
        thread.start()
    }

    /// Tells the checkpointer that the writer committed; call before the writer begins its next
    /// transaction. Returns at once, unless the WAL has grown to `restartFrames` pages: then
    /// it copies the commit's pages before returning, so that the next transaction starts the
    /// WAL file over.
    func committed() {
        condition.lock()
        guard walFrames >= restartFrames else {
            pending = true
            condition.signal()
            condition.unlock()
            return
        }
        while checkpointing { condition.wait() }
        pending = false
        checkpointing = true
        condition.unlock()
        checkpoint()
        condition.lock()
        // The writer's next transaction starts the WAL over, unless a reader still holds it;
        // then the next background checkpoint reports its real size.
        walFrames = 0
        checkpointing = false
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for a running checkpoint, stops the thread and gives the writer its automatic
    /// checkpoints back. Call once; what the WAL still holds is copied when the writer's
    /// connection closes, as without a checkpointer.
    func finish() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running || checkpointing { condition.wait() }
        connection = nil
        condition.unlock()
        try? writer.execute("PRAGMA wal_autocheckpoint = 1000")
    }

    /// Waits until no checkpoint is asked for or running (tests).
    func waitUntilIdle() {
        condition.lock()
        while pending || checkpointing { condition.wait() }
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while true {
            while (!pending || checkpointing) && !stopping { condition.wait() }
            if stopping { break }
            pending = false
            checkpointing = true
            condition.unlock()
            checkpoint()
            condition.lock()
            checkpointing = false
            condition.broadcast()
        }
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// One passive checkpoint; the caller holds `checkpointing`.
    private func checkpoint() {
        guard let handle = connection?.handle else { return }
        var frames: Int32 = 0
        // SQLITE_BUSY (a reader still needs some pages) just leaves them in the WAL for the
        // next checkpoint; nothing here can lose committed data.
        let rc = sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_PASSIVE, &frames, nil)
        condition.lock()
        walFrames = rc == SQLITE_OK ? frames : walFrames
        condition.unlock()
    }
}

import Foundation

/// An exclusive advisory lock that one `catalog add` holds on a catalog while it runs.
///
/// `flock(2)` on a separate `<catalog>-lock` file: never a descriptor of the database itself,
/// because closing any descriptor of a file drops all of the process's POSIX locks on it,
/// SQLite's included. The kernel releases the lock when the process dies, so after a kill an
/// ingest left `running` with no lock holder is known to be interrupted and is resumed.
public final class CatalogWriteLock {
    private let descriptor: Int32

    /// Takes the lock on the catalog at `path`, or returns nil when another process holds it.
    public static func acquire(path: String) -> CatalogWriteLock? {
        let descriptor = open(path + "-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return CatalogWriteLock(descriptor: -1) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        return CatalogWriteLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        if descriptor >= 0 {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }
}

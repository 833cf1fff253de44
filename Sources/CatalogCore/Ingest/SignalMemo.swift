import Foundation

/// The quality signals, default score and token estimate of texts already processed in this
/// `catalog add`, by content hash, so an exact duplicate (common in web crawls: boilerplate
/// pages, mirrors, re-posts) reuses its first copy's values instead of scanning the text again,
/// and, compressed with the same dictionary, is neither compressed nor MinHashed again (the
/// writer copies its first copy's frame and signature). The signals, score, token estimate and
/// whether there is a signature are pure functions of the bytes, so they are the same whichever
/// copy was processed, and the output does not depend on which worker got there first; the
/// dictionary id only says which dictionary that copy's frame used.
///
/// Shared by the worker threads (one lock; one lookup per document). Bounded: the oldest
/// entries are dropped past `capacity`, about 560 bytes each, so a duplicate far from its first
/// copy is simply scanned again.
final class SignalMemo: @unchecked Sendable {
    /// The first 16 bytes of the text's SHA-256 (the catalog's content hash).
    struct Key: Hashable {
        var high: UInt64
        var low: UInt64

        init(digest: [UInt8]) {
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 {
                high = high << 8 | UInt64(digest[index])
                low = low << 8 | UInt64(digest[8 + index])
            }
            self.high = high
            self.low = low
        }
    }

    /// What is remembered of a text.
    struct Entry {
        var signals: QualitySignals
        var defaultQuality: Double
        /// The token estimate.
        var tokens = 0
        /// Whether the text has a MinHash signature (at least one shingle).
        var hasSignature = false
        /// The dictionary its frame was compressed with (`zstd_dictionary.dict_id`).
        var dictionaryID: Int64?
    }

    private let lock = NSLock()
    /// Where each remembered key's entry is in `entries`.
    private var slots: [Key: Int32] = [:]
    /// The entries in insertion order, a ring of `capacity` slots, and the key of each.
    private var entries: [Entry] = []
    private var keys: [Key] = []
    /// The ring slot to overwrite next once full.
    private var next = 0
    /// The most entries kept.
    let capacity: Int
    /// Lookups that found an entry (for tests).
    private(set) var hits = 0

    /// A memo of at most `capacity` texts.
    init(capacity: Int = 32_768) {
        self.capacity = max(1, capacity)
        // Entries (about 560 bytes each) are stored densely, in the order they come: a table of
        // entries instead of indices would be written at random places over tens of MB, each
        // first write of a page a page fault (7,600 of them on the dev corpus).
        slots.reserveCapacity(self.capacity)
        entries.reserveCapacity(self.capacity)
        keys.reserveCapacity(self.capacity)
    }

    /// The remembered values of `key`, if any.
    func lookup(_ key: Key) -> Entry? {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = slots[key] else { return nil }
        hits += 1
        return entries[Int(slot)]
    }

    /// Remembers `entry` for `key` (unless known), dropping the oldest entry when full.
    func store(_ entry: Entry, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        guard slots[key] == nil else { return }
        if entries.count < capacity {
            slots[key] = Int32(entries.count)
            entries.append(entry)
            keys.append(key)
        } else {
            slots.removeValue(forKey: keys[next])
            slots[key] = Int32(next)
            entries[next] = entry
            keys[next] = key
            next = (next + 1) % capacity
        }
    }
}

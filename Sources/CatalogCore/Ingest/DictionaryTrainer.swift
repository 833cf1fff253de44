import Foundation

/// Trains one zstd dictionary per source from a sample of its first documents.
///
/// Deterministic: the sample is the first documents of the input in order (each cut to
/// `maxSampleDocBytes`), up to `maxSampleBytes` per source, so the same input always gives the
/// same dictionary. Sources whose sample is under `minSampleBytes` get none (their texts are
/// plain zstd frames). With `--source-field`, only the first `maxScanBytes` of input are sampled:
/// a source that first appears later gets no dictionary in this run.
struct DictionaryTrainer: Sendable {
    /// Bytes of sample per source: 1 MiB trains in tens of milliseconds and gets within ~3% of
    /// the ratio of a 2 MiB sample (measured on books, code and man pages).
    var maxSampleBytes = 1 << 20
    /// Bytes taken from one document.
    var maxSampleDocBytes = 8 << 10
    /// Below this, no dictionary is trained.
    var minSampleBytes = 64 << 10
    /// Largest dictionary.
    var maxDictionaryBytes = 64 << 10
    /// Input scanned when sources come from a field.
    var maxScanBytes = 256 << 20
    /// The level the dictionaries are digested for (the ingest's compression level).
    var compressionLevel = IngestOptions.defaultCompressionLevel

    /// Samples per source, collected from the input.
    struct Samples: Sendable {
        var bytes: [UInt8] = []
        var sizes: [Int] = []
        var isFull = false
    }

    /// Collects samples from `texts` (source name or nil for the fixed source, text bytes) for
    /// the sources in `wanted` (nil: any source); stops when `wantedAll` are full.
    mutating func collect(
        into samples: inout [String: Samples], source: String, text: UnsafeRawBufferPointer
    ) {
        // Mutated in place: copying the entry out and back would copy its bytes every time.
        if samples[source] == nil { samples[source] = Samples() }
        guard let taken = samples[source]?.bytes.count, samples[source]?.isFull == false else { return }
        let take = min(text.count, maxSampleDocBytes, maxSampleBytes - taken)
        if take > 0 {
            samples[source]?.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[0..<take]))
            samples[source]?.sizes.append(take)
        }
        if taken + take >= maxSampleBytes { samples[source]?.isFull = true }
    }

    /// Trains dictionaries for every sample large enough, in parallel; sources with too little
    /// or too uniform data get none.
    func train(_ samples: [String: Samples]) -> [String: TrainedDictionary] {
        let names = samples.keys.sorted().filter { (samples[$0]?.bytes.count ?? 0) >= minSampleBytes }
        let results = TrainingResults(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            guard let sample = samples[names[index]] else { return }
            results.set(trainOne(sample), at: index)
        }
        var trained: [String: TrainedDictionary] = [:]
        for (index, name) in names.enumerated() {
            guard let dictionary = results.value(at: index) else { continue }
            trained[name] = dictionary
        }
        return trained
    }

    /// One source's dictionary, digested for compression (about 1 ms a dictionary, off the
    /// ingest's main thread); nil when its sample is too uniform.
    func trainOne(_ sample: Samples) -> TrainedDictionary? {
        let capacity = min(maxDictionaryBytes, max(4096, sample.bytes.count / 10))
        guard let bytes = ZstdDictionary.train(
            samples: sample.bytes, sampleSizes: sample.sizes, capacity: capacity, level: compressionLevel)
        else {
            return nil
        }
        return TrainedDictionary(
            bytes: bytes, docs: sample.sizes.count, sampleBytes: sample.bytes.count,
            digested: try? ZstdDictionary(bytes: bytes, level: compressionLevel))
    }
}

/// A dictionary trained for one source.
struct TrainedDictionary: @unchecked Sendable {
    /// The raw dictionary (as stored in the catalog).
    let bytes: [UInt8]
    /// The documents of the sample it was trained on.
    let docs: Int
    /// The bytes of that sample.
    let sampleBytes: Int
    /// Digested at the trainer's level; nil when zstd refused it (digesting it again when it
    /// is stored reports the error).
    let digested: ZstdDictionary?
}

/// Trains dictionaries in the background as soon as a source's sample is complete, so that
/// training overlaps the rest of the sampling scan (with `--source-field` the scan may read
/// hundreds of MB to find every source). Several sources train at once, so that the last ones
/// (13 on the dev corpus, ≈ 8 ms each) do not queue behind the others while a core is idle.
/// The result is the same as `DictionaryTrainer.train` on the final samples: a full sample no
/// longer changes.
final class BackgroundDictionaryTraining: @unchecked Sendable {
    private let trainer: DictionaryTrainer
    private let queue = DispatchQueue(label: "catalog.dictionary-training", attributes: .concurrent)
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var done: [String: TrainedDictionary?] = [:]
    private var submitted = Set<String>()

    init(trainer: DictionaryTrainer) {
        self.trainer = trainer
    }

    /// Starts training `source` from its (full) sample in the background.
    func submit(source: String, sample: DictionaryTrainer.Samples) {
        guard submitted.insert(source).inserted else { return }
        let trainer = self.trainer
        queue.async(group: group) { [self] in
            let dictionary = trainer.trainOne(sample)
            lock.lock()
            done[source] = dictionary
            lock.unlock()
        }
    }

    /// Trains the samples not submitted yet (in parallel), waits for the background ones, and
    /// returns every dictionary as `DictionaryTrainer.train` would.
    func finish(_ samples: [String: DictionaryTrainer.Samples]) -> [String: TrainedDictionary] {
        var rest = trainer.train(samples.filter { !submitted.contains($0.key) })
        group.wait()
        lock.lock()
        let background = done
        lock.unlock()
        for (source, dictionary) in background {
            guard let dictionary, let sample = samples[source], sample.bytes.count >= trainer.minSampleBytes else { continue }
            rest[source] = dictionary
        }
        return rest
    }
}

/// Dictionaries trained on several threads.
private final class TrainingResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [TrainedDictionary?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ value: TrainedDictionary?, at index: Int) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func value(at index: Int) -> TrainedDictionary? {
        lock.lock()
        defer { lock.unlock() }
        return values[index]
    }
}

import Foundation

/// `catalog add`: ingests JSONL and plain-text inputs into a catalog.
///
/// Per JSONL file: fingerprint (sha256) → skip if already complete, resume if interrupted →
/// make sure its sources have zstd dictionaries → run the reader/worker/writer pipeline with
/// periodic commits → mark complete, or roll the file back and mark it failed. Plain-text
/// files (one document each) go through the same pipeline, each file written atomically.
public final class Ingester {
    private let catalog: Catalog
    private let options: IngestOptions
    private weak var observer: IngestObserver?
    private let scheme = MinHashScheme.standard
    /// Signals of texts already scanned in this run, shared by the workers of every file.
    private let signalMemo = SignalMemo()
    private var totalInputBytes = 0
    private var inputBytesDone = 0
    private var docsDone = 0
    private var bytesDone = 0
    private var started = 0.0
    /// The sizes of the files the catalog records as ingested or interrupted, and of this run's
    /// (loaded at the first JSONL file).
    private var recordedSizes: Set<Int>?

    /// An ingester writing to `catalog`, telling `observer` what happens.
    public init(catalog: Catalog, options: IngestOptions, observer: IngestObserver?) {
        self.catalog = catalog
        self.options = options
        self.observer = observer
    }

    /// Ingests every input; per-file failures are in the report, run-stopping problems are thrown.
    public func run() throws(IngestError) -> IngestReport {
        started = Clock.monotonicSeconds()
        try validateOptions()
        let lock = catalog.path == ":memory:" ? nil : CatalogWriteLock.acquire(path: catalog.path)
        if catalog.path != ":memory:" && lock == nil { throw .catalogBusy(path: catalog.path) }
        defer { withExtendedLifetime(lock) {} }
        // The writer gives every child row (text, signature, signals, metadata) the id SQLite
        // just assigned to its document, and source, file, dictionary and scheme ids it read or
        // created in the same transaction: checking each row's parents (8 lookups a document)
        // can find nothing and costs 0.7% of the ingest. The tests check every ingest they run
        // with `PRAGMA foreign_key_check`, failed and interrupted ones included.
        do { try catalog.setForeignKeyChecks(enabled: false) } catch { throw .store(error) }
        defer { try? catalog.setForeignKeyChecks(enabled: true) }

        let discovered: InputDiscoveryResult
        do {
            discovered = try InputDiscovery(include: options.include, exclude: options.exclude).discover(options.paths)
        } catch {
            throw .input(error)
        }
        let inputs = discovered.files
        if case .field = options.source, let text = inputs.first(where: { $0.format == .plainText }) {
            throw .invalidOptions(
                "\(text.path): plain-text files have no fields; --source-field needs JSONL input (use --source NAME)")
        }
        totalInputBytes = inputs.reduce(0) { $0 + Int($1.byteCount) }

        var report = IngestReport()
        for skipped in discovered.skipped {
            observer?.note("\(skipped.path): skipped: \(skipped.reason)")
            report.files.append(FileOutcome(path: skipped.path, status: .skipped(skipped.reason)))
        }
        do {
            let store = try IngestStore(catalog: catalog)
            let schemeID = try store.schemeID(for: scheme.row)
            let bandingID = try store.bandingID(schemeID: schemeID, bands: scheme.bands, rowsPerBand: scheme.rowsPerBand)
            try QualityStore(catalog: catalog).recordVersion(
                QualitySignals.version, description: QualitySignals.versionDescription)
            var fixedSourceID: Int64?
            if case let .named(name) = options.source {
                var defaultDomain: String?
                if case let .named(domain) = options.domain { defaultDomain = domain }
                fixedSourceID = try store.sourceID(named: name, defaultDomain: defaultDomain)
            }
            try notePendingIngests(inputs: inputs, store: store)
            let checkpointer = try BackgroundCheckpointer(catalog: catalog)
            defer { checkpointer?.finish() }
            let writer = try DocumentWriter(
                store: store, options: options, schemeID: schemeID, bandingID: bandingID, scheme: scheme,
                fixedSourceID: fixedSourceID, checkpointer: checkpointer, observer: observer)
            defer { writer.restorePageCache() }
            var index = 0
            while index < inputs.count {
                if inputs[index].format == .plainText {
                    var end = index
                    while end < inputs.count && inputs[end].format == .plainText { end += 1 }
                    report.files += try ingestTextFiles(Array(inputs[index..<end]), store: store, writer: writer)
                    recordedSizes = nil  // the text files' rows count too
                    index = end
                } else {
                    report.files.append(
                        try ingestJSONL(inputs[index], store: store, writer: writer, sourceID: fixedSourceID))
                    index += 1
                }
            }
            report.exactCopiesCopied = writer.copiedExactCopies
            report.exactCopiesRecomputed = writer.recomputedExactCopies
        } catch {
            // A library caller may reuse the catalog: leave no transaction open.
            catalog.connection.rollbackIfOpen()
            switch error {
            case let error as IngestError: throw error
            case let error as InputError: throw .input(error)
            case let error as StoreError: throw .store(error)
            default: throw .compression("\(error)")
            }
        }
        report.seconds = Clock.monotonicSeconds() - started
        return report
    }

    private func validateOptions() throws(IngestError) {
        if case let .named(name) = options.source, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .invalidOptions("--source needs a non-empty name")
        }
        guard options.workers >= 1 && options.workers <= 256 else {
            throw .invalidOptions("--threads must be between 1 and 256")
        }
        guard options.maxLineBytes >= 1024 else { throw .invalidOptions("--max-line-bytes must be at least 1024") }
        if let maxErrors = options.maxErrors, maxErrors < 0 {
            throw .invalidOptions("--max-errors must be 0 or more")
        }
        guard (1...19).contains(options.compressionLevel) else {
            throw .invalidOptions("--compression-level must be between 1 and 19")
        }
    }

    // MARK: JSONL

    private func ingestJSONL(
        _ input: InputFile, store: IngestStore, writer: DocumentWriter, sourceID: Int64?
    ) throws -> FileOutcome {
        // Hash the file while its start is read for dictionary samples: both only read it.
        let path = input.path
        let hashing = BackgroundTask { try FileFingerprint.compute(path: path) }
        let known = try knownDictionaries(store: store)
        let trained = try collectSamples(from: input, known: known)
        // Only a file of the size of one the catalog records can be that file again (already
        // ingested, or interrupted): then its hash decides, before anything is written. Any other
        // file starts at once instead of waiting for its hash (≈ 0.03 s of idle workers on the
        // dev corpus); the hash, computed meanwhile, is stored in the file's first transaction.
        var sizes = try recordedSizes ?? store.recordedFileSizes()
        let fingerprint = sizes.contains(Int(input.byteCount)) ? try hashing.value() : nil
        sizes.insert(Int(input.byteCount))
        recordedSizes = sizes
        var outcome = FileOutcome(path: input.path, status: .added)
        var progress = IngestFileProgress()
        let fileID: Int64
        let options = self.options
        if let fingerprint, let existing = try store.ingestFile(withSHA256: fingerprint.sha256) {
            if existing.status == "complete" {
                observer?.note("\(input.path): already ingested (as \(existing.path), \(existing.docsAdded) documents); nothing to do")
                inputBytesDone += Int(input.byteCount)
                outcome.status = .alreadyIngested(previousPath: existing.path)
                return outcome
            }
            fileID = existing.id
            if existing.options == options.mappingJSON {
                progress = IngestFileProgress()
                progress.linesRead = existing.linesRead
                progress.docsAdded = existing.docsAdded
                progress.linesRejected = existing.linesRejected
                progress.linesRepaired = existing.linesRepaired
                observer?.note("\(input.path): resuming an interrupted ingest after line \(existing.linesRead)")
                outcome.status = .resumed(afterLine: existing.linesRead)
                try store.resumeIngestFile(fileID, path: input.path)
            } else {
                observer?.note("\(input.path): an interrupted ingest used other options; starting this file over")
                try store.restartIngestFile(
                    fileID, path: input.path, options: options.mappingJSON, sourceID: sourceID, format: input.formatName)
            }
        } else {
            try rollBackEarlierVersions(of: input.path, store: store)
            fileID = try store.beginIngestFile(
                path: input.path, bytes: fingerprint?.bytes ?? Int(input.byteCount), sha256: fingerprint?.sha256 ?? "",
                format: input.formatName, sourceID: sourceID, options: options.mappingJSON)
        }
        // A hash not waited for goes in with the first batch written (or at the end of a file
        // that has none), inside the writer's transaction: no commit comes before it.
        var hashPending = fingerprint == nil
        var hashFailure: Error?
        func storePendingHash() throws {
            guard hashPending else { return }
            hashPending = false
            let computed = try hashing.value()
            try store.setIngestFileFingerprint(fileID, bytes: computed.bytes, sha256: computed.sha256)
        }
        let dictionaries = try storeDictionaries(trained, known: known, store: store)
        let resumeAfter = progress.linesRead
        try writer.startFile(
            id: fileID, path: input.path, progress: progress, recordedProblems: try store.problemCount(ingestFileID: fileID))

        let pipeline = IngestPipeline<ReadLines>(workers: options.workers)
        let scheme = self.scheme
        let signalMemo = self.signalMemo
        let maxLineBytes = options.maxLineBytes
        let inputBase = inputBytesDone
        // Batches of 4 MiB, but 1 MiB ones first, so that every worker has work within a few
        // milliseconds, and last, so that the workers finish at about the same time (one 4 MiB
        // batch is ≈ 80 ms of a worker on the dev corpus, during which the other would wait).
        let workers = options.workers
        let endBytes = Int64(input.byteCount) - Int64(workers * (4 << 20))
        let readerError = try pipeline.run(
            produce: { emit in
                let batcher = LineBatcher(
                    source: try openByteSource(path: path), byteBudget: 1 << 20, maxLinesPerBatch: 2_048,
                    maxLineBytes: maxLineBytes)
                var batch = LineBatch()
                var batches = 0
                while try batcher.next(into: &batch) {
                    batches += 1
                    batcher.byteBudget = batches < workers || batcher.bytesConsumed >= endBytes ? 1 << 20 : 4 << 20
                    let lastLine = max(batch.lines.last?.lineNumber ?? 0, batch.oversizedLines.last?.lineNumber ?? 0)
                    if lastLine <= resumeAfter { continue }
                    let read = ReadLines(batch: batch, lastLine: lastLine, rawBytesConsumed: Int(batcher.bytesConsumed))
                    if !emit(read, batch.byteCount + 4096) { return }
                    batch = LineBatch()
                }
            },
            makeProcessor: {
                DocumentProcessor(options: options, scheme: scheme, dictionaries: dictionaries, signalMemo: signalMemo)
            },
            process: { processor, read, index in
                let batch = ProcessedBatch(index: index)
                batch.reserve(
                    lines: read.batch.lines.count, inputBytes: read.batch.byteCount,
                    permutations: scheme.permutations, bands: scheme.bands)
                read.batch.withUnsafeBytes { buffer in
                    for span in read.batch.lines where span.lineNumber > resumeAfter {
                        processor.processLine(
                            UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end]), number: span.lineNumber,
                            into: batch)
                    }
                }
                for oversized in read.batch.oversizedLines where oversized.lineNumber > resumeAfter {
                    batch.problems.append(LineProblem(line: oversized.lineNumber, severity: .rejected, reason: oversized.reason))
                }
                batch.problems.sort { $0.line < $1.line }
                batch.lastLine = read.lastLine
                batch.inputBytes = read.batch.byteCount
                batch.rawBytesConsumed = read.rawBytesConsumed
                return batch
            },
            write: { batch in
                do {
                    try storePendingHash()
                } catch {
                    hashFailure = error
                    return false
                }
                let keepGoing = try writer.write(batch)
                self.reportProgress(batch, inputBase: inputBase)
                return keepGoing
            })
        inputBytesDone = inputBase + Int(input.byteCount)
        let counts = writer.runCounts
        outcome.docsAdded = counts.docs
        outcome.linesRejected = counts.rejected
        outcome.linesRepaired = counts.repaired
        outcome.bytesRead = writer.bytesRead
        if writer.suppressedProblems > 0 { observer?.problemsSuppressed(count: writer.suppressedProblems, in: input.path) }

        do {
            try storePendingHash()
        } catch {
            hashFailure = error
        }
        let failure: IngestError? = writer.failure ?? (hashFailure ?? readerError).map { Self.fileError($0, path: input.path) }
        if let failure {
            writer.abandon()
            var counts = writer.progress
            counts.docsAdded = 0
            try catalog.connection.transaction {
                // The rollback took a hash stored with the first batch with it.
                if fingerprint == nil, let computed = try? hashing.value() {
                    try store.setIngestFileFingerprint(fileID, bytes: computed.bytes, sha256: computed.sha256)
                }
                try store.deleteDocuments(ofIngestFile: fileID)
                for problem in writer.uncommittedProblems {
                    try store.recordProblem(
                        ingestFileID: fileID, line: problem.line, severity: problem.severity.rawValue, reason: problem.reason)
                }
                try store.saveProgress(counts, of: fileID)
                try store.finishIngestFile(fileID, status: "failed", error: failure.description)
            }
            observer?.note("error: \(failure.description)")
            outcome.status = .failed(failure.description)
            outcome.docsAdded = 0
            return outcome
        }
        try writer.finishFile()
        return outcome
    }

    /// Rolls back interrupted ingests of an earlier version of the file at `path` (same path,
    /// other content): their committed rows would otherwise hold the file's ids forever.
    private func rollBackEarlierVersions(of path: String, store: IngestStore) throws {
        for running in try store.runningIngestFiles() where running.path == path {
            // One interrupted before its first commit has nothing to roll back (and may not have
            // its hash yet: see `ingestJSONL`).
            let committedNothing = running.docs == 0
            try catalog.connection.transaction {
                try store.deleteDocuments(ofIngestFile: running.id)
                try store.finishIngestFile(
                    running.id, status: "failed",
                    error: committedNothing
                        ? "interrupted before its first commit" : "superseded: the file changed after this ingest was interrupted")
            }
            if committedNothing { continue }
            observer?.note(
                "\(path): the file changed since an interrupted ingest of it (\(running.docs) documents); "
                    + "that ingest was rolled back")
        }
    }

    /// Tells about interrupted ingests this run does not touch.
    private func notePendingIngests(inputs: [InputFile], store: IngestStore) throws {
        let paths = Set(inputs.map(\.path))
        for running in try store.runningIngestFiles() where !paths.contains(running.path) {
            observer?.note(
                "note: \(running.path) was interrupted after \(running.docs) documents; its documents stay hidden "
                    + "until it is added again")
        }
    }

    private func reportProgress(_ batch: ProcessedBatch, inputBase: Int) {
        docsDone += batch.documents.count
        bytesDone += batch.inputBytes
        observer?.progress(
            docs: docsDone, bytes: bytesDone, inputBytesDone: inputBase + batch.rawBytesConsumed,
            totalInputBytes: totalInputBytes, seconds: Clock.monotonicSeconds() - started)
    }

    private static func fileError(_ error: Error, path: String) -> IngestError {
        if let error = error as? IngestError { return error }
        if let error = error as? InputError { return .input(error) }
        return .input(.readFailed(path: path, reason: "\(error)"))
    }

    // MARK: Dictionaries

    /// The dictionaries already in the catalog, by source name.
    private func knownDictionaries(store: IngestStore) throws -> [String: SourceDictionary] {
        var known: [String: SourceDictionary] = [:]
        for entry in try store.allDictionaries() {
            known[entry.source] = SourceDictionary(
                id: entry.id, dictionary: try ZstdDictionary(bytes: entry.bytes, level: options.compressionLevel))
        }
        return known
    }

    /// Samples the start of `input` for the sources that have no dictionary yet and trains
    /// their dictionaries (a source's as soon as its sample is complete).
    private func collectSamples(
        from input: InputFile, known: [String: SourceDictionary]
    ) throws -> [String: TrainedDictionary] {
        var trainer = DictionaryTrainer()
        trainer.compressionLevel = options.compressionLevel
        let training = BackgroundDictionaryTraining(trainer: trainer)
        var samples: [String: DictionaryTrainer.Samples] = [:]
        switch options.source {
        case let .named(name):
            if known[name] == nil {
                try sampleJSONL(input, trainer: &trainer, samples: &samples, training: training, fixedSource: name)
            }
        case .field:
            try sampleJSONL(input, trainer: &trainer, samples: &samples, training: training, fixedSource: nil, skipping: Set(known.keys))
        }
        return training.finish(samples)
    }

    /// Stores the `trained` dictionaries; returns what the workers compress with.
    private func storeDictionaries(
        _ trained: [String: TrainedDictionary], known: [String: SourceDictionary],
        store: IngestStore
    ) throws -> SourceDictionaries {
        var known = known
        var defaultDomain: String?
        if case let .named(domain) = options.domain { defaultDomain = domain }
        try catalog.connection.transaction {
            for (name, dictionary) in trained.sorted(by: { $0.key < $1.key }) {
                let sourceID = try store.sourceID(named: name, defaultDomain: defaultDomain)
                let digested = try dictionary.digested ?? ZstdDictionary(bytes: dictionary.bytes, level: options.compressionLevel)
                let id = try store.storeDictionary(
                    sourceID: sourceID, frameDictionaryID: digested.frameDictionaryID, bytes: dictionary.bytes,
                    sampleDocs: dictionary.docs, sampleBytes: dictionary.sampleBytes)
                known[name] = SourceDictionary(id: id, dictionary: digested)
            }
        }
        var result = SourceDictionaries()
        if case let .named(name) = options.source {
            result.fixed = known[name]
        } else {
            result.byName = known
        }
        return result
    }

    /// Reads the start of a JSONL file for dictionary samples (bad lines are simply skipped here).
    private func sampleJSONL(
        _ input: InputFile, trainer: inout DictionaryTrainer, samples: inout [String: DictionaryTrainer.Samples],
        training: BackgroundDictionaryTraining, fixedSource: String?, skipping: Set<String> = []
    ) throws {
        let batcher = LineBatcher(source: try openByteSource(path: input.path), maxLineBytes: options.maxLineBytes)
        let scanner = JSONLineScanner(mapping: options.fieldMapping)
        var record = ScannedRecord()
        var scanned = 0
        var batch = LineBatch()
        let sourceKey = options.fieldMapping.sourceField.map { Array($0.utf8) }
        // A read error here is reported by the ingest itself; sampling just stops.
        while (try? batcher.next(into: &batch)) == true {
            batch.withUnsafeBytes { buffer in
                for span in batch.lines {
                    let line = UnsafeRawBufferPointer(rebasing: buffer[span.start..<span.end])
                    // Most lines belong to sources whose sample is complete: a peek at the
                    // source field, from the end of the line, skips them without decoding or
                    // even skipping over their text. (A malformed line the peek misreads would
                    // fail the scan below anyway.)
                    if fixedSource == nil, let sourceKey, let peeked = scanner.peekStringFromEnd(sourceKey, in: line),
                       skipping.contains(peeked) || samples[peeked]?.isFull == true {
                        continue
                    }
                    guard (try? scanner.scan(line, allowingByteOrderMark: span.lineNumber == 1, into: &record)) != nil
                    else { continue }
                    guard let source = fixedSource ?? record.source, !skipping.contains(source),
                          samples[source]?.isFull != true
                    else { continue }
                    record.text.withUnsafeBytes { trainer.collect(into: &samples, source: source, text: $0) }
                    if let sample = samples[source], sample.isFull { training.submit(source: source, sample: sample) }
                }
            }
            scanned += batch.byteCount
            if let fixedSource, samples[fixedSource]?.isFull == true { break }
            if scanned >= trainer.maxScanBytes { break }
        }
    }

    // MARK: Plain text

    private func ingestTextFiles(_ inputs: [InputFile], store: IngestStore, writer: DocumentWriter) throws -> [FileOutcome] {
        guard case let .named(sourceName) = options.source else { return [] }
        var dictionaries = SourceDictionaries()
        if let sourceID = try store.existingSourceID(named: sourceName), let existing = try store.dictionary(ofSource: sourceID) {
            dictionaries.fixed = SourceDictionary(
                id: existing.id, dictionary: try ZstdDictionary(bytes: existing.bytes, level: options.compressionLevel))
        } else {
            var trainer = DictionaryTrainer()
            trainer.compressionLevel = options.compressionLevel
            var samples: [String: DictionaryTrainer.Samples] = [:]
            for input in inputs {
                guard case let .text(bytes)? = try? PlainTextReader.read(path: input.path, maxBytes: options.maxLineBytes) else {
                    continue
                }
                bytes.withUnsafeBytes { trainer.collect(into: &samples, source: sourceName, text: $0) }
                if samples[sourceName]?.isFull == true { break }
            }
            if let trained = trainer.train(samples)[sourceName] {
                let sourceID = try store.sourceID(named: sourceName, defaultDomain: nil)
                let digested = try trained.digested ?? ZstdDictionary(bytes: trained.bytes, level: options.compressionLevel)
                let id = try store.storeDictionary(
                    sourceID: sourceID, frameDictionaryID: digested.frameDictionaryID, bytes: trained.bytes,
                    sampleDocs: trained.docs, sampleBytes: trained.sampleBytes)
                dictionaries.fixed = SourceDictionary(id: id, dictionary: digested)
            }
        }
        try writer.startTextFiles()
        let options = self.options
        let scheme = self.scheme
        let signalMemo = self.signalMemo
        let fixedDictionaries = dictionaries
        let pipeline = IngestPipeline<[TextFileInput]>(workers: options.workers)
        let inputBase = inputBytesDone
        let readerError = try pipeline.run(
            produce: { emit in
                var batch: [TextFileInput] = []
                var batchBytes = 0
                var consumed = 0
                for input in inputs {
                    consumed += Int(input.byteCount)
                    let read: PlainTextContent
                    do {
                        read = try PlainTextReader.read(path: input.path, maxBytes: options.maxLineBytes)
                    } catch {
                        read = .skipped(reason: "\(error)")
                    }
                    batch.append(TextFileInput(input: input, content: read, consumedThrough: consumed))
                    if case let .text(bytes) = read { batchBytes += bytes.count }
                    if batchBytes >= 4 << 20 || batch.count >= 512 {
                        if !emit(batch, batchBytes + 4096) { return }
                        batch = []
                        batchBytes = 0
                    }
                }
                if !batch.isEmpty { _ = emit(batch, batchBytes + 4096) }
            },
            makeProcessor: {
                DocumentProcessor(
                    options: options, scheme: scheme, dictionaries: fixedDictionaries, signalMemo: signalMemo)
            },
            process: { processor, files, index in
                let batch = ProcessedBatch(index: index)
                for file in files {
                    batch.rawBytesConsumed = file.consumedThrough
                    switch file.content {
                    case let .skipped(reason):
                        batch.skippedTextFiles.append((file.input.path, reason))
                    case let .text(bytes):
                        batch.inputBytes += bytes.count
                        bytes.withUnsafeBytes { text in
                            let identity = TextFileIdentity(
                                path: file.input.path, bytes: bytes.count,
                                sha256: SHA256Hasher.hex(SHA256Hasher.digest(text)))
                            processor.processTextFile(text, key: file.input.textKey, identity: identity, into: batch)
                        }
                    }
                }
                return batch
            },
            write: { batch in
                let keepGoing = try writer.write(batch)
                self.reportProgress(batch, inputBase: inputBase)
                return keepGoing
            })
        if let readerError { throw readerError }
        try writer.finishTextFiles()
        inputBytesDone = inputBase + inputs.reduce(0) { $0 + Int($1.byteCount) }
        return writer.textOutcomes
    }
}

/// A plain-text file handed from the reader to a worker.
struct TextFileInput: Sendable {
    let input: InputFile
    let content: PlainTextContent
    let consumedThrough: Int
}

/// A batch of lines handed from the reader to a worker.
struct ReadLines: Sendable {
    let batch: LineBatch
    /// The last line number the batch covers (including oversized lines).
    let lastLine: Int
    /// Raw (compressed) input bytes consumed when the batch was cut, for progress.
    let rawBytesConsumed: Int
}

extension InputFile {
    /// The key of a plain-text file: its path below the directory it was found in, prefixed by
    /// that directory's name (`docs/guide/intro.md` for `catalog add docs/`), or its file name.
    var textKey: String {
        let directory = path.hasSuffix(relativePath) ? String(path.dropLast(relativePath.count)) : ""
        let parent = directory.split(separator: "/").last.map(String.init) ?? ""
        return parent.isEmpty || parent == "." ? relativePath : parent + "/" + relativePath
    }

    /// The format recorded in `ingest_file.format`.
    var formatName: String {
        switch (format, compression) {
        case (.plainText, _): return "text"
        case (.jsonl, .none): return "jsonl"
        case (.jsonl, .gzip): return "jsonl.gz"
        case (.jsonl, .zstd): return "jsonl.zst"
        }
    }
}

extension MinHashScheme {
    /// The scheme as stored in `minhash_scheme`.
    var row: MinHashSchemeRow {
        MinHashSchemeRow(
            shingleSize: shingleSize, permutations: permutations, seed: seed, normalisation: normalisation,
            hashFamily: hashFamily)
    }
}

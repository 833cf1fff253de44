/// The single writer of an ingest: turns processed batches into rows, in input order.
///
/// Commits every `commitEveryDocs` documents together with the file's counters, so an
/// interrupted run resumes after the last committed line with no duplicate rows.
final class DocumentWriter {
    private let store: IngestStore
    private let qualityStore: QualityStore
    private let options: IngestOptions
    private let schemeID: Int64
    private let lshIndex: LSHIndex
    private let permutations: Int
    private let bands: Int
    private weak var observer: IngestObserver?
    private var sourceIDs: [String: Int64] = [:]
    private var defaultDomains: [Int64: String?] = [:]
    private let fixedSourceID: Int64?
    /// Copies committed pages into the catalog file while the writer goes on (nil: SQLite's own
    /// checkpoints at commit).
    private let checkpointer: BackgroundCheckpointer?
    private let scheme: MinHashScheme
    /// Documents above this id were written by this run (same compression level, same
    /// dictionaries): the only ones an exact copy's frame is copied from.
    private let runStartDocumentID: Int64
    /// For exact copies, made on first use: the compressor when their first copy is not found,
    /// the hasher for their band keys (and their signature when it is not found).
    private lazy var fallbackCompressor = ZstdFrameCompressor(level: options.compressionLevel)
    private lazy var exactCopyHasher = MinHasher(scheme: scheme)
    /// Exact copies stored from their first copy's rows (`IngestReport.exactCopiesCopied`).
    private(set) var copiedExactCopies = 0
    /// Exact copies compressed and hashed here because there was no first copy to copy.
    private(set) var recomputedExactCopies = 0
    /// Documents written by this run, all files.
    private var documentsWritten = 0
    /// The page cache size set last (MiB).
    private var cacheMebibytes = 0

    // State of the current JSONL file.
    private var fileID: Int64 = 0
    private var path = ""
    private(set) var progress = IngestFileProgress()
    private var printedProblems = 0
    private var recordedProblems = 0
    private var docsSinceCommit = 0
    private(set) var bytesRead = 0
    private var runDocs = 0
    private var runRejected = 0
    private var runRepaired = 0
    /// Why the current file must fail, once known.
    private(set) var failure: IngestError?
    /// Problems recorded since the last commit: a rollback loses them, so a failed file
    /// records them again.
    private(set) var uncommittedProblems: [LineProblem] = []
    /// Outcomes of plain-text files written so far.
    private(set) var textOutcomes: [FileOutcome] = []

    init(
        store: IngestStore, options: IngestOptions, schemeID: Int64, bandingID: Int64, scheme: MinHashScheme,
        fixedSourceID: Int64?, checkpointer: BackgroundCheckpointer?, observer: IngestObserver?
    ) throws(StoreError) {
        self.store = store
        self.qualityStore = try QualityStore(catalog: store.catalog)
        self.options = options
        self.schemeID = schemeID
        self.lshIndex = try LSHIndex(catalog: store.catalog, bandingID: bandingID)
        self.permutations = scheme.permutations
        self.bands = scheme.bands
        self.scheme = scheme
        self.runStartDocumentID = try store.lastDocumentID()
        self.fixedSourceID = fixedSourceID
        self.checkpointer = checkpointer
        self.observer = observer
        try sizePageCache()
    }

    /// Documents, rejected and repaired lines written in this run for the current file.
    var runCounts: (docs: Int, rejected: Int, repaired: Int) { (runDocs, runRejected, runRepaired) }

    /// Starts writing the rows of ingest file `id` (fresh or resumed with `progress`).
    func startFile(id: Int64, path: String, progress: IngestFileProgress, recordedProblems: Int) throws(StoreError) {
        fileID = id
        self.path = path
        self.progress = progress
        self.recordedProblems = recordedProblems
        printedProblems = 0
        docsSinceCommit = 0
        bytesRead = 0
        runDocs = 0
        runRejected = 0
        runRepaired = 0
        failure = nil
        uncommittedProblems = []
        try store.catalog.connection.begin()
    }

    /// Starts a run of plain-text files (each its own ingest file, written atomically; a
    /// problem fails that file only).
    func startTextFiles() throws(StoreError) {
        textOutcomes = []
        failure = nil
        fileID = 0
        path = ""
        progress = IngestFileProgress()
        printedProblems = 0
        recordedProblems = 0
        docsSinceCommit = 0
        try store.catalog.connection.begin()
    }

    /// Writes one batch; false when the file must stop (see `failure`).
    func write(_ batch: ProcessedBatch) throws -> Bool {
        for problem in batch.problems {
            try report(problem)
            if failure != nil { return false }
        }
        var signatureOrdinal = 0
        for (ordinal, document) in batch.documents.enumerated() {
            let signatureIndex = document.hasSignature ? signatureOrdinal : nil
            if document.hasSignature { signatureOrdinal += 1 }
            try write(document, ordinal: ordinal, signatureIndex: signatureIndex, of: batch)
            if failure != nil { return false }
        }
        for skipped in batch.skippedTextFiles {
            observer?.note("\(skipped.path): skipped: \(skipped.reason)")
            textOutcomes.append(FileOutcome(path: skipped.path, status: .skipped(skipped.reason)))
        }
        if batch.lastLine > progress.linesRead { progress.linesRead = batch.lastLine }
        bytesRead += batch.inputBytes
        if docsSinceCommit >= options.commitEveryDocs { try commit() }
        return true
    }

    /// Commits what was written, with the file's counters.
    func commit() throws(StoreError) {
        if fileID != 0 { try store.saveProgress(progress, of: fileID) }
        try lshIndex.mergeIfLarge()
        try store.catalog.connection.commit()
        checkpointer?.committed()
        try sizePageCache()
        docsSinceCommit = 0
        uncommittedProblems = []
        try store.catalog.connection.begin()
    }

    /// Commits the end of the current file as complete.
    func finishFile() throws(StoreError) {
        try store.saveProgress(progress, of: fileID)
        try lshIndex.mergeIfLarge()
        try store.finishIngestFile(fileID, status: "complete", error: nil)
        try store.catalog.connection.commit()
        checkpointer?.committed()
        fileID = 0
    }

    /// Commits the end of a run of plain-text files.
    func finishTextFiles() throws(StoreError) {
        try lshIndex.mergeIfLarge()
        try store.catalog.connection.commit()
        checkpointer?.committed()
    }

    /// Sizes the page cache for what the writer reads back: the pages of the indexes it inserts
    /// into at random places (document keys, content hashes, recent LSH band keys: about 500
    /// bytes a document) and their lookups. Texts, signatures and signals are appended and never
    /// read again, so a cache that grows with the catalog up to the usual 64 MiB keeps the
    /// same pages as a full one while a catalog is small, without first touching (and faulting
    /// in) 64 MiB of fresh memory. Set between transactions.
    private func sizePageCache() throws(StoreError) {
        let mebibytes = Self.pageCacheMebibytes(documents: Int(runStartDocumentID) + documentsWritten)
        guard mebibytes != cacheMebibytes else { return }
        try store.catalog.setCacheSize(mebibytes: mebibytes)
        cacheMebibytes = mebibytes
    }

    /// The page cache for a catalog of `documents`: 16 MiB and 512 bytes a document, at most
    /// the default 64 MiB (from about 100,000 documents on).
    static func pageCacheMebibytes(documents: Int) -> Int {
        min(Catalog.defaultCacheMebibytes, 16 + max(0, documents) / 2_048)
    }

    /// Gives the connection its usual page cache back (after the ingest).
    func restorePageCache() {
        try? store.catalog.setCacheSize(mebibytes: Catalog.defaultCacheMebibytes)
    }

    /// Rolls back the open transaction (the caller then deletes what was committed).
    func abandon() {
        store.catalog.connection.rollbackIfOpen()
        lshIndex.rolledBack()
        fileID = 0
        // Sources created in the rolled-back transaction are gone; their ids may be reused.
        sourceIDs = [:]
        defaultDomains = [:]
    }

    private func report(_ problem: LineProblem, in problemPath: String? = nil) throws(StoreError) {
        switch problem.severity {
        case .rejected:
            progress.linesRejected += 1
            runRejected += 1
        case .repaired:
            progress.linesRepaired += 1
            runRepaired += 1
        }
        if printedProblems < IngestLimits.printedProblemsPerFile {
            observer?.problem(problem, in: problemPath ?? path)
        }
        printedProblems += 1
        if recordedProblems < IngestLimits.recordedProblemsPerFile && fileID != 0 {
            try store.recordProblem(
                ingestFileID: fileID, line: problem.line, severity: problem.severity.rawValue, reason: problem.reason)
            recordedProblems += 1
            uncommittedProblems.append(problem)
        }
        guard fileID != 0 else { return }  // a plain-text file fails on its own
        if options.strict {
            failure = .strictFailure(path: path, line: problem.line, reason: problem.reason)
        } else if let limit = options.maxErrors, progress.linesRejected > limit {
            failure = .tooManyErrors(path: path, rejected: progress.linesRejected, limit: limit)
        }
    }

    /// Problems beyond those printed for the current file.
    var suppressedProblems: Int { max(0, printedProblems - IngestLimits.printedProblemsPerFile) }

    private func sourceID(for document: ProcessedDocument) throws(StoreError) -> Int64 {
        if let fixedSourceID { return fixedSourceID }
        let name = document.sourceName ?? ""
        if let id = sourceIDs[name] { return id }
        var defaultDomain: String?
        if case let .named(domain) = options.domain { defaultDomain = domain }
        let id = try store.sourceID(named: name, defaultDomain: defaultDomain)
        sourceIDs[name] = id
        return id
    }

    private func defaultDomain(of sourceID: Int64) throws(StoreError) -> String? {
        if let known = defaultDomains[sourceID] { return known }
        let domain = try store.defaultDomain(ofSource: sourceID)
        defaultDomains[sourceID] = domain
        return domain
    }

    private func write(
        _ document: ProcessedDocument, ordinal: Int, signatureIndex: Int?, of batch: ProcessedBatch
    ) throws {
        var ingestFileID = fileID
        if let textFile = document.textFile {
            if let existing = try store.ingestFile(withSHA256: textFile.sha256), existing.status == "complete" {
                observer?.note("\(textFile.path): already ingested (as \(existing.path)); nothing to do")
                textOutcomes.append(FileOutcome(path: textFile.path, status: .alreadyIngested(previousPath: existing.path)))
                return
            }
            ingestFileID = try store.beginIngestFile(
                path: textFile.path, bytes: textFile.bytes, sha256: textFile.sha256, format: "text",
                sourceID: fixedSourceID, options: options.mappingJSON)
        }
        let sourceID = try sourceID(for: document)
        let domain = try document.domain ?? defaultDomain(of: sourceID)
        let inserted = try batch.contentHashes.withUnsafeBytes { hashes -> Bool in
            let hash = UnsafeRawBufferPointer(rebasing: hashes[(ordinal * 16)..<(ordinal * 16 + 16)])
            let duplicateOf = try store.firstDocument(withContentHash: hash, currentFileID: ingestFileID)
            var row = DocumentRow(
                sourceID: sourceID, ingestFileID: ingestFileID, lineNumber: document.line, key: document.key ?? "",
                domain: domain, lang: document.lang, bytes: document.bytes, tokens: document.tokens,
                quality: document.quality ?? document.defaultQuality)
            var documentID: Int64?
            if document.key != nil {
                documentID = try store.insertDocument(row, contentHash: hash, duplicateOf: duplicateOf)
                if documentID == nil {
                    let reason = document.textFile == nil
                        ? "repeated id \(JSONText.quoted(row.key)) in this source; the first one is kept"
                        : "another file of this source already has the key \(JSONText.quoted(row.key)); "
                            + "add the directories under different sources or from their parent"
                    try report(LineProblem(line: document.line, severity: .rejected, reason: reason),
                               in: document.textFile?.path)
                    return false
                }
            } else {
                // Content-derived key: the hash prefix; exact copies get "#2", "#3", ... in input order.
                let base = "sha256:" + hash[0..<8].map { lowercaseHexByte($0) }.joined()
                var occurrence = 1
                while documentID == nil {
                    row.key = occurrence == 1 ? base : "\(base)#\(occurrence)"
                    documentID = try store.insertDocument(row, contentHash: hash, duplicateOf: duplicateOf)
                    occurrence += 1
                }
            }
            guard let documentID else { return false }
            if let signals = document.signals, let defaultQuality = document.defaultQuality {
                try qualityStore.insertSignals(
                    documentID: documentID, version: QualitySignals.version, qualityFromInput: document.quality != nil,
                    signals: signals, defaultQuality: defaultQuality)
            }
            let arena = batch.arena.bytes
            let frame = UnsafeRawBufferPointer(rebasing: arena[document.frame])
            if let elision = document.elision {
                try writeExactCopy(
                    text: frame, elision: elision, dictID: document.dictID, documentID: documentID, contentHash: hash)
            } else {
                try store.insertText(documentID: documentID, dictID: document.dictID, frame: frame)
            }
            if let meta = document.meta {
                try store.insertMeta(documentID: documentID, json: UnsafeRawBufferPointer(rebasing: arena[meta]))
            }
            if let signatureIndex {
                try batch.signatures.withUnsafeBytes { signatures in
                    let size = permutations * 4
                    try store.insertSignature(
                        schemeID: schemeID, documentID: documentID,
                        signature: UnsafeRawBufferPointer(rebasing: signatures[(signatureIndex * size)..<((signatureIndex + 1) * size)]))
                }
                try batch.bandKeys.withUnsafeBufferPointer { keys in
                    try lshIndex.insert(
                        documentID: documentID,
                        keys: UnsafeBufferPointer(rebasing: keys[(signatureIndex * bands)..<((signatureIndex + 1) * bands)]))
                }
            }
            return true
        }
        guard inserted else {
            if let textFile = document.textFile {
                try store.finishIngestFile(ingestFileID, status: "failed", error: "repeated key \(document.key ?? "")")
                var outcome = FileOutcome(path: textFile.path, status: .failed("repeated key in this source"))
                outcome.linesRejected = 1
                textOutcomes.append(outcome)
            }
            return
        }
        if let textFile = document.textFile {
            try store.finishIngestFile(ingestFileID, status: "complete", error: nil)
            var progress = IngestFileProgress()
            progress.linesRead = 1
            progress.docsAdded = 1
            try store.saveProgress(progress, of: ingestFileID)
            var outcome = FileOutcome(path: textFile.path, status: .added)
            outcome.docsAdded = 1
            outcome.bytesRead = document.bytes
            textOutcomes.append(outcome)
        }
        progress.docsAdded += 1
        documentsWritten += 1
        runDocs += 1
        docsSinceCommit += 1
    }

    /// Stores the frame, signature and band keys of an exact copy the worker did not compress or
    /// hash (`ProcessedDocument.elision`). They are the bytes of the copy this run already wrote
    /// with the same dictionary, so they are copied from it. When there is none (its first copy
    /// was in a file rolled back), the text is compressed and hashed here: the same bytes again.
    private func writeExactCopy(
        text: UnsafeRawBufferPointer, elision: ProcessedDocument.Elision, dictID: Int64?, documentID: Int64,
        contentHash: UnsafeRawBufferPointer
    ) throws {
        var signature: [UInt32]?
        if let first = try store.document(withContentHash: contentHash, after: runStartDocumentID, dictID: dictID) {
            try store.copyText(from: first, to: documentID)
            if elision.hasSignature, let stored = try store.signature(of: first, schemeID: schemeID),
               stored.count == permutations * 4 {
                var values = [UInt32](repeating: 0, count: permutations)
                values.withUnsafeMutableBytes { out in stored.withUnsafeBytes { out.copyMemory(from: $0) } }
                signature = values
            }
            copiedExactCopies += 1
        } else {
            try fallbackCompressor.compress(text, dictionary: elision.dictionary) { frame in
                try store.insertText(documentID: documentID, dictID: dictID, frame: frame)
            }
            recomputedExactCopies += 1
        }
        guard elision.hasSignature else { return }
        if signature == nil {
            var values = [UInt32](repeating: 0, count: permutations)
            let shingles = values.withUnsafeMutableBufferPointer { out in
                exactCopyHasher.signature(of: text.bindMemory(to: UInt8.self), into: out)
            }
            guard shingles > 0 else { return }
            signature = values
        }
        guard let signature else { return }
        var keys = [Int64](repeating: 0, count: bands)
        signature.withUnsafeBufferPointer { values in
            keys.withUnsafeMutableBufferPointer { exactCopyHasher.bandKeys(of: values, into: $0) }
        }
        try signature.withUnsafeBytes { try store.insertSignature(schemeID: schemeID, documentID: documentID, signature: $0) }
        try keys.withUnsafeBufferPointer { try lshIndex.insert(documentID: documentID, keys: $0) }
    }
}

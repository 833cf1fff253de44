/// A source's trained dictionary, shared read-only by the workers.
struct SourceDictionary: Sendable {
    /// `zstd_dictionary.dict_id`.
    let id: Int64
    /// The digested dictionary.
    let dictionary: ZstdDictionary
}

/// The dictionaries workers compress with: one for a fixed `--source`, or by source name.
struct SourceDictionaries: Sendable {
    /// With `--source NAME`: that source's dictionary.
    var fixed: SourceDictionary?
    /// With `--source-field`: dictionaries by source name.
    var byName: [String: SourceDictionary] = [:]

    func dictionary(for sourceName: String?) -> SourceDictionary? {
        guard let sourceName else { return fixed }
        return byName[sourceName]
    }
}

/// The work of one worker thread: parse, normalise and hash, estimate tokens, compute the
/// quality signals and default score, compress.
///
/// Owns its scanner, hasher and compressor (reused across documents); not thread-safe.
final class DocumentProcessor {
    private let options: IngestOptions
    private let dictionaries: SourceDictionaries
    private let scanner: JSONLineScanner
    private var record = ScannedRecord()
    private let minHasher: MinHasher
    private let estimator = TokenEstimator()
    private let qualityScanner = QualitySignalScanner()
    /// Signals of texts already scanned by any worker of this run.
    private let signalMemo: SignalMemo
    private let compressor: ZstdFrameCompressor
    private var signature: [UInt32]
    private var keys: [Int64]
    private let permutations: Int
    private let bands: Int

    init(options: IngestOptions, scheme: MinHashScheme, dictionaries: SourceDictionaries, signalMemo: SignalMemo) {
        self.options = options
        self.signalMemo = signalMemo
        self.scanner = JSONLineScanner(mapping: options.fieldMapping)
        self.dictionaries = dictionaries
        self.minHasher = MinHasher(scheme: scheme)
        self.compressor = ZstdFrameCompressor(level: options.compressionLevel)
        self.permutations = scheme.permutations
        self.bands = scheme.bands
        self.signature = [UInt32](repeating: 0, count: scheme.permutations)
        self.keys = [Int64](repeating: 0, count: scheme.bands)
    }

    /// Processes one JSONL line into `batch` (a document or a problem).
    func processLine(_ line: UnsafeRawBufferPointer, number: Int, into batch: ProcessedBatch) {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }  // blank line
        do {
            try scanner.scan(line, allowingByteOrderMark: number == 1, into: &record)
        } catch {
            batch.problems.append(LineProblem(line: number, severity: .rejected, reason: error.description))
            return
        }
        if case .field(let field) = options.source, (record.source ?? "").isEmpty {
            batch.problems.append(LineProblem(
                line: number, severity: .rejected,
                reason: "missing or empty source field \"\(field)\" (--source-field); add it or use --source NAME"))
            return
        }
        if let warning = record.warning {
            batch.problems.append(LineProblem(line: number, severity: .repaired, reason: warning.description))
        }
        let domain: String?
        switch options.domain {
        case .field: domain = record.domain
        case let .named(name): domain = name
        case .sourceDefault: domain = nil
        }
        let meta = record.metadataJSON
        record.text.withUnsafeBytes { text in
            if let meta {
                meta.withUnsafeBytes { metaBytes in
                    addDocument(
                        text: text, line: number, key: record.id, sourceName: record.source, domain: domain,
                        lang: record.lang, quality: record.quality, meta: metaBytes, textFile: nil, to: batch)
                }
            } else {
                addDocument(
                    text: text, line: number, key: record.id, sourceName: record.source, domain: domain,
                    lang: record.lang, quality: record.quality, meta: nil, textFile: nil, to: batch)
            }
        }
    }

    /// Processes one plain-text file (already read and checked) into `batch`.
    func processTextFile(_ text: UnsafeRawBufferPointer, key: String, identity: TextFileIdentity, into batch: ProcessedBatch) {
        let domain: String?
        if case let .named(name) = options.domain { domain = name } else { domain = nil }
        addDocument(
            text: text, line: 1, key: key, sourceName: nil, domain: domain, lang: nil, quality: nil, meta: nil,
            textFile: identity, to: batch)
    }

    private func addDocument(
        text: UnsafeRawBufferPointer, line: Int, key: String?, sourceName: String?, domain: String?, lang: String?,
        quality: Double?, meta: UnsafeRawBufferPointer?, textFile: TextFileIdentity?, to batch: ProcessedBatch
    ) {
        let bytes = text.bindMemory(to: UInt8.self)
        // Content hash: the first 16 bytes of sha256(text).
        let digest = SHA256Hasher.digest(text)
        batch.contentHashes.append(contentsOf: digest.prefix(16))
        let dictionary = dictionaries.dictionary(for: sourceName)
        let memoKey = SignalMemo.Key(digest: digest)
        let known = options.computesSignals ? signalMemo.lookup(memoKey) : nil
        if let known, options.reusesExactCopies, known.dictionaryID == dictionary?.id {
            // An exact copy of a text already processed in this run, for the same dictionary:
            // its frame and signature would be the same bytes, which the writer copies.
            addExactCopy(
                text: text, known: known, dictionary: dictionary, line: line, key: key, sourceName: sourceName,
                domain: domain, lang: lang, quality: quality, meta: meta, textFile: textFile, to: batch)
            return
        }
        let tokens = estimator.estimate(bytes)
        var scored = known
        if options.computesSignals && known == nil {
            let signals = qualityScanner.signals(of: bytes)
            scored = SignalMemo.Entry(signals: signals, defaultQuality: QualityScore.score(signals))
        }
        let shingles = signature.withUnsafeMutableBufferPointer { minHasher.signature(of: bytes, into: $0) }
        if shingles > 0 {
            signature.withUnsafeBufferPointer { values in
                keys.withUnsafeMutableBufferPointer { minHasher.bandKeys(of: values, into: $0) }
            }
            batch.signatures.append(contentsOf: signature)
            batch.bandKeys.append(contentsOf: keys)
        }
        let frame: Range<Int>
        do {
            // Straight into the arena: no copy of the frame.
            frame = try batch.arena.appendWriting(upTo: ZstdFrameCompressor.bound(text.count)) { free in
                try compressor.compress(text, dictionary: dictionary?.dictionary, into: free)
            }
        } catch {
            batch.problems.append(LineProblem(line: line, severity: .rejected, reason: "\(error)"))
            batch.contentHashes.removeLast(16)
            if shingles > 0 {
                batch.signatures.removeLast(permutations)
                batch.bandKeys.removeLast(bands)
            }
            return
        }
        if known == nil, var entry = scored {
            entry.tokens = tokens
            entry.hasSignature = shingles > 0
            entry.dictionaryID = dictionary?.id
            signalMemo.store(entry, for: memoKey)
        }
        let metaRange = meta.map { append($0, to: batch) }
        batch.documents.append(ProcessedDocument(
            line: line, key: key, sourceName: sourceName, domain: domain, lang: lang, quality: quality,
            bytes: text.count, tokens: max(tokens, text.isEmpty ? 0 : 1), frame: frame, meta: metaRange,
            hasSignature: shingles > 0, dictID: dictionary?.id, textFile: textFile, signals: scored?.signals,
            defaultQuality: scored?.defaultQuality))
    }

    /// Appends `bytes` to the batch's arena; returns where they are.
    private func append(_ bytes: UnsafeRawBufferPointer, to batch: ProcessedBatch) -> Range<Int> {
        let start = batch.arena.count
        batch.arena.append(bytes: bytes)
        return start..<batch.arena.count
    }

    /// An exact copy of a text this run already processed with the same dictionary: its values
    /// come from `known`, its text goes to the writer as is (`ProcessedDocument.elision`).
    private func addExactCopy(
        text: UnsafeRawBufferPointer, known: SignalMemo.Entry, dictionary: SourceDictionary?, line: Int,
        key: String?, sourceName: String?, domain: String?, lang: String?, quality: Double?,
        meta: UnsafeRawBufferPointer?, textFile: TextFileIdentity?, to batch: ProcessedBatch
    ) {
        let textRange = append(text, to: batch)
        let metaRange = meta.map { append($0, to: batch) }
        batch.documents.append(ProcessedDocument(
            line: line, key: key, sourceName: sourceName, domain: domain, lang: lang, quality: quality,
            bytes: text.count, tokens: max(known.tokens, text.isEmpty ? 0 : 1), frame: textRange, meta: metaRange,
            hasSignature: false, dictID: dictionary?.id, textFile: textFile, signals: known.signals,
            defaultQuality: known.defaultQuality,
            elision: ProcessedDocument.Elision(hasSignature: known.hasSignature, dictionary: dictionary?.dictionary)))
    }
}

extension IngestOptions {
    /// The JSONL field mapping these options describe.
    var fieldMapping: JSONFieldMapping {
        var sourceField: String?
        if case let .field(field) = source { sourceField = field }
        var domainField: String?
        if case let .field(field) = domain { domainField = field }
        return JSONFieldMapping(
            textField: textField, idField: idField, sourceField: sourceField, domainField: domainField,
            qualityField: qualityField, langField: langField)
    }
}

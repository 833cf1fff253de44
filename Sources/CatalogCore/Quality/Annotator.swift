import Foundation

/// What one `catalog annotate` import did.
public struct AnnotationReport: Sendable, Equatable {
    /// One imported attribute.
    public struct Imported: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// Its type (given or inferred).
        public var type: AttributeType
        /// Documents given a value.
        public var documents: Int
        /// Records whose value was null or empty (no value stored).
        public var nulls: Int
    }

    /// The file imported.
    public var path: String
    /// sha256 of the file's bytes.
    public var sha256: String
    /// Records (lines or CSV rows) read.
    public var records: Int
    /// The attributes imported.
    public var attributes: [Imported]
    /// Records whose key names no document (in `--source`, if given).
    public var unknownKeys: Int
    /// The first unknown keys as `file:line: key`.
    public var unknownKeyExamples: [String]
}

/// Imports external per-document attributes (`catalog annotate`): reads and checks the whole
/// file, resolves keys, then replaces each attribute in one transaction.
///
/// - **Keys** are document keys (`docs.doc_key`), unique within a source. With `source` the
///   keys are looked up in that source only; without it, a key found in two or more sources
///   is an error (nothing is imported). Keys that match no document are counted and
///   reported, not errors.
/// - **All or nothing**: a malformed line (bad JSON, bad CSV quoting, a missing key, a value
///   that does not convert to its type, a key repeated in the file) is reported with
///   `file:line` and nothing changes. Otherwise every attribute of the file is replaced
///   (provenance and all values) in one transaction: readers see the old values or the new.
public struct Annotator {
    /// The catalog written to.
    public let catalog: Catalog

    /// An annotator for `catalog`.
    public init(catalog: Catalog) { self.catalog = catalog }

    /// Imports `options.path`; see the type's documentation for the rules.
    public func run(_ options: AnnotationOptions) throws -> AnnotationReport {
        guard !options.fields.isEmpty else { throw AnnotationError.invalidFields("give at least one --field NAME[:TYPE]") }
        let names = options.fields.map(\.name)
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw AnnotationError.invalidFields("attribute '\(repeated)' is given twice")
        }
        let (bytes, sha256) = try AnnotationFileReader.load(options.path)
        var problems = AnnotationProblems(path: options.path)
        let format = options.format ?? AnnotationInputFormat(fileName: options.path)
        let records = format == .csv
            ? AnnotationFileReader.parseCSV(bytes, options: options, problems: &problems)
            : AnnotationFileReader.parseJSONL(bytes, options: options, problems: &problems)

        var firstLine: [String: Int] = [:]
        for (key, line) in zip(records.keys, records.lines) {
            if let earlier = firstLine[key] {
                problems.add(line: line, "key '\(key)' repeats line \(earlier)")
            } else {
                firstLine[key] = line
            }
        }
        var types: [AttributeType] = []
        var values: [[SQLValue?]] = []
        for (slot, field) in options.fields.enumerated() {
            let cells = records.cells[slot]
            let type = field.type ?? AnnotationFileReader.inferType(cells, fromCSV: records.fromCSV)
            types.append(type)
            var converted: [SQLValue?] = []
            converted.reserveCapacity(cells.count)
            for (cell, line) in zip(cells, records.lines) {
                switch AnnotationFileReader.convert(cell, to: type) {
                case let .success(value): converted.append(value)
                case let .failure(failure):
                    problems.add(line: line, "field '\(field.inputField)': \(failure.shown) is not a \(type.rawValue)\(field.type == nil ? " (inferred; give NAME:TYPE)" : "")")
                    converted.append(nil)
                }
            }
            values.append(converted)
        }
        try problems.check()

        let connection = catalog.connection
        let store = AnnotationStore(connection: connection)
        return try connection.transaction(.immediate) {
            let sources = try store.sources(named: options.source)
            if let source = options.source, sources.isEmpty { throw AnnotationError.unknownSource(source) }
            let matches = try store.resolve(records.keys, in: sources)
            var ambiguous: [String] = []
            var unknown: [String] = []
            var unknownCount = 0
            for (index, found) in matches.enumerated() {
                if found.count > 1 {
                    ambiguous.append("\(records.keys[index]) in \(found.map(\.source).joined(separator: " and "))")
                } else if found.isEmpty {
                    unknownCount += 1
                    if unknown.count < 20 { unknown.append("\(options.path):\(records.lines[index]): \(records.keys[index])") }
                }
            }
            if !ambiguous.isEmpty {
                throw AnnotationError.ambiguousKeys(path: options.path, examples: Array(ambiguous.prefix(5)), total: ambiguous.count)
            }
            let importedAt = Clock.timestamp()
            let absolutePath = URL(fileURLWithPath: options.path).standardizedFileURL.path
            var imported: [AnnotationReport.Imported] = []
            for (slot, field) in options.fields.enumerated() {
                var rows: [(documentID: Int64, value: SQLValue)] = []
                var nulls = 0
                for (index, found) in matches.enumerated() {
                    guard let document = found.first else { continue }
                    guard let value = values[slot][index] else {
                        nulls += 1
                        continue
                    }
                    rows.append((document.documentID, value))
                }
                try store.replace(
                    name: field.name, type: types[slot], sourceFile: absolutePath, sha256: sha256, field: field.inputField,
                    keyField: options.keyField, sourceFilter: options.source, importedAt: importedAt,
                    unknownKeys: unknownCount, values: rows)
                imported.append(.init(name: field.name, type: types[slot], documents: rows.count, nulls: nulls))
            }
            return AnnotationReport(
                path: options.path, sha256: sha256, records: records.keys.count, attributes: imported,
                unknownKeys: unknownCount, unknownKeyExamples: unknown)
        }
    }

    /// Every imported attribute with its provenance, by name.
    public func attributes() throws -> RowSet {
        try AnnotationStore(connection: catalog.connection).list()
    }
}

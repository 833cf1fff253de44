/// The type of an imported attribute, as stored in `attribute.type`.
public enum AttributeType: String, Sendable, CaseIterable {
    /// A double (REAL).
    case real
    /// A 64-bit integer (INTEGER).
    case int
    /// A string (TEXT).
    case text
    /// true/false, stored as INTEGER 1/0 and shown as JSON true/false in `docs.attrs`.
    case bool
}

/// One `--field NAME[=INPUT_FIELD][:TYPE]`: the attribute's name, the input field it is read
/// from (the name itself by default) and its type (inferred when absent).
public struct AnnotationField: Sendable, Equatable {
    /// The attribute's name in the catalog.
    public var name: String
    /// The JSON key or CSV column holding the values.
    public var inputField: String
    /// The type; nil to infer it from the values (numbers → real, strings → text, booleans → bool).
    public var type: AttributeType?

    /// A field with every part given.
    public init(name: String, inputField: String, type: AttributeType?) {
        self.name = name
        self.inputField = inputField
        self.type = type
    }

    /// Parses `NAME[=INPUT_FIELD][:TYPE]` (a `:` followed by a known type name ends the spec).
    public init(parsing spec: String) throws(AnnotationError) {
        var body = Substring(spec)
        var type: AttributeType?
        if let colon = body.lastIndex(of: ":") {
            let suffix = String(body[body.index(after: colon)...])
            guard let parsed = AttributeType(rawValue: suffix) else {
                throw .invalidFieldSpec(spec, reason: "unknown type '\(suffix)'; use real, int, text or bool")
            }
            type = parsed
            body = body[..<colon]
        }
        let parts = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        let input = parts.count > 1 ? String(parts[1]) : name
        guard !name.isEmpty, !input.isEmpty else {
            throw .invalidFieldSpec(spec, reason: "expected NAME, NAME:TYPE or NAME=INPUT_FIELD[:TYPE]")
        }
        guard name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." }) else {
            throw .invalidFieldSpec(spec, reason: "an attribute name uses letters, digits, '_', '-' and '.'")
        }
        self.init(name: name, inputField: input, type: type)
    }
}

/// The input format of an annotation file.
public enum AnnotationInputFormat: String, Sendable, CaseIterable {
    /// One JSON object per line.
    case jsonl
    /// RFC 4180 CSV with a header row.
    case csv

    /// CSV when the name ends in `.csv` (optionally `.gz`/`.zst`/`.zstd`), else JSONL.
    public init(fileName: String) {
        var name = fileName.lowercased()
        for suffix in [".gz", ".zst", ".zstd"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        self = name.hasSuffix(".csv") ? .csv : .jsonl
    }
}

/// What `catalog annotate` imports and how.
public struct AnnotationOptions: Sendable {
    /// The file to import (JSONL or CSV, optionally gzip or zstd compressed).
    public var path: String
    /// The input field holding document keys (`docs.doc_key`).
    public var keyField: String
    /// The attributes to import.
    public var fields: [AnnotationField]
    /// Look keys up in this source only; without it a key found in two sources is an error.
    public var source: String?
    /// The input format; nil to decide by the file name.
    public var format: AnnotationInputFormat?

    /// Options with every part given.
    public init(path: String, keyField: String, fields: [AnnotationField], source: String?, format: AnnotationInputFormat?) {
        self.path = path
        self.keyField = keyField
        self.fields = fields
        self.source = source
        self.format = format
    }
}

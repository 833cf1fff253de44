import ArgumentParser
import CatalogCore

struct AnnotateCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Import external per-document attributes (scores, labels) keyed by document key.",
        discussion: """
            Reads JSONL or CSV (also .gz/.zst), checks every line, then replaces each attribute in one \
            transaction; any problem (file:line) changes nothing. Keys are docs.doc_key; with --source \
            they are looked up in that source only, without it a key present in two sources is an error. \
            Unknown keys are counted and reported. Query with docs.attrs (a JSON object: \
            attrs ->> 'name') or the annotations view. --list shows imported attributes.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "The JSONL or CSV file to import.") var file: String?
    @Option(help: "The input field holding document keys.") var key = "id"
    @Option(
        name: .customLong("field"),
        help: "An attribute: NAME[=INPUT_FIELD][:TYPE], TYPE real|int|text|bool (default: inferred). Repeatable.")
    var fields: [String] = []
    @Option(help: "Look keys up in this source only.") var source: String?
    @Option(help: "Input format: jsonl or csv (default: by file name, .csv → csv).") var inputFormat: String?
    @Flag(help: "List imported attributes with their provenance instead of importing.") var list = false
    @Option(help: "Output format for --list: table, csv, json or jsonl.") var format: RowFormat = .table

    func validate() throws {
        if list { return }
        guard file != nil else { throw ValidationError("give the FILE to import (or --list)") }
        guard !fields.isEmpty else { throw ValidationError("give at least one --field NAME[:TYPE]") }
        if let inputFormat, AnnotationInputFormat(rawValue: inputFormat) == nil {
            throw ValidationError("--input-format must be jsonl or csv")
        }
    }

    func run(_ catalog: Catalog) throws {
        let annotator = Annotator(catalog: catalog)
        if list {
            print(RowPrinter.render(try annotator.attributes(), as: format), terminator: "")
            return
        }
        guard let file else { return }
        let options = AnnotationOptions(
            path: file, keyField: key, fields: try fields.map { spec throws(AnnotationError) in try AnnotationField(parsing: spec) },
            source: source, format: inputFormat.flatMap(AnnotationInputFormat.init(rawValue:)))
        let report = try annotator.run(options)
        for example in report.unknownKeyExamples { StandardError.write("\(example): unknown key\n") }
        if report.unknownKeys > report.unknownKeyExamples.count {
            StandardError.write("... and \(report.unknownKeys - report.unknownKeyExamples.count) more unknown keys\n")
        }
        for attribute in report.attributes {
            let nulls = attribute.nulls > 0 ? ", \(attribute.nulls) null" : ""
            print("\(attribute.name) (\(attribute.type.rawValue)): \(attribute.documents) documents\(nulls)")
        }
        print("\(file): \(report.records) records, \(report.unknownKeys) unknown key\(report.unknownKeys == 1 ? "" : "s")")
    }
}

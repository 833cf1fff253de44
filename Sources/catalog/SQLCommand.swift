import ArgumentParser
import CatalogCore

struct SQLCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL query over the catalog's views.",
        discussion: """
            Views: docs (one row per document), sources, composition; doc_text(document_id) returns a \
            document's text. Statements that would write, ATTACH, change PRAGMAs or chain statements \
            are refused.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "The SQL query.") var query: String
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        let rows = try ReadOnlyQuery(catalog: catalog).rows(query)
        print(RowPrinter.render(rows, as: format), terminator: "")
    }
}

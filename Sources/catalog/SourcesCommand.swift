import ArgumentParser
import CatalogCore

struct SourcesCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "List sources with their documents, tokens, bytes and dates.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        print(RowPrinter.render(try CompositionQueries(catalog: catalog).sources(), as: format), terminator: "")
    }
}

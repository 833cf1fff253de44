import ArgumentParser
import CatalogCore

struct StatsCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Corpus composition: documents, tokens, bytes, token share, exact-duplicate share.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Group by source, domain or source,domain.") var by: StatsGrouping = .source
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        print(RowPrinter.render(try CompositionQueries(catalog: catalog).stats(by: by), as: format), terminator: "")
    }
}

extension StatsGrouping: ExpressibleByArgument {}

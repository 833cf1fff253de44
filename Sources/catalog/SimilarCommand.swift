import ArgumentParser
import CatalogCore

struct SimilarCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "A document's exact copies and verified near-duplicates, best first.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "A doc_key or document_id.") var document: String
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        let explainer = try DuplicateExplainer(catalog: catalog)
        print(RowPrinter.render(try explainer.similar(to: try explainer.resolve(document)), as: format), terminator: "")
    }
}

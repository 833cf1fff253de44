import ArgumentParser
import CatalogCore

struct ExplainCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "A document's cluster, its similarity to the canonical, and why it was kept or marked.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "A doc_key or document_id.") var document: String
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        let explainer = try DuplicateExplainer(catalog: catalog)
        for line in try explainer.explain(try explainer.resolve(document)) { print(line) }
    }
}

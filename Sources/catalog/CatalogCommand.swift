import ArgumentParser
import CatalogCore

@main
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "A SQLite catalog of LLM pretraining documents.",
        version: CatalogVersion.string
    )
}

import ArgumentParser
import CatalogCore

struct InitCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create an empty catalog (or upgrade an older one's schema).")

    @OptionGroup var catalogOptions: CatalogOptions
    var createsCatalog: Bool { true }

    func run(_ catalog: Catalog) throws {
        print("catalog \(catalog.path): schema version \(try catalog.schemaVersion())")
    }
}

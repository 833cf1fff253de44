import ArgumentParser
import CatalogCore

struct RecipeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipe",
        abstract: "Store, list and show named, versioned mix recipes.",
        subcommands: [RecipeAddCommand.self, RecipeListCommand.self, RecipeShowCommand.self])
}

struct RecipeAddCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Validate a recipe YAML file against the catalog and store it as the next version of its name.",
        discussion: "Re-adding a file whose text equals the latest version changes nothing.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "The recipe YAML file.") var file: String

    func run(_ catalog: Catalog) throws {
        let result = try RecipeLibrary(catalog: catalog).add(file: file)
        for warning in result.warnings { StandardError.write("warning: \(warning.located(in: file))\n") }
        switch result.outcome {
        case let .added(recipe):
            print("added recipe \(recipe.reference) (sha256 \(recipe.sha256.prefix(16)))")
        case let .unchanged(recipe):
            print("recipe \(recipe.reference) unchanged (same text as the latest version); nothing added")
        }
    }
}

struct RecipeListCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored recipe versions.")

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        print(RowPrinter.render(try RecipeLibrary(catalog: catalog).list(), as: format), terminator: "")
    }
}

struct RecipeShowCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a stored recipe's YAML (the latest version unless NAME@VERSION).")

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "NAME or NAME@VERSION.") var recipe: String
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        let stored = try RecipeLibrary(catalog: catalog).show(try RecipeReference(parsing: recipe))
        print(stored.body, terminator: stored.body.hasSuffix("\n") ? "" : "\n")
    }
}

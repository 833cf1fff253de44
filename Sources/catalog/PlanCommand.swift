import ArgumentParser
import CatalogCore

struct PlanCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Per phase and component: available documents and tokens, target, epochs, planned, shortfall.",
        discussion: """
            Computed from SQL aggregates over the docs view; nothing is written. Exits with status 1 \
            when a target cannot be met under the recipe's shortfall policy.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Argument(help: "NAME or NAME@VERSION.") var recipe: String
    @Option(help: "Output format: table, csv, json or jsonl.") var format: RowFormat = .table
    @Flag(help: "Print the SQL each component compiles to instead of the plan.") var sql = false
    var readsOnly: Bool { true }

    func run(_ catalog: Catalog) throws {
        let loaded = try LoadedRecipe.load(try RecipeReference(parsing: recipe), from: catalog)
        let reader = try MixCatalogReader(catalog: catalog)
        let problems = reader.check(loaded.recipe, lines: loaded.lines)
        if !problems.isEmpty { throw MixError.invalidRecipe(file: loaded.stored.reference, problems: problems) }
        let plan = try reader.plan(loaded.recipe)
        if sql {
            print(MixPlanReport.sql(plan), terminator: "")
        } else {
            print(RowPrinter.render(MixPlanReport.rows(plan), as: format), terminator: "")
        }
        for warning in plan.warnings { StandardError.write("warning: \(warning)\n") }
        if !plan.isFeasible { throw MixError.shortfall(policy: loaded.recipe.shortfall, problems: plan.problems) }
    }
}

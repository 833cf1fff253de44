import ArgumentParser
import CatalogCore

@main
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "A SQLite catalog of LLM pretraining documents.",
        discussion: """
            The catalog is a SQLite file (--db, else $CATALOG_DB, else ./catalog.db). Results go to \
            stdout; progress and diagnostics to stderr.
            """,
        version: CatalogVersion.string,
        subcommands: [
            InitCommand.self, AddCommand.self, SourcesCommand.self, DedupCommand.self, SimilarCommand.self,
            ExplainCommand.self, SQLCommand.self, StatsCommand.self, AnnotateCommand.self, RecipeCommand.self,
            PlanCommand.self, MaterializeCommand.self, VerifyCommand.self, RescoreCommand.self,
        ]
    )
}

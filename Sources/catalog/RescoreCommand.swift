import ArgumentParser
import CatalogCore

struct RescoreCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Recompute quality signals and the default score where the definitions changed.",
        discussion: """
            Only documents whose signals are missing (ingested before quality signals existed) or \
            older than this binary's signal version are read (through their stored text) and \
            rescored. Commits every --batch-size documents; a killed run resumes where it stopped. \
            A quality that came from the input (--quality-field) is kept.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(name: .customLong("batch-size"), help: "Documents per transaction.") var batchSize = 2_000

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1 (got \(batchSize))") }
    }

    func run(_ catalog: Catalog) throws {
        let report = try QualityRescorer(catalog: catalog, batchSize: batchSize).run()
        StandardError.write(report.summary + "\n")
    }
}

import ArgumentParser
import CatalogCore

struct DedupCommand: CatalogSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Cluster exact and near-duplicates incrementally; mark duplicate_of and cluster_id.",
        discussion: """
            New documents are joined against the persistent LSH index; candidates are verified with \
            the stored signatures; clusters are the connected components of verified edges ≥ the \
            threshold plus exact copies, and the first member in the keep order is kept. Nothing is \
            deleted. Run it again after `catalog add`: only the new documents are joined.
            """)

    @OptionGroup var catalogOptions: CatalogOptions
    @Option(help: "Estimated Jaccard at or above which documents are near-duplicates.") var threshold = 0.8
    @Option(help: "Which documents may be duplicates of each other: global, source or domain.")
    var scope: DedupScope = .global
    @Option(help: "SQL ORDER BY over the docs view; the first member of a cluster is kept.")
    var keep = DedupOptions.defaultKeep
    @Flag(help: "Every member must be ≥ threshold to its canonical (no chaining).") var star = false
    @Option(help: "Verified edges are stored down to this similarity.") var floor = 0.6
    @Option(name: .customLong("max-cluster-size"), help: "Flag clusters larger than this.") var maxClusterSize = 1_000
    @Option(name: .customLong("max-source-share"), help: "Flag clusters holding more than this share of a source.")
    var maxSourceShare = 0.5
    @Flag(help: "Re-cluster every document, not only the components new documents reach (after changing what --keep reads, e.g. quality).")
    var full = false
    @Flag(help: "Print the duplicate reports after the run.") var report = false
    @Option(help: "Output format of the reports: table, csv, json or jsonl.") var format: RowFormat = .table

    func run(_ catalog: Catalog) throws {
        var options = DedupOptions()
        options.threshold = threshold
        options.scope = scope
        options.keep = keep
        options.star = star
        options.floor = floor
        options.maxClusterSize = maxClusterSize
        options.maxSourceShare = maxSourceShare
        options.full = full
        let banding = Deduplicator.banding(threshold: threshold, permutations: 128, recall: options.recall)
        let probability = LSHBanding.candidateProbability(similarity: threshold, bands: banding.bands, rows: banding.rows)
        StandardError.write(
            "dedup: threshold \(threshold), banding \(banding.bands) bands × \(banding.rows) rows "
                + "(P(candidate) = \(Format.decimal(probability, digits: 3)) at the threshold)\n")
        let result = try Deduplicator(catalog: catalog, options: options).run()
        for warning in result.warnings { StandardError.write("warning: \(warning)\n") }
        StandardError.write(result.summary + "\n")
        if report {
            print(DedupReportPrinter.render(try DedupReports(catalog: catalog).all(), format: format), terminator: "")
        }
    }
}

extension DedupScope: ExpressibleByArgument {}

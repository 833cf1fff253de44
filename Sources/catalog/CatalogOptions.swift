import ArgumentParser
import CatalogCore
import Foundation

/// The options every catalog command shares.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "The catalog file (default: $CATALOG_DB, else ./catalog.db).")
    var db: String?

    /// The catalog path after the environment fallback.
    var path: String {
        if let db { return db }
        if let fromEnvironment = ProcessInfo.processInfo.environment["CATALOG_DB"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "catalog.db"
    }
}

/// A subcommand that works on a catalog: `run()` opens it and hands it to `run(_:)`, turning
/// core errors into a message on stderr and exit code 1 (like SwiftPM's `SwiftCommandState`).
protocol CatalogSubcommand: ParsableCommand {
    /// The shared options.
    var catalogOptions: CatalogOptions { get }
    /// Whether the command creates a missing catalog.
    var createsCatalog: Bool { get }
    /// Whether the command only reads.
    var readsOnly: Bool { get }
    /// The command's work on the open catalog.
    func run(_ catalog: Catalog) throws
}

extension CatalogSubcommand {
    var createsCatalog: Bool { false }
    var readsOnly: Bool { false }

    func run() throws {
        do {
            let path = catalogOptions.path
            let catalog = readsOnly
                ? try Catalog.openReadOnly(at: path) : try Catalog.open(at: path, create: createsCatalog)
            try run(catalog)
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            StandardError.write("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}

/// Writes to standard error.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension RowFormat: ExpressibleByArgument {}

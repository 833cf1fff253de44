/// What happened to one input file.
public struct FileOutcome: Sendable, Equatable {
    /// How the file ended.
    public enum Status: Sendable, Equatable {
        /// Ingested completely in this run.
        case added
        /// An interrupted ingest was completed.
        case resumed(afterLine: Int)
        /// Identical content was already ingested (from `previousPath`): nothing done.
        case alreadyIngested(previousPath: String)
        /// The file failed; nothing of it is in the catalog.
        case failed(String)
        /// The file was skipped (e.g. binary in a text directory).
        case skipped(String)
    }

    /// The file.
    public var path: String
    /// The outcome.
    public var status: Status
    /// Documents added by this run.
    public var docsAdded = 0
    /// Lines rejected in this run.
    public var linesRejected = 0
    /// Lines repaired in this run.
    public var linesRepaired = 0
    /// Input bytes read (uncompressed) in this run.
    public var bytesRead = 0

    /// An outcome.
    public init(path: String, status: Status) {
        self.path = path
        self.status = status
    }
}

/// The result of a `catalog add` run.
public struct IngestReport: Sendable {
    /// Per file, in input order.
    public var files: [FileOutcome] = []
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Exact copies of texts written earlier in the run whose frame and signature were copied
    /// from the first copy instead of computed.
    public var exactCopiesCopied = 0
    /// Exact copies the workers skipped whose frame and signature the writer computed, because
    /// the first copy was not there to copy (its file was rolled back).
    public var exactCopiesRecomputed = 0

    /// Documents added.
    public var docsAdded: Int { files.reduce(0) { $0 + $1.docsAdded } }
    /// Lines rejected.
    public var linesRejected: Int { files.reduce(0) { $0 + $1.linesRejected } }
    /// Lines repaired.
    public var linesRepaired: Int { files.reduce(0) { $0 + $1.linesRepaired } }
    /// Uncompressed input bytes read.
    public var bytesRead: Int { files.reduce(0) { $0 + $1.bytesRead } }
    /// Files that failed.
    public var failedFiles: [FileOutcome] {
        files.filter { if case .failed = $0.status { return true } else { return false } }
    }

    /// The one-line summary printed at the end of every run.
    public var summary: String {
        let megabytes = Double(bytesRead) / 1_000_000
        let rate = seconds > 0 ? megabytes / seconds : 0
        let docsRate = seconds > 0 ? Double(docsAdded) / seconds : 0
        var parts = ["added \(docsAdded) documents from \(files.count) file(s)"]
        let already = files.filter { if case .alreadyIngested = $0.status { return true } else { return false } }.count
        if already > 0 { parts.append("\(already) already ingested") }
        let resumed = files.filter { if case .resumed = $0.status { return true } else { return false } }.count
        if resumed > 0 { parts.append("\(resumed) resumed") }
        if !failedFiles.isEmpty { parts.append("\(failedFiles.count) failed") }
        let skipped = files.filter { if case .skipped = $0.status { return true } else { return false } }.count
        if skipped > 0 { parts.append("\(skipped) skipped") }
        parts.append("\(linesRejected) lines rejected")
        if linesRepaired > 0 { parts.append("\(linesRepaired) repaired") }
        parts.append(
            "\(Format.decimal(megabytes, digits: 1)) MB in \(Format.decimal(seconds, digits: 2)) s "
                + "(\(Format.decimal(rate, digits: 1)) MB/s, \(Int(docsRate.rounded())) docs/s)")
        return parts.joined(separator: ", ")
    }
}

/// Receives what `catalog add` has to say while it runs (the CLI prints it).
public protocol IngestObserver: AnyObject {
    /// A per-line problem in `path` (called for the first problems of each file; see `IngestLimits`).
    func problem(_ problem: LineProblem, in path: String)
    /// More problems in `path` than are printed individually.
    func problemsSuppressed(count: Int, in path: String)
    /// A note about a file (already ingested, resumed, skipped, failed, dictionary trained).
    func note(_ message: String)
    /// Progress: documents and uncompressed bytes so far, input bytes consumed of `totalInputBytes`.
    func progress(docs: Int, bytes: Int, inputBytesDone: Int, totalInputBytes: Int, seconds: Double)
}

/// Limits on how much `catalog add` prints and records per file.
public enum IngestLimits {
    /// Problems printed per file before the rest are only counted.
    public static let printedProblemsPerFile = 20
    /// Problems recorded in `ingest_problem` per file.
    public static let recordedProblemsPerFile = 1000
}

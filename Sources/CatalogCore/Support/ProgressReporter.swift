import Foundation

/// When to draw the progress line.
public enum ProgressMode: String, Sendable, CaseIterable {
    /// Only when stderr is a terminal.
    case auto
    /// Always (one line per update when stderr is not a terminal).
    case always
    /// Never.
    case never
}

/// Prints ingest progress and diagnostics to stderr.
///
/// On a terminal the progress line (documents, MB, MB/s, ETA) is redrawn in place at most five
/// times a second; elsewhere nothing but diagnostics is printed unless the mode is `always`.
public final class ProgressReporter: IngestObserver {
    private let drawsProgress: Bool
    private let isTerminal: Bool
    private var lastDraw = -1.0
    private var lineVisible = false

    /// A reporter for `mode`.
    public init(mode: ProgressMode) {
        isTerminal = isatty(STDERR_FILENO) != 0
        switch mode {
        case .auto: drawsProgress = isTerminal
        case .always: drawsProgress = true
        case .never: drawsProgress = false
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func clearLine() {
        if lineVisible && isTerminal {
            write("\r\u{1B}[K")
            lineVisible = false
        }
    }

    public func problem(_ problem: LineProblem, in path: String) {
        clearLine()
        let label = problem.severity == .repaired ? "warning" : "rejected"
        write("\(path):\(problem.line): \(label): \(problem.reason)\n")
    }

    public func problemsSuppressed(count: Int, in path: String) {
        clearLine()
        write("\(path): \(count) more problem(s) not shown (see the ingest_problem table)\n")
    }

    public func note(_ message: String) {
        clearLine()
        write(message + "\n")
    }

    public func progress(docs: Int, bytes: Int, inputBytesDone: Int, totalInputBytes: Int, seconds: Double) {
        guard drawsProgress else { return }
        if isTerminal && lastDraw >= 0 && seconds - lastDraw < 0.2 { return }
        lastDraw = seconds
        let megabytes = Double(bytes) / 1_000_000
        let rate = seconds > 0 ? megabytes / seconds : 0
        var line = "\(docs) docs, \(Format.decimal(megabytes, digits: 1)) MB, \(Format.decimal(rate, digits: 1)) MB/s"
        if totalInputBytes > 0 && inputBytesDone > 0 {
            let fraction = min(1, Double(inputBytesDone) / Double(totalInputBytes))
            let remaining = seconds / fraction - seconds
            line += ", \(Int(fraction * 100))%, ETA \(Int(remaining.rounded())) s"
        }
        if isTerminal {
            write("\r\u{1B}[K" + line)
            lineVisible = true
        } else {
            write("progress: " + line + "\n")
        }
    }

    /// Clears the progress line and prints the run's summary.
    public func finish(summary: String) {
        clearLine()
        write(summary + "\n")
    }
}

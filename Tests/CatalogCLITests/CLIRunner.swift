import Foundation

/// Runs the built `catalog` binary and captures its output.
struct CLIRunner {
    /// The result of one run.
    struct Result {
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    /// The `catalog` executable next to the test bundle.
    static let executable: URL = {
        var directory = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("catalog")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/catalog")
    }()

    /// Runs `catalog arguments...` to completion.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], executable: URL = CLIRunner.executable
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CATALOG_DB")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary directory, removed when released.
final class TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-cli-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ contents: String) -> String {
        let file = url.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(contents.utf8))
        return file.path
    }
}

/// Deterministic JSONL documents for tests: `count` records with ids `doc-N` and varied text.
func generatedJSONL(count: Int, seed: UInt64 = 7, source: String? = nil) -> String {
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma",
                 "river", "stone", "cloud", "paper", "market", "signal", "garden", "engine", "winter", "silver"]
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    var lines: [String] = []
    for index in 0..<count {
        let length = 20 + Int(next() % 60)
        let text = (0..<length).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ")
        let sourceMember = source.map { ",\"source\":\"\($0)\"" } ?? ""
        lines.append("{\"id\":\"doc-\(index)\",\"text\":\"\(text) \(index).\"\(sourceMember),\"meta\":{\"n\":\(index)}}")
    }
    return lines.joined(separator: "\n") + "\n"
}

extension CLIRunner {
    /// Runs the binary, reads its stderr as it comes, and sends SIGKILL as soon as
    /// `killWhen` is true of the stderr lines read so far. Returns whether it was killed
    /// (false: it ended first) and the signal or exit status.
    static func runAndKill(
        _ arguments: [String], killWhen: ([Substring]) -> Bool
    ) throws -> (killed: Bool, signalled: Bool, status: Int32) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        var killed = false
        while !killed {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }  // the process ended before reaching the point
            buffer += String(decoding: data, as: UTF8.self)
            if killWhen(buffer.split(separator: "\n")) {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        return (killed, process.terminationReason == .uncaughtSignal, process.terminationStatus)
    }
}

import Foundation

/// Facts about the running machine.
public enum System {
    /// Processors available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Peak resident memory of this process in bytes (`VmHWM`), or nil where unavailable.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").dropFirst().first { Int($0) != nil }
            return digits.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}

import Foundation

/// Facts about the running machine.
public enum System {
    /// Processors available to this process.
    public static var activeProcessorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}

import Foundation

/// Runs one throwing computation on its own thread; `value()` waits for its result.
///
/// For overlapping independent I/O-bound steps, such as hashing a file while the same file is
/// sampled.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, Error>?

    /// Starts `work` at once.
    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    /// The result, waiting for it if needed; rethrows the computation's error.
    func value() throws -> Value {
        done.wait()
        done.signal()
        guard let result else { preconditionFailure("BackgroundTask finished without a result") }
        return try result.get()
    }
}

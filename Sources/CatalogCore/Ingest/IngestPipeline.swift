import Foundation

/// The threads of one ingest: a reader, `workers` processors and the calling thread as the
/// single SQLite writer.
///
/// The reader turns input into numbered work items under a byte budget (so memory stays
/// bounded whatever the input), workers process items in any order, and the writer receives
/// results strictly in input order, so row ids and stored bytes do not depend on the thread
/// count or on timing.
struct IngestPipeline<Input> {
    /// Worker threads.
    var workers: Int
    /// Bytes of input allowed in flight between reader and writer: three 4 MiB batches per
    /// worker (one queued, one being processed, one waiting for the writer), at least 32 MiB.
    var budgetBytes: Int { min(256 << 20, max(32 << 20, workers * (12 << 20))) }

    /// Runs the pipeline.
    ///
    /// - Parameters:
    ///   - produce: on the reader thread; calls `emit(item, bytes)` per work item and stops early
    ///     when `emit` returns false (the run was cancelled). A thrown error ends the input.
    ///   - makeProcessor: on each worker thread, once.
    ///   - process: on a worker thread, per item.
    ///   - write: on the calling thread, per result in input order; returning false cancels the run.
    /// - Returns: the error the reader ended with, if any.
    func run<Processor>(
        produce: @escaping @Sendable (_ emit: (Input, Int) -> Bool) throws -> Void,
        makeProcessor: @escaping @Sendable () -> Processor,
        process: @escaping @Sendable (Processor, Input, Int) -> ProcessedBatch,
        write: (ProcessedBatch) throws -> Bool
    ) throws -> Error? {
        let budget = ByteBudget(limit: budgetBytes)
        let queue = BlockingQueue<WorkItem<Input>>(capacity: max(2, workers * 2))
        let results = ReorderBuffer<ProcessedBatch>(producers: workers)
        let readerOutcome = ReaderOutcome()
        let group = DispatchGroup()

        group.enter()
        let reader = Thread {
            defer {
                queue.close()
                group.leave()
            }
            var index = 0
            do {
                try produce { item, bytes in
                    guard budget.acquire(bytes) else { return false }
                    guard queue.push(WorkItem(index: index, input: item, bytes: bytes)) else {
                        budget.release(bytes)
                        return false
                    }
                    index += 1
                    return true
                }
            } catch {
                readerOutcome.set(error)
            }
        }
        reader.name = "catalog-reader"
        reader.start()

        for number in 0..<workers {
            group.enter()
            let worker = Thread {
                defer {
                    results.producerFinished()
                    group.leave()
                }
                let processor = makeProcessor()
                while let item = queue.pop() {
                    let batch = process(processor, item.input, item.index)
                    batch.budgetBytes = item.bytes
                    results.put(batch, at: item.index)
                }
            }
            worker.name = "catalog-worker-\(number)"
            worker.stackSize = 8 << 20
            worker.start()
        }

        func cancel() {
            budget.cancel()
            queue.close()
            results.cancel()
            // Drain so blocked workers can finish.
            while queue.pop() != nil {}
        }

        do {
            while let batch = results.nextInOrder() {
                let keepGoing = try write(batch)
                budget.release(batch.budgetBytes)
                if !keepGoing {
                    cancel()
                    break
                }
            }
        } catch {
            cancel()
            group.wait()
            throw error
        }
        group.wait()
        return readerOutcome.error
    }
}

/// A numbered unit of input.
private struct WorkItem<Input> {
    let index: Int
    let input: Input
    let bytes: Int
}

/// The error the reader thread ended with.
private final class ReaderOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ error: Error) {
        lock.lock()
        stored = error
        lock.unlock()
    }
}

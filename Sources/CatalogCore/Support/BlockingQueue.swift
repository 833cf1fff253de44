import Foundation

/// A first-in first-out queue between threads, bounded by item count; `close()` ends it.
///
/// `push` blocks while the queue is full; `pop` blocks while it is empty and returns nil once
/// it is closed and drained. Used between the ingest reader, its workers and the writer.
public final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Slots hold nil once popped, so a popped item is released at once.
    private var items: [Element?] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    /// A queue holding at most `capacity` items.
    public init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// Adds an item, waiting for room; returns false (dropping it) when the queue is closed.
    @discardableResult
    public func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting for one; nil when closed and empty.
    public func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Ends the queue: pending items can still be popped, new pushes are refused.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A budget of bytes in flight: producers wait while it is spent, consumers give bytes back.
///
/// One request larger than the whole budget is still admitted when nothing else is in flight,
/// so a single huge item cannot deadlock the pipeline.
public final class ByteBudget: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private var cancelled = false
    /// The budget.
    public let limit: Int

    /// A budget of `limit` bytes.
    public init(limit: Int) { self.limit = limit }

    /// Waits until `bytes` fit; false when cancelled.
    public func acquire(_ bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && inFlight > 0 && inFlight + bytes > limit { condition.wait() }
        guard !cancelled else { return false }
        inFlight += bytes
        return true
    }

    /// Returns `bytes` to the budget.
    public func release(_ bytes: Int) {
        condition.lock()
        inFlight -= bytes
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes every waiter and refuses further acquisitions.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Results produced out of order by workers, handed out in index order.
public final class ReorderBuffer<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Int: Element] = [:]
    private var next = 0
    private var finishedProducers = 0
    private let producers: Int
    private var cancelled = false

    /// A buffer fed by `producers` workers.
    public init(producers: Int) { self.producers = producers }

    /// Stores the result of item `index`.
    public func put(_ element: Element, at index: Int) {
        condition.lock()
        pending[index] = element
        condition.broadcast()
        condition.unlock()
    }

    /// Marks one producer as done.
    public func producerFinished() {
        condition.lock()
        finishedProducers += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Wakes the consumer and makes `next()` return nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next result in index order; nil when every producer finished and none is left.
    public func nextInOrder() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if cancelled { return nil }
            if let element = pending.removeValue(forKey: next) {
                next += 1
                return element
            }
            if finishedProducers == producers { return nil }
            condition.wait()
        }
    }
}

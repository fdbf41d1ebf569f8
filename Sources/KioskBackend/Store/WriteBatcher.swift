import Foundation
import GRDB
import Logging

/// Group commit: every write waits in one queue, and one thread commits all that
/// are waiting in a single transaction.
///
/// With `synchronous=FULL` each commit costs one fsync, which bounds a writer to a
/// few thousand commits a second. Requests that arrive while one commit is under
/// way share the next, so throughput grows with load while every write is still
/// acknowledged only after its own data is durable. Each job runs in its own
/// savepoint: a job that throws is rolled back alone, the others still commit.
final class WriteBatcher: @unchecked Sendable {
    private struct Job {
        let run: (Database) -> Void
        let finish: (_ commitError: (any Error)?) -> Void
    }

    private let writer: any DatabaseWriter
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopping = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    /// Largest number of jobs committed together.
    let maxBatch: Int

    init(writer: any DatabaseWriter, logger: Logger, maxBatch: Int = 256) {
        self.writer = writer
        self.logger = logger
        self.maxBatch = maxBatch
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "sqlite-writer"
        self.thread = thread
        thread.start()
    }

    /// Runs `work` in the next group transaction; returns once that transaction has committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let box = ResultBox<T>()
            let job = Job(
                run: { db in
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try work(db)
                            return .commit
                        }
                        box.result = .success(value!)
                    } catch {
                        box.result = .failure(error)
                    }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: box.result ?? .failure(DatabaseError(message: "job did not run")))
                    }
                })
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume(throwing: DatabaseError(message: "the store is closing"))
                return
            }
            queue.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                break
            }
            let count = min(queue.count, maxBatch)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            condition.unlock()

            do {
                try writer.write { db in
                    for job in batch { job.run(db) }
                }
                for job in batch { job.finish(nil) }
            } catch {
                logger.error("group commit failed", metadata: ["db.batch": "\(batch.count)", "db.error": "\(error)"])
                for job in batch { job.finish(error) }
            }
        }
        stopped.signal()
    }

    /// Commits what is queued, then stops the writer thread. Idempotent.
    func stop() {
        condition.lock()
        let wasStopping = stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if !wasStopping { stopped.wait() }
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

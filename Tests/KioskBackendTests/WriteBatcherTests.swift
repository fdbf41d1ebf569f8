import Foundation
import GRDB
@testable import KioskBackend
import Synchronization
import Testing

/// Group commit through `Store.write`: concurrent writes share transactions, every one
/// is committed and visible when its call returns, and a job that throws is rolled back
/// alone while the others of its batch commit.
@Suite(.serialized)
struct WriteBatcherTests {
    struct Boom: Error, Equatable {}

    /// Counts commits of the writer connection; `generation` tells which commit a job was part of.
    final class Commits: TransactionObserver, Sendable {
        let count = Mutex(0)
        var generation: Int { count.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// Which commit each job ended up in, recorded after the commit.
    final class Ledger: Sendable {
        let entries = Mutex<[Int: Int]>([:])
        func record(_ job: Int, _ generation: Int) { entries.withLock { $0[job] = generation } }
        var snapshot: [Int: Int] { entries.withLock { $0 } }
    }

    /// A service database with a probe table beside its tables, and the commit counter on the writer.
    static func prepared() throws -> (TestApp, Commits) {
        let app = try TestApp()
        let commits = Commits()
        try app.store.writeNow { db in
            try db.execute(sql: "CREATE TABLE probe (id INTEGER PRIMARY KEY, job INTEGER NOT NULL UNIQUE)")
            try db.execute(sql: "INSERT INTO probe (job) VALUES (-1)")
            db.add(transactionObserver: commits, extent: .databaseLifetime)
        }
        return (app, commits)
    }

    /// The writer thread held inside a transaction until ``release()``, so the jobs queued
    /// meanwhile are committed together in the next batch.
    struct Held {
        final class Gate: Sendable {
            let entered = Mutex(false)
            let open = DispatchSemaphore(value: 0)
        }

        let gate: Gate
        let task: Task<Void, any Error>

        /// Gives the jobs half a second to queue, then lets the writer go and waits for its transaction.
        func release() async throws {
            try await Task.sleep(for: .milliseconds(500))
            gate.open.signal()
            try await task.value
        }
    }

    /// Only the writer thread blocks; the test polls, so no cooperative thread is held.
    static func hold(_ store: Store) async throws -> Held {
        let gate = Held.Gate()
        let task = Task {
            try await store.write { _ in
                gate.entered.withLock { $0 = true }
                gate.open.wait()
            }
        }
        while !gate.entered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
        return Held(gate: gate, task: task)
    }

    static func insert(_ job: Int, ledger: Ledger, commits: Commits) -> @Sendable (Database) throws -> Int64 {
        { db in
            try db.execute(sql: "INSERT INTO probe (job) VALUES (?)", arguments: [job])
            db.afterNextTransaction { _ in ledger.record(job, commits.generation) }
            return db.lastInsertedRowID
        }
    }

    static func jobs(_ app: TestApp) async throws -> [Int] {
        try await app.store.read { db in try Int.fetchAll(db, sql: "SELECT job FROM probe ORDER BY job") }
    }

    @Test func twoHundredConcurrentWritesAllCommitAndAreVisible() async throws {
        let (app, commits) = try Self.prepared()
        let ledger = Ledger()
        let before = commits.generation
        let store = app.store

        let results = try await withThrowingTaskGroup(of: (Int, Int64, Int?).self) { group in
            for job in 0..<200 {
                group.addTask {
                    let rowID = try await store.write(Self.insert(job, ledger: ledger, commits: commits))
                    // Committed when write returns: a fresh read sees it.
                    let seen = try await store.read { db in
                        try Int.fetchOne(db, sql: "SELECT job FROM probe WHERE id = ?", arguments: [rowID])
                    }
                    return (job, rowID, seen)
                }
            }
            return try await group.reduce(into: [(Int, Int64, Int?)]()) { $0.append($1) }
        }

        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.0 == $0.2 }, "a write was not visible to a read after it returned")
        #expect(Set(results.map(\.1)).count == 200)
        #expect(try await Self.jobs(app) == [-1] + Array(0..<200))
        let used = commits.generation - before
        #expect(used >= 1 && used <= 200)
        #expect(Set(ledger.snapshot.keys) == Set(0..<200), "every job saw its commit")
    }

    @Test func writesQueuedDuringACommitShareTheNext() async throws {
        let (app, commits) = try Self.prepared()
        let ledger = Ledger()
        let store = app.store
        let held = try await Self.hold(store)
        let before = commits.generation

        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for job in 0..<199 {
                    group.addTask { _ = try await store.write(Self.insert(job, ledger: ledger, commits: commits)) }
                }
                try await group.waitForAll()
            }
        }
        try await held.release()
        try await writers.value

        #expect(try await Self.jobs(app).count == 200)
        let generations = Set(ledger.snapshot.values)
        #expect(ledger.snapshot.count == 199)
        // The held transaction, then (all going well) one batch for the 199 queued behind it.
        #expect(commits.generation - before <= 3, "\(commits.generation - before) commits for 200 writes")
        #expect(generations.count <= 2)
    }

    @Test func aJobThatThrowsIsRolledBackAloneAndItsBatchCommits() async throws {
        let (app, commits) = try Self.prepared()
        let ledger = Ledger()
        let store = app.store
        let held = try await Self.hold(store)

        enum Outcome: Sendable, Equatable { case stored(Int), boom, constraint, other(String) }
        let outcomes = Task {
            await withTaskGroup(of: (Int, Outcome).self) { group in
                for job in 0..<30 {
                    group.addTask {
                        do {
                            if job == 10 {
                                // Writes, then fails: its row must go.
                                try await store.write { db in
                                    try db.execute(sql: "INSERT INTO probe (job) VALUES (1010)")
                                    db.afterNextTransaction { _ in ledger.record(job, commits.generation) }
                                    throw Boom()
                                }
                            } else if job == 20 {
                                // Writes, then breaks a UNIQUE constraint: SQLite's own error.
                                try await store.write { db in
                                    try db.execute(sql: "INSERT INTO probe (job) VALUES (1020)")
                                    db.afterNextTransaction { _ in ledger.record(job, commits.generation) }
                                    try db.execute(sql: "INSERT INTO probe (job) VALUES (-1)")
                                }
                            } else {
                                _ = try await store.write(Self.insert(job, ledger: ledger, commits: commits))
                                return (job, .stored(job))
                            }
                            return (job, .other("no error"))
                        } catch is Boom {
                            return (job, .boom)
                        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                            return (job, .constraint)
                        } catch {
                            return (job, .other("\(error)"))
                        }
                    }
                }
                return await group.reduce(into: [Int: Outcome]()) { $0[$1.0] = $1.1 }
            }
        }
        try await held.release()
        let results = await outcomes.value

        #expect(results[10] == .boom)
        #expect(results[20] == .constraint)
        for job in 0..<30 where job != 10 && job != 20 {
            #expect(results[job] == .stored(job))
        }
        #expect(try await Self.jobs(app) == [-1] + (0..<30).filter { $0 != 10 && $0 != 20 })
        // The failing jobs were in the same transaction as the ones that committed.
        let recorded = ledger.snapshot
        #expect(Set(recorded.values).count == 1, "\(recorded)")
        #expect(recorded[10] != nil && recorded[10] == recorded[0])
        #expect(recorded[20] != nil && recorded[20] == recorded[29])
    }

    @Test func afterCloseAWriteIsRefusedAndNothingQueuedIsLost() async throws {
        let (app, _) = try Self.prepared()
        let store = app.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for job in 0..<50 {
                group.addTask { _ = try await store.write { db in try db.execute(sql: "INSERT INTO probe (job) VALUES (?)", arguments: [job]) } }
            }
            try await group.waitForAll()
        }
        try app.close()
        await #expect(throws: DatabaseError.self) {
            try await store.write { db in try db.execute(sql: "INSERT INTO probe (job) VALUES (999)") }
        }
        let reopened = try Store(path: app.store.path, durability: .full, logger: TestApp.quietLogger)
        defer { try? reopened.close() }
        let count = try reopened.readNow { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probe") }
        #expect(count == 51)
    }
}

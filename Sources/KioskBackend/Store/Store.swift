import Domain
import Foundation
import GRDB
import Logging

/// The SQLite database: a WAL `DatabasePool` for reads, group commits for writes.
public final class Store: Sendable {
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=FULL`: a commit survives a power cut (fsync of the WAL on every commit).
        case full
        /// `synchronous=NORMAL`: survives a crash of the process, may lose the last commits on a power cut.
        case normal
    }

    let pool: DatabasePool
    let batcher: WriteBatcher
    public let path: String

    /// Opens (creating if needed) the database at `path` and migrates it. `publicContacts`:
    /// the config's public contact details, kept in Open311's texts when a migration fills them.
    public init(path: String, durability: Durability = .full, publicContacts: [CityConfig.Contact] = [], logger: Logger) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let pragma = durability == .full ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(pragma)")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator(keep: Open311Redaction.Public(publicContacts)).migrate(pool)
        batcher = WriteBatcher(writer: pool, logger: logger)
        self.path = path
    }

    /// A write in the next group commit; returns after the commit.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(work)
    }

    /// A read from a snapshot.
    ///
    /// Run in place rather than through GRDB's async API: a WAL read never waits for the
    /// writer and takes microseconds, while hopping to GRDB's queue and back cost more
    /// than the read itself (thread switches were 40 % of a GET's CPU under load).
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readNow(work)
    }

    /// A synchronous write for the command line (tokens, purge), outside the batcher.
    public func writeNow<T>(_ work: (Database) throws -> T) throws -> T {
        try pool.write(work)
    }

    public func readNow<T>(_ work: (Database) throws -> T) throws -> T {
        try pool.read(work)
    }

    /// A read of ONE statement, without the transaction `read` opens around its work: SQLite
    /// runs a lone statement on a snapshot of its own, so the BEGIN and COMMIT (and GRDB's checks
    /// around them) that `read` adds buy nothing there. For the reads every request makes (the
    /// token, a signal by reference). `work` that runs two statements must use `read`: they
    /// could see two different states of the database.
    func readOneStatement<T>(_ work: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(work)
    }

    /// A consistent copy of the whole database, taken with SQLite's online backup
    /// while the service keeps running (https://www.sqlite.org/backup.html), and of the photo
    /// files its rows name into `PATH.photos/` (files are never changed once written, so a copy
    /// after the database's is consistent with it). Answers how many photos were copied.
    @discardableResult
    public func backup(to path: String) throws -> Int {
        if FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: path + ".photos") {
            throw BackupError(description: "\(path) exists already; choose a new file name")
        }
        let destination = try DatabaseQueue(path: path)
        try pool.backup(to: destination)
        let photos = try destination.read { db in try PhotoFiles(databasePath: self.path).copy(rowsOf: db, toBackupAt: path) }
        try destination.close()
        return photos
    }

    public struct BackupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Finishes queued writes and closes every connection.
    public func close() throws {
        batcher.stop()
        try pool.close()
    }
}

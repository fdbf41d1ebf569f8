import Crypto
import Foundation
import GRDB

/// `Idempotency-Key` storage: a retry with the same key and body gets the first
/// answer and creates nothing new. The check and the remembered answer live in the
/// same transaction as the write, so a retry can never slip between them.
/// The store keeps the answer as data; `Routes/Idempotency+HTTP.swift` reads the header and makes the response.
struct Idempotency: Sendable {
    let scope: String
    let key: String
    let requestHash: String

    /// Keys live this long; `purge` removes older ones.
    static let lifetime: TimeInterval = 24 * 3600

    /// The first answer to a key, as it was stored.
    struct Answer: Sendable, Equatable {
        var status: Int
        var body: [UInt8]
        /// The first answer's `Location`, if it had one.
        var location: String?
    }

    /// The key came again with a different body: nothing is replayed or stored (422).
    struct Reused: Error, Equatable {}

    init(scope: String, key: String, body: [UInt8]) {
        var hasher = SHA256()
        hasher.update(data: Data(body))
        self.scope = scope
        self.key = key
        self.requestHash = TokenSecret.hex(hasher.finalize())
    }

    /// The first answer, if this key was used before with the same body.
    /// - Throws: ``Reused`` if it was used with another body.
    func firstAnswer(_ db: Database) throws -> Answer? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT request_hash, status, body, location FROM idempotency_key WHERE scope = ? AND key = ?",
            arguments: [scope, key])
        else { return nil }
        let storedHash: String = row["request_hash"]
        guard storedHash == requestHash else { throw Reused() }
        let body: Data = row["body"]
        return Answer(status: row["status"], body: Array(body), location: row["location"])
    }

    func remember(_ answer: Answer, now: Date, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO idempotency_key (scope, key, request_hash, status, body, location, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [scope, key, requestHash, answer.status, Data(answer.body), answer.location, Millis.from(now)])
    }
}

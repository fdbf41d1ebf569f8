import Crypto
import Domain
import Foundation
import GRDB

/// The satisfaction question (docs/interface.md §12): asked once per answer, in the answer's transaction.
enum FeedbackQueries {
    /// Opens the question for `reference` until `days` after `now`; returns the token for
    /// the link `/feedback/{token}` (only its SHA-256 is stored).
    static func ask(reference: String, now: Date, days: Int, db: Database) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let token = StatusKey.make(using: &generator) + StatusKey.make(using: &generator)
        var question = FeedbackRecord(
            tokenHash: hash(token), signalReference: reference, askedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(days * 86_400)))
        try question.insert(db)
        return token
    }

    /// SHA-256 of a feedback token, hex.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

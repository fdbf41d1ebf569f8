import Domain
import Foundation
import GRDB

/// A row of the `feedback` table (migration v8): one satisfaction question and, once given,
/// the reporter's answer to it.
struct FeedbackRecord: Sendable, Equatable {
    var id: Int64
    var signalReference: String
    var question: FeedbackQuestion
    var satisfied: Bool?

    init(row: Row) {
        id = row["id"]
        signalReference = row["signal_reference"]
        question = FeedbackQuestion(
            askedAt: Millis.date(row["asked_at"]), expiresAt: Millis.date(row["expires_at"]),
            givenAt: (row["given_at"] as Int64?).map(Millis.date))
        satisfied = row["satisfied"]
    }

    /// The question behind the token of a `/feedback/{token}` link, if one was asked.
    static func find(token: String, db: Database) throws -> FeedbackRecord? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM feedback WHERE token_hash = ?"),
            arguments: [FeedbackQueries.hash(token)]
        ).map(FeedbackRecord.init(row:))
    }

    /// Stores the reporter's answer; false when another request gave one first.
    static func give(id: Int64, _ answer: FeedbackAnswer, now: Date, db: Database) throws -> Bool {
        try db.execute(
            sql: """
                UPDATE feedback SET given_at = ?, satisfied = ?, reasons = ?, text = ?, ombudsman = ?
                WHERE id = ? AND given_at IS NULL
                """,
            arguments: [
                Millis.from(now), answer.satisfied, answer.reasons.map(\.rawValue).joined(separator: ","),
                answer.text.isEmpty ? nil : answer.text, answer.ombudsman, id,
            ])
        return db.changesCount == 1
    }
}

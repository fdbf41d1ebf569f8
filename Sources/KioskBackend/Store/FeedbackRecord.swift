import Domain
import Foundation
import GRDB

/// A row of the `feedback` table (migration v8): one satisfaction question and, once given,
/// the reporter's answer to it.
struct FeedbackRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    static let databaseTableName = "feedback"
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { MillisDates.encoding }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { MillisDates.decoding }

    var id: Int64?
    /// SHA-256 of the token in the answer message's link, hex (``FeedbackQueries/hash(_:)``).
    var tokenHash: String
    var signalReference: String
    var askedAt: Date
    var expiresAt: Date
    var givenAt: Date?
    var satisfied: Bool?
    /// The reasons given, ``FeedbackReason`` raw values separated by commas.
    var reasons: String?
    /// The reporter's own words: personal data, emptied by the retention purge.
    var text: String?
    var ombudsman: Bool?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case tokenHash = "token_hash"
        case signalReference = "signal_reference"
        case askedAt = "asked_at"
        case expiresAt = "expires_at"
        case givenAt = "given_at"
        case satisfied, reasons, text, ombudsman
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    /// A question asked now, not answered yet.
    init(tokenHash: String, signalReference: String, askedAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.signalReference = signalReference
        self.askedAt = askedAt
        self.expiresAt = expiresAt
    }

    var question: FeedbackQuestion {
        FeedbackQuestion(askedAt: askedAt, expiresAt: expiresAt, givenAt: givenAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The question behind the token of a `/feedback/{token}` link, if one was asked.
    static func find(token: String, db: Database) throws -> FeedbackRecord? {
        try FeedbackRecord.filter(Columns.tokenHash == FeedbackQueries.hash(token)).fetchOne(db)
    }

    /// Stores the reporter's answer; false when another request gave one first.
    func give(_ answer: FeedbackAnswer, now: Date, db: Database) throws -> Bool {
        guard let id else { preconditionFailure("answering a question that was never stored") }
        return try FeedbackRecord.filter(key: id).filter(Columns.givenAt == nil).updateAll(db, [
            Columns.givenAt.set(to: Millis.from(now)),
            Columns.satisfied.set(to: answer.satisfied),
            Columns.reasons.set(to: answer.reasons.map(\.rawValue).joined(separator: ",")),
            Columns.text.set(to: answer.text.isEmpty ? nil : answer.text),
            Columns.ombudsman.set(to: answer.ombudsman),
        ]) == 1
    }
}

import Domain
import Foundation
import GRDB

/// A message about to be queued: rendered in the reporter's (or recipient's) language.
struct OutgoingMessage: Sendable, Equatable {
    var signalReference: String
    var kind: MessageKind
    /// An e-mail address.
    var to: String
    var language: String
    var subject: String
    var text: String
    var html: String
}

/// The `outbox_message` table's row (docs/interface.md §11).
struct OutboxMessage: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    static let databaseTableName = "outbox_message"

    var id: Int64?
    var signalReference: String
    var kind: MessageKind
    var recipient: String
    var language: String
    var subject: String
    var bodyText: String
    var bodyHTML: String
    /// `<…@domain>`, chosen when queued and the same on every retry.
    var messageID: String
    var status: MessageStatus
    var attempts: Int
    var lastError: String?
    var queuedAt: Int64
    var nextAttemptAt: Int64
    var sentAt: Int64?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, kind, recipient, language, subject, status, attempts
        case signalReference = "signal_reference"
        case bodyText = "body_text"
        case bodyHTML = "body_html"
        case messageID = "message_id"
        case lastError = "last_error"
        case queuedAt = "queued_at"
        case nextAttemptAt = "next_attempt_at"
        case sentAt = "sent_at"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// The outbox: messages are queued inside the transaction of their cause, and the
/// delivery worker takes them from here.
enum Outbox {
    /// Queues `message` in `db`'s transaction; `domain` names the Message-ID's right-hand side.
    @discardableResult
    static func enqueue(_ message: OutgoingMessage, domain: String, now: Date, db: Database) throws -> OutboxMessage {
        let ms = Millis.from(now)
        var row = OutboxMessage(
            id: nil, signalReference: message.signalReference, kind: message.kind, recipient: message.to,
            language: message.language, subject: message.subject, bodyText: message.text, bodyHTML: message.html,
            messageID: "<\(UUID().uuidString.lowercased())@\(domain)>", status: .queued, attempts: 0, lastError: nil,
            queuedAt: ms, nextAttemptAt: ms, sentAt: nil)
        try row.insert(db)
        return row
    }

    /// A signal's messages, oldest first.
    static func messages(for reference: String, db: Database) throws -> [OutboxMessage] {
        try OutboxMessage
            .filter(OutboxMessage.Columns.signalReference == reference)
            .order(OutboxMessage.Columns.queuedAt, OutboxMessage.Columns.id)
            .fetchAll(db)
    }

    /// Queued messages whose next attempt is due, oldest first.
    static func due(now: Date, limit: Int, db: Database) throws -> [OutboxMessage] {
        try OutboxMessage
            .filter(OutboxMessage.Columns.status == MessageStatus.queued && OutboxMessage.Columns.nextAttemptAt <= Millis.from(now))
            .order(OutboxMessage.Columns.nextAttemptAt, OutboxMessage.Columns.id)
            .limit(limit)
            .fetchAll(db)
    }
}

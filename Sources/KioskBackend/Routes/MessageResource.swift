import Domain
import Foundation

/// One outbound message as the back office sees it (docs/interface.md §11): where it is in its delivery,
/// with `language` and `subject` added. The body stays in the database (what was previewed
/// is what goes out). `to` is null once the signal's personal data was removed.
struct MessageResource: Encodable {
    let id: Int64
    let kind: MessageKind
    @Nullable var to: String?
    let language: String
    @Nullable var subject: String?
    let status: MessageStatus
    let attempts: Int
    @Nullable var lastError: String?
    let queuedAt: String
    @Nullable var sentAt: String?

    init(_ m: OutboxMessage) {
        id = m.id ?? 0
        kind = m.kind
        to = m.recipient.isEmpty ? nil : m.recipient
        language = m.language
        subject = m.recipient.isEmpty && m.subject.isEmpty ? nil : m.subject
        status = m.status
        attempts = m.attempts
        lastError = m.lastError
        queuedAt = Timestamp.formatPrecise(Millis.date(m.queuedAt))
        sentAt = m.sentAt.map { Timestamp.formatPrecise(Millis.date($0)) }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, to, language, subject, status, attempts
        case lastError = "last_error"
        case queuedAt = "queued_at"
        case sentAt = "sent_at"
    }
}

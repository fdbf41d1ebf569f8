import Domain
import Foundation
import GRDB

/// An access request (GDPR art. 15) or an erasure (art. 17) for one person,
/// found by e-mail address or phone number.
public enum PersonalData {
    public enum Subject: Sendable {
        case email(String)
        case phone(String)
    }

    /// Digits only, with a Belgian leading 0 and +32/0032 made the same, so
    /// "059 12 34 56", "+32 59 12 34 56" and "0032591234 56" match.
    public static func normalizePhone(_ s: String) -> String {
        var digits = s.filter(\.isNumber)
        if digits.hasPrefix("0032") { digits = "0" + digits.dropFirst(4) }
        else if s.trimmingCharacters(in: .whitespaces).hasPrefix("+32") { digits = "0" + digits.dropFirst(2) }
        return digits
    }

    /// Finds the ids of signals whose contact matches.
    static func signalIds(_ db: Database, _ subject: Subject) throws -> [Int64] {
        switch subject {
        case .email(let e):
            return try Int64.fetchAll(
                db, sql: "SELECT id FROM signal WHERE contact_email = ? COLLATE NOCASE ORDER BY id",
                arguments: [e.trimmingCharacters(in: .whitespaces)])
        case .phone(let p):
            let wanted = normalizePhone(p)
            guard wanted.count >= 6 else { return [] }
            return try Row.fetchAll(db, sql: "SELECT id, contact_phone FROM signal WHERE contact_phone IS NOT NULL ORDER BY id")
                .filter { normalizePhone($0["contact_phone"]) == wanted }
                .map { $0["id"] }
        }
    }

    /// Everything held on the person, as one JSON document.
    /// `photos`: the folder of the signals' photos, whose files go into the document (base64).
    public static func export(_ db: Database, _ subject: Subject, photos: PhotoFiles? = nil) throws -> JSONValue {
        let ids = try signalIds(db, subject)
        let encoder = JSONEncoder()
        var signals: [JSONValue] = []
        for id in ids {
            guard let record = try SignalRecord.fetchOne(db, key: id) else { continue }
            let data = try encoder.encode(SignalResource(signal: record.signal, personalData: true))
            guard case .object(var signal) = try JSONValue.parse(Array(data)) else { continue }
            signal["photos"] = .array(try Row.fetchAll(db, sql: "SELECT * FROM photo WHERE signal_id = ? ORDER BY id", arguments: [id]).map { row in
                let mediaType: String = row["media_type"]
                var photo: [String: JSONValue] = [
                    "id": .string(row["public_id"]), "media_type": .string(mediaType),
                    "created_at": .string(Timestamp.format(Millis.date(row["created_at"]))),
                ]
                if let photos, let bytes = try? photos.read(row["file_id"], ext: mediaType == "image/png" ? "png" : "jpg", thumbnail: false) {
                    photo["data_base64"] = .string(Data(bytes).base64EncodedString())
                }
                return .object(photo)
            })
            signals.append(.object(signal))
        }
        var doc: [String: JSONValue] = [
            "subject": .object(subjectJSON(subject)),
            "exported_at": .string(Timestamp.format(Date())),
            "signals": .array(signals),
        ]
        let (key, calls) = try CallQueries.exportPersonalData(db, subject)
        doc[key] = calls
        if case .email(let e) = subject { doc["messages"] = try messagesTo(db, e) }
        return .object(doc)
    }

    /// Removes the person's contact details everywhere; returns how many records changed.
    public static func erase(_ db: Database, _ subject: Subject, now: Date) throws -> Int {
        let nowMs = Millis.from(now)
        let ids = try signalIds(db, subject)
        for id in ids {
            try Retention.clearContact(db, signalId: id, actor: "erasure request", field: "personal_data_erased", now: nowMs)
        }
        var count = ids.count
        count += try CallQueries.erasePersonalData(db, subject, now: nowMs)
        if case .email(let e) = subject {
            // Messages to the address that clearContact did not reach (a signal whose contact
            // address was later changed, a copy sent about someone else's signal).
            try Retention.clearMessages(
                db, sql: "recipient = ? COLLATE NOCASE", arguments: [e.trimmingCharacters(in: .whitespaces)], now: nowMs)
            count += db.changesCount
        }
        return count
    }

    /// The messages sent (or queued) to `email`, with what they said (docs/interface.md §11).
    static func messagesTo(_ db: Database, _ email: String) throws -> JSONValue {
        let rows = try OutboxMessage
            .filter(sql: "recipient = ? COLLATE NOCASE", arguments: [email.trimmingCharacters(in: .whitespaces)])
            .order(OutboxMessage.Columns.queuedAt, OutboxMessage.Columns.id)
            .fetchAll(db)
        return .array(rows.map { m in
            .object([
                "id": .number(Double(m.id ?? 0)), "signal_reference": .string(m.signalReference),
                "kind": .string(m.kind.rawValue), "to": .string(m.recipient), "language": .string(m.language),
                "subject": .string(m.subject), "body_text": .string(m.bodyText), "status": .string(m.status.rawValue),
                "queued_at": .string(Timestamp.formatPrecise(Millis.date(m.queuedAt))),
                "sent_at": m.sentAt.map { .string(Timestamp.formatPrecise(Millis.date($0))) } ?? .null,
            ])
        })
    }

    static func subjectJSON(_ s: Subject) -> [String: JSONValue] {
        switch s {
        case .email(let e): ["email": .string(e)]
        case .phone(let p): ["phone": .string(p)]
        }
    }
}

import Domain
import Foundation
import GRDB

/// Forgetting personal data (GDPR): what `kiosk-backend purge` and the daily run inside `serve` do.
///
/// Only personal data goes: contact details, and phone numbers of calls. Every figure
/// of every report is computed from columns that stay, so reports are the same before and after.
public enum Retention {
    public struct Summary: Encodable, Sendable, Equatable {
        public var signalsCleared = 0
        public var callsCleared = 0
        public var draftsDeleted = 0
        public var idempotencyKeysDeleted = 0
        public var photosDeleted = 0

        enum CodingKeys: String, CodingKey {
            case signalsCleared = "signals_cleared"
            case callsCleared = "calls_cleared"
            case draftsDeleted = "drafts_deleted"
            case idempotencyKeysDeleted = "idempotency_keys_deleted"
            case photosDeleted = "photos_deleted"
        }
    }

    static let contactColumns = ["contact_name", "contact_email", "contact_phone", "contact_postal_address"]

    /// Removes contact details of signals closed before `now - retentionDays`, caller numbers
    /// of calls older than that, expired drafts and old idempotency answers.
    public static func purge(_ db: Database, retentionDays: Int, now: Date) throws -> Summary {
        let nowMs = Millis.from(now)
        let cutoff = Millis.from(now.addingTimeInterval(-Double(retentionDays) * 86_400))
        var summary = Summary()
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT id FROM signal
                WHERE status = 'closed' AND closed_at < ? AND personal_data_removed_at IS NULL
                  AND (contact_name IS NOT NULL OR contact_email IS NOT NULL OR contact_phone IS NOT NULL
                       OR contact_postal_address IS NOT NULL
                       OR EXISTS (SELECT 1 FROM photo WHERE photo.signal_id = signal.id))
                """, arguments: [cutoff])
        summary.photosDeleted = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM photo WHERE signal_id IN (\(ids.map(String.init).joined(separator: ",")))") ?? 0
        for id in ids {
            try clearContact(db, signalId: id, actor: "retention", field: "personal_data_removed", now: nowMs)
        }
        summary.signalsCleared = ids.count
        summary.callsCleared = try CallQueries.removePersonalData(db, cutoff: cutoff, now: nowMs)
        // An expired draft stays until it is an hour old: it still counts towards `kiosk.drafts_per_hour`.
        try db.execute(
            sql: "DELETE FROM draft WHERE expires_at < ? AND created_at < ?", arguments: [nowMs, nowMs - 3_600_000])
        summary.draftsDeleted = db.changesCount
        try db.execute(
            sql: "DELETE FROM idempotency_key WHERE created_at < ?",
            arguments: [nowMs - Int64(Idempotency.lifetime * 1000)])
        summary.idempotencyKeysDeleted = db.changesCount
        return summary
    }

    /// Blanks a signal's contact details and records that it happened, not what was there.
    static func clearContact(_ db: Database, signalId: Int64, actor: String, field: String, now: Int64) throws {
        try db.execute(
            sql: """
                UPDATE signal SET contact_name = NULL, contact_email = NULL, contact_phone = NULL,
                       contact_postal_address = NULL,
                       personal_data_removed_at = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [now, now, signalId])
        // Photos are personal data (§3): their rows go now, their files once the transaction
        // committed (``PhotoFiles/removeDropped(before:db:)``).
        try db.execute(sql: "DELETE FROM photo WHERE signal_id = ?", arguments: [signalId])
        // The reporter's own words in the satisfaction question go with the contact details.
        try db.execute(
            sql: "UPDATE feedback SET text = NULL WHERE signal_reference = (SELECT reference FROM signal WHERE id = ?)",
            arguments: [signalId])
        try db.execute(
            sql: "INSERT INTO signal_change (signal_id, at, actor, field, old_value, new_value) VALUES (?, ?, ?, ?, NULL, NULL)",
            arguments: [signalId, now, actor, field])
        try clearMessages(db, sql: "signal_reference = (SELECT reference FROM signal WHERE id = ?)", arguments: [signalId], now: now)
    }

    /// Blanks the recipient, subject and bodies of the outbox messages `sql` selects; kind,
    /// status and timestamps stay for the figures. A message still queued is not sent any more.
    static func clearMessages(_ db: Database, sql condition: String, arguments: StatementArguments, now: Int64) throws {
        try db.execute(
            sql: """
                UPDATE outbox_message
                SET recipient = '', subject = '', body_text = '', body_html = '',
                    status = CASE status WHEN 'queued' THEN 'failed' ELSE status END,
                    last_error = CASE status WHEN 'queued' THEN 'not sent: personal data removed' ELSE last_error END
                WHERE \(condition)
                """, arguments: arguments)
    }
}

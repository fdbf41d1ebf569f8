import Domain
import Foundation
import GRDB

/// What Open311 publishes of a signal's texts, `public_description` and `public_answer`
/// (shown as `description` and `status_notes`): redacted once, in the transaction that
/// writes the text (intake on every channel, a new answer), so a public read only copies
/// stored columns and never redacts (issue 9).
enum Open311Text {
    /// The description without personal data, cut to the standard's 4,000 characters;
    /// a `media_url` line (`Open311Markers`) is kept as written, after the cut.
    static func description(_ description: String, name: String?, keep: Open311Redaction.Public) -> String {
        let (text, mediaURL) = Open311Markers.splitMediaURL(description)
        let redacted = Open311Redaction.redact(text, name: name, keep: keep)
        return Open311Markers.joinMediaURL(String(redacted.prefix(Open311ServiceRequest.maxDescription)), mediaURL)
    }

    static func answer(_ answer: String?, name: String?, keep: Open311Redaction.Public) -> String? {
        answer.map { Open311Redaction.redact($0, name: name, keep: keep) }
    }

    /// Both public texts of a new signal.
    static func store(_ signal: Signal, id: Int64, keep: Open311Redaction.Public, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE signal SET public_description = ?, public_answer = ? WHERE id = ?").execute(arguments: [
            description(signal.description, name: signal.contact?.name, keep: keep),
            answer(signal.answer, name: signal.contact?.name, keep: keep), id,
        ])
    }

    /// The public answer after the answer changed. The description is left as stored: it
    /// was redacted with the reporter's name, which the retention purge may since have removed.
    static func storeAnswer(_ signal: Signal, id: Int64, keep: Open311Redaction.Public, db: Database) throws {
        try db.cachedStatement(sql: "UPDATE signal SET public_answer = ? WHERE id = ?").execute(arguments: [
            answer(signal.answer, name: signal.contact?.name, keep: keep), id,
        ])
    }

    /// Fills both columns for every signal written before they existed (a migration),
    /// 500 rows at a time so memory stays small on a large database.
    static func backfill(keep: Open311Redaction.Public, db: Database) throws {
        let update = try db.makeStatement(sql: "UPDATE signal SET public_description = ?, public_answer = ? WHERE id = ?")
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, description, answer, contact_name FROM signal WHERE id > ? ORDER BY id LIMIT 500",
                arguments: [after])
            guard let last = rows.last else { return }
            for row in rows {
                let name: String? = row["contact_name"]
                let id: Int64 = row["id"]
                try update.execute(arguments: [
                    description(row["description"], name: name, keep: keep), answer(row["answer"], name: name, keep: keep), id,
                ])
            }
            after = last["id"]
        }
    }
}

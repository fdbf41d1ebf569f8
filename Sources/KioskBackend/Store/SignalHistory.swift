import Domain
import Foundation
import GRDB

/// Writes a back-office change and its history entries in the caller's transaction,
/// and reads a signal's history back.
enum SignalHistory {
    /// Stores the new state of the signal with row id `id`, one history entry per change,
    /// (unless only history is added: `signalChanged: false`, a note) and, when the answer changed, Open311's public answer (keeping the contact details `keep`).
    static func save(
        _ outcome: SignalUpdate.Outcome, id: Int64, actor: String, now: Date, keep: Open311Redaction.Public, db: Database,
        signalChanged: Bool = true
    ) throws {
        guard !outcome.changes.isEmpty else { return }
        if signalChanged {
            var record = SignalRecord(signal: outcome.signal)
            record.id = id
            try record.update(db)
        }
        if outcome.changes.contains(where: { $0.field == "answer" }) {
            try Open311Text.storeAnswer(outcome.signal, id: id, keep: keep, db: db)
        }
        for change in outcome.changes {
            var entry = SignalChangeRecord(
                id: nil, signalId: id, at: Millis.from(now), actor: actor, field: change.field,
                oldValue: change.old, newValue: change.new)
            try entry.insert(db)
        }
    }

    /// Oldest first.
    static func entries(signalId: Int64, db: Database) throws -> [SignalChangeRecord] {
        try SignalChangeRecord
            .filter(SignalChangeRecord.Columns.signalId == signalId)
            .order(SignalChangeRecord.Columns.at, SignalChangeRecord.Columns.id)
            .fetchAll(db)
    }
}

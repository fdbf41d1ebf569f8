import Domain
import Foundation
import GRDB

/// The messages a change calls for (docs/interface.md §11), queued in the change's own transaction:
/// a message exists exactly when its cause committed, and a failing enqueue rolls the
/// cause back. Each cause is a change of state, so saving the same state again queues nothing.
extension MessageComposer {
    /// A new signal: the acknowledgement, when the reporter gave an e-mail address.
    func queueAfterCreate(_ signal: Signal, now: Date, db: Database) throws {
        try queue(.acknowledgement, signal: signal, now: now, db: db)
    }

    /// A back-office change (`PATCH`): the answer when the status became `answered`, the
    /// forward when the signal became forwarded (route `external` with consent) to a party
    /// with an e-mail address, the department's message when a department with an e-mail
    /// address became responsible (route `opunt` or `special_procedure`).
    ///
    /// The satisfaction question is opened only for an answer that goes out by e-mail: its
    /// link is in that message, and a letter writer cannot follow it.
    func queueAfterChange(_ outcome: SignalUpdate.Outcome, feedbackDays: Int, now: Date, db: Database) throws {
        let signal = outcome.signal
        func became(_ field: String) -> Bool { outcome.changes.contains { $0.field == field && $0.new != nil } }
        if outcome.changes.contains(where: { $0.field == "status" && $0.new == SignalStatus.answered.rawValue }),
           recipient(.answer, signal: signal) != nil {
            let token = try FeedbackQueries.ask(reference: signal.reference, now: now, days: feedbackDays, db: db)
            try queue(.answer, signal: signal, feedbackToken: token, now: now, db: db)
        }
        if became("forwarded_to") { try queue(.forward, signal: signal, now: now, db: db) }
        if became("department") { try queue(.department, signal: signal, now: now, db: db) }
    }

    /// The answer to the reporter of `signal` (a duplicate that took its original's answer,
    /// docs/interface.md §13), with the satisfaction question when it goes out by e-mail.
    func queueAnswer(_ signal: Signal, feedbackDays: Int, now: Date, db: Database) throws {
        guard recipient(.answer, signal: signal) != nil else { return }
        let token = try FeedbackQueries.ask(reference: signal.reference, now: now, days: feedbackDays, db: db)
        try queue(.answer, signal: signal, feedbackToken: token, now: now, db: db)
    }

    /// An ombuds referral was recorded (by the back office or by the reporter on the
    /// feedback page): the ombudsman's contact details to the reporter.
    func queueAfterOmbudsReferral(_ signal: Signal, now: Date, db: Database) throws {
        try queue(.ombudsman, signal: signal, now: now, db: db)
    }

    private func queue(_ kind: MessageKind, signal: Signal, feedbackToken: String? = nil, now: Date, db: Database) throws {
        try queue(compose(kind, signal: signal, feedbackToken: feedbackToken), now: now, db: db)
    }

    /// Queues a message composed earlier (outside the transaction); nil queues nothing.
    func queue(_ message: OutgoingMessage?, now: Date, db: Database) throws {
        guard let message else { return }
        try Outbox.enqueue(message, domain: messageIDDomain, now: now, db: db)
    }
}

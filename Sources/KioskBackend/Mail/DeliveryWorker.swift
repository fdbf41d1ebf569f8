import Domain
import Foundation
import GRDB
import Logging

/// Sends what the outbox holds (docs/interface.md §11), one message at a time, on its own thread:
/// libcurl blocks while it talks to the relay, and that must never hold up a thread of
/// Swift's cooperative pool (HTTP requests run there) or the database's writer.
///
/// At least once: a message is marked `sent` only after the server accepted it, in a write
/// after the send; a crash in between sends it again with the same `Message-ID`, which
/// lets the receiving side recognise the repeat. A failure is retried on `RetrySchedule`
/// until `mail.give_up_hours` after it was queued, then the message is `failed`.
final class DeliveryWorker: @unchecked Sendable {
    let store: Store
    let mail: CityConfig.Mail
    let sender: any MailSender
    let logger: Logger
    let now: @Sendable () -> Date

    private let condition = NSCondition()
    private var stopping = false
    private var poked = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// How long the thread sleeps when nothing is due, unless poked.
    static let idleWait: TimeInterval = 1

    init(store: Store, mail: CityConfig.Mail, sender: any MailSender, logger: Logger, now: @escaping @Sendable () -> Date) {
        self.store = store
        self.mail = mail
        self.sender = sender
        self.logger = logger
        self.now = now
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "mail-delivery"
        self.thread = thread
        thread.start()
    }

    /// Wakes the thread now (a message was queued or retried) instead of within a second.
    func poke() {
        condition.lock()
        poked = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the thread: a send in flight is aborted (the message stays queued) and the call
    /// returns once the thread is gone. Idempotent.
    func stop() {
        condition.lock()
        let running = thread != nil && !stopping
        stopping = true
        condition.signal()
        condition.unlock()
        guard running else { return }
        sender.abort()
        finished.wait()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    private func loop() {
        while !isStopping {
            do {
                _ = try deliverDue()
            } catch {
                logger.error("mail delivery: reading the outbox failed", metadata: ["error.type": "\(type(of: error))"])
            }
            condition.lock()
            if !stopping && !poked { _ = condition.wait(until: Date().addingTimeInterval(Self.idleWait)) }
            poked = false
            condition.unlock()
        }
        finished.signal()
    }

    /// Sends every message that is due now, oldest first; answers how many were tried.
    @discardableResult
    func deliverDue() throws -> Int {
        var tried = 0
        while !isStopping {
            let due = try store.readNow { db in try Outbox.due(now: now(), limit: 20, db: db) }
            for message in due where !isStopping {
                try deliver(message)
                tried += 1
            }
            if due.count < 20 { break }
        }
        return tried
    }

    /// One attempt at one message, then its new state in the database.
    func deliver(_ message: OutboxMessage) throws {
        guard let id = message.id else { return }
        let metadata: Logger.Metadata = [
            "message.id": "\(id)", "message.kind": "\(message.kind.rawValue)", "signal.reference": "\(message.signalReference)",
        ]
        guard MailAddress.isPlain(message.recipient) else {
            // Emptied with the signal's personal data, or never an address: no attempt can succeed.
            try finish(id, status: .failed, attempts: message.attempts, error: "no recipient address (removed or not an address)")
            logger.warning("mail not sent: no recipient", metadata: metadata)
            return
        }
        let mime = MIMEMessage(
            from: mail.from, to: message.recipient, replyTo: mail.fromAddress, subject: message.subject,
            date: Millis.date(message.queuedAt), messageID: message.messageID, reference: message.signalReference,
            language: message.language, text: message.bodyText, html: message.bodyHTML)
        let attempts = message.attempts + 1
        do {
            try sender.send(from: mail.fromAddress, to: message.recipient, message: mime.bytes)
        } catch {
            let at = now()
            if RetrySchedule.givesUp(queuedAt: Millis.date(message.queuedAt), now: at, giveUpHours: mail.giveUpHours) {
                try finish(id, status: .failed, attempts: attempts, error: error.summary)
                logger.error("mail given up", metadata: metadata.merging(["message.attempts": "\(attempts)", "error": "\(error.summary)"]) { $1 })
            } else {
                let next = at.addingTimeInterval(RetrySchedule.delay(afterFailures: attempts))
                try store.writeNow { db in
                    try db.execute(
                        sql: """
                            UPDATE outbox_message SET attempts = ?, last_error = ?, next_attempt_at = ?
                            WHERE id = ? AND status = 'queued'
                            """, arguments: [attempts, error.summary, Millis.from(next), id])
                }
                logger.warning("mail not sent, will retry", metadata: metadata.merging(["message.attempts": "\(attempts)", "error": "\(error.summary)"]) { $1 })
            }
            return
        }
        try finish(id, status: .sent, attempts: attempts, error: nil)
        logger.info("mail sent", metadata: metadata.merging(["message.attempts": "\(attempts)"]) { $1 })
    }

    private func finish(_ id: Int64, status: MessageStatus, attempts: Int, error: String?) throws {
        let at = Millis.from(now())
        try store.writeNow { db in
            try db.execute(
                sql: """
                    UPDATE outbox_message SET status = ?, attempts = ?, last_error = ?, sent_at = ?
                    WHERE id = ? AND status = 'queued'
                    """, arguments: [status, attempts, error, status == .sent ? at : nil, id])
        }
    }
}

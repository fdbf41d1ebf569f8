import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Synchronization
import Testing

/// The retry schedule, and the delivery worker's state changes with a fake relay and the test clock.
struct DeliveryWorkerTests {
    // MARK: - Schedule

    @Test(arguments: [(1, 10.0), (2, 20.0), (3, 40.0), (4, 80.0), (5, 160.0), (6, 320.0), (7, 640.0), (8, 900.0), (9, 900.0), (60, 900.0)])
    func delayDoublesUpToFifteenMinutes(failures: Int, seconds: Double) {
        #expect(RetrySchedule.delay(afterFailures: failures) == seconds)
    }

    @Test func firstRetryWithinThirtySecondsAndNeverMoreThanFifteenMinutesApart() {
        #expect(RetrySchedule.delay(afterFailures: 1) <= 30)
        #expect((1...1000).allSatisfy { RetrySchedule.delay(afterFailures: $0) <= 15 * 60 })
        #expect((1...1000).allSatisfy { RetrySchedule.delay(afterFailures: $0) >= RetrySchedule.delay(afterFailures: max(1, $0 - 1)) })
    }

    @Test func givesUpAfterTheConfiguredHours() {
        let queued = Date(timeIntervalSince1970: 1_000_000)
        #expect(!RetrySchedule.givesUp(queuedAt: queued, now: queued.addingTimeInterval(72 * 3600 - 1), giveUpHours: 72))
        #expect(RetrySchedule.givesUp(queuedAt: queued, now: queued.addingTimeInterval(72 * 3600), giveUpHours: 72))
        #expect(RetrySchedule.givesUp(queuedAt: queued, now: queued.addingTimeInterval(3600), giveUpHours: 1))
    }

    // MARK: - Worker

    /// A relay that accepts or refuses as the test says, and keeps what it was handed.
    final class FakeRelay: MailSender {
        struct Sent: Sendable {
            var from: String
            var to: String
            var message: [UInt8]
        }

        let refusing = Mutex(false)
        let sent = Mutex<[Sent]>([])
        let tries = Mutex(0)

        func send(from: String, to: String, message: [UInt8]) throws(MailDeliveryError) {
            tries.withLock { $0 += 1 }
            if refusing.withLock({ $0 }) { throw MailDeliveryError(summary: "could not connect to the SMTP server") }
            sent.withLock { $0.append(Sent(from: from, to: to, message: message)) }
        }
    }

    /// The bundled config with a `mail` section, read as the service reads it.
    static let mail: CityConfig.Mail = {
        let url = TestApp.packageRoot.appendingPathComponent("config/ostend.json")
        var text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let open = text.firstIndex(of: "{") ?? text.startIndex
        text.insert(contentsOf: #""mail": {"smtp_url": "smtp://127.0.0.1:2525", "from": "O-punt Oostende <o-punt@oostende.be>", "give_up_hours": 2},"#,
                    at: text.index(after: open))
        guard let config = try? CityConfig.parse(Array(text.utf8), file: "test.json"), let mail = config.mail else {
            preconditionFailure("the test config does not parse")
        }
        return mail
    }()

    struct Fixture {
        let app: TestApp
        let relay = FakeRelay()
        let worker: DeliveryWorker

        init() throws {
            app = try TestApp()
            let clock = app.clock
            worker = DeliveryWorker(store: app.store, mail: DeliveryWorkerTests.mail, sender: relay, logger: TestApp.quietLogger, now: { clock.now })
        }

        func queue(to: String = "an@voorbeeld.be", kind: MessageKind = .acknowledgement) throws -> OutboxMessage {
            let now = app.clock.now
            return try app.store.writeNow { db in
                try Outbox.enqueue(
                    OutgoingMessage(signalReference: "ABC234", kind: kind, to: to, language: "nl", subject: "Uw melding ABC234",
                                    text: "Goed ontvangen.", html: "<p>Goed ontvangen.</p>"),
                    domain: "meldingen.oostende.be", now: now, db: db)
            }
        }

        func row(_ id: Int64?) throws -> OutboxMessage {
            try #require(try app.store.readNow { db in try OutboxMessage.fetchOne(db, key: id) })
        }
    }

    @Test func sendsDueMessageOnceAndMarksItSent() throws {
        let f = try Fixture()
        let queued = try f.queue()
        #expect(try f.worker.deliverDue() == 1)
        let row = try f.row(queued.id)
        #expect(row.status == .sent)
        #expect(row.attempts == 1)
        #expect(row.sentAt == Millis.from(f.app.clock.now))
        #expect(row.lastError == nil)
        let sent = f.relay.sent.withLock { $0 }
        #expect(sent.count == 1)
        #expect(sent.first?.from == "o-punt@oostende.be")
        #expect(sent.first?.to == "an@voorbeeld.be")
        let parsed = try ParsedMail(try #require(sent.first?.message))
        #expect(parsed.header("Message-ID") == queued.messageID)
        #expect(parsed.header("X-Kiosk-Reference") == "ABC234")
        #expect(try f.worker.deliverDue() == 0, "a sent message is not sent again")
        #expect(f.relay.tries.withLock { $0 } == 1)
    }

    @Test func failureSchedulesRetriesThenSendsWithTheSameMessageID() throws {
        let f = try Fixture()
        let queued = try f.queue()
        f.relay.refusing.withLock { $0 = true }
        #expect(try f.worker.deliverDue() == 1)
        var row = try f.row(queued.id)
        #expect(row.status == .queued)
        #expect(row.attempts == 1)
        #expect(row.lastError == "could not connect to the SMTP server")
        #expect(row.nextAttemptAt == Millis.from(f.app.clock.now.addingTimeInterval(10)))
        #expect(try f.worker.deliverDue() == 0, "not due before its next attempt")
        f.app.clock.advance(by: 10)
        #expect(try f.worker.deliverDue() == 1)
        row = try f.row(queued.id)
        #expect(row.attempts == 2)
        #expect(row.nextAttemptAt == Millis.from(f.app.clock.now.addingTimeInterval(20)), "the wait doubles")
        f.relay.refusing.withLock { $0 = false }
        f.app.clock.advance(by: 20)
        #expect(try f.worker.deliverDue() == 1)
        row = try f.row(queued.id)
        #expect(row.status == .sent)
        #expect(row.attempts == 3)
        #expect(row.lastError == nil)
        let ids = try f.relay.sent.withLock { sent in try sent.map { try ParsedMail($0.message).header("Message-ID") } }
        #expect(ids == [queued.messageID])
    }

    @Test func givesUpAfterGiveUpHoursAndMarksFailed() throws {
        let f = try Fixture()
        let queued = try f.queue()
        f.relay.refusing.withLock { $0 = true }
        var tries = 0
        // Keep failing until two hours (the fixture's give_up_hours) have passed.
        while try f.row(queued.id).status == .queued && tries < 100 {
            f.app.clock.advance(by: 15 * 60)
            tries += try f.worker.deliverDue()
        }
        let row = try f.row(queued.id)
        #expect(row.status == .failed)
        #expect(row.lastError == "could not connect to the SMTP server")
        #expect(row.sentAt == nil)
        #expect(row.attempts == tries)
        #expect(Millis.date(row.queuedAt).addingTimeInterval(2 * 3600) <= f.app.clock.now)
        f.app.clock.advance(by: 3600)
        #expect(try f.worker.deliverDue() == 0, "a failed message waits for a coordinator's retry")
    }

    @Test func aMessageWithoutARecipientFailsWithoutAnAttempt() throws {
        let f = try Fixture()
        let queued = try f.queue(to: "")
        #expect(try f.worker.deliverDue() == 1)
        let row = try f.row(queued.id)
        #expect(row.status == .failed)
        #expect(row.lastError == "no recipient address (removed or not an address)")
        #expect(f.relay.tries.withLock { $0 } == 0)
    }

    @Test func threadSendsWhatIsQueuedAndStopsCleanly() async throws {
        let f = try Fixture()
        f.worker.start()
        let queued = try f.queue()
        f.worker.poke()
        var status = MessageStatus.queued
        for _ in 0..<200 where status == .queued {
            try await Task.sleep(for: .milliseconds(20))
            status = try f.row(queued.id).status
        }
        #expect(status == .sent)
        f.worker.stop()
        f.worker.stop()  // idempotent
        let later = try f.queue()
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try f.row(later.id).status == .queued, "a stopped worker sends nothing")
    }
}

import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// Personal data in the outbox: the retention purge and an erasure blank a message's recipient,
/// subject and bodies and keep its kind, status and times; an access request lists the
/// messages sent to the address.
struct OutboxRetentionTests {
    static let email = "an@voorbeeld.be"

    /// A signal from `email` with an acknowledgement (sent) and an answer (still queued) to it,
    /// and a department message about it.
    static func fixture() async throws -> (TestApp, String) {
        let app = try TestApp()
        let response = await app.post(
            "/api/v1/signals",
            body: #"{"kind": "report", "category": "overlast/zwerfvuil", "description": "Zakken afval", "contact": {"email": "\#(email)"}}"#)
        let reference = try #require(response.object()["reference"]?.string)
        let now = app.clock.now
        try app.store.writeNow { db in
            // The intake queued its own acknowledgement; these tests set up their three by hand.
            try db.execute(sql: "DELETE FROM outbox_message WHERE signal_reference = ?", arguments: [reference])
            for (kind, to) in [(MessageKind.acknowledgement, email), (.department, "wegen@oostende.be"), (.answer, "AN@voorbeeld.be")] {
                try Outbox.enqueue(
                    OutgoingMessage(signalReference: reference, kind: kind, to: to, language: "nl", subject: "Uw melding \(reference)",
                                    text: "Zakken afval aan de Kapellestraat", html: "<p>Zakken afval</p>"),
                    domain: "meldingen.oostende.be", now: now, db: db)
            }
            try db.execute(sql: "UPDATE outbox_message SET status = 'sent', sent_at = queued_at WHERE kind = 'acknowledgement'")
        }
        return (app, reference)
    }

    static func messages(_ app: TestApp, _ reference: String) throws -> [OutboxMessage] {
        try app.store.readNow { db in try Outbox.messages(for: reference, db: db) }
    }

    static func expectBlanked(_ messages: [OutboxMessage], sourceLocation: SourceLocation = #_sourceLocation) {
        for m in messages {
            #expect(m.recipient == "" && m.subject == "" && m.bodyText == "" && m.bodyHTML == "", sourceLocation: sourceLocation)
        }
        #expect(messages.map(\.kind) == [.acknowledgement, .department, .answer], "kinds stay", sourceLocation: sourceLocation)
        #expect(messages.map(\.status) == [.sent, .failed, .failed], "a queued message is no longer sent", sourceLocation: sourceLocation)
        #expect(messages.map(\.lastError) == [nil, "not sent: personal data removed", "not sent: personal data removed"], sourceLocation: sourceLocation)
        #expect(messages.first?.sentAt != nil, "times stay", sourceLocation: sourceLocation)
    }

    @Test func accessRequestListsTheMessagesToTheAddress() async throws {
        let (app, reference) = try await Self.fixture()
        let export = try app.store.readNow { db in try PersonalData.export(db, .email(Self.email)) }
        guard case .array(let items)? = export["messages"] else {
            Issue.record("no messages in the export")
            return
        }
        #expect(items.count == 2, "the reporter's two, not the department's")
        #expect(items.map { $0["kind"]?.string } == ["acknowledgement", "answer"])
        #expect(items.allSatisfy { $0["signal_reference"]?.string == reference && $0["body_text"]?.string == "Zakken afval aan de Kapellestraat" })
        #expect(items.map { $0["status"]?.string } == ["sent", "queued"])
    }

    @Test func erasureBlanksTheMessages() async throws {
        let (app, reference) = try await Self.fixture()
        let changed = try app.store.writeNow { db in try PersonalData.erase(db, .email(Self.email), now: app.clock.now) }
        #expect(changed == 1, "one signal; its messages went with it")
        Self.expectBlanked(try Self.messages(app, reference))
        let export = try app.store.readNow { db in try PersonalData.export(db, .email(Self.email)) }
        #expect(export["messages"] == .array([]))
    }

    @Test func retentionPurgeBlanksTheMessagesOfPurgedSignals() async throws {
        let (app, reference) = try await Self.fixture()
        let old = Millis.from(app.clock.now.addingTimeInterval(-800 * 86_400))
        try app.store.writeNow { db in
            try db.execute(sql: "UPDATE signal SET status = 'closed', closed_at = ? WHERE reference = ?", arguments: [old, reference])
        }
        let summary = try app.store.writeNow { db in try Retention.purge(db, retentionDays: 730, now: app.clock.now) }
        #expect(summary.signalsCleared == 1)
        Self.expectBlanked(try Self.messages(app, reference))
    }

    @Test func messagesOfSignalsKeptAreUntouched() async throws {
        let (app, reference) = try await Self.fixture()
        _ = try app.store.writeNow { db in try Retention.purge(db, retentionDays: 730, now: app.clock.now) }
        let messages = try Self.messages(app, reference)
        #expect(messages.map(\.recipient) == [Self.email, "wegen@oostende.be", "AN@voorbeeld.be"])
        #expect(messages.allSatisfy { $0.bodyText == "Zakken afval aan de Kapellestraat" })
    }
}

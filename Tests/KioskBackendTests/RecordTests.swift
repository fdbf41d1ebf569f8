import CallLog
import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// The records (GRDB `RecordRecommendedPractices.md`): each table's columns named once, in the record,
/// and every value read back as it was written.
struct RecordTests {
    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue)
        return queue
    }

    static func columns(_ table: String, _ db: Database) throws -> Set<String> {
        Set(try db.columns(in: table).map(\.name))
    }

    /// `record` writes exactly the columns of `table`.
    static func expectWrites(_ record: some EncodableRecord, _ table: String, _ db: Database) throws {
        let written = Set(try record.databaseDictionary.keys)
        let columns = try columns(table, db)
        #expect(written == columns, "\(table)")
    }

    /// A signal with every field set, instants on whole milliseconds (as stored).
    static func fullSignal() -> Signal {
        var new = NewSignal(
            kind: .complaint, channel: .kiosk, site: "stadhuis", reporter: .citizen, category: "wegen/putten",
            mainCategory: "wegen", district: "Centrum", address: "Vindictivelaan 1", lat: 51.2301, lon: 2.9201,
            description: "Een put in de weg", experienceScore: ExperienceScore(rawValue: 4),
            contact: ContactDetails(
                name: "Jan Peeters", email: "jan@example.be", phone: "059 12 34 56", language: "nl",
                postalAddress: "Vindictivelaan 1\n8400 Oostende"),
            consentForward: true, receivedAt: nil, assisted: true, createdBy: "kiosk stadhuis 1", createdByRole: nil,
            createdByTokenId: 7)
        new.sameAs = "OP-EARLIER"
        new.photosPublic = true
        var s = Signal(new: new, reference: "OP-ABCD-EFGH", receivedAt: Millis.date(1_765_000_000_123))
        s.status = .answered
        s.route = .specialProcedure
        s.department = "mobiliteit"
        s.specialProcedure = "gas"
        s.externalParty = "De Lijn"
        s.nature = .combination
        s.outcome = ComplaintOutcome.allCases.first
        s.answer = "Hersteld."
        s.answeredAt = Millis.date(1_765_100_000_001)
        s.closedAt = Millis.date(1_765_200_000_002)
        s.ombudsReferredAt = Millis.date(1_765_300_000_003)
        s.updatedAt = Millis.date(1_765_300_000_004)
        s.statusKey = "status-key"
        s.dueAt = Millis.date(1_766_000_000_000)
        s.assignee = "An"
        s.duplicateOf = "OP-OTHER"
        s.proposedAnswer = "Wij herstellen het."
        return s
    }

    @Test func aSignalReadsBackAsItWasWritten() throws {
        let db = try Self.database()
        let signal = Self.fullSignal()
        let read = try db.write { db in
            var record = SignalRecord(signal: signal)
            try record.insert(db)
            return try #require(try SignalRecord.fetchOne(db, key: record.id))
        }
        #expect(read.signal == signal)

        // No contact details at all: none, not an empty one.
        var bare = signal
        bare.reference = "OP-BARE-0001"
        bare.contact = nil
        let readBare = try db.write { db in
            var record = SignalRecord(signal: bare)
            try record.insert(db)
            return try #require(try SignalRecord.fetchOne(db, key: record.id))
        }
        #expect(readBare.signal.contact == nil)
        #expect(readBare.signal == bare)
    }

    /// Every column of `signal` is the record's, but Open311's texts (written only by `Open311Text`)
    /// and the purge's mark (written only by `Retention`): a column a migration adds must be added here.
    @Test func theSignalRecordWritesEveryColumnButOpen311sTextsAndThePurgesMark() throws {
        let db = try Self.database()
        try db.read { db in
            let written = Set(try SignalRecord(signal: Self.fullSignal()).databaseDictionary.keys)
            let table = try Self.columns("signal", db)
            #expect(written == table.subtracting(["public_description", "public_answer", "personal_data_removed_at"]))
            #expect(table.isSuperset(of: [Open311Record.Columns.publicDescription.name, Open311Record.Columns.publicAnswer.name]))
        }
    }

    @Test func anUpdateLeavesOpen311sPublicTexts() throws {
        let db = try Self.database()
        try db.write { db in
            var signal = Self.fullSignal()
            signal.kind = .report
            var record = SignalRecord(signal: signal)
            try record.insert(db)
            let id = try #require(record.id)
            try Open311Text.store(signal, id: id, keep: Open311Redaction.Public(), db: db)
            let before = try #require(try Open311Record.filter(key: id).fetchOne(db))
            #expect(before.publicDescription != nil && before.publicAnswer != nil)

            signal.assignee = "Piet"
            try SignalRecord(id: id, signal: signal).update(db)
            let after = try #require(try Open311Record.filter(key: id).fetchOne(db))
            #expect(after.signal.assignee == "Piet")
            #expect(after.publicDescription == before.publicDescription)
            #expect(after.publicAnswer == before.publicAnswer)
        }
    }

    /// Instants are stored as ``Millis/from(_:)`` stores them (rounded), so an instant read back
    /// is written back unchanged (GRDB's own millisecond strategy truncates: 1001 ms would become 1000).
    @Test func instantsAreWholeMillisecondsRounded() throws {
        let db = try Self.database()
        try db.write { db in
            var signal = Self.fullSignal()
            signal.receivedAt = Millis.date(1001)
            signal.updatedAt = Date(timeIntervalSince1970: 1_765_000_000.1237)
            var record = SignalRecord(signal: signal)
            try record.insert(db)
            let row = try #require(try Row.fetchOne(db, sql: "SELECT received_at, updated_at FROM signal"))
            #expect(row["received_at"] == 1001 as Int64)
            #expect(row["updated_at"] == 1_765_000_000_124 as Int64)
        }
    }

    /// The vocabularies are database values: a value the enum does not know fails the read.
    @Test func anUnknownVocabularyValueFailsTheRead() throws {
        let db = try Self.database()
        try db.write { db in
            var record = SignalRecord(signal: Self.fullSignal())
            try record.insert(db)
            #expect(try String.fetchOne(db, sql: "SELECT route FROM signal") == "special_procedure")
            try db.execute(sql: "UPDATE signal SET route = 'elsewhere'")
            #expect(throws: (any Error).self) { try SignalRecord.fetchOne(db, key: record.id) }
        }
    }

    /// `call` is read and written through `CallRow.Columns`, which must name every column.
    @Test func theCallColumnsAreTheTablesColumns() throws {
        let db = try Self.database()
        try db.read { db in
            let table = try Self.columns("call", db)
            #expect(Set(CallRow.Columns.allCases.map(\.rawValue)) == table)
        }
    }

    @Test func aCallReadsBackAsItWasWritten() throws {
        let db = try Self.database()
        let record = CallRecord(
            callId: "c1", direction: .inbound, from: "+32 59 12 34 56", to: "080018400", queue: "opunt",
            agents: ["An", "Piet \"P\""], answeringNumber: "059 80 00 00", arrivedAt: Millis.date(1_765_000_000_001),
            answeredAt: Millis.date(1_765_000_010_002), endedAt: Millis.date(1_765_000_100_003), cause: .normalClearing,
            state: .answered, appliedEvents: [.newCall, .answer, .hangup])
        var row = CallRow(
            record: record, outcome: CallOutcome.allCases.first, topic: "afval", note: "teruggebeld",
            signalReference: "OP-ABCD-EFGH", loggedBy: "An", loggedAt: Millis.date(1_765_000_200_004), manual: false,
            createdBy: "exchange", updatedAt: Millis.date(1_765_000_200_005))
        let read = try db.write { db in
            try row.insert(db)
            return try #require(try CallRow.find(callId: "c1", db: db))
        }
        #expect(read == row)
        let stored = try db.read { db in
            try Row.fetchOne(db, sql: "SELECT direction, state, cause, outcome, caller_key FROM call")
        }
        #expect(stored?["direction"] == "in")
        #expect(stored?["state"] == CallState.answered.rawValue)
        #expect(stored?["cause"] == HangupCause.normalClearing.rawValue)
        #expect(stored?["outcome"] == CallOutcome.allCases.first?.rawValue)
        #expect(stored?["caller_key"] == "059123456")
    }

    /// The Codable records write every column of their table.
    @Test func theCodableRecordsWriteEveryColumnOfTheirTable() throws {
        let db = try Self.database()
        try db.read { db in
            let token = TokenRecord(
                id: 1, name: "t", role: .desk, site: "stadhuis", hash: "h", createdAt: 0, revokedAt: nil, department: nil)
            try Self.expectWrites(token, "token", db)
            let code = EnrolmentCodeRecord(
                id: 1, hash: "h", site: "stadhuis", name: "k", createdAt: 0, expiresAt: 1, usedAt: nil, tokenId: nil)
            try Self.expectWrites(code, "enrolment_code", db)
            let change = SignalChangeRecord(id: 1, signalId: 1, at: 0, actor: "a", field: "f", oldValue: nil, newValue: nil)
            try Self.expectWrites(change, "signal_change", db)
            let feedback = FeedbackRecord(tokenHash: "h", signalReference: "OP-X", askedAt: Date(), expiresAt: Date())
            try Self.expectWrites(feedback, "feedback", db)
            let message = OutboxMessage(
                id: 1, signalReference: "OP-X", kind: MessageKind.allCases[0], recipient: "r", language: "nl",
                subject: "s", bodyText: "t", bodyHTML: "h", messageID: "<m>", status: .queued, attempts: 0,
                lastError: nil, queuedAt: 0, nextAttemptAt: 0, sentAt: nil)
            try Self.expectWrites(message, "outbox_message", db)
        }
    }

    /// A token's role is stored as the role's name and read back as the role.
    @Test func aTokensRoleIsADatabaseValue() throws {
        let db = try Self.database()
        try db.write { db in
            var token = TokenRecord(
                id: nil, name: "d", role: .department, site: nil, hash: "h", createdAt: 0, revokedAt: nil,
                department: "mobiliteit")
            try token.insert(db)
            #expect(try String.fetchOne(db, sql: "SELECT role FROM token") == "department")
            #expect(try TokenRecord.filter(TokenRecord.Columns.role == Role.department).fetchOne(db)?.role == .department)
        }
    }

    /// One answer per question: the second is refused, the first stands.
    @Test func aFeedbackQuestionTakesOneAnswer() throws {
        let db = try Self.database()
        try db.write { db in
            let asked = Millis.date(1_765_000_000_000)
            let token = try FeedbackQueries.ask(reference: "OP-ABCD-EFGH", now: asked, days: 14, db: db)
            let question = try #require(try FeedbackRecord.find(token: token, db: db))
            #expect(question.question == FeedbackQuestion(askedAt: asked, expiresAt: asked.addingTimeInterval(14 * 86_400)))
            let answer = FeedbackAnswer(satisfied: false, reasons: Array(FeedbackReason.allCases.prefix(2)), text: "traag", ombudsman: true)
            #expect(try question.give(answer, now: asked.addingTimeInterval(60), db: db))
            #expect(try !question.give(FeedbackAnswer(satisfied: true), now: asked.addingTimeInterval(120), db: db))
            let given = try #require(try FeedbackRecord.find(token: token, db: db))
            #expect(given.question.givenAt == asked.addingTimeInterval(60))
            #expect(given.satisfied == false && given.ombudsman == true && given.text == "traag")
            #expect(given.reasons == FeedbackReason.allCases.prefix(2).map(\.rawValue).joined(separator: ","))
        }
    }
}

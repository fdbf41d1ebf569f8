import CallLog
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// Issue 9: an exchange event carrying a manual call's id overwrote that call. Migration v5
/// keeps exchange and manual ids apart; calls stored before it keep working.
struct CallIdMigrationTests {
    static let v4 = "v4: the report's experience index grouped by score and channel"
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    /// A database at v4 holding one exchange call and one manual call, then migrated to the end.
    static func migratedFromV4() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db, upTo: v4)
        // Rows as v4's schema holds them (raw SQL: CallRow writes the columns of the latest schema).
        let ms = Millis.from(now)
        try db.write { db in
            try db.execute(
                sql: """
                    INSERT INTO call (call_id, direction, from_number, agents, arrived_at, answered_at, ended_at, state,
                                      events, manual, created_by, updated_at)
                    VALUES ('ex-1', 'in', '+32 59 11 11 11', '[]', ?, ?, ?, 'answered', 'newCall,answer,hangup', 0, 'exchange', ?)
                    """,
                arguments: [ms, ms, ms + 60_000, ms])
            try db.execute(
                sql: """
                    INSERT INTO call (call_id, direction, from_number, agents, arrived_at, answered_at, ended_at, state,
                                      events, outcome, logged_by, logged_at, manual, created_by, updated_at)
                    VALUES (?, 'in', '+32 59 22 22 22', '["agent An"]', ?, ?, ?, 'answered', '', 'information', 'agent An', ?,
                            1, 'agent An', ?)
                    """,
                arguments: ["manual-\(UUID().uuidString.lowercased())", ms, ms, ms, ms, ms])
        }
        try Migrations.migrator.migrate(db)
        return db
    }

    @Test func callsStoredBeforeKeepEveryColumnAndIndex() throws {
        let db = try Self.migratedFromV4()
        try db.read { db in
            let rows = try CallRow.order(CallRow.Columns.id).fetchAll(db)
            #expect(rows.map(\.record.callId).first == "ex-1")
            #expect(rows.map(\.manual) == [false, true])
            #expect(rows[1].outcome == .information && rows[1].record.from == "+32 59 22 22 22")
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'call' AND sql IS NOT NULL ORDER BY name")
            #expect(
                indexes == [
                    "call_callbacks", "call_on_arrived_at", "call_on_caller_key", "call_on_exchange_call_id", "call_on_from_number",
                    "call_on_manual_call_id", "call_on_to_number", "call_report",
                ])
        }
    }

    @Test func anExchangeEventWithAManualCallsIdLeavesThatCallAlone() throws {
        let db = try Self.migratedFromV4()
        let manual = try db.read { db in try CallRow.filter(CallRow.Columns.manual == true).fetchOne(db) }
        let before = try #require(manual)
        #expect(before.record.callId.hasPrefix("manual-"))
        try db.write { db in
            #expect(try CallRow.find(callId: before.record.callId, db: db) == nil, "exchange lookups never see manual calls")
            for kind in [CallEventKind.newCall, .hangup] {
                _ = try CallQueries.apply(
                    CallEvent(kind: kind, callId: before.record.callId, from: "+32 59 33 33 33", cause: .noAnswer, time: Self.now),
                    at: Self.now, reporter: "exchange", db: db)
            }
        }
        try db.read { db in
            let after = try CallQueries.find(id: before.id!, db: db)
            #expect(after == before)
            let sameId = try CallRow.filter(CallRow.Columns.callId == before.record.callId).order(CallRow.Columns.id).fetchAll(db)
            #expect(sameId.map(\.manual) == [true, false], "the exchange's call is a call of its own")
            #expect(sameId[1].record.state == .missed)
        }
        // An exchange id stays unique among exchange calls: a repeat updates, never duplicates.
        try db.write { db in
            _ = try CallQueries.apply(
                CallEvent(kind: .answer, callId: "ex-1", time: Self.now), at: Self.now, reporter: "exchange", db: db)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM call WHERE call_id = 'ex-1'") == 1)
        }
    }
}

import CallLog
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// Issue 13: a caller's calls are found by their number's digits (`call.caller_key`), returning
/// a call clears the call-back list, and the calls stored before migration v11-agent get their keys.
struct CallerKeyTests {
    static let v10 = "v10: an idempotent answer keeps its Location"
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    @Test(arguments: [
        ("+32 59 12 34 56", "059123456"), ("059 12 34 56", "059123456"), ("0032 59 12 34 56", "059123456"),
        ("059/12.34.56", "059123456"), ("anonymous", nil), ("Anonymous", nil), ("12345", nil), ("", nil),
        (String(repeating: "9", count: 21), nil), ("+32 470 12 34 56", "0470123456"),
    ] as [(String, String?)])
    func keys(number: String, key: String?) {
        #expect(CallerKey.of(number) == key)
    }

    @Test func callsStoredBeforeGetTheirKeysAndReasons() throws {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db, upTo: Self.v10)
        let ms = Millis.from(Self.now)
        let rows: [(String, String, String?, String?, Int64?)] = [
            ("a", "in", "+32 59 11 11 11", "0800 1 8400", nil),
            ("b", "out", "0800 1 8400", "0032 59 11 11 11", nil),
            ("c", "in", "anonymous", "0800 1 8400", nil),
            ("d", "in", "123", "0800 1 8400", ms),
            ("e", "in", nil, nil, nil),
        ]
        try db.write { db in
            for (id, direction, from, to, cleared) in rows {
                try db.execute(
                    sql: """
                        INSERT INTO call (call_id, direction, from_number, to_number, agents, arrived_at, state, events,
                                          callback_cleared_at, manual, created_by, updated_at)
                        VALUES (?, ?, ?, ?, '[]', ?, 'missed', 'newCall,hangup', ?, 0, 'exchange', ?)
                        """,
                    arguments: [id, direction, from, to, ms, cleared, ms])
            }
        }
        try Migrations.migrator.migrate(db)
        try db.read { db in
            let keys = try Row.fetchAll(db, sql: "SELECT call_id, caller_key, callback_cleared_reason FROM call ORDER BY call_id")
            #expect(keys.map { $0["caller_key"] as String? } == ["059111111", "059111111", nil, nil, nil])
            #expect(keys.map { $0["callback_cleared_reason"] as String? } == [nil, nil, nil, "cleared", nil])
        }
    }

    /// A missed call, then an outbound call to the same number written another way.
    @Test func anAnsweredOutboundCallClearsTheCallBackList() throws {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db)
        let t = Self.now
        try db.write { db in
            for kind in [CallEventKind.newCall, .hangup] {
                _ = try CallQueries.apply(
                    CallEvent(kind: kind, callId: "m", from: "+32 59 12 34 56", direction: .inbound, cause: .cancel, time: t),
                    at: t, reporter: "exchange", db: db)
            }
            #expect(try CallQueries.callbacks(start: t.addingTimeInterval(-60), end: t.addingTimeInterval(3600), limit: 10, db: db).count == 1)
            // Not answered: nothing changes.
            for kind in [CallEventKind.newCall, .hangup] {
                _ = try CallQueries.apply(
                    CallEvent(kind: kind, callId: "o1", from: "0800", to: "059 12 34 56", direction: .outbound,
                              users: ["Bert"], cause: .busy, time: t.addingTimeInterval(60)),
                    at: t.addingTimeInterval(60), reporter: "exchange", db: db)
            }
            #expect(try CallQueries.callbacks(start: t.addingTimeInterval(-60), end: t.addingTimeInterval(3600), limit: 10, db: db).count == 1)
            let back = try CallQueries.insertManual(
                direction: .outbound, from: nil, to: "0032 59 12 34 56", arrivedAt: t.addingTimeInterval(120),
                endedAt: t.addingTimeInterval(180), entry: CallQueries.LogEntry(), agent: "agent An", now: t.addingTimeInterval(180), db: db)
            #expect(try CallQueries.callbacks(start: t.addingTimeInterval(-60), end: t.addingTimeInterval(3600), limit: 10, db: db).isEmpty)
            let missed = try #require(try CallRow.find(callId: "m", db: db))
            #expect(missed.callbackClearedReason == .calledBack)
            #expect(missed.callbackClearedBy == "agent An")
            #expect(missed.callbackClearedByCall == back.id)
            #expect(!missed.awaitsCallback)
            // The caller's history from the missed call: the two outbound calls, newest first.
            let page = try CallQueries.history(of: missed, limit: 1, cursor: nil, db: db)
            #expect(page.items.map(\.id) == [back.id])
            let rest = try CallQueries.history(of: missed, limit: 1, cursor: page.next, db: db)
            #expect(rest.items.map(\.record.callId) == ["o1"] && rest.next == nil)
        }
    }
}

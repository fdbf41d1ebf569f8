import CallLog
import Foundation
import GRDB
@testable import KioskBackend
import Logging
import TestSupport
import Testing

/// The calls' storage: events folded in through SQLite, the report fed from the
/// covering index, and the retention purge that must leave the figures alone.
struct CallQueriesTests {
    /// A migrated database in a temporary folder, removed when the test ends.
    final class CallStore: Sendable {
        let directory: URL
        let store: Store

        init() throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("kiosk-backend-calls-\(UUID().uuidString)", isDirectory: true)
            store = try Store(
                path: directory.appendingPathComponent("calls.sqlite").path, durability: .normal,
                logger: Logger(label: "calls-tests", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        deinit {
            try? store.close()
            try? FileManager.default.removeItem(at: directory)
        }

        func apply(_ event: CallEvent, at arrival: Date) throws {
            _ = try store.writeNow { db in try CallQueries.apply(event, at: arrival, reporter: "exchange", db: db) }
        }

        func figures(_ interval: DateInterval) throws -> CallFigures {
            try store.readNow { db in
                try CallQueries.figures(
                    interval: interval, timeZone: CallQueriesTests.brussels, serviceLevelSeconds: 20,
                    shortAbandonSeconds: 5, db: db)
            }
        }

        func rows() throws -> [CallRow] {
            try store.readNow { db in try CallRow.order(CallRow.Columns.id).fetchAll(db) }
        }
    }

    static let brussels = TimeZone(identifier: "Europe/Brussels")!

    /// One whole call: newCall, answer when `answerAfter` is given, hangup; each with its own time.
    static func events(
        _ id: String, from: String, at arrival: Date, answerAfter: Double?, endAfter: Double, cause: HangupCause = .normalClearing
    ) -> [CallEvent] {
        var events = [CallEvent(kind: .newCall, callId: id, from: from, to: "080018400", time: arrival)]
        if let answerAfter {
            events.append(CallEvent(kind: .answer, callId: id, users: ["An"], time: arrival.addingTimeInterval(answerAfter)))
        }
        events.append(CallEvent(kind: .hangup, callId: id, cause: cause, time: arrival.addingTimeInterval(endAfter)))
        return events
    }

    @Test func removingPersonalDataBlanksOldNumbersAndKeepsEveryFigure() throws {
        let db = try CallStore()
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let old = now.addingTimeInterval(-800 * 86_400)
        let recent = now.addingTimeInterval(-10 * 86_400)
        var all: [CallEvent] = []
        all += Self.events("old-1", from: "+32 59 11 11 11", at: old, answerAfter: 12, endAfter: 200)
        all += Self.events("old-2", from: "+32 59 22 22 22", at: old.addingTimeInterval(60), answerAfter: nil, endAfter: 3, cause: .cancel)
        all += Self.events("new-1", from: "+32 59 33 33 33", at: recent, answerAfter: 30, endAfter: 90)
        for event in all { try db.apply(event, at: now) }
        _ = try db.store.writeNow { d in
            try d.execute(sql: "UPDATE call SET note = 'Belt terug op 0470 12 34 56', outcome = 'information' WHERE call_id = 'old-1'")
        }
        let everything = DateInterval(start: old.addingTimeInterval(-86_400), end: now)
        let before = try db.figures(everything)

        let cutoff = now.addingTimeInterval(-730 * 86_400)
        let removed = try db.store.writeNow { d in try CallQueries.removePersonalData(olderThan: cutoff, now: now, db: d) }
        #expect(removed == 2)
        let again = try db.store.writeNow { d in try CallQueries.removePersonalData(olderThan: cutoff, now: now, db: d) }
        #expect(again == 0, "a second run finds nothing left to remove")

        let rows = try db.rows()
        for row in rows where row.record.callId.hasPrefix("old") {
            #expect(row.record.from == nil && row.record.to == nil && row.note == nil)
            #expect(row.personalDataRemovedAt == now)
        }
        let kept = try #require(rows.first { $0.record.callId == "new-1" })
        #expect(kept.record.from == "+32 59 33 33 33" && kept.personalDataRemovedAt == nil)
        #expect(rows.first { $0.record.callId == "old-1" }?.outcome == .information)
        #expect(try db.figures(everything) == before)
        #expect(before.offered == 3 && before.answered == 2 && before.shortAbandoned == 1)

        // A late event of a purged call does not bring its number back.
        try db.apply(CallEvent(kind: .answer, callId: "old-2", from: "+32 59 22 22 22", time: old.addingTimeInterval(62)), at: now)
        let purged = try #require(try db.rows().first { $0.record.callId == "old-2" })
        #expect(purged.record.from == nil)
    }

    /// The report read from SQLite equals `CallFigures` computed in memory over the
    /// same records, whatever order and repetition the events came in.
    @Test(arguments: [1, 2, 3])
    func reportFromTheIndexEqualsTheFiguresInMemory(seed: UInt64) throws {
        let db = try CallStore()
        var rng = SplitMix(seed: seed)
        let day = try CallFigures.dayInterval(from: "2026-03-29", to: "2026-03-29", timeZone: Self.brussels)
        var records: [String: CallRecord] = [:]
        var events: [CallEvent] = []
        for n in 0..<300 {
            // Some a little before or after the day, to test its edges; whole seconds.
            let arrival = day.start.addingTimeInterval(Double(Int(rng.next() % 90_000)) - 1800)
            let answered = rng.next() % 4 != 0
            let ended = rng.next() % 10 != 0
            let id = "c\(n)"
            var call = [CallEvent(
                kind: .newCall, callId: id, from: "+3259\(n)", direction: rng.next() % 20 == 0 ? .outbound : .inbound,
                time: arrival)]
            if answered {
                call.append(CallEvent(kind: .answer, callId: id, users: ["A"], time: arrival.addingTimeInterval(Double(rng.next() % 40))))
            }
            if ended {
                let causes: [HangupCause] = [.normalClearing, .cancel, .noAnswer, .forwarded]
                call.append(CallEvent(
                    kind: .hangup, callId: id, cause: causes[Int(rng.next() % 4)],
                    time: arrival.addingTimeInterval(40 + Double(rng.next() % 300))))
            }
            if rng.next() % 3 == 0 { call.reverse() }
            if rng.next() % 4 == 0 { call.append(call[Int(rng.next() % UInt64(call.count))]) }
            events += call
        }
        for event in events {
            records[event.callId] = CallStateMachine.apply(event, at: day.start, to: records[event.callId])
            try db.apply(event, at: day.start)
        }
        let stored = try db.rows()
        #expect(stored.count == records.count)
        for row in stored {
            #expect(row.record == records[row.record.callId])
        }
        let inMemory = CallFigures(
            calls: records.values.map { LoggedCall(record: $0) }, interval: day, timeZone: Self.brussels,
            serviceLevelSeconds: 20, shortAbandonSeconds: 5)
        #expect(try db.figures(day) == inMemory)
        // Scanned in pieces, as the route does for long ranges: the same figures.
        for count in [2, 3, 7] {
            let pieces = CallQueries.reportPieces(day, count: count)
            #expect(pieces.first?.start == Millis.from(day.start) && pieces.last?.end == Millis.from(day.end))
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.end == $1.start })
            let parts = try db.store.readNow { d in
                try pieces.map { try CallQueries.reportRows(from: $0.start, to: $0.end, db: d) }
            }
            let pieced = CallQueries.figures(
                of: parts, interval: day, timeZone: Self.brussels, serviceLevelSeconds: 20, shortAbandonSeconds: 5)
            #expect(pieced == inMemory)
        }
        #expect(inMemory.offered > 100 && inMemory.inProgress > 0)
    }

    @Test func formBodiesRepeatUsersAndDecodePercentAndPlus() throws {
        let body = Array("event=newCall&callId=42&from=%2B32+59+12&user%5B%5D=An&user[]=Bert&empty=".utf8)
        let fields = try CTIBody.fields(
            body: body, mediaType: "application/x-www-form-urlencoded; charset=utf-8", query: [("queue", "o-punt")])
        #expect(fields["from"] == ["+32 59 12"])
        #expect(fields["user[]"] == ["An", "Bert"])
        #expect(fields["queue"] == ["o-punt"])
        let event = try CallEvent.parse(fields)
        #expect(event.users == ["An", "Bert"] && event.callId == "42" && event.queue == "o-punt")

        let json = Array(#"{"event": "hangup", "call_id": 7, "time": 1735689600, "user": ["An", null]}"#.utf8)
        let parsed = try CallEvent.parse(try CTIBody.fields(body: json, mediaType: nil))
        #expect(parsed.callId == "7" && parsed.users == ["An"])
        #expect(parsed.time == Date(timeIntervalSince1970: 1_735_689_600))
    }
}

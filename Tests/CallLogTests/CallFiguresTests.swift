import CallLog
import Foundation
import Testing

struct CallFiguresTests {
    static let brussels = TimeZone(identifier: "Europe/Brussels")!

    /// A call scripted from its local arrival time in Brussels, with the outcome an agent logged.
    struct Call: Sendable, CustomStringConvertible {
        var arrival: String
        var steps: [Step]
        var outcome: CallOutcome? = nil
        var id: String

        init(_ id: String, at arrival: String, _ steps: [Step], outcome: CallOutcome? = nil) {
            self.id = id
            self.arrival = arrival
            self.steps = steps
            self.outcome = outcome
        }

        var logged: LoggedCall {
            LoggedCall(record: play(steps, callId: id, start: instant(arrival))!, outcome: outcome)
        }

        var description: String { id }
    }

    static func figures(
        _ calls: [Call], from: String, to: String, timeZone: TimeZone = brussels
    ) throws -> CallFigures {
        let interval = try CallFigures.dayInterval(from: from, to: to, timeZone: timeZone)
        return CallFigures(
            calls: calls.map(\.logged), interval: interval, timeZone: timeZone,
            serviceLevelSeconds: 20, shortAbandonSeconds: 5)
    }

    /// One day on the line, 2026-05-04 in Brussels (UTC+2). Expected figures are worked out by hand
    /// from docs/interface.md §8 in the comments, with service level 20 s and short abandon 5 s.
    static let mixedDay: [Call] = [
        // a: answered after 10 s, talked 120 s.
        Call("a", at: "2026-05-04T09:00:00+02:00", [.newCall(0), .answer(10), .hangup(130)], outcome: .information),
        // b: answered after 25 s (misses the service level), talked 60 s.
        Call("b", at: "2026-05-04T09:30:00+02:00", [.newCall(0), .answer(25), .hangup(85)], outcome: .signal),
        // c: short abandon, 3 s.
        Call("c", at: "2026-05-04T10:00:00+02:00", [.newCall(0), .hangup(3, cause: .cancel)]),
        // d: short abandon on the limit, exactly 5 s.
        Call("d", at: "2026-05-04T10:15:00+02:00", [.newCall(0), .hangup(5, cause: .cancel)]),
        // e: missed after 40 s (abandoned, not short); an agent called back and logged no action.
        Call("e", at: "2026-05-04T11:00:00+02:00", [.newCall(0), .hangup(40, cause: .noAnswer)], outcome: .noAction),
        // f: answered on the limit, exactly 20 s, then forwarded after 30 s of talk.
        Call(
            "f", at: "2026-05-04T14:00:00+02:00", [.newCall(0), .answer(20), .hangup(50, cause: .forwarded)],
            outcome: .forwardedExternal),
        // g: forwarded by the exchange after 6 s without an answer: abandoned, not short.
        Call("g", at: "2026-05-04T14:30:00+02:00", [.newCall(0), .hangup(6, cause: .forwarded)]),
        // h: still talking, i: still ringing: in progress only.
        Call("h", at: "2026-05-04T16:00:00+02:00", [.newCall(0), .answer(8)]),
        Call("i", at: "2026-05-04T16:05:00+02:00", [.newCall(0)]),
        // j: outbound call-back: never counted.
        Call(
            "j", at: "2026-05-04T12:00:00+02:00",
            [.newCall(0, direction: .outbound), .answer(9, direction: .outbound), .hangup(70, direction: .outbound)],
            outcome: .information),
        // k: the evening before, l: the first instant of the next day: outside the range.
        Call("k", at: "2026-05-03T23:00:00+02:00", [.newCall(0), .hangup(2, cause: .cancel)]),
        Call("l", at: "2026-05-05T00:00:00+02:00", [.newCall(0), .answer(1), .hangup(9)], outcome: .signal),
        // m: arrives one second before midnight, answered after 1 s, talks 300 s into the next day.
        Call(
            "m", at: "2026-05-04T23:59:59+02:00", [.newCall(0), .answer(1), .hangup(301)],
            outcome: .ombudsReferral),
    ]

    @Test func mixedDayMatchesTheContract() throws {
        let figures = try Self.figures(Self.mixedDay, from: "2026-05-04", to: "2026-05-04")
        // Offered a b c d e f g m; answered a b f m; abandoned c d e g; short c d.
        #expect(figures.offered == 8)
        #expect(figures.answered == 4)
        #expect(figures.abandoned == 4)
        #expect(figures.shortAbandoned == 2)
        // Within 20 s: a (10), f (20), m (1) of 8 − 2.
        #expect(figures.serviceLevel == 3.0 / 6.0)
        // (4 − 2) ÷ (8 − 2).
        #expect(figures.abandonRate == 2.0 / 6.0)
        // (10 + 25 + 20 + 1) ÷ 4 and (120 + 60 + 30 + 300) ÷ 4.
        #expect(figures.averageSpeedOfAnswerSeconds == 14)
        #expect(figures.averageTalkSeconds == 127.5)
        #expect(figures.inProgress == 2)
        #expect(
            figures.byOutcome
                == CallOutcomeCounts(
                    information: 1, signal: 1, forwardedExternal: 1, ombudsReferral: 1, noAction: 1, unlogged: 3))
        var byHour = Array(repeating: 0, count: 24)
        byHour[9] = 2  // a b
        byHour[10] = 2  // c d
        byHour[11] = 1  // e
        byHour[14] = 2  // f g
        byHour[23] = 1  // m
        #expect(figures.byHour == byHour)
        #expect(figures.signalsCreated == 1)
    }

    @Test func countsAddUp() throws {
        let figures = try Self.figures(Self.mixedDay, from: "2026-05-01", to: "2026-05-31")
        let outcomes = figures.byOutcome
        let logged = outcomes.information + outcomes.signal + outcomes.forwardedExternal
        #expect(figures.answered + figures.abandoned == figures.offered)
        #expect(logged + outcomes.ombudsReferral + outcomes.noAction + outcomes.unlogged == figures.offered)
        #expect(figures.byHour.reduce(0, +) == figures.offered)
        // Over the whole month k and l count too: 8 + 2, and l is a second signal.
        #expect(figures.offered == 10)
        #expect(figures.signalsCreated == 2)
    }

    /// Feeding stored columns one at a time gives the same figures as the records.
    @Test func tallyFromColumnsMatchesRecords() throws {
        let interval = try CallFigures.dayInterval(from: "2026-05-04", to: "2026-05-04", timeZone: Self.brussels)
        var tally = CallFiguresTally(
            interval: interval, timeZone: Self.brussels, serviceLevelSeconds: 20, shortAbandonSeconds: 5)
        for call in Self.mixedDay.map(\.logged) where call.record.direction == .inbound {
            let record = call.record
            tally.addInbound(
                arrivedAt: try #require(record.arrivedAt), answeredAt: record.answeredAt, endedAt: record.endedAt,
                isEnded: record.state.isEnded, outcome: call.outcome)
        }
        #expect(tally.figures == (try Self.figures(Self.mixedDay, from: "2026-05-04", to: "2026-05-04")))
        #expect(tally.figures.offered == 8)
    }

    struct Midnight: Sendable, CustomTestStringConvertible {
        var day: String
        var offered: Int
        var inProgress: Int
        var hour23: Int
        var testDescription: String { day }
    }

    /// A call that arrives before midnight counts on its arrival day only, whenever it ends.
    @Test(arguments: [
        Midnight(day: "2026-05-04", offered: 1, inProgress: 1, hour23: 1),
        Midnight(day: "2026-05-05", offered: 0, inProgress: 0, hour23: 0),
    ])
    func callAcrossMidnightCountsOnItsArrivalDay(_ example: Midnight) throws {
        let calls = [
            Call("ended", at: "2026-05-04T23:58:00+02:00", [.newCall(0), .answer(30), .hangup(600)]),
            Call("talking", at: "2026-05-04T23:59:30+02:00", [.newCall(0), .answer(45)]),
        ]
        let figures = try Self.figures(calls, from: example.day, to: example.day)
        #expect(figures.offered == example.offered)
        #expect(figures.inProgress == example.inProgress)
        #expect(figures.byHour[23] == example.hour23)
        #expect(figures.byHour[0] == 0)
    }

    struct DaylightSaving: Sendable, CustomTestStringConvertible {
        var day: String
        var hours: Int
        /// Calls per local hour when one call arrives at the start of every real hour of the day.
        var byHour: [Int]
        var testDescription: String { "\(day) (\(hours) h)" }
    }

    static let daylightSaving: [DaylightSaving] = [
        // Clocks go from 02:00 to 03:00: there is no 02:xx.
        DaylightSaving(day: "2026-03-29", hours: 23, byHour: [1, 1, 0] + Array(repeating: 1, count: 21)),
        // Clocks go from 03:00 back to 02:00: 02:xx happens twice.
        DaylightSaving(day: "2026-10-25", hours: 25, byHour: [1, 1, 2] + Array(repeating: 1, count: 21)),
        DaylightSaving(day: "2026-05-04", hours: 24, byHour: Array(repeating: 1, count: 24)),
    ]

    @Test(arguments: daylightSaving)
    func byHourFollowsLocalClockOnDaylightSavingDays(_ example: DaylightSaving) throws {
        let interval = try CallFigures.dayInterval(from: example.day, to: example.day, timeZone: Self.brussels)
        #expect(interval.duration == Double(example.hours) * 3600)
        let records = (0..<example.hours).map { hour in
            play(
                [.newCall(0), .answer(10), .hangup(70)], callId: "h\(hour)",
                start: interval.start.addingTimeInterval(Double(hour) * 3600))!
        }
        let figures = CallFigures(
            calls: records.map { LoggedCall(record: $0) }, interval: interval, timeZone: Self.brussels,
            serviceLevelSeconds: 20, shortAbandonSeconds: 5)
        #expect(figures.offered == example.hours)
        #expect(figures.byHour == example.byHour)
    }

    struct LocalHour: Sendable, CustomTestStringConvertible {
        var instant: String
        var hour: Int
        var testDescription: String { "\(instant) → \(hour)" }
    }

    /// Instants around the two changes of 2026 and the local hour they belong to.
    @Test(arguments: [
        LocalHour(instant: "2026-03-29T00:59:59Z", hour: 1),  // 01:59:59 CET
        LocalHour(instant: "2026-03-29T01:00:00Z", hour: 3),  // 03:00 CEST
        LocalHour(instant: "2026-10-25T00:30:00Z", hour: 2),  // 02:30 CEST, first pass
        LocalHour(instant: "2026-10-25T01:30:00Z", hour: 2),  // 02:30 CET, second pass
        LocalHour(instant: "2026-10-25T02:00:00Z", hour: 3),  // 03:00 CET
        LocalHour(instant: "2026-10-24T22:00:00Z", hour: 0),  // midnight starting the 25-hour day
    ])
    func arrivalLandsInItsLocalHour(_ example: LocalHour) throws {
        let arrival = instant(example.instant)
        let interval = try CallFigures.dayInterval(from: "2026-03-01", to: "2026-10-31", timeZone: Self.brussels)
        let record = try #require(play([.newCall(0), .hangup(60, cause: .cancel)], start: arrival))
        let figures = CallFigures(
            calls: [LoggedCall(record: record)], interval: interval, timeZone: Self.brussels,
            serviceLevelSeconds: 20, shortAbandonSeconds: 5)
        #expect(figures.byHour.firstIndex(of: 1) == example.hour)
        #expect(figures.byHour.reduce(0, +) == 1)
    }

    struct Limit: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var withinServiceLevel: Bool
        var shortAbandoned: Int
        var testDescription: String { name }

        init(_ name: String, _ steps: [Step], withinServiceLevel: Bool, shortAbandoned: Int) {
            self.name = name
            self.steps = steps
            self.withinServiceLevel = withinServiceLevel
            self.shortAbandoned = shortAbandoned
        }
    }

    @Test(arguments: [
        Limit(
            "answered after 19.9 s", [.newCall(0), .answer(19.9), .hangup(60)],
            withinServiceLevel: true, shortAbandoned: 0),
        Limit(
            "answered after 20 s", [.newCall(0), .answer(20), .hangup(60)],
            withinServiceLevel: true, shortAbandoned: 0),
        Limit(
            "answered after 20.5 s", [.newCall(0), .answer(20.5), .hangup(60)],
            withinServiceLevel: false, shortAbandoned: 0),
        Limit(
            "answered after 2 s, hung up at 3 s", [.newCall(0), .answer(2), .hangup(3)],
            withinServiceLevel: true, shortAbandoned: 0),
        Limit(
            "abandoned after 5 s", [.newCall(0), .hangup(5, cause: .cancel)],
            withinServiceLevel: false, shortAbandoned: 1),
        Limit(
            "abandoned after 5.5 s", [.newCall(0), .hangup(5.5, cause: .cancel)],
            withinServiceLevel: false, shortAbandoned: 0),
        Limit(
            "missed after 4 s", [.newCall(0), .hangup(4, cause: .busy)],
            withinServiceLevel: false, shortAbandoned: 1),
    ])
    func limitsAreIncluded(_ example: Limit) throws {
        // The scripted call plus one plain answered call after 60 s, so the rates never divide by 0.
        let calls = [
            Call("x", at: "2026-05-04T10:00:00+02:00", example.steps),
            Call("slow", at: "2026-05-04T11:00:00+02:00", [.newCall(0), .answer(60), .hangup(120)]),
        ]
        let figures = try Self.figures(calls, from: "2026-05-04", to: "2026-05-04")
        #expect(figures.shortAbandoned == example.shortAbandoned)
        let base = Double(2 - example.shortAbandoned)
        #expect(figures.serviceLevel == (example.withinServiceLevel ? 1 : 0) / base)
    }

    @Test func emptyRangeReadsZeroNotNaN() throws {
        let figures = try Self.figures([], from: "2026-05-04", to: "2026-05-04")
        #expect(figures == CallFigures())
        #expect(figures.byHour == Array(repeating: 0, count: 24))
        #expect(figures.serviceLevel == 0 && figures.abandonRate == 0)
    }

    @Test func onlyShortAbandonsReadZeroRates() throws {
        let calls = [
            Call("c1", at: "2026-05-04T10:00:00+02:00", [.newCall(0), .hangup(2, cause: .cancel)]),
            Call("c2", at: "2026-05-04T10:01:00+02:00", [.newCall(0), .hangup(4, cause: .cancel)]),
        ]
        let figures = try Self.figures(calls, from: "2026-05-04", to: "2026-05-04")
        #expect(figures.offered == 2 && figures.abandoned == 2 && figures.shortAbandoned == 2)
        #expect(figures.serviceLevel == 0 && figures.abandonRate == 0)
        #expect(figures.averageSpeedOfAnswerSeconds == 0 && figures.averageTalkSeconds == 0)
    }

    /// An exchange that sends only newCall and hangup: no call is answered, so every call is abandoned.
    @Test func exchangeWithoutAnswerEventsAnswersNothing() throws {
        let calls = (0..<4).map { index in
            Call(
                "n\(index)", at: "2026-05-04T09:0\(index):00+02:00",
                [.newCall(0, users: ["Els"]), .hangup(Double(90 + index), users: ["Els"], answeringNumber: "201")])
        }
        let figures = try Self.figures(calls, from: "2026-05-04", to: "2026-05-04")
        #expect(figures.offered == 4)
        #expect(figures.answered == 0)
        #expect(figures.abandoned == 4)
        #expect(figures.abandonRate == 1)
        #expect(figures.serviceLevel == 0)
    }

    /// Raw exchange traffic, parsed, duplicated and reordered, counts each call once.
    @Test func duplicatedAndReorderedTrafficCountsEachCallOnce() throws {
        let start = instant("2026-05-04T08:00:00Z")
        let traffic: [(Double, [String: [String]])] = [
            (0, ["event": ["newCall"], "callId": ["A"], "from": ["+32111"], "direction": ["in"]]),
            (1, ["event": ["hangup"], "call_id": ["B"], "cause": ["cancel"]]),  // before its newCall
            (2, ["event": ["newCall"], "callId": ["B"], "from": ["+32222"]]),
            (3, ["event": ["newCall"], "callId": ["A"], "from": ["+32111"]]),  // duplicate
            (8, ["event": ["answer"], "callId": ["A"], "user[]": ["Els"]]),
            (9, ["event": ["answer"], "callId": ["A"], "user[]": ["Els"]]),  // duplicate
            (40, ["event": ["hangup"], "callId": ["A"], "cause": ["normalClearing"], "extra": ["ignored"]]),
            (41, ["event": ["hangup"], "callId": ["A"], "cause": ["cancel"]]),  // late duplicate, other cause
            (50, ["event": ["newCall"], "callId": ["C"], "direction": ["out"]]),
        ]
        var records: [String: CallRecord] = [:]
        for (seconds, fields) in traffic {
            let event = try CallEvent.parse(fields)
            records[event.callId] = CallStateMachine.apply(
                event, at: start.addingTimeInterval(seconds), to: records[event.callId])
        }
        let interval = try CallFigures.dayInterval(from: "2026-05-04", to: "2026-05-04", timeZone: Self.brussels)
        let figures = CallFigures(
            calls: records.values.map { LoggedCall(record: $0) }, interval: interval, timeZone: Self.brussels,
            serviceLevelSeconds: 20, shortAbandonSeconds: 5)
        #expect(records["A"]?.state == .answered)
        #expect(records["B"]?.state == .abandoned)
        #expect(records["B"]?.from == "+32222")
        #expect(figures.offered == 2)
        #expect(figures.answered == 1)
        #expect(figures.shortAbandoned == 1)  // B: only its hangup time is known, so it lasted 0 s
        #expect(figures.averageSpeedOfAnswerSeconds == 8)
        #expect(figures.averageTalkSeconds == 32)
        #expect(figures.inProgress == 0)  // C is outbound
        #expect(figures.byHour[10] == 2)  // 08:00Z is 10:00 in Brussels
    }

    @Test func encodesExactlyTheContractsKeys() throws {
        let figures = try Self.figures(Self.mixedDay, from: "2026-05-04", to: "2026-05-04")
        let data = try JSONEncoder().encode(figures)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "offered", "answered", "abandoned", "short_abandoned", "service_level", "abandon_rate",
                "average_speed_of_answer_seconds", "average_talk_seconds", "in_progress", "by_outcome", "by_hour",
                "signals_created",
            ])
        let byOutcome = try #require(object["by_outcome"] as? [String: Int])
        #expect(Set(byOutcome.keys) == Set(CallOutcome.allCases.map(\.rawValue) + ["unlogged"]))
        #expect(byOutcome["forwarded_external"] == 1 && byOutcome["unlogged"] == 3)
        #expect((object["by_hour"] as? [Int])?.count == 24)
        #expect(object["short_abandoned"] as? Int == 2)
        #expect(try JSONDecoder().decode(CallFigures.self, from: data) == figures)
    }

    @Test func outcomeRawValuesAreTheContracts() {
        #expect(
            CallOutcome.allCases.map(\.rawValue)
                == ["information", "signal", "forwarded_external", "ombuds_referral", "no_action"])
        #expect(CallOutcome(rawValue: "ombuds_referral") == .ombudsReferral)
    }
}

import CallLog
import Foundation
import Testing

struct CallStateMachineTests {
    static let start = instant("2026-05-04T08:00:00Z")

    /// A scripted call and what the record must say after it; times in seconds after `start`.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var state: CallState
        var arrived: Double
        var answered: Double?
        var ended: Double?
        var cause: HangupCause? = nil
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "normal call", steps: [.newCall(0), .answer(12), .hangup(200)],
            state: .answered, arrived: 0, answered: 12, ended: 200, cause: .normalClearing),
        Scenario(
            name: "still ringing", steps: [.newCall(0)],
            state: .ringing, arrived: 0, answered: nil, ended: nil),
        Scenario(
            name: "talking", steps: [.newCall(0), .answer(7)],
            state: .talking, arrived: 0, answered: 7, ended: nil),
        Scenario(
            name: "abandoned: caller cancels", steps: [.newCall(0), .hangup(30, cause: .cancel)],
            state: .abandoned, arrived: 0, answered: nil, ended: 30, cause: .cancel),
        Scenario(
            name: "abandoned: normalClearing without answer", steps: [.newCall(0), .hangup(30)],
            state: .abandoned, arrived: 0, answered: nil, ended: 30, cause: .normalClearing),
        Scenario(
            name: "abandoned: hangup without cause", steps: [.newCall(0), .hangup(30, cause: nil)],
            state: .abandoned, arrived: 0, answered: nil, ended: 30),
        Scenario(
            name: "short abandon", steps: [.newCall(0), .hangup(3, cause: .cancel)],
            state: .abandoned, arrived: 0, answered: nil, ended: 3, cause: .cancel),
        Scenario(
            name: "missed: noAnswer", steps: [.newCall(0), .hangup(60, cause: .noAnswer)],
            state: .missed, arrived: 0, answered: nil, ended: 60, cause: .noAnswer),
        Scenario(
            name: "missed: busy", steps: [.newCall(0), .hangup(2, cause: .busy)],
            state: .missed, arrived: 0, answered: nil, ended: 2, cause: .busy),
        Scenario(
            name: "missed: congestion", steps: [.newCall(0), .hangup(1, cause: .congestion)],
            state: .missed, arrived: 0, answered: nil, ended: 1, cause: .congestion),
        Scenario(
            name: "missed: notFound", steps: [.newCall(0), .hangup(1, cause: .notFound)],
            state: .missed, arrived: 0, answered: nil, ended: 1, cause: .notFound),
        Scenario(
            name: "unknown cause without answer is abandoned",
            steps: [.newCall(0), .hangup(9, cause: .other("rejectedByPolicy"))],
            state: .abandoned, arrived: 0, answered: nil, ended: 9, cause: .other("rejectedByPolicy")),
        Scenario(
            name: "answered call with a cause that means missed stays answered",
            steps: [.newCall(0), .answer(4), .hangup(50, cause: .noAnswer)],
            state: .answered, arrived: 0, answered: 4, ended: 50, cause: .noAnswer),
        Scenario(
            name: "forwarded before anybody answered", steps: [.newCall(0), .hangup(15, cause: .forwarded)],
            state: .forwarded, arrived: 0, answered: nil, ended: 15, cause: .forwarded),
        Scenario(
            name: "forwarded after an answer", steps: [.newCall(0), .answer(5), .hangup(90, cause: .forwarded)],
            state: .forwarded, arrived: 0, answered: 5, ended: 90, cause: .forwarded),
        Scenario(
            name: "late duplicate answer changes nothing", steps: [.newCall(0), .answer(10), .answer(40)],
            state: .talking, arrived: 0, answered: 10, ended: nil),
        Scenario(
            name: "late duplicate newCall after hangup changes nothing",
            steps: [.newCall(0), .hangup(30, cause: .cancel), .newCall(50)],
            state: .abandoned, arrived: 0, answered: nil, ended: 30, cause: .cancel),
        Scenario(
            name: "second hangup with another cause changes nothing",
            steps: [.newCall(0), .answer(10), .hangup(100), .hangup(120, cause: .cancel)],
            state: .answered, arrived: 0, answered: 10, ended: 100, cause: .normalClearing),
        Scenario(
            name: "answer before newCall: arrival falls back to the answer",
            steps: [.answer(12), .newCall(13), .hangup(100)],
            state: .answered, arrived: 12, answered: 12, ended: 100, cause: .normalClearing),
        Scenario(
            name: "hangup before newCall: the late newCall does not reopen the call",
            steps: [.hangup(30, cause: .cancel), .newCall(31)],
            state: .abandoned, arrived: 30, answered: nil, ended: 30, cause: .cancel),
        Scenario(
            name: "reordered events with their own times keep the exchange's times",
            steps: [.hangup(71, own: 70), .answer(72, own: 10), .newCall(73, own: 0)],
            state: .answered, arrived: 0, answered: 10, ended: 70, cause: .normalClearing),
        Scenario(
            name: "own time wins over arrival at the service",
            steps: [.newCall(5, own: 0), .answer(30, own: 18), .hangup(95, own: 90)],
            state: .answered, arrived: 0, answered: 18, ended: 90, cause: .normalClearing),
        Scenario(
            name: "newCall never comes: arrival is the earliest known time",
            steps: [.answer(20), .hangup(80)],
            state: .answered, arrived: 20, answered: 20, ended: 80, cause: .normalClearing),
        Scenario(
            name: "answer received after the hangup is clamped to it",
            steps: [.newCall(0), .hangup(50), .answer(55)],
            state: .answered, arrived: 0, answered: 50, ended: 50, cause: .normalClearing),
        Scenario(
            name: "exchange without answer events: hangup naming an agent is still not answered",
            steps: [.newCall(0), .hangup(140, users: ["Els"], answeringNumber: "201")],
            state: .abandoned, arrived: 0, answered: nil, ended: 140, cause: .normalClearing),
    ]

    @Test(arguments: scenarios)
    func followsTheCall(_ scenario: Scenario) throws {
        let start = Self.start
        let record = try #require(play(scenario.steps, start: start))
        #expect(record.state == scenario.state)
        #expect(record.arrivedAt == start.addingTimeInterval(scenario.arrived))
        #expect(record.answeredAt == scenario.answered.map { start.addingTimeInterval($0) })
        #expect(record.endedAt == scenario.ended.map { start.addingTimeInterval($0) })
        #expect(record.cause == scenario.cause)
        #expect(record.appliedEvents == Set(scenario.steps.map(\.kind)).sorted())
    }

    /// Full calls whose events carry their own times: any order of arrival gives the same record.
    static let timedCalls: [[Step]] = [
        [
            .newCall(0, own: 0, users: ["Els", "Jan"]), .answer(1, own: 14, users: ["Jan"], answeringNumber: "202"),
            .hangup(2, own: 300, users: ["Jan"]),
        ],
        [.newCall(0, own: 0), .answer(1, own: 3), .hangup(2, own: 45, cause: .forwarded)],
        [.newCall(0, own: 0), .hangup(1, own: 4, cause: .cancel)],
        [.newCall(0, own: 0), .hangup(1, own: 61, cause: .noAnswer)],
    ]

    @Test(arguments: timedCalls)
    func orderOfArrivalDoesNotMatter(_ steps: [Step]) throws {
        let inOrder = try #require(play(steps, start: Self.start))
        for order in permutations(steps) {
            // Received one after another in this order, a second apart.
            let received = order.enumerated().map { index, step in
                var step = step
                step.received = Double(100 + index)
                return step
            }
            #expect(play(received, start: Self.start) == inOrder, "order \(order)")
        }
    }

    /// Calls without own times: any order keeps the state and arrival ≤ answer ≤ end.
    static let untimedCalls: [[Step]] = [
        [.newCall(0), .answer(10), .hangup(100)],
        [.newCall(0), .answer(10), .hangup(100, cause: .forwarded)],
        [.newCall(0), .hangup(30, cause: .noAnswer)],
        [.newCall(0), .hangup(30, cause: .cancel)],
    ]

    @Test(arguments: untimedCalls)
    func orderKeepsStateAndTimeOrder(_ steps: [Step]) throws {
        let expected = try #require(play(steps, start: Self.start)).state
        for order in permutations(steps) {
            let received = order.enumerated().map { index, step in
                var step = step
                step.received = Double(index * 10)
                return step
            }
            let record = try #require(play(received, start: Self.start))
            #expect(record.state == expected, "order \(order)")
            let arrived = try #require(record.arrivedAt)
            if let answered = record.answeredAt {
                #expect(arrived <= answered, "order \(order)")
                if let ended = record.endedAt { #expect(answered <= ended, "order \(order)") }
            }
            if let ended = record.endedAt { #expect(arrived <= ended, "order \(order)") }
        }
    }

    @Test(arguments: timedCalls + untimedCalls)
    func duplicateAnywhereLaterChangesNothing(_ steps: [Step]) throws {
        let once = try #require(play(steps, start: Self.start))
        for original in steps.indices {
            for position in (original + 1)...steps.count {
                var duplicate = steps[original]
                duplicate.received += 1_000  // late
                duplicate.own = duplicate.own.map { $0 + 500 }  // and with another own time
                duplicate.cause = duplicate.kind == .hangup ? .busy : nil
                var withDuplicate = steps
                withDuplicate.insert(duplicate, at: position)
                #expect(play(withDuplicate, start: Self.start) == once, "\(duplicate) at \(position)")
            }
        }
    }

    @Test func newCallDescribesTheCallWhateverTheOrder() throws {
        var newCall = Step.newCall(0, from: "+32111", to: "0800A", users: ["Els", "Jan"])
        newCall.direction = .inbound
        var answer = Step.answer(5, users: ["Jan"], answeringNumber: "202")
        answer.from = "+32222"
        var hangup = Step.hangup(50, users: ["Mia"], answeringNumber: "299")
        hangup.from = "+32333"
        hangup.to = "0800C"
        for order in permutations([newCall, answer, hangup]) {
            let record = try #require(play(order, start: Self.start))
            #expect(record.from == "+32111", "order \(order)")
            #expect(record.to == "0800A", "order \(order)")
            #expect(record.answeringNumber == "202", "order \(order)")
            #expect(record.agent == "Jan", "order \(order)")
            #expect(Set(record.agents) == ["Els", "Jan", "Mia"], "order \(order)")
        }
    }

    @Test func withoutNewCallTheAnswerDescribesTheCall() throws {
        var answer = Step.answer(5, direction: .outbound)
        answer.from = "201"
        var hangup = Step.hangup(50, direction: .inbound)
        hangup.from = "+32333"
        for order in permutations([answer, hangup]) {
            let record = try #require(play(order, start: Self.start))
            #expect(record.from == "201", "order \(order)")
            #expect(record.direction == .outbound, "order \(order)")
        }
    }

    @Test func exchangeWithoutAnswerEventsKeepsWhoWasNamed() throws {
        let steps: [Step] = [.newCall(0, users: ["Els"]), .hangup(140, users: ["Jan"], answeringNumber: "201")]
        let record = try #require(play(steps, start: Self.start))
        #expect(record.answeredAt == nil)
        #expect(record.agents == ["Els", "Jan"])
        #expect(record.answeringNumber == "201")
    }

    struct Callback: Sendable, CustomTestStringConvertible {
        var name: String
        var steps: [Step]
        var needsCallback: Bool
        var testDescription: String { name }
    }

    static let callbacks: [Callback] = [
        Callback(
            name: "abandoned with a number", steps: [.newCall(0), .hangup(20, cause: .cancel)],
            needsCallback: true),
        Callback(
            name: "missed with a number", steps: [.newCall(0), .hangup(60, cause: .noAnswer)],
            needsCallback: true),
        Callback(
            name: "anonymous caller", steps: [.newCall(0, from: "anonymous"), .hangup(20, cause: .cancel)],
            needsCallback: false),
        Callback(
            name: "no number at all", steps: [.newCall(0, from: nil), .hangup(20)],
            needsCallback: false),
        Callback(name: "answered", steps: [.newCall(0), .answer(5), .hangup(20)], needsCallback: false),
        Callback(
            name: "forwarded unanswered", steps: [.newCall(0), .hangup(8, cause: .forwarded)],
            needsCallback: false),
        Callback(name: "still ringing", steps: [.newCall(0)], needsCallback: false),
        Callback(
            name: "outbound call not picked up",
            steps: [.newCall(0, direction: .outbound), .hangup(30, cause: .noAnswer, direction: .outbound)],
            needsCallback: false),
    ]

    @Test(arguments: callbacks)
    func callbackList(_ example: Callback) throws {
        let record = try #require(play(example.steps, start: Self.start))
        #expect(record.needsCallback == example.needsCallback)
    }

    @Test func removingPersonalDataKeepsTheFiguresInputs() throws {
        let record = try #require(play([.newCall(0), .answer(9), .hangup(99)], start: Self.start))
        let stripped = record.removingPersonalData()
        #expect(stripped.from == nil && stripped.to == nil)
        #expect(!"\(record)".contains("+3259123456"))
        var kept = stripped
        kept.from = record.from
        kept.to = record.to
        #expect(kept == record)
    }

    @Test func recordSurvivesStorageAsJSON() throws {
        let record = try #require(
            play([.newCall(0, users: ["Els"]), .hangup(5, cause: .other("x-custom"))], start: Self.start))
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(CallRecord.self, from: data) == record)
    }
}

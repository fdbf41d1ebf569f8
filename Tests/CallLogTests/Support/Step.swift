import CallLog
import Foundation

/// One exchange event in a scripted call: what the exchange sends and when the service receives it.
struct Step: Sendable, CustomStringConvertible {
    var kind: CallEventKind
    /// Seconds after the script's start at which the service receives the event.
    var received: Double
    /// The event's own time, in seconds after the script's start, when the exchange sends one.
    var own: Double? = nil
    var cause: HangupCause? = nil
    var users: [String] = []
    var from: String? = nil
    var to: String? = nil
    var answeringNumber: String? = nil
    var direction: CallDirection = .inbound

    static func newCall(
        _ received: Double, own: Double? = nil, from: String? = "+3259123456", to: String? = "080018400",
        users: [String] = [], direction: CallDirection = .inbound
    ) -> Step {
        Step(kind: .newCall, received: received, own: own, users: users, from: from, to: to, direction: direction)
    }

    static func answer(
        _ received: Double, own: Double? = nil, users: [String] = [], answeringNumber: String? = nil,
        direction: CallDirection = .inbound
    ) -> Step {
        Step(
            kind: .answer, received: received, own: own, users: users, answeringNumber: answeringNumber,
            direction: direction)
    }

    static func hangup(
        _ received: Double, own: Double? = nil, cause: HangupCause? = .normalClearing, users: [String] = [],
        answeringNumber: String? = nil, direction: CallDirection = .inbound
    ) -> Step {
        Step(
            kind: .hangup, received: received, own: own, cause: cause, users: users,
            answeringNumber: answeringNumber, direction: direction)
    }

    func event(callId: String, start: Date) -> CallEvent {
        CallEvent(
            kind: kind, callId: callId, from: from, to: to, direction: direction, users: users,
            answeringNumber: answeringNumber, cause: cause,
            time: own.map { start.addingTimeInterval($0) })
    }

    var description: String {
        "\(kind.rawValue)@\(received)" + (own.map { "(own \($0))" } ?? "")
    }
}

/// Plays steps through the state machine in the order given.
func play(_ steps: [Step], callId: String = "call-1", start: Date) -> CallRecord? {
    steps.reduce(nil as CallRecord?) { record, step in
        CallStateMachine.apply(
            step.event(callId: callId, start: start), at: start.addingTimeInterval(step.received), to: record)
    }
}

/// Every ordering of a list, for order-independence checks.
func permutations<Element>(_ items: [Element]) -> [[Element]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { index in
        var rest = items
        let first = rest.remove(at: index)
        return permutations(rest).map { [first] + $0 }
    }
}

/// An instant from an RFC 3339 text written in a test; traps on a typo in the test itself.
func instant(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else {
        preconditionFailure("bad instant in a test: \(text)")
    }
    return date
}

import Foundation

/// The life of a call: folds the exchange's events, in whatever order and
/// however often they come, into one ``CallRecord``.
///
/// Rules, so that a call is counted once whatever the exchange does:
/// - An event of a kind already applied is a duplicate: the record comes back unchanged.
/// - An event's own ``CallEvent/time`` wins over the moment the service received it.
/// - `arrivedAt` is the earliest time of any event applied: when `newCall`
///   never comes it falls back to the answer or hangup, and a `newCall` that
///   comes after them does not move it later.
/// - `answeredAt` is clamped to `endedAt`, so a late `answer` after the
///   hangup (both without their own time) never makes talk time negative.
/// - Descriptive fields do not depend on the order either: for `from`, `to`,
///   `queue` and direction `newCall` outranks `answer`, which outranks
///   `hangup`; for `answeringNumber` `answer` outranks `hangup`, which
///   outranks `newCall`. A lower-ranked event only fills what is missing.
///   Agents named by the `answer` come first in ``CallRecord/agents``.
/// - An `answer` or `hangup` before `newCall` is applied as it comes; the
///   later `newCall` fills in the rest and never undoes the ended state.
/// - The state follows from the kinds applied and the cause, never from the
///   order: `hangup` with cause `forwarded` gives ``CallState/forwarded``;
///   otherwise after an `answer` ``CallState/answered``; without one
///   ``CallState/missed`` for `noAnswer`, `busy`, `congestion`, `notFound`
///   and ``CallState/abandoned`` for anything else.
/// - Only an `answer` event makes a call answered. An exchange that sends
///   only `newCall` and `hangup` gives unanswered calls, even when the hangup
///   has cause `normalClearing` and names an agent or `answeringNumber`: a
///   talk time cannot be known without the answer's time, and docs/interface.md §8
///   defines answered as "calls with an answer event".
public enum CallStateMachine {
    /// Applies one event to the call it belongs to.
    ///
    /// - Parameters:
    ///   - event: The event, already parsed.
    ///   - arrival: When the service received it; used unless the event has its own time.
    ///   - record: The call so far, or nil for the first event of a call.
    /// - Returns: The call after the event; `record` itself for a duplicate.
    /// - Precondition: `record`, when given, has the event's `callId`.
    public static func apply(_ event: CallEvent, at arrival: Date, to record: CallRecord?) -> CallRecord {
        if let record {
            precondition(record.callId == event.callId, "an event applied to another call's record")
            if record.appliedEvents.contains(event.kind) { return record }
        }
        var call = record ?? CallRecord(callId: event.callId, direction: event.direction)
        let time = event.time ?? arrival

        // A field takes the event's value unless an event that outranks this
        // one for that field was applied already; nil never erases a value.
        let applied = call.appliedEvents
        func outranks(_ order: [CallEventKind]) -> Bool {
            order.prefix { $0 != event.kind }.allSatisfy { !applied.contains($0) }
        }
        let describes = outranks([.newCall, .answer, .hangup])
        if describes { call.direction = event.direction }
        call.from = pick(call.from, event.from, describes)
        call.to = pick(call.to, event.to, describes)
        call.queue = pick(call.queue, event.queue, describes)
        call.answeringNumber = pick(
            call.answeringNumber, event.answeringNumber, outranks([.answer, .hangup, .newCall]))
        call.agents = merge(call.agents, adding: event.users, first: event.kind == .answer)

        switch event.kind {
        case .newCall:
            break
        case .answer:
            call.answeredAt = min(time, call.endedAt ?? time)
        case .hangup:
            call.endedAt = time
            call.answeredAt = call.answeredAt.map { min($0, time) }
            call.cause = event.cause
        }

        call.arrivedAt = min(call.arrivedAt ?? time, time)
        call.appliedEvents = (applied + [event.kind]).sorted()
        call.state = state(applied: call.appliedEvents, cause: call.cause)
        return call
    }

    /// The incoming value when it outranks the current one, else the current one unless it is missing.
    private static func pick(_ current: String?, _ incoming: String?, _ outranks: Bool) -> String? {
        outranks ? incoming ?? current : current ?? incoming
    }

    /// Adds names not yet listed: in front when they come from the answer, behind otherwise.
    private static func merge(_ agents: [String], adding users: [String], first: Bool) -> [String] {
        if first {
            return users + agents.filter { !users.contains($0) }
        }
        return agents + users.filter { !agents.contains($0) }
    }

    private static func state(applied: [CallEventKind], cause: HangupCause?) -> CallState {
        let answered = applied.contains(.answer)
        guard applied.contains(.hangup) else {
            return answered ? .talking : .ringing
        }
        if cause == .forwarded { return .forwarded }
        if answered { return .answered }
        return cause?.meansMissed == true ? .missed : .abandoned
    }
}

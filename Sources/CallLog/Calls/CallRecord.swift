import Foundation

/// One call on the line, as the exchange's events have described it so far.
///
/// ``CallStateMachine/apply(_:at:to:)`` builds it up event by event; the
/// service stores it between events. Times keep
/// `arrivedAt ≤ answeredAt ≤ endedAt`. ``description`` leaves the numbers out,
/// since they are personal data.
public struct CallRecord: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The exchange's id of the call.
    public var callId: String
    /// Which way the call goes.
    public var direction: CallDirection
    /// The calling number, or `anonymous`; nil once removed for retention.
    public var from: String?
    /// The called number, or `anonymous`; nil once removed for retention.
    public var to: String?
    /// The exchange's queue or group.
    public var queue: String?
    /// The agents the events named: those of the `answer` event first, then the
    /// others in the order they were first named. The first is the agent who
    /// took the call only when the `answer` event named one.
    public var agents: [String]
    /// The number (extension) that took the call.
    public var answeringNumber: String?
    /// When the call arrived: the earliest time of any event applied, so a
    /// `newCall` that comes late does not move it after an answer or hangup.
    public var arrivedAt: Date?
    /// When the `answer` event happened; nil when none came.
    public var answeredAt: Date?
    /// When the `hangup` event happened; nil while the call goes on.
    public var endedAt: Date?
    /// Why the call ended, from the `hangup` event.
    public var cause: HangupCause?
    /// Where the call stands.
    public var state: CallState
    /// The kinds of event already applied, in the order of a call's life; a
    /// second event of a kind already here is a duplicate and changes nothing.
    public var appliedEvents: [CallEventKind]

    /// Creates a record; the service uses it to load a stored call or to log
    /// one the exchange did not report.
    public init(
        callId: String,
        direction: CallDirection = .inbound,
        from: String? = nil,
        to: String? = nil,
        queue: String? = nil,
        agents: [String] = [],
        answeringNumber: String? = nil,
        arrivedAt: Date? = nil,
        answeredAt: Date? = nil,
        endedAt: Date? = nil,
        cause: HangupCause? = nil,
        state: CallState = .ringing,
        appliedEvents: [CallEventKind] = []
    ) {
        self.callId = callId
        self.direction = direction
        self.from = from
        self.to = to
        self.queue = queue
        self.agents = agents
        self.answeringNumber = answeringNumber
        self.arrivedAt = arrivedAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.cause = cause
        self.state = state
        self.appliedEvents = appliedEvents
    }

    /// The agent who took the call, when known: the first of ``agents``.
    public var agent: String? {
        agents.first
    }

    /// The caller's number to call back: ``from`` of an inbound call unless it is `anonymous`.
    public var callbackNumber: String? {
        guard direction == .inbound, let from, from.lowercased() != "anonymous" else { return nil }
        return from
    }

    /// Whether the call belongs on the call-back list: inbound, ended without
    /// an answer as ``CallState/abandoned`` or ``CallState/missed``, with a
    /// number to call. A forwarded call was dealt with elsewhere and is not.
    public var needsCallback: Bool {
        (state == .abandoned || state == .missed) && answeredAt == nil && callbackNumber != nil
    }

    /// The record without the caller's and callee's numbers, for retention;
    /// everything ``CallFigures`` reads stays.
    public func removingPersonalData() -> CallRecord {
        var copy = self
        copy.from = nil
        copy.to = nil
        return copy
    }

    /// The record without personal data, for instance `call 42 (in, answered)`.
    public var description: String {
        "call \(callId) (\(direction.rawValue), \(state.rawValue))"
    }
}

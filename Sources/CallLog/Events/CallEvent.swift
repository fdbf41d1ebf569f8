import Foundation

/// One event of the telephone exchange, read from the generic CTI push
/// (the shape Zammad and sipgate speak): `newCall`, `answer` or `hangup`.
///
/// Build one with ``parse(_:)`` from the decoded request body; feed it to
/// ``CallStateMachine/apply(_:at:to:)``. `from` and `to` are personal data:
/// ``description`` and ``logMetadata`` leave them out.
public struct CallEvent: Sendable, Equatable, CustomStringConvertible {
    /// The most characters a text field may hold (`callId`, numbers, names, queue, cause).
    public static let maximumFieldLength = 128
    /// The most bytes (UTF-8) a text field may hold: a character may carry any number of combining marks.
    public static let maximumFieldBytes = 4 * maximumFieldLength

    /// What happened: the `event` field.
    public var kind: CallEventKind
    /// The exchange's id of the call: `callId` or `call_id`; never empty.
    public var callId: String
    /// The calling number, or `anonymous`.
    public var from: String?
    /// The called number, or `anonymous`.
    public var to: String?
    /// Which way the call goes; ``CallDirection/inbound`` when the event does not say.
    public var direction: CallDirection
    /// The agents the event names (`user` or repeated `user[]`), without blanks or repeats.
    public var users: [String]
    /// The exchange's queue or group, when it sends one.
    public var queue: String?
    /// The number (extension) that took the call, on `answer` and `hangup`.
    public var answeringNumber: String?
    /// Why the call ended, on `hangup`.
    public var cause: HangupCause?
    /// The event's own time (`time` or `timestamp`), when the exchange sends one.
    public var time: Date?

    /// Creates an event; ``parse(_:)`` is the way in from the wire.
    public init(
        kind: CallEventKind,
        callId: String,
        from: String? = nil,
        to: String? = nil,
        direction: CallDirection = .inbound,
        users: [String] = [],
        queue: String? = nil,
        answeringNumber: String? = nil,
        cause: HangupCause? = nil,
        time: Date? = nil
    ) {
        self.kind = kind
        self.callId = callId
        self.from = from
        self.to = to
        self.direction = direction
        self.users = users
        self.queue = queue
        self.answeringNumber = answeringNumber
        self.cause = cause
        self.time = time
    }

    /// The event without personal data, for instance `hangup of call 42 (in, cause noAnswer)`.
    public var description: String {
        var details = [direction.rawValue]
        if let cause { details.append("cause \(cause.rawValue)") }
        return "\(kind.rawValue) of call \(callId) (\(details.joined(separator: ", ")))"
    }
}

import CallLog
import Domain
import Foundation

/// The JSON shape of a call (docs/interface.md §8). Every key is always present, `null` when empty.
///
/// `from`, `to` and the agent's `note` are personal data: shown only to callers
/// ``PersonalDataPolicy/mayShowCallerNumbers(to:)`` allows (agents, who call back, and
/// the back office; otherwise `null` with `personal_data_withheld: true`), never logged,
/// `null` once removed for retention (`personal_data_removed` is then true).
/// Instants carry milliseconds, since waiting times are counted in seconds.
struct CallResource: Encodable {
    let row: CallRow
    /// Unanswered calls of the same number on the call-back list, this one included.
    var attempts: Int?
    /// Whether the numbers and the note are shown.
    let personalData: Bool

    /// The call as `caller` may see it.
    init(_ row: CallRow, attempts: Int? = nil, for caller: Caller) {
        self.init(row, attempts: attempts, personalData: PersonalDataPolicy.mayShowCallerNumbers(to: caller))
    }

    /// The call with (`true`) or without its numbers, for callers outside a request
    /// (an access request made by an administrator on the command line).
    init(_ row: CallRow, attempts: Int? = nil, personalData: Bool) {
        self.row = row
        self.attempts = attempts
        self.personalData = personalData
    }

    enum CodingKeys: String, CodingKey {
        case id, direction, from, to, queue, agent, agents, state, cause, outcome, topic, note, manual, attempts
        case callId = "call_id"
        case answeringNumber = "answering_number"
        case arrivedAt = "arrived_at"
        case answeredAt = "answered_at"
        case endedAt = "ended_at"
        case waitSeconds = "wait_seconds"
        case talkSeconds = "talk_seconds"
        case signalReference = "signal_reference"
        case loggedBy = "logged_by"
        case loggedAt = "logged_at"
        case needsCallback = "needs_callback"
        case callbackClearedAt = "callback_cleared_at"
        case callbackClearedBy = "callback_cleared_by"
        case callbackClearedReason = "callback_cleared_reason"
        case callbackClearedByCall = "callback_cleared_by_call"
        case personalDataRemoved = "personal_data_removed"
        case personalDataWithheld = "personal_data_withheld"
    }

    /// Seconds between two instants, to the millisecond.
    private static func seconds(_ from: Date?, _ to: Date?) -> Double? {
        guard let from, let to else { return nil }
        return (max(0, to.timeIntervalSince(from)) * 1000).rounded() / 1000
    }

    private static func time(_ date: Date?) -> String? {
        date.map(Timestamp.formatPrecise)
    }

    func encode(to encoder: any Encoder) throws {
        let r = row.record
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(row.id, forKey: .id)
        try c.encode(r.callId, forKey: .callId)
        try c.encode(r.direction.rawValue, forKey: .direction)
        try c.encode(personalData ? r.from : nil, forKey: .from)
        try c.encode(personalData ? r.to : nil, forKey: .to)
        try c.encode(r.queue, forKey: .queue)
        try c.encode(r.agent, forKey: .agent)
        try c.encode(r.agents, forKey: .agents)
        try c.encode(r.answeringNumber, forKey: .answeringNumber)
        try c.encode(r.state.rawValue, forKey: .state)
        try c.encode(r.cause?.rawValue, forKey: .cause)
        try c.encode(Self.time(r.arrivedAt), forKey: .arrivedAt)
        try c.encode(Self.time(r.answeredAt), forKey: .answeredAt)
        try c.encode(Self.time(r.endedAt), forKey: .endedAt)
        // Waiting: until the answer, or until the caller gave up.
        try c.encode(Self.seconds(r.arrivedAt, r.answeredAt ?? r.endedAt), forKey: .waitSeconds)
        try c.encode(r.answeredAt == nil ? nil : Self.seconds(r.answeredAt, r.endedAt), forKey: .talkSeconds)
        try c.encode(row.outcome?.rawValue, forKey: .outcome)
        try c.encode(row.topic, forKey: .topic)
        try c.encode(personalData ? row.note : nil, forKey: .note)
        try c.encode(row.signalReference, forKey: .signalReference)
        try c.encode(row.loggedBy, forKey: .loggedBy)
        try c.encode(Self.time(row.loggedAt), forKey: .loggedAt)
        try c.encode(row.awaitsCallback, forKey: .needsCallback)
        try c.encode(Self.time(row.callbackClearedAt), forKey: .callbackClearedAt)
        try c.encode(row.callbackClearedBy, forKey: .callbackClearedBy)
        try c.encode(row.callbackClearedReason?.rawValue, forKey: .callbackClearedReason)
        try c.encode(row.callbackClearedByCall, forKey: .callbackClearedByCall)
        try c.encode(row.manual, forKey: .manual)
        try c.encode(row.personalDataRemovedAt != nil, forKey: .personalDataRemoved)
        try c.encode(!personalData, forKey: .personalDataWithheld)
        if let attempts {
            try c.encode(attempts, forKey: .attempts)
        }
    }
}

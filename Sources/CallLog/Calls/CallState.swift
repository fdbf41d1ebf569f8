/// Where a call stands, derived by ``CallStateMachine`` from the events applied.
public enum CallState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reported (by any event but `answer` or `hangup`) and not yet answered.
    case ringing
    /// Answered and not yet hung up.
    case talking
    /// Ended after an answer event.
    case answered
    /// Ended without an answer because the caller gave up: cause `cancel`,
    /// `normalClearing`, none, or one this module does not know.
    case abandoned
    /// Ended without an answer because the line failed the caller:
    /// cause `noAnswer`, `busy`, `congestion` or `notFound`.
    case missed
    /// Ended with cause `forwarded`, answered first or not (see ``CallRecord/answeredAt``).
    case forwarded

    /// Whether the call has ended (a `hangup` was applied).
    public var isEnded: Bool {
        switch self {
        case .ringing, .talking: false
        case .answered, .abandoned, .missed, .forwarded: true
        }
    }
}

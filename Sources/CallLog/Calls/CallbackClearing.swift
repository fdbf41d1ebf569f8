/// Why a call left the call-back list (docs/interface.md §8, `callback_cleared_reason`).
public enum CallbackClearing: String, Sendable, Hashable, Codable, CaseIterable {
    /// An outbound call to the number was answered (by the exchange's events, or logged by an agent) after it.
    case calledBack = "called_back"
    /// The caller rang again and that inbound call was answered.
    case answered
    /// An agent took it off the list by hand.
    case cleared
}

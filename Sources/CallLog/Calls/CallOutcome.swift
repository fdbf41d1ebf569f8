/// What came of a call, as the agent logs it (docs/interface.md §8).
public enum CallOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The agent gave information.
    case information
    /// The agent created a signal (report, complaint…) from the call.
    case signal
    /// The agent referred the caller to an external party.
    case forwardedExternal = "forwarded_external"
    /// The agent referred the caller to the ombudsman.
    case ombudsReferral = "ombuds_referral"
    /// Nothing was needed.
    case noAction = "no_action"
}

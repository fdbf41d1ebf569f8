/// Why a reporter is not satisfied with the answer (docs/interface.md §12): a fixed vocabulary, so
/// the figures can be counted and the page shows the same choices in every language.
/// Raw values are the API's words; the order is the order the page shows them in.
public enum FeedbackReason: String, CaseIterable, Codable, Sendable {
    /// The answer was hard to understand.
    case notUnderstandable = "not_understandable"
    /// The answer did not cover everything that was asked.
    case incomplete
    /// The answer came too late.
    case tooLate = "too_late"
    /// The reporter disagrees with the decision.
    case disagree
    /// The problem is still there.
    case notSolved = "not_solved"
    /// Something else: the free text says what.
    case other
}

import Foundation

/// The satisfaction question asked with one answer (docs/interface.md §12): open from the answer until
/// `feedback_days` later, and taken once.
public struct FeedbackQuestion: Sendable, Equatable {
    public var askedAt: Date
    public var expiresAt: Date
    /// When the reporter answered it; nil while nobody has.
    public var givenAt: Date?

    public init(askedAt: Date, expiresAt: Date, givenAt: Date? = nil) {
        self.askedAt = askedAt
        self.expiresAt = expiresAt
        self.givenAt = givenAt
    }

    /// Why an answer is not taken.
    public enum Refusal: Error, Equatable, Sendable {
        /// It was answered before (409): the first answer stands.
        case alreadyGiven
        /// The time to answer is over (410).
        case expired
    }

    /// Why an answer arriving at `now` is not taken; nil when it is. Already given wins over
    /// expired: the reporter who answered in time is told so, not that they are late.
    public func refusal(at now: Date) -> Refusal? {
        if givenAt != nil { return .alreadyGiven }
        if now >= expiresAt { return .expired }
        return nil
    }

    public func isExpired(at now: Date) -> Bool { now >= expiresAt }
}

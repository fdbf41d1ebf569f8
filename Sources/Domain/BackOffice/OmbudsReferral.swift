import Foundation

/// A second-line complaint: the reporter was referred to the ombudsman (docs/interface.md §4).
public enum OmbudsReferral {
    /// The signal marked as referred at `now`, with its change; nil when it was already
    /// referred, since a referral is recorded once. A closed signal may still be referred:
    /// the reporter usually turns to the ombudsman after the city's answer.
    public static func refer(_ current: Signal, at now: Date) -> SignalUpdate.Outcome? {
        guard current.ombudsReferredAt == nil else { return nil }
        var next = current
        next.ombudsReferredAt = now
        next.updatedAt = now
        return SignalUpdate.Outcome(signal: next, changes: SignalUpdate.changes(from: current, to: next))
    }
}

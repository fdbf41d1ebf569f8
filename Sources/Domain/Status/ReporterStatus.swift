import Foundation

/// What the reporter's status page shows (docs/interface.md §12): where the signal is, when it is due,
/// and the answer once there is one. Nothing personal: no contact details, no description,
/// no place; the answer is the text the reporter was sent.
public struct ReporterStatus: Sendable, Equatable {
    public var reference: String
    public var kind: SignalKind
    public var status: SignalStatus
    public var receivedAt: Date
    public var dueAt: Date
    public var answeredAt: Date?
    public var answer: String?

    public init(signal: Signal, deadlines: CityConfig.Deadlines, timeZone: TimeZone) {
        reference = signal.reference
        kind = signal.kind
        status = signal.status
        receivedAt = signal.receivedAt
        // The stored due date, the one the work queue sorts and marks overdue by (kept to the config
        // by the store); worked out here only for a signal that was never stored.
        dueAt = signal.dueAt ?? deadlines.dueAt(receivedAt: signal.receivedAt, kind: signal.kind, timeZone: timeZone)
        // The answer is shown once it was given; a draft answer typed before is not.
        answeredAt = signal.answeredAt
        answer = signal.answeredAt == nil ? nil : signal.answer
    }

    /// Finds the status for `reference` and `key` as typed: nil, the same for every miss,
    /// when the signal is unknown, has no key, or the key differs. The key is compared in
    /// constant time against the stored one, or against a stand-in when there is none, so
    /// a miss costs about the same whatever its cause.
    public static func lookup(
        key given: String, stored: Signal?, deadlines: CityConfig.Deadlines, timeZone: TimeZone
    ) -> ReporterStatus? {
        let key = StatusKey.normalize(given)
        let storedKey = stored?.statusKey ?? standIn
        let matches = StatusKey.matches(key, storedKey)
        guard matches, let stored, stored.statusKey != nil, StatusKey.isWellFormed(key) else { return nil }
        return ReporterStatus(signal: stored, deadlines: deadlines, timeZone: timeZone)
    }

    /// Compared against when no key is stored; it never matches (the guard above).
    private static let standIn = String(repeating: "2", count: StatusKey.length)
}

/// The life of a signal: `received` → `in_progress` → `answered` → `closed`.
public enum SignalStatus: String, CaseIterable, Codable, Sendable {
    case received
    case inProgress = "in_progress"
    case answered
    case closed

    /// States that may follow this one. Only forward steps, one at a time,
    /// except that a signal may be closed from any open state (e.g. a duplicate)
    /// and an answered or closed signal may be reopened (a closed one takes no other change,
    /// docs/interface.md §13).
    public var allowedNext: [SignalStatus] {
        switch self {
        case .received: [.inProgress, .closed]
        case .inProgress: [.answered, .closed]
        case .answered: [.closed, .inProgress]
        case .closed: [.inProgress]
        }
    }

    public func canMove(to next: SignalStatus) -> Bool {
        allowedNext.contains(next)
    }
}

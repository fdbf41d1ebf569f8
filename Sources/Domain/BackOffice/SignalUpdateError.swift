/// Why a back-office change to a signal was refused. Nothing of the change is applied.
public enum SignalUpdateError: Error, Equatable, Sendable {
    /// Rule breaks, every one of them (unknown keys, values the config does not know,
    /// fields that do not fit the route; "Invalid change"): becomes 422.
    case invalid(FieldErrors)
    /// A status step that is not allowed from the current status: becomes 409.
    case transition(from: SignalStatus, to: SignalStatus, allowed: [SignalStatus])
    /// The signal is closed; it no longer changes: becomes 409.
    case closed

    /// The words a coordinator or integrator reads.
    public var message: String {
        switch self {
        case .invalid(let errors):
            errors.summary
        case .transition(let from, let to, let allowed):
            "A signal cannot go from \(from.rawValue) to \(to.rawValue). "
                + (allowed.isEmpty
                    ? "It is \(from.rawValue) and can no longer change."
                    : "Allowed next: \(allowed.map(\.rawValue).joined(separator: ", ")).")
        case .closed:
            "This signal is closed: it takes no change but a reopen (status in_progress, alone or with a reason)."
        }
    }
}

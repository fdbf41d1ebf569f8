/// The kind of a telephone-exchange event: the `event` field of the CTI push.
///
/// The cases are declared in the order a call lives through them, and
/// ``CallRecord/appliedEvents`` keeps them in that order.
public enum CallEventKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The call reached the exchange (inbound) or was dialled (outbound).
    case newCall
    /// Somebody picked up.
    case answer
    /// The call ended, with or without an answer.
    case hangup

    /// Orders kinds by their place in a call's life: newCall, answer, hangup.
    public static func < (lhs: CallEventKind, rhs: CallEventKind) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .newCall: 0
        case .answer: 1
        case .hangup: 2
        }
    }
}

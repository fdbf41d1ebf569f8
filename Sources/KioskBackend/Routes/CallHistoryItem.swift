import CallLog
import Domain
import Foundation

/// One entry of a caller's history (`GET /api/v1/calls/{id}/history`, docs/interface.md §8): the
/// call as ``CallResource`` shows it, plus `signal`, a summary of the signal made from it.
///
/// `signal` is `null` when the call has none, or when the caller may not see that this person
/// made that signal: the summary holds no contact details, but linking a number to a signal is
/// personal data, so it follows ``PersonalDataPolicy`` (an agent sees it for `phone` signals only).
struct CallHistoryItem: Encodable {
    let call: CallResource
    let signal: Signal?

    init(_ row: CallRow, signal: Signal?, for caller: Caller) {
        call = CallResource(row, for: caller)
        if let signal, PersonalDataPolicy.mayShow(signal.personalDataFacts, to: caller) {
            self.signal = signal
        } else {
            self.signal = nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case signal
    }

    enum SignalKeys: String, CodingKey {
        case reference, kind, channel, category, status, route, department
        case receivedAt = "received_at"
        case answeredAt = "answered_at"
        case closedAt = "closed_at"
    }

    func encode(to encoder: any Encoder) throws {
        try call.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        guard let s = signal else {
            try c.encodeNil(forKey: .signal)
            return
        }
        var n = c.nestedContainer(keyedBy: SignalKeys.self, forKey: .signal)
        try n.encode(s.reference, forKey: .reference)
        try n.encode(s.kind.rawValue, forKey: .kind)
        try n.encode(s.channel.rawValue, forKey: .channel)
        try n.encode(s.category, forKey: .category)
        try n.encode(s.status.rawValue, forKey: .status)
        try n.encode(s.route?.rawValue, forKey: .route)
        try n.encode(s.department, forKey: .department)
        try n.encode(Timestamp.format(s.receivedAt), forKey: .receivedAt)
        try n.encode(s.answeredAt.map(Timestamp.format), forKey: .answeredAt)
        try n.encode(s.closedAt.map(Timestamp.format), forKey: .closedAt)
    }
}

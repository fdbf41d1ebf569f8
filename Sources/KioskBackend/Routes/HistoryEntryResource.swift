import Domain
import Foundation

/// One entry of a signal's history: who changed which field when, from what to what.
struct HistoryEntryResource: Encodable {
    let at: String
    let who: String
    let field: String
    let oldValue: String?
    let newValue: String?

    init(_ r: SignalChangeRecord) {
        at = Timestamp.formatPrecise(Millis.date(r.at))
        who = r.actor
        field = r.field
        oldValue = r.oldValue
        newValue = r.newValue
    }

    enum CodingKeys: String, CodingKey {
        case at, who, field
        case oldValue = "old_value"
        case newValue = "new_value"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(at, forKey: .at)
        try c.encode(who, forKey: .who)
        try c.encode(field, forKey: .field)
        try c.encode(oldValue, forKey: .oldValue)
        try c.encode(newValue, forKey: .newValue)
    }
}

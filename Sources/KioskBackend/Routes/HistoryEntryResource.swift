import Domain
import Foundation

/// One entry of a signal's history: who changed which field when, from what to what.
///
/// An entry whose values are personal data (``PersonalDataPolicy/personalHistoryFields``)
/// keeps its time, author and field for a caller who may not see the signal's personal
/// data, with `old_value` and `new_value` null and `redacted: true`.
struct HistoryEntryResource: Encodable {
    let at: String
    let who: String
    let field: String
    @Nullable var oldValue: String?
    @Nullable var newValue: String?
    let redacted: Bool

    /// - Parameter personalData: whether the caller may see the signal's personal data.
    init(_ r: SignalChangeRecord, personalData: Bool) {
        at = Timestamp.formatPrecise(Millis.date(r.at))
        who = r.actor
        field = r.field
        redacted = PersonalDataPolicy.redactsHistory(field: r.field, mayShow: personalData)
        oldValue = redacted ? nil : r.oldValue
        newValue = redacted ? nil : r.newValue
    }

    enum CodingKeys: String, CodingKey {
        case at, who, field, redacted
        case oldValue = "old_value"
        case newValue = "new_value"
    }
}

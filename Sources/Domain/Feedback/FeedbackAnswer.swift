/// What a reporter answers to "Bent u tevreden over ons antwoord?" (docs/interface.md §12):
/// `{"satisfied": bool, "reasons": [...], "text": "", "ombudsman": false}`.
public struct FeedbackAnswer: Sendable, Equatable {
    public var satisfied: Bool
    /// Only when not satisfied; each at most once, in vocabulary order.
    public var reasons: [FeedbackReason]
    /// The reporter's own words (personal data); empty when none.
    public var text: String
    /// The reporter files a second-line complaint: only when not satisfied.
    public var ombudsman: Bool

    public init(satisfied: Bool, reasons: [FeedbackReason] = [], text: String = "", ombudsman: Bool = false) {
        self.satisfied = satisfied
        self.reasons = reasons
        self.text = text
        self.ombudsman = ombudsman
    }

    /// The longest free text, in characters (and 4 × that in bytes of UTF-8).
    public static let maxText = 2000

    /// Reads a request body; every broken rule is reported at once.
    public static func read(_ body: [String: JSONValue]) throws(FieldErrors) -> FeedbackAnswer {
        let r = JSONReader(body, subject: "feedback")
        r.rejectUnknownKeys(["satisfied", "reasons", "text", "ombudsman"])
        let satisfied = r.bool("satisfied", required: true)
        let text = r.string("text", maxLength: maxText, allowEmpty: true) ?? ""
        let ombudsman = r.bool("ombudsman") ?? false
        var reasons: [FeedbackReason] = []
        if let value = body["reasons"], value != .null {
            if case .array(let items) = value, items.count > FeedbackReason.allCases.count {
                r.fail("reasons", "must hold at most \(FeedbackReason.allCases.count) reasons")
            } else {
                var seen = Set<FeedbackReason>()
                for (i, raw) in r.strings("reasons").enumerated() {
                    guard let reason = FeedbackReason(rawValue: raw) else {
                        r.fail("reasons", "item \(i) must be one of " + FeedbackReason.allCases.map(\.rawValue).joined(separator: ", "))
                        continue
                    }
                    if !seen.insert(reason).inserted { r.fail("reasons", "must not repeat \(reason.rawValue)") }
                }
                reasons = FeedbackReason.allCases.filter(seen.contains)
            }
        }
        if satisfied == true {
            if !reasons.isEmpty { r.fail("reasons", "are only given when not satisfied") }
            if ombudsman { r.fail("ombudsman", "may only be true when not satisfied") }
        }
        guard r.errors.isEmpty, let satisfied else { throw r.errors }
        return FeedbackAnswer(satisfied: satisfied, reasons: reasons, text: text, ombudsman: ombudsman)
    }
}

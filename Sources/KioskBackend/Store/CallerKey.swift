import CallLog

/// The number a call connects us with (the caller's on an inbound call, the callee's on an
/// outbound one), normalised as ``PersonalData/normalizePhone(_:)`` does, so that
/// "059 12 34 56", "+32 59 12 34 56" and "0032 59 12 34 56" are one caller.
///
/// Stored in `call.caller_key` (migration v11-agent) so a caller's calls are one index range:
/// the call-back list's clearing and the caller's history read it. It is personal data
/// (a phone number's digits): blanked with the numbers by the retention purge and by an erasure.
enum CallerKey {
    /// Fewer digits than this is no number to match on (anonymous, an internal extension, junk).
    static let minimumDigits = 6
    /// More digits than any phone number has: a longer run is not matched on either.
    static let maximumDigits = 20

    /// The key of a number, or nil when it has no usable digits.
    static func of(_ number: String?) -> String? {
        guard let number, number.lowercased() != "anonymous" else { return nil }
        let digits = PersonalData.normalizePhone(number)
        guard (minimumDigits...maximumDigits).contains(digits.count) else { return nil }
        return digits
    }

    /// The key of a call: the other party's number.
    static func of(_ record: CallRecord) -> String? {
        of(record.direction == .outbound ? record.to : record.from)
    }
}

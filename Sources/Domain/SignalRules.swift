/// The rules a new signal's free-text fields follow, in one place: ``SignalIntake`` checks them,
/// `GET /api/v1/config` serves them (`rules`) so that the forms check the same before sending,
/// and the OpenAPI document's `maxLength`s are tested against them.
///
/// The patterns are written in the syntax that Swift's `Regex` and JavaScript's `RegExp` read alike
/// (classes, `+`, `{n,m}`, escapes), and are matched against the whole text.
public enum SignalRules {
    /// Longest texts, in characters (Unicode extended grapheme clusters in Swift; the forms count
    /// UTF-16 units, which are never fewer, so the form refuses first, never the service alone).
    public static let descriptionMaxLength = 5000
    public static let addressMaxLength = 300
    public static let contactNameMaxLength = 200
    public static let emailMaxLength = 254
    public static let phoneMaxLength = 40
    public static let sameAsMaxLength = 40

    /// An e-mail address such as naam@voorbeeld.be.
    public static let emailPattern = #"[^@\s]+@[^@\s]+\.[^@\s]+"#
    /// A phone number as people write it: digits, spaces and . / ( ) -, an optional leading +
    /// ("+32 59 12 34 56", "059/12.34.56", "(059) 12 34 56"), with at least ``phoneMinDigits`` digits.
    public static let phonePattern = #"\+?[0-9 ./()-]+"#
    public static let phoneMinDigits = 6

    nonisolated(unsafe) private static let email = try! Regex(emailPattern)
    nonisolated(unsafe) private static let phone = try! Regex(phonePattern)

    public static func isEmail(_ text: String) -> Bool { text.wholeMatch(of: email) != nil }

    public static func isPhone(_ text: String) -> Bool {
        text.wholeMatch(of: phone) != nil && text.unicodeScalars.filter { ("0"..."9").contains($0) }.count >= phoneMinDigits
    }
}

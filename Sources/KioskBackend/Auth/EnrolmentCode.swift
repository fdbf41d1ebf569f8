import Foundation

/// One-time kiosk enrolment codes (docs/interface.md §10): short enough to type on a touchscreen,
/// long enough that guessing one within its 15 minutes is hopeless under the rate limit.
///
/// Eight characters from a 30-letter alphabet without look-alikes (no 0/O, 1/I/L, and no U
/// beside V; the drafts' alphabet) give 30^8 ≈ 6.6 × 10^11 codes (39 bits). At 10 attempts a minute per client
/// address, one address tries about 160 codes in 15 minutes: a chance of 1 in 4 × 10^9 per live code.
/// Shown as `ABCD-EFGH` (9 characters); typed with or without the dash, spaces or lower case.
public enum EnrolmentCode {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 8
    /// How long a code stays valid.
    public static let validity: TimeInterval = 15 * 60

    /// A new code, as printed: `ABCD-EFGH`.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
        return String(letters[..<4]) + "-" + String(letters[4...])
    }

    /// The code as stored and compared: upper case, without spaces and dashes;
    /// nil when it cannot be a code (wrong length or a letter outside the alphabet).
    public static func normalize(_ typed: String) -> String? {
        let kept = typed.uppercased().filter { $0 != "-" && !$0.isWhitespace }
        guard kept.count == length, kept.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return kept
    }

    /// The hex SHA-256 of a normalised code, which is what the database keeps.
    static func hash(_ normalized: String) -> String {
        TokenSecret.hash("enrol:" + normalized)
    }
}

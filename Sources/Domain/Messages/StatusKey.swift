/// The reporter's secret for the status page (docs/interface.md §12): 20 characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L, U), about 99 bits, so guessing it is
/// hopeless even before the rate limit; printed on the kiosk receipt and in the acknowledgement.
public enum StatusKey {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 20

    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Whether `key` has the shape of a key (upper case; callers normalise first).
    public static func isWellFormed(_ key: String) -> Bool {
        key.utf8.count == length && key.allSatisfy { alphabetSet.contains($0) }
    }

    /// Upper-cases and drops spaces and dashes, as a person may type it from a receipt.
    public static func normalize(_ key: String) -> String {
        String(key.prefix(64).uppercased().filter { $0 != " " && $0 != "-" })
    }

    /// Compares in time that does not depend on where the two differ.
    public static func matches(_ given: String, _ stored: String) -> Bool {
        ConstantTime.equals(given, stored)
    }

    private static let alphabetSet = Set(alphabet)
}

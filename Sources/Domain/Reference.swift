/// Signal references: short, unambiguous, printable on an 80 mm kiosk receipt.
///
/// Shape `OP-XXXX-XXXX` (12 characters) from Crockford's base-32 alphabet, which
/// leaves out I, L, O and U so that a citizen reading it aloud on the phone is not
/// misunderstood. Random rather than sequential, so a reference reveals nothing
/// about volumes and cannot be guessed from a neighbour's.
public enum Reference {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let prefix = "OP"

    public static func make(using generator: inout some RandomNumberGenerator) -> String {
        var chars: [Character] = []
        for _ in 0..<8 { chars.append(alphabet.randomElement(using: &generator)!) }
        return "\(prefix)-\(String(chars[0..<4]))-\(String(chars[4..<8]))"
    }

    /// Whether `s` has the shape of a reference (to answer 404 early on garbage).
    /// (Checked by hand rather than with a regex: it runs on every look-up.)
    public static func isWellFormed(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 12, u[0] == UInt8(ascii: "O"), u[1] == UInt8(ascii: "P"),
              u[2] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-")
        else { return false }
        return (Array(3..<7) + Array(8..<12)).allSatisfy { alphabetBytes.contains(u[$0]) }
    }

    private static let alphabetBytes = Set(alphabet.map { $0.asciiValue! })

    /// Normalises what a person typed, as Crockford's base 32 reads it: upper case, no spaces,
    /// `O`→`0`, `I`/`L`→`1`; a prefix typed with a zero (`0P`), dashes of any kind, and the
    /// hyphens left out (`OP7K3M9XQ2`) are all read as the reference they stand for.
    public static func normalize(_ s: String) -> String {
        var out = s.uppercased().replacingOccurrences(of: " ", with: "")
        if out.hasPrefix("0P") { out = "OP" + out.dropFirst(2) }
        guard out.hasPrefix("OP") else { return out }
        let body = out.dropFirst(2).map { c -> Character in
            switch c {
            case "O": "0"
            case "I", "L": "1"
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": "-"
            default: c
            }
        }
        let chars = body.filter { $0 != "-" }
        if chars.count == 8, body.count - chars.count <= 2 {
            return "OP-\(String(chars[0..<4]))-\(String(chars[4..<8]))"
        }
        return "OP" + String(body)
    }
}

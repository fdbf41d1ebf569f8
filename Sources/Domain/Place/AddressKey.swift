import Foundation

/// The normalised form addresses are stored and searched by (docs/interface.md §14): lower case,
/// accents folded ("Rogierlaan" and "rögierlaan" are one), punctuation made a space, spaces
/// collapsed, only `a-z`, `0-9` and single spaces left; and the street-name abbreviations of
/// Flemish usage written out, so "Kapellestr. 12" finds "Kapellestraat 12".
///
/// A word is expanded when it ends in an abbreviation and is longer than it ("kapellestr"),
/// or is the abbreviation followed by a dot ("str."): a bare "str" someone is still typing may
/// be the start of "Strandlaan" and stays as it is.
public enum AddressKey {
    /// Abbreviation → what it stands for, longest first so "stwg" is tried before any shorter one.
    public static let abbreviations: [(String, String)] = [
        ("stwg", "steenweg"), ("str", "straat"), ("ln", "laan"), ("pl", "plein"),
    ]

    /// The most bytes of a query or a stored field that are looked at.
    public static let maxBytes = 200

    public static func normalize(_ text: some StringProtocol) -> String {
        let folded = String(text.prefix(Self.maxBytes))
            .folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased()
        var words: [String] = []
        var current = ""
        var dotted = false
        func flush() {
            guard !current.isEmpty else { return }
            words.append(expand(current, dotted: dotted))
            current = ""
            dotted = false
        }
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9":
                current.unicodeScalars.append(scalar)
            case "ß":
                current += "ss"
            case ".":
                if !current.isEmpty { dotted = true }
                flush()
            default:
                flush()  // spaces, punctuation, and anything the folding left that is not a-z or 0-9
            }
        }
        flush()
        return words.joined(separator: " ")
    }

    static func expand(_ word: String, dotted: Bool) -> String {
        guard word.first?.isLetter == true else { return word }
        for (short, long) in abbreviations where word.hasSuffix(short) {
            if word.count > short.count || dotted {
                return String(word.dropLast(short.count)) + long
            }
        }
        return word
    }

    /// The key of a stored address: street, number, box, municipality, postcode.
    public static func of(street: String, houseNumber: String, box: String?, postcode: String, municipality: String) -> String {
        var parts = [street, houseNumber]
        if let box, !box.isEmpty { parts += ["bus", box] }
        parts += [municipality, postcode]
        return normalize(parts.joined(separator: " "))
    }

    /// The upper bound of a prefix search: every key that starts with `prefix` sorts below it
    /// (keys hold only `a-z`, `0-9` and spaces, all below 0x7F).
    public static func upperBound(_ prefix: String) -> String { prefix + "\u{7F}" }
}

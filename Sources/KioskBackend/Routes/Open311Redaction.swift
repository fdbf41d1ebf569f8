import Domain
import Foundation

/// Takes personal data out of free text before it leaves through the public Open311
/// feed (`description`, `status_notes`).
///
/// The feed never carries contact fields at all; this guards against personal data
/// written into the text itself: the reporter's own name, e-mail address and phone
/// number, any e-mail address or phone number, and the name after a salutation
/// ("Beste mevrouw Peeters," becomes "Beste […],"). Best effort by nature, so it
/// errs on the side of removing too much, except for the public numbers and
/// addresses of the config (O-punt, the ombudsman, outside bodies), which an answer
/// gives on purpose so the reporter can reach them.
enum Open311Redaction {
    static let mark = "[…]"

    /// Contact details that are public and stay: e-mail addresses in lower case, phone numbers as digits.
    struct Public: Sendable {
        var emails: Set<String> = []
        var phoneDigits: Set<String> = []

        init(_ contacts: [CityConfig.Contact] = []) {
            for c in contacts {
                if !c.email.isEmpty { emails.insert(c.email.lowercased()) }
                let digits = c.phone.filter(\.isNumber)
                if !digits.isEmpty { phoneDigits.insert(digits) }
            }
        }
    }

    static func redact(_ text: String, contact: ContactDetails?, keep: Public = Public()) -> String {
        var out = text
        // The reporter's own details, exactly as given.
        for exact in [contact?.email, contact?.phone, contact?.name].compactMap({ $0 }) where exact.count >= 3 {
            out = out.replacingOccurrences(of: exact, with: mark, options: [.caseInsensitive])
        }
        out = out.replacing(email, with: { m in keep.emails.contains(m.output.lowercased()) ? String(m.output) : mark })
        out = redactPhoneNumbers(out, keep: keep)
        out = out.replacing(salutation, with: { m in "\(m.output.1)\(mark)" })
        // The words of the reporter's name on their own ("Peeters" in "de heer Peeters").
        if let name = contact?.name {
            for word in name.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" })
            where word.count >= 3 && !particles.contains(word.lowercased()) {
                out = replaceWord(String(word), in: out)
            }
        }
        return out
    }

    // nonisolated(unsafe): Regex is not Sendable, but these are never mutated.
    nonisolated(unsafe) static let email = #/[^\s@<>()\[\],;:"]+@[^\s@<>()\[\],;:"]+\.[A-Za-z]{2,}/#

    /// A run of digits with the separators people write in phone numbers, optionally after `+`.
    nonisolated(unsafe) static let phoneCandidate = #/\+?\d[\d ./()\-]{6,}\d/#

    /// Dates are not phone numbers: 01/06/2024, 1.6.24, 2024-06-01 (a real day and month, so 059/12.34.56 is no date).
    nonisolated(unsafe) static let date =
        #/\b(?:(?:0?[1-9]|[12]\d|3[01])[/.\-](?:0?[1-9]|1[0-2])[/.\-](?:\d{4}|\d{2})|\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))\b/#

    /// A salutation and the name after it, up to a comma or the end of the line.
    nonisolated(unsafe) static let salutation =
        #/(?i)(\b(?:beste|geachte|dear|cher|chère|madame|monsieur|mevrouw|meneer|sehr geehrte[r]?|liebe[r]?|hallo|hello|bonjour)\s+)[^,\n!.:]{1,60}/#

    /// Name particles left alone, since they are ordinary words too.
    static let particles: Set<String> = ["van", "der", "den", "von", "ten", "ter", "het", "des", "del", "les", "dit", "zum", "zur"]

    /// Replaces runs of 9 to 15 digits (Belgian numbers have 9 or 10, international up to 15) that are not dates.
    static func redactPhoneNumbers(_ text: String, keep: Public = Public()) -> String {
        var out = ""
        var last = text.startIndex
        for m in text.matches(of: phoneCandidate) {
            let s = text[m.range]
            // Digits left once any date in the run is set aside ("01/06/2024 10" is a date and an hour).
            let digits = s.replacing(date, with: "").filter(\.isNumber).count
            // Part of a longer word or number (an IBAN, a reference): leave it.
            let before = m.range.lowerBound > text.startIndex ? text[text.index(before: m.range.lowerBound)] : nil
            let after = m.range.upperBound < text.endIndex ? text[m.range.upperBound] : nil
            let inWord = (before.map { $0.isLetter || $0.isNumber } ?? false) || (after.map { $0.isLetter || $0.isNumber } ?? false)
            guard (9...15).contains(digits), !inWord, !keep.phoneDigits.contains(s.filter(\.isNumber)) else { continue }
            out += text[last..<m.range.lowerBound]
            out += mark
            last = m.range.upperBound
        }
        return out + text[last...]
    }

    /// Replaces `word` where it stands as a whole word, ignoring case.
    static func replaceWord(_ word: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: word, options: [.caseInsensitive]) {
            let before = r.lowerBound > rest.startIndex ? rest[rest.index(before: r.lowerBound)] : nil
            let after = r.upperBound < rest.endIndex ? rest[r.upperBound] : nil
            let whole = !(before?.isLetter ?? false) && !(after?.isLetter ?? false)
            out += rest[..<r.lowerBound]
            out += whole ? mark : String(rest[r])
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

import Domain
import Foundation

/// Takes personal data out of free text before it leaves through the public Open311
/// feed (`description`, `status_notes`).
///
/// The feed never carries contact fields at all; this guards against personal data
/// written into the text itself. Each of these becomes the marker `[…]`:
/// - e-mail addresses, also written `jan (at) telenet (dot) be`, `jan[at]x[dot]be` or
///   `jan at x dot be`;
/// - phone numbers and other runs of 9 or more digits (`0471 12 34 56`,
///   `+32 59 12 34 56`, `(059) 12 34 56`, `059/12.34.56`), dates set aside;
/// - national register numbers (`85.07.30-033.28`);
/// - IBANs of any country, with or without spaces (`BE68 5390 0754 7034`);
/// - the words of the reporter's name (`contact.name`), ignoring case and accents, also
///   spaced out (`J a n  P e e t e r s`); a name alone in brackets loses its brackets;
/// - the name after a salutation ("Beste mevrouw Peeters," becomes "Beste […],").
///
/// Best effort by nature, so it errs on the side of removing too much, except for the
/// public numbers and addresses of the config (O-punt, the ombudsman, outside bodies),
/// which an answer gives on purpose so the reporter can reach them.
///
/// One pass (issue 9): the text is split into tokens once, each detector walks the
/// tokens with a bounded look-around, and the output is built once, so the time is
/// linear in the length of the text. No regular expression, no repeated search.
/// It runs when a text is written (intake, a new answer), never on a read.
enum Open311Redaction {
    static let mark = "[…]"

    /// Contact details that are public and stay: e-mail addresses in lower case, phone numbers as digits.
    struct Public: Sendable {
        var emails: Set<String> = []
        var phoneDigits: Set<String> = []

        init(_ contacts: [CityConfig.Contact] = []) {
            for c in contacts {
                if !c.email.isEmpty { emails.insert(c.email.lowercased()) }
                let digits = PersonalData.normalizePhone(c.phone)
                if !digits.isEmpty { phoneDigits.insert(digits) }
            }
        }

        /// O-punt's own details, the ombudsman's and every outside body's.
        init(config: CityConfig) {
            self.init([config.contact, config.ombudsman] + config.externalParties)
        }
    }

    static func redact(_ text: String, contact: ContactDetails?, keep: Public = Public()) -> String {
        redact(text, name: contact?.name, keep: keep)
    }

    static func redact(_ text: String, name: String?, keep: Public = Public()) -> String {
        var scan = Open311TextScan(text, name: name, keep: keep)
        return scan.redacted()
    }

    /// Words that open a salutation; the name after one goes, up to punctuation.
    static let salutations: Set<String> = [
        "beste", "geachte", "dear", "cher", "chere", "madame", "monsieur", "mevrouw", "meneer",
        "geehrte", "geehrter", "liebe", "lieber", "hallo", "hello", "bonjour",
    ]

    /// Name particles left alone, since they are ordinary words too.
    static let particles: Set<String> = [
        "de", "da", "di", "du", "la", "le", "el", "al", "of", "te", "op", "in", "en", "et", "st", "mc",
        "van", "der", "den", "von", "ten", "ter", "het", "des", "del", "les", "dit", "zum", "zur", "bin", "ibn",
    ]

    /// Words written for `@` and for `.` in an address (`jan (at) x (dot) be`, `jan at x punt be`).
    static let atWords: Set<String> = ["at", "apenstaartje", "arobase"]
    static let dotWords: Set<String> = ["dot", "punt", "point", "punkt"]
}

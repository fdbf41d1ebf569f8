import Domain
import Foundation
import Testing

/// `contact.postal_address` (docs/interface.md §4): where a reply by post goes, printed in a DL
/// envelope's window, so bounded in lines, characters per line, characters and bytes.
struct PostalAddressTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var raw: String
        var stored: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "two lines", raw: "Kapellestraat 12\n8400 Oostende", stored: "Kapellestraat 12\n8400 Oostende"),
        Case(name: "CR LF from a form", raw: "Kapellestraat 12\r\n8400 Oostende\r\n", stored: "Kapellestraat 12\n8400 Oostende"),
        Case(name: "lone CR", raw: "Kapellestraat 12\r8400 Oostende", stored: "Kapellestraat 12\n8400 Oostende"),
        Case(name: "blank lines and spaces around lines go", raw: "  Rue Haute 3 \n\n   \n 1000 Bruxelles\n", stored: "Rue Haute 3\n1000 Bruxelles"),
        Case(name: "accents and a country", raw: "Zoë Décamps\nMüllerstraße 4\n52062 Aachen\nDeutschland",
             stored: "Zoë Décamps\nMüllerstraße 4\n52062 Aachen\nDeutschland"),
    ])
    func normalizes(_ c: Case) {
        #expect(PostalAddress.normalize(c.raw) == .success(c.stored))
    }

    @Test(arguments: [
        ("a tab", "Kapellestraat\t12\n8400 Oostende", "must not contain control characters other than line breaks"),
        ("a NUL", "Kapellestraat 12\u{0}", "must not contain control characters other than line breaks"),
        ("an escape sequence", "\u{1B}[2JKapellestraat 12", "must not contain control characters other than line breaks"),
        ("only line breaks", "\n\r\n  \n", "must not be empty"),
        ("seven lines", (1...7).map { "Regel \($0)" }.joined(separator: "\n"),
         "must be at most 6 lines (it is printed in an envelope's window)"),
        ("a line of 61 characters", "Kapellestraat 12\n" + String(repeating: "a", count: 61),
         "line 2 must be at most 60 characters (it is printed in an envelope's window)"),
        ("301 characters", (0..<6).map { _ in String(repeating: "b", count: 50) }.joined(separator: "\n") + "c",
         "must be at most 300 characters"),
        // 200 characters, each an "e" with five combining acute accents: 2,200 bytes.
        ("combining marks past the byte limit", String(repeating: "e\u{301}\u{301}\u{301}\u{301}\u{301}", count: 200),
         "must be at most 1200 bytes"),
    ])
    func refuses(_ name: String, _ raw: String, _ message: String) {
        #expect(PostalAddress.normalize(raw) == .failure(PostalAddress.Message(message)), "\(name)")
    }

    static let desk = Caller(role: .desk, name: "Balie Cavell", site: "edith-cavell")

    static func validate(_ contact: String) -> Result<NewSignal, IntakeError> {
        let body = #"{"kind": "complaint", "channel": "letter", "category": "overlast/zwerfvuil", "#
            + #""description": "Brief over zwerfvuil", "contact": "# + contact + "}"
        let object = Fixtures.object(body)
        return Result { () throws(IntakeError) in
            try SignalIntake(config: Fixtures.ostend).validate(object, caller: desk, now: Fixtures.instant("2026-05-04T10:00:00Z"))
        }
    }

    @Test func theIntakeStoresItOnTheContact() throws {
        let new = try Self.validate(#"{"name": "An Peeters", "postal_address": "Kapellestraat 12\r\n8400 Oostende", "language": "fr"}"#).get()
        #expect(new.contact == ContactDetails(name: "An Peeters", language: "fr", postalAddress: "Kapellestraat 12\n8400 Oostende"))
    }

    @Test func anAddressAloneIsContact() throws {
        let new = try Self.validate(#"{"postal_address": "Kapellestraat 12\n8400 Oostende"}"#).get()
        #expect(new.contact?.postalAddress == "Kapellestraat 12\n8400 Oostende")
        #expect(new.contact?.isEmpty == false)
    }

    @Test func theIntakeNamesTheFieldAndTheRule() {
        #expect(Self.validate(#"{"postal_address": "Kapellestraat\t12"}"#)
            == .failure(.invalid(FieldErrors("signal", [FieldError(field: "contact.postal_address", message: "must not contain control characters other than line breaks")]))))
        #expect(Self.validate(#"{"postal_address": 12}"#)
            == .failure(.invalid(FieldErrors("signal", [FieldError(field: "contact.postal_address", message: "must be a string, not a number")]))))
        let long = String(repeating: "x", count: 301)
        #expect(Self.validate(#"{"postal_address": ""# + long + #""}"#)
            == .failure(.invalid(FieldErrors("signal", [FieldError(field: "contact.postal_address", message: "must be at most 300 characters")]))))
    }
}

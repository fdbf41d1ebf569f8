import Foundation
@testable import KioskBackend
import Testing

/// The message text handed to the SMTP server, parsed back by a small independent reader:
/// headers, parts, charset, and bodies that decode to exactly what was queued.
struct MIMEMessageTests {
    static let text = """
        Beste,

        Uw melding ÖST-2K7 is goed ontvangen. We antwoorden binnen 30 dagen — uiterlijk op 6 januari.
        Een heel lange regel zonder einde: \(String(repeating: "zwerfvuil aan de bushalte é ", count: 8))
        .Een regel die met een punt begint
        Spaties aan het eind  \u{20}
        = is gelijk aan
        Groeten,
        O-punt
        """
    static let html = "<p>Uw melding <b>ÖST-2K7</b> is goed ontvangen — \(String(repeating: "ça va ", count: 30))</p>\n<p>O-punt</p>"

    static func message(subject: String = "Uw melding ÖST-2K7: ontvangen — wij antwoorden binnen 30 dagen (Oostende)", html: String = html) -> MIMEMessage {
        MIMEMessage(
            from: "O-punt Oostende <o-punt@oostende.be>", to: "an@voorbeeld.be", replyTo: "o-punt@oostende.be",
            subject: subject, date: Date(timeIntervalSince1970: 1_767_225_600),  // 2026-01-01T00:00:00Z
            messageID: "<1f2e3d@meldingen.oostende.be>", reference: "ABC234", language: "nl", text: text, html: html)
    }

    @Test func headersCarryEverythingTheContractNames() throws {
        let parsed = try ParsedMail(Self.message().bytes)
        #expect(parsed.header("From") == "O-punt Oostende <o-punt@oostende.be>")
        #expect(parsed.header("To") == "an@voorbeeld.be")
        #expect(parsed.header("Reply-To") == "o-punt@oostende.be")
        #expect(parsed.header("Date") == "Thu, 01 Jan 2026 00:00:00 +0000")
        #expect(parsed.header("Message-ID") == "<1f2e3d@meldingen.oostende.be>")
        #expect(parsed.header("MIME-Version") == "1.0")
        #expect(parsed.header("X-Kiosk-Reference") == "ABC234")
        #expect(parsed.header("Content-Language") == "nl")
        #expect(parsed.header("Auto-Submitted") == "auto-generated")
        #expect(parsed.decodedHeader("Subject") == "Uw melding ÖST-2K7: ontvangen — wij antwoorden binnen 30 dagen (Oostende)")
    }

    @Test func bothPartsAreUTF8AndDecodeToTheInput() throws {
        let parsed = try ParsedMail(Self.message().bytes)
        #expect(parsed.header("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"=_kiosk_") == true)
        #expect(parsed.parts.count == 2)
        #expect(parsed.parts.map { $0.header("Content-Type") } == ["text/plain; charset=UTF-8", "text/html; charset=UTF-8"])
        #expect(parsed.parts.allSatisfy { $0.header("Content-Transfer-Encoding") == "quoted-printable" })
        // Line ends travel as CRLF; the text is otherwise the same, byte for byte.
        #expect(parsed.parts[0].decodedBody == Self.text)
        #expect(parsed.parts[1].decodedBody == Self.html)
    }

    @Test func everyLineIsShortAndASCII() {
        let bytes = Self.message().bytes
        #expect(bytes.allSatisfy { $0 < 128 })
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(!String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        #expect(!lines.contains { $0.hasPrefix(".") }, "no line opens with a dot")
    }

    @Test func longHeadersAreFoldedAndUnfoldBack() throws {
        let subject = String(repeating: "Melding over zwerfvuil ", count: 8).trimmingCharacters(in: .whitespaces)
        let rendered = Self.message(subject: subject).rendered
        let subjectLines = rendered.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.prefix { !$0.hasPrefix("Message-ID") }
        #expect(subjectLines.count > 1, "folded")
        #expect(try ParsedMail(Array(rendered.utf8)).decodedHeader("Subject") == subject)
        let encoded = String(repeating: "Ça déborde ", count: 12)
        #expect(try ParsedMail(Self.message(subject: encoded).bytes).decodedHeader("Subject") == encoded)
    }

    @Test func headerInjectionIsNeutralised() throws {
        let parsed = try ParsedMail(Self.message(subject: "Hallo\r\nBcc: iedereen@voorbeeld.be").bytes)
        #expect(parsed.header("Bcc") == nil)
        #expect(parsed.decodedHeader("Subject") == "Hallo Bcc: iedereen@voorbeeld.be", "CRLF is one character: one space")
    }

    @Test func nonASCIIDisplayNameIsEncoded() throws {
        var message = Self.message()
        message.from = "Stad Oostende — Dienst Één <o-punt@oostende.be>"
        let parsed = try ParsedMail(message.bytes)
        #expect(parsed.header("From")?.contains("=?UTF-8?B?") == true)
        #expect(parsed.decodedHeader("From") == "Stad Oostende — Dienst Één <o-punt@oostende.be>")
    }

    @Test func sameRowSameBytes() {
        #expect(Self.message().bytes == Self.message().bytes, "a retry sends the same message")
    }

    @Test func textOnlyWithoutHTML() throws {
        let parsed = try ParsedMail(Self.message(html: "").bytes)
        #expect(parsed.header("Content-Type") == "text/plain; charset=UTF-8")
        #expect(parsed.decodedBody == Self.text + "\n", "the message ends with a line end")
    }

    @Test(arguments: [
        ("a=b", "a=3Db"), ("ends with space ", "ends with space=20"), (".dot", "=2Edot"), ("é", "=C3=A9"),
    ])
    func quotedPrintable(input: String, expected: String) {
        #expect(MIMEMessage.quotedPrintable(input) == expected)
    }
}

/// A deliberately small reader of what `MIMEMessage` writes: unfolds headers, splits
/// multipart/alternative at its boundary, decodes quoted-printable and RFC 2047 B words.
struct ParsedMail {
    struct ParseError: Error {}

    var headers: [(String, String)]
    var body: String
    var parts: [ParsedMail] = []

    init(_ bytes: [UInt8]) throws {
        try self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    init(text: String) throws {
        guard let split = text.range(of: "\r\n\r\n") else { throw ParseError() }
        let unfolded = text[..<split.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
        headers = unfolded.components(separatedBy: "\r\n").map { line in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        body = String(text[split.upperBound...])
        if let type = header("Content-Type"), type.hasPrefix("multipart/"), let b = type.firstMatch(of: #/boundary="([^"]+)"/#) {
            let boundary = "--" + String(b.1)
            let sections = body.components(separatedBy: boundary + "\r\n").dropFirst()
            parts = try sections.map { section in
                var s = section
                if let end = s.range(of: "\r\n" + boundary + "--") { s = String(s[..<end.lowerBound]) }
                if s.hasSuffix("\r\n") { s.removeLast() }
                return try ParsedMail(text: s)
            }
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// RFC 2047: encoded words decoded; white space between two adjacent encoded words dropped.
    func decodedHeader(_ name: String) -> String? {
        guard let raw = header(name) else { return nil }
        let word = #/=\?UTF-8\?B\?([A-Za-z0-9+\/=]*)\?=/#
        var out = ""
        var rest = Substring(raw)
        var lastWasWord = false
        while let m = rest.firstMatch(of: word) {
            let between = rest[..<m.range.lowerBound]
            if !(lastWasWord && between.allSatisfy(\.isWhitespace)) { out += between }
            out += String(decoding: Data(base64Encoded: String(m.1)) ?? Data(), as: UTF8.self)
            rest = rest[m.range.upperBound...]
            lastWasWord = true
        }
        return out + rest
    }

    /// The body with quoted-printable undone and CRLF read as line ends.
    var decodedBody: String {
        var bytes: [UInt8] = []
        let raw = Array(body.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "="), i + 2 < raw.count, raw[i + 1] == 13, raw[i + 2] == 10 {
                i += 3
            } else if raw[i] == UInt8(ascii: "="), i + 2 < raw.count, let v = UInt8(String(decoding: raw[i + 1...i + 2], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}

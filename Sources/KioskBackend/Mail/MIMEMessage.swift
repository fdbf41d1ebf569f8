import Foundation

/// One e-mail as the bytes handed to the SMTP server (RFC 5322 with MIME, RFC 2045–2047).
///
/// The text is built here rather than with libcurl's MIME API (`curl_mime_*`): the output is
/// then a pure function of the outbox row, so a unit test can parse it, and a retry sends the
/// same bytes (the boundary comes from the Message-ID, the Date from when the row was queued).
/// libcurl still does the SMTP part, including the dot-stuffing of lines that start with `.`.
///
/// Bodies are UTF-8 in quoted-printable (readable in a raw mail, lines of at most 76
/// characters); the subject and display names are RFC 2047 encoded words when they are not
/// plain ASCII. Header lines are folded at 78 characters.
struct MIMEMessage: Sendable, Equatable {
    /// The From header as configured, e.g. `O-punt Oostende <o-punt@oostende.be>`.
    var from: String
    var to: String
    var replyTo: String
    var subject: String
    var date: Date
    /// `<…@…>`, the outbox row's.
    var messageID: String
    /// The signal's reference, in `X-Kiosk-Reference`.
    var reference: String
    var language: String
    var text: String
    /// Empty: a text-only message.
    var html: String

    static let lineLimit = 78

    /// The message as sent: CRLF line ends, ASCII only.
    var bytes: [UInt8] { Array(rendered.utf8) }

    var rendered: String {
        var headers: [String] = [
            "Date: \(Self.rfc5322Date(date))",
            Self.mailboxHeader("From", from),
            Self.mailboxHeader("To", to),
            Self.mailboxHeader("Reply-To", replyTo),
            Self.unstructuredHeader("Subject", subject),
            "Message-ID: \(Self.oneLine(messageID))",
            "MIME-Version: 1.0",
            "Content-Language: \(Self.token(language))",
            // RFC 3834: an automatic message; an auto-responder must not answer it.
            "Auto-Submitted: auto-generated",
            "X-Kiosk-Reference: \(Self.token(reference))",
        ]
        let textPart = Self.part(type: "text/plain", body: text)
        if html.isEmpty {
            headers.append(contentsOf: textPart.headers)
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + textPart.body + "\r\n"
        }
        let boundary = Self.boundary(messageID)
        headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        let htmlPart = Self.part(type: "text/html", body: html)
        var out = headers.joined(separator: "\r\n") + "\r\n\r\n"
        out += "This is a message in MIME format: a plain text and an HTML version.\r\n"
        for part in [textPart, htmlPart] {
            out += "--\(boundary)\r\n" + part.headers.joined(separator: "\r\n") + "\r\n\r\n" + part.body + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return out
    }

    private static func part(type: String, body: String) -> (headers: [String], body: String) {
        (["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"], quotedPrintable(body))
    }

    /// A boundary that cannot occur in a quoted-printable body (which writes every `=` as `=3D`)
    /// and is the same on every retry of one message.
    static func boundary(_ messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits: stable across runs, unlike Hasher
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "=_kiosk_" + String(hash, radix: 16)
    }

    // MARK: - Headers

    /// `Mon, 07 Dec 2026 18:11:23 +0000` (RFC 5322 section 3.3), in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// A header value that must stay on one line: line breaks (header injection) become spaces.
    static func oneLine(_ s: String) -> String {
        String(s.map { $0.isNewline || $0 == "\0" ? " " : $0 })
    }

    /// A value such as a language or a reference: printable ASCII without spaces only.
    static func token(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value > 32 && $0.value < 127 }.map(Character.init))
    }

    /// `Name <address>` or a bare address, with the display name quoted or encoded as needed.
    static func mailboxHeader(_ name: String, _ mailbox: String) -> String {
        let (display, address) = splitMailbox(oneLine(mailbox))
        guard let display, !display.isEmpty else { return "\(name): \(address)" }
        let encoded: [String]
        if display.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) {
            let atext = display.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || " !#$%&'*+-/=?^_`{|}~".unicodeScalars.contains($0) }
            encoded = [atext && !display.contains("=?") ? display : quoted(display)]
        } else {
            encoded = encodedWords(display)
        }
        return fold(name: name, words: encoded + ["<\(address)>"])
    }

    /// The display name and address of `Name <address>`, or (nil, address).
    static func splitMailbox(_ s: String) -> (String?, String) {
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            let address = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            return (name.isEmpty ? nil : name, String(address))
        }
        return (nil, trimmed)
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Subject: plain words folded at spaces, or RFC 2047 encoded words when it is not plain ASCII
    /// (or holds `=?`, or a word too long to fold).
    static func unstructuredHeader(_ name: String, _ value: String) -> String {
        let value = oneLine(value)
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let plain = value.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value != 127 }
            && !value.contains("=?") && words.allSatisfy { $0.count <= lineLimit - name.count - 2 }
        return fold(name: name, words: plain ? words : encodedWords(value))
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, each holding whole Unicode scalars
    /// (RFC 2047 section 5: "each 'encoded-word' MUST represent an integral number of characters").
    static func encodedWords(_ s: String) -> [String] {
        // 48 base64 characters + the 12 of "=?UTF-8?B?" and "?=" = 60: with "Reply-To: " in front
        // still within 78, and within RFC 2047's 75 for the word itself.
        let maxBytes = 36
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in s.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxBytes {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words
    }

    /// `Name: word word …`, a new line (CRLF and a space) before a word that would pass 78 characters.
    static func fold(name: String, words: [String]) -> String {
        var lines: [String] = []
        var line = "\(name):"
        var hasWord = false
        for word in words {
            if hasWord && line.count + 1 + word.count > lineLimit {
                lines.append(line)
                line = ""
            }
            line += " " + word
            hasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    // MARK: - Bodies

    /// Quoted-printable (RFC 2045 section 6.7) of the UTF-8 text, with CRLF line ends and soft
    /// breaks keeping every line at 76 characters or fewer. A `.` that would open a line is
    /// written `=2E`, so no SMTP server or client can mistake it for the end of the data.
    static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [String] = []
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var out: [UInt8] = []
            var column = 0
            for (i, b) in bytes.enumerated() {
                func encoded(atColumn c: Int) -> [UInt8] {
                    let last = i == bytes.count - 1
                    let literal = (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 32 || b == 9) && !last)
                    if literal && !(b == UInt8(ascii: ".") && c == 0) { return [b] }
                    return [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                }
                var piece = encoded(atColumn: column)
                // A soft break is "=" at the end of a line: 75 characters plus it make 76.
                if column + piece.count > 75 {
                    out += Array("=\r\n".utf8)
                    column = 0
                    piece = encoded(atColumn: 0)
                }
                out += piece
                column += piece.count
            }
            lines.append(String(decoding: out, as: UTF8.self))
        }
        return lines.joined(separator: "\r\n")
    }
}

import Domain
import Foundation
import Synchronization

/// What each message of docs/interface.md §11 says: the values a template gets, rendered in the
/// recipient's language. Pure apart from reading the templates it was given: the same
/// signal gives the same message, which is how the answer preview equals what is queued.
///
/// Who gets what:
/// - `acknowledgement`, `answer`, `ombudsman`: the reporter (`contact.email`), in the
///   reporter's `contact.language` when the config has it, else the config's first language;
/// - `forward`: the external party's `email`, with the reporter's contact details;
/// - `department`: the department's `email`, with no contact field of the reporter at all
///   and the description redacted as in the Open311 feed (names, e-mail addresses, phone
///   numbers written into it become `[…]`).
/// Forward and department messages are in the city's first language.
struct MessageComposer: Sendable {
    let config: CityConfig
    let templates: MailTemplates
    /// The base of every link (`mail.public_url`, `public_url`, else the listening address),
    /// without a trailing slash; empty: links are paths only.
    let linkBase: String

    /// What stands for a secret (status key, feedback token) in a preview.
    static let hiddenSecret = "…"

    /// The right-hand side of every Message-ID: the domain of `mail.from`, else a reserved name.
    var messageIDDomain: String {
        guard let address = config.mail?.fromAddress, let at = address.lastIndex(of: "@") else { return "kiosk-backend.invalid" }
        let domain = address[address.index(after: at)...]
        return domain.isEmpty ? "kiosk-backend.invalid" : String(domain)
    }

    /// Who gets `kind` about `signal`; nil when there is nobody to write to.
    func recipient(_ kind: MessageKind, signal: Signal) -> String? {
        let address: String?
        switch kind {
        case .acknowledgement, .answer, .ombudsman:
            address = signal.contact?.email
        case .forward:
            address = signal.forwardedTo.flatMap { config.externalParty($0) }?.email
        case .department:
            address = signal.department.flatMap { config.department($0) }?.email
        }
        guard let address, !address.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return address
    }

    /// The language `kind` about `signal` is written in: the one whose templates are used.
    func language(_ kind: MessageKind, signal: Signal) -> String {
        let first = config.languages.first ?? MailTemplates.required
        switch kind {
        case .acknowledgement, .answer, .ombudsman:
            let wanted = signal.contact?.language.flatMap { config.languages.contains($0) ? $0 : nil } ?? first
            return templates.language(for: wanted)
        case .forward, .department:
            return templates.language(for: first)
        }
    }

    /// The message `kind` about `signal`, or nil when nobody is to get it. `feedbackToken`
    /// is the answer's link secret (no token: no feedback link); `preview` shows the status
    /// key as ``hiddenSecret`` (a preview passes that as the token too).
    func compose(_ kind: MessageKind, signal: Signal, feedbackToken: String? = nil, preview: Bool = false) -> OutgoingMessage? {
        guard let to = recipient(kind, signal: signal) else { return nil }
        return render(kind, signal: signal, to: to, feedbackToken: feedbackToken, preview: preview)
    }

    /// Renders `kind` for `to`, whoever that is (the preview renders for a reporter without e-mail too).
    func render(_ kind: MessageKind, signal: Signal, to: String, feedbackToken: String?, preview: Bool) -> OutgoingMessage {
        let language = language(kind, signal: signal)
        let values = self.values(kind, signal: signal, language: language, feedbackToken: feedbackToken, preview: preview)
        let subject = templates.render(kind, "subject", language: language, values: values)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let text = templates.render(kind, "txt", language: language, values: values)
        let html = templates.render(kind, "html", language: language, values: values)
        return OutgoingMessage(
            signalReference: signal.reference, kind: kind, to: to, language: language, subject: subject,
            text: Self.tidy(text), html: Self.tidy(html))
    }

    /// The values a template of `kind` may use (the README lists them).
    func values(_ kind: MessageKind, signal: Signal, language: String, feedbackToken: String?, preview: Bool) -> [String: Any] {
        var v: [String: Any] = [
            "language": language,
            "city": config.city,
            "reference": signal.reference,
            signal.kind.rawValue: true,
            "category": categoryName(signal.category, language: language),
            "received_date": Self.longDate(signal.receivedAt, language: language, timeZone: config.timeZone),
            "opunt": Self.contact(config.contact, language: language),
            "phone_line": config.phoneLine.number,
        ]
        if let key = signal.statusKey {
            let shown = preview ? Self.hiddenSecret : key
            v["status_url"] = link("/status/\(signal.reference)?key=\(shown)")
        }
        switch kind {
        case .acknowledgement:
            let due = signal.dueAt ?? config.deadlines.dueAt(receivedAt: signal.receivedAt, kind: signal.kind, timeZone: config.timeZone)
            v["due_date"] = Self.longDate(due, language: language, timeZone: config.timeZone)
            v["answer_days"] = config.deadlines.days(for: signal.kind)
            v["description_lines"] = Self.lines(signal.description)
        case .answer:
            var answer = signal.answer ?? ""
            if signal.route == .external, let party = signal.externalParty.flatMap({ config.externalParty($0) }) {
                v["external"] = Self.contact(party, language: language)
                // The stored answer ends with the party's details on one line (``SignalUpdate``);
                // the message shows them as a block of their own instead, not twice.
                let line = "\n\n" + SignalUpdate.contactLine(party, language: signal.contact?.language ?? "nl")
                if answer.hasSuffix(line) { answer.removeLast(line.count) }
            }
            v["answer_lines"] = Self.lines(answer)
            if let feedbackToken {
                v["feedback_url"] = link("/feedback/\(feedbackToken)")
                v["feedback_days"] = config.feedbackDays
            }
        case .forward:
            if let party = signal.externalParty.flatMap({ config.externalParty($0) }) {
                v["party"] = Self.contact(party, language: language)
            }
            v["description_lines"] = Self.lines(signal.description)
            v["place"] = place(signal, language: language)
            var reporter: [String: Any] = [:]
            if let name = signal.contact?.name, !name.isEmpty { reporter["name"] = name }
            if let email = signal.contact?.email, !email.isEmpty { reporter["email"] = email }
            if let phone = signal.contact?.phone, !phone.isEmpty { reporter["phone"] = phone }
            if !reporter.isEmpty { v["reporter"] = reporter }
        case .department:
            // Nothing that names or reaches the reporter: the department works through O-punt.
            if let department = signal.department.flatMap({ config.department($0) }) {
                v["department"] = department.name.text(language)
            }
            if let key = signal.specialProcedure, let procedure = config.specialProcedure(key) {
                v["special_procedure"] = procedure.name.text(language)
            }
            let redacted = Open311Redaction.redact(signal.description, contact: signal.contact, keep: Open311Redaction.Public(config: config))
            v["description_lines"] = Self.lines(redacted)
            v["place"] = place(signal, language: language)
            v["backoffice_url"] = link("/backoffice#\(signal.reference)")
        case .ombudsman:
            v["ombudsman"] = Self.contact(config.ombudsman, language: language)
        }
        return v
    }

    func link(_ path: String) -> String { linkBase + path }

    /// `Main` or `Main — Sub` in `language`.
    func categoryName(_ key: String, language: String) -> String {
        guard let (main, sub) = config.resolveCategory(key) else { return key }
        return [main.name.text(language), sub?.name.text(language)].compactMap { $0 }.joined(separator: " — ")
    }

    /// Where: the address, the district and the coordinates, each when known; nil when none is.
    func place(_ signal: Signal, language: String) -> [String: Any]? {
        var p: [String: Any] = [:]
        if let address = signal.address, !address.isEmpty { p["address"] = address }
        if let district = signal.district.flatMap({ config.district($0) }) { p["district"] = district.name.text(language) }
        if let lat = signal.lat, let lon = signal.lon { p["coordinates"] = String(format: "%.5f, %.5f", lat, lon) }
        return p.isEmpty ? nil : p
    }

    /// A body's contact details, each field only when the config has it (so a template's
    /// `{{#phone}}` section disappears for a missing one).
    static func contact(_ c: CityConfig.Contact, language: String) -> [String: Any] {
        var d: [String: Any] = ["name": c.name.text(language)]
        for (key, value) in [("phone", c.phone), ("email", c.email), ("url", c.url), ("address", c.address)] where !value.isEmpty {
            d[key] = value
        }
        return d
    }

    /// A text's lines, so an HTML template can put `<br>` between escaped lines.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// A date as people write it in `language` ("vrijdag 31 oktober 2025"), in the city's time zone.
    static func longDate(_ date: Date, language: String, timeZone: TimeZone) -> String {
        // Making a DateFormatter costs more than the rest of a message (a profile of intake
        // showed a third of the write transaction in ICU's pattern generator): one per language
        // and time zone, used under a lock since DateFormatter is not Sendable.
        let key = "\(language)|\(timeZone.identifier)"
        return formatters.withLock { cache in
            if let formatter = cache[key] { return formatter.string(from: date) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: locales[language] ?? language)
            formatter.timeZone = timeZone
            formatter.setLocalizedDateFormatFromTemplate("EEEEdMMMMy")
            cache[key] = formatter
            return formatter.string(from: date)
        }
    }

    private static let formatters = Mutex<[String: DateFormatter]>([:])

    /// Belgian forms of the city's languages; English as written in Europe.
    static let locales = ["nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_GB"]

    /// No run of more than one blank line, no trailing spaces (but the signature mark's), one final newline.
    static func tidy(_ s: String) -> String {
        // Over UTF-8 bytes (every byte looked at is ASCII): walking Characters made this a tenth
        // of a new signal's CPU. A line ending "\r\n" loses its "\r" as trailing blanks do.
        let bytes = s.utf8
        let signature = Array("-- ".utf8)
        var lines: [Range<String.Index>] = []
        var blank = 0
        var start = bytes.startIndex
        while true {
            let stop = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var end = stop
            // "-- " (with its space) marks the signature for mail programs.
            while end > start, !bytes[start..<end].elementsEqual(signature),
                  [0x20, 0x09, 0x0D].contains(bytes[bytes.index(before: end)]) {
                end = bytes.index(before: end)
            }
            if end == start {
                blank += 1
            } else {
                blank = 0
            }
            if end > start || (blank == 1 && !lines.isEmpty) { lines.append(start..<end) }
            guard stop < bytes.endIndex else { break }
            start = bytes.index(after: stop)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1)
        for line in lines {
            out.append(contentsOf: bytes[line])
            out.append(0x0A)
        }
        return lines.isEmpty ? "\n" : String(decoding: out, as: UTF8.self)
    }
}

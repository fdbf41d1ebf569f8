import Domain
import Foundation
@testable import KioskBackend
import Testing

/// What each message says (issue 10): every kind in every language, escaping, the
/// department's message without contact details, due dates across DST, template checks.
struct MessageComposerTests {
    static let templates = MailTemplates.bundled(languages: TestApp.config.languages)

    static func composer(_ config: CityConfig = configWithAddresses()) -> MessageComposer {
        MessageComposer(config: config, templates: templates, linkBase: "https://meldingen.example.invalid")
    }

    /// The bundled config with recipients for every kind of message (reserved addresses).
    static func configWithAddresses() -> CityConfig {
        var config = TestApp.config
        config.departments = config.departments.map { d in
            var d = d
            d.email = "\(d.key)@stad.example.invalid"
            return d
        }
        config.externalParties = config.externalParties.map { p in
            var p = p
            p.email = "\(p.key)@partij.example.invalid"
            return p
        }
        return config
    }

    /// A signal with everything filled in, routed as `kind` needs.
    static func signal(
        _ kind: MessageKind, language: String = "nl", description: String = "Zwerfvuil aan de bushalte",
        answer: String = "De Dienst Netheid ruimt het op.", receivedAt: Date = Date(timeIntervalSince1970: 1_750_000_000),
        signalKind: SignalKind = .report
    ) -> Signal {
        let new = NewSignal(
            kind: signalKind, channel: .web, site: nil, reporter: .citizen, category: "overlast/zwerfvuil",
            mainCategory: "overlast", district: "centrum", address: "Kapellestraat 12", lat: 51.23, lon: 2.92,
            description: description, experienceScore: nil,
            contact: ContactDetails(name: "Jan Peeters", email: "jan.peeters@example.com", phone: "0471 12 34 56", language: language),
            consentForward: true, receivedAt: nil, assisted: false, createdBy: "public", createdByRole: nil)
        var s = Signal(new: new, reference: "K7M2QX9P", receivedAt: receivedAt)
        s.statusKey = "ABCDEFGHJKMNPQRSTVWX"
        s.answer = answer
        switch kind {
        case .forward:
            s.route = .external
            s.externalParty = "de-lijn"
        case .department:
            s.route = .opunt
            s.department = "netheid"
        case .answer:
            s.route = .external
            s.externalParty = "politie"
        case .acknowledgement, .ombudsman:
            break
        }
        return s
    }

    static let cases: [(MessageKind, String)] = MessageKind.allCases.flatMap { k in ["nl", "fr", "de", "en"].map { (k, $0) } }

    @Test(arguments: cases)
    func everyKindRendersInEveryLanguage(kind: MessageKind, language: String) throws {
        let composer = Self.composer()
        let message = try #require(composer.compose(kind, signal: Self.signal(kind, language: language), feedbackToken: "TOKEN123"))
        let expected = kind == .forward || kind == .department ? "nl" : language
        #expect(message.language == expected)
        for part in [message.subject, message.text, message.html] {
            #expect(!part.contains("{{"))
            #expect(!part.contains("}}"))
            #expect(part.contains("K7M2QX9P"))
        }
        #expect(!message.subject.isEmpty && !message.subject.contains("\n"))
        #expect(message.html.contains("<html lang=\"\(expected)\">"))
        #expect(message.text.contains("0800 1 8400"))
        #expect(message.text.contains("opunt@oostende.be"))
        switch kind {
        case .acknowledgement, .ombudsman:
            #expect(message.to == "jan.peeters@example.com")
            #expect(message.text.contains("https://meldingen.example.invalid/status/K7M2QX9P?key=ABCDEFGHJKMNPQRSTVWX"))
        case .answer:
            #expect(message.to == "jan.peeters@example.com")
            #expect(message.text.contains("https://meldingen.example.invalid/feedback/TOKEN123"))
            #expect(message.text.contains("059 70 11 11"))  // the police's phone: routed external
        case .forward:
            #expect(message.to == "de-lijn@partij.example.invalid")
            #expect(message.text.contains("Jan Peeters") && message.text.contains("0471 12 34 56"))
        case .department:
            #expect(message.to == "netheid@stad.example.invalid")
            #expect(message.text.contains("https://meldingen.example.invalid/backoffice#K7M2QX9P"))
        }
        if kind == .ombudsman { #expect(message.text.contains("klachten@vlaamseombudsdienst.be")) }
    }

    @Test(arguments: MessageKind.allCases)
    func htmlIsEscapedAndTextIsNot(kind: MessageKind) throws {
        let hostile = "<script>alert(1)</script> & \"quotes\""
        let message = try #require(
            Self.composer().compose(kind, signal: Self.signal(kind, description: hostile, answer: hostile), feedbackToken: "T"))
        #expect(!message.html.contains("<script>"))
        if kind != .ombudsman {  // the ombudsman's message quotes neither text
            #expect(message.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
            #expect(message.text.contains(hostile))
        }
    }

    @Test func theDepartmentLearnsNothingThatReachesTheReporter() throws {
        let description = "Jan Peeters hier, mail me op jan.peeters@example.com of bel 0471 12 34 56. Zwerfvuil aan de bushalte."
        let message = try #require(Self.composer().compose(.department, signal: Self.signal(.department, description: description)))
        for part in [message.subject, message.text, message.html] {
            for personal in ["Jan", "Peeters", "jan.peeters@example.com", "0471", "12 34 56"] {
                #expect(!part.contains(personal), "\(personal) in the department's message")
            }
        }
        #expect(message.text.contains("Zwerfvuil aan de bushalte"))
        #expect(message.text.contains("Kapellestraat 12"))
    }

    /// Received 1 October 2025 at 00:30 in Brussels (30 September 22:30 UTC): 30 days later is
    /// 31 October at 00:30, after the end of summer time; 30 × 24 h, or a date in UTC, says the 30th.
    @Test(arguments: [("nl", "vrijdag 31 oktober 2025"), ("fr", "vendredi 31 octobre 2025"),
                      ("de", "Freitag, 31. Oktober 2025"), ("en", "Friday, 31 October 2025")])
    func dueDateAcrossTheEndOfSummerTime(language: String, expected: String) throws {
        let received = try #require(ISO8601DateFormatter().date(from: "2025-09-30T22:30:00Z"))
        let message = try #require(Self.composer().compose(.acknowledgement, signal: Self.signal(.acknowledgement, language: language, receivedAt: received)))
        #expect(message.text.contains(expected), "\(message.text)")
        #expect(message.html.contains(expected))
    }

    /// Received 2 March 2025 at 00:30 in Brussels; a complaint has 45 days: 16 April at 00:30, in summer time.
    @Test func dueDateAcrossTheStartOfSummerTime() throws {
        let received = try #require(ISO8601DateFormatter().date(from: "2025-03-01T23:30:00Z"))
        let message = try #require(Self.composer().compose(
            .acknowledgement, signal: Self.signal(.acknowledgement, receivedAt: received, signalKind: .complaint)))
        #expect(message.text.contains("woensdag 16 april 2025"), "\(message.text)")
        #expect(message.subject.contains("klacht"))
    }

    /// The rendered text is tidied: no trailing blanks, at most one blank line in a row, none
    /// at the start or the end, one final line break; the signature mark "-- " keeps its space.
    @Test(arguments: [
        ("", "\n"),
        ("\n\n\n", "\n"),
        ("Beste,", "Beste,\n"),
        ("\n\nBeste,  \t\n\n\n\nBedankt.\n\n", "Beste,\n\nBedankt.\n"),
        ("a \r\nb\r\n", "a\nb\n"),
        ("Groeten\n-- \nO-punt", "Groeten\n-- \nO-punt\n"),
        ("Groeten\n--   \nO-punt", "Groeten\n-- \nO-punt\n"),
        ("Straße 12 \u{3000}\n\u{a0}\n", "Straße 12 \u{3000}\n\u{a0}\n"),
        (" \n \nx\n \n \ny", "x\n\ny\n"),
    ])
    func tidy(_ rendered: String, _ tidied: String) {
        #expect(MessageComposer.tidy(rendered) == tidied)
    }

    @Test func noAddressNoMessage() {
        var signal = Self.signal(.answer)
        signal.contact?.email = nil
        #expect(Self.composer().compose(.answer, signal: signal) == nil)
        #expect(Self.composer().compose(.acknowledgement, signal: signal) == nil)
        #expect(Self.composer(TestApp.config).compose(.department, signal: Self.signal(.department)) == nil)
        #expect(Self.composer(TestApp.config).compose(.forward, signal: Self.signal(.forward)) == nil)
    }

    @Test func aLanguageTheConfigLacksGetsTheFirstConfigLanguage() throws {
        var config = Self.configWithAddresses()
        config.languages = ["fr", "nl"]
        let composer = MessageComposer(config: config, templates: Self.templates, linkBase: "")
        let message = try #require(composer.compose(.acknowledgement, signal: Self.signal(.acknowledgement, language: "de")))
        #expect(message.language == "fr")
        #expect(message.text.contains("/status/K7M2QX9P?key="))
        #expect(composer.compose(.department, signal: Self.signal(.department))?.language == "fr")
    }

    @Test func previewHidesTheSecrets() {
        let message = Self.composer().render(
            .answer, signal: Self.signal(.answer), to: "x@example.com", feedbackToken: MessageComposer.hiddenSecret, preview: true)
        #expect(message.text.contains("/status/K7M2QX9P?key=…"))
        #expect(message.text.contains("/feedback/…"))
        #expect(!message.text.contains("ABCDEFGHJKMNPQRSTVWX"))
    }

    @Test func messageIDDomainComesFromTheSender() throws {
        #expect(Self.composer(TestApp.config).messageIDDomain == "kiosk-backend.invalid")
        let path = TestApp.packageRoot.appendingPathComponent("config/ostend.json").path
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        json["mail"] = ["smtp_url": "smtp://127.0.0.1:2525", "from": "O-punt Oostende <o-punt@oostende.be>"]
        let config = try CityConfig.parse(Array(try JSONSerialization.data(withJSONObject: json)), file: "mail.json")
        #expect(Self.composer(config).messageIDDomain == "oostende.be")
    }
}

/// Loading the templates: what stops start-up, and the Dutch fallback.
struct MailTemplatesTests {
    /// A copy of the bundled templates in a temporary folder, to break.
    static func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: ConfigLoader.bundledTemplatesPath), to: dir)
        return dir
    }

    @Test func aLanguageWithoutTemplatesFallsBackToDutch() throws {
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("mail/de"))
        let templates = try MailTemplates.load(directory: dir.path, languages: ["nl", "fr", "en", "de"])
        #expect(templates.fallbacks == ["de"])
        #expect(templates.language(for: "de") == "nl")
        #expect(templates.language(for: "fr") == "fr")
    }

    @Test func aBrokenTemplateNamesItsFileAndLine() throws {
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mail/fr/answer.txt.mustache")
        try "Bonjour,\n{{#answer_lines}}\n{{.}}\n{{/answer}}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try MailTemplates.load(directory: dir.path, languages: ["nl", "fr"])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(file.path):4:") && text.contains("does not parse")
        }
    }

    @Test func aMissingTemplateNamesItsFile() throws {
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mail/en/ombudsman.subject.mustache")
        try FileManager.default.removeItem(at: file)
        #expect(throws: MailTemplates.LoadError(description: "\(file.path): cannot read the mail template (does it exist?)")) {
            try MailTemplates.load(directory: dir.path, languages: ["nl", "en"])
        }
        // A language the config does not use is not loaded, so its gaps do not matter.
        _ = try MailTemplates.load(directory: dir.path, languages: ["nl", "fr"])
    }

    @Test func dutchIsRequired() throws {
        let dir = try Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("mail/nl"))
        #expect(throws: MailTemplates.LoadError.self) { try MailTemplates.load(directory: dir.path, languages: ["fr"]) }
    }
}

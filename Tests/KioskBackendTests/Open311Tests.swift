import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// The parts of the Open311 interface that are pure functions, by tables, and a few
/// requests through `Application.respond(to:)` that need the service's clock.
struct Open311Tests {
    // MARK: Form fields

    @Test(arguments: [
        ("attribute[district]", "district"), ("attribute[contact_by][]", "contact_by"),
        ("attribute[]", nil), ("attribute[a[b]]", nil), ("attribute[district", nil), ("attributes", nil), ("email", nil),
    ] as [(String, String?)])
    func attributeNames(name: String, code: String?) {
        #expect(Open311Submission.attributeCode(name) == code)
    }

    /// The photo link is the last "media_url: " line after a blank line, one word starting with http.
    @Test(arguments: [
        ("Put in de weg\n\nmedia_url: https://x.be/1.jpg", "Put in de weg", "https://x.be/1.jpg"),
        ("Straße ü\n\nmedia_url: https://a\n\nmedia_url: https://b", "Straße ü\n\nmedia_url: https://a", "https://b"),
        ("\n\nmedia_url: https://x", "", "https://x"),
        ("Tekst\n\nmedia_url: ", "Tekst\n\nmedia_url: ", nil),
        ("Tekst\n\nmedia_url: ftp://x", "Tekst\n\nmedia_url: ftp://x", nil),
        ("Tekst\n\nmedia_url: https://x en meer", "Tekst\n\nmedia_url: https://x en meer", nil),
        ("Tekst\nmedia_url: https://x", "Tekst\nmedia_url: https://x", nil),
        ("media_url", "media_url", nil),
        ("", "", nil),
    ] as [(String, String, String?)])
    func mediaURLSplits(description: String, text: String, url: String?) {
        let (t, u) = Open311Markers.splitMediaURL(description)
        #expect(t == text && u == url)
        if let url { #expect(Open311Markers.joinMediaURL(t, url) == description) }
    }

    // MARK: Output formats

    @Test(arguments: [
        ("plain", "plain"),
        ("a < b & c > \"d\" 'e'", "a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),
        ("cr\r", "cr&#13;"),
        ("nul\u{0}bell\u{7}", "nul\u{FFFD}bell\u{FFFD}"),
        ("\u{FFFE}ok\u{FFFF}", "\u{FFFD}ok\u{FFFD}"),
        ("Zwerfvuil – Müll 🚮", "Zwerfvuil – Müll 🚮"),
    ])
    func xmlTextIsEscaped(text: String, escaped: String) {
        #expect(Open311XML.escape(text) == escaped)
    }

    @Test func oneTreeRendersBothFormats() {
        let node = Open311Node.list(item: "request", [
            .record([("id", .text("OP-1")), ("notes", .text(nil)), ("lat", .number(51.23)), ("open", .bool(true)), ("n", .integer(3))]),
        ])
        #expect(Open311Format.xml.render(root: "service_requests", node) == Array(
            #"<?xml version="1.0" encoding="utf-8"?><service_requests><request><id>OP-1</id><notes/><lat>51.23</lat><open>true</open><n>3</n></request></service_requests>"#.utf8))
        #expect(Open311Format.json.render(root: "service_requests", node) == Array(
            #"[{"id":"OP-1","notes":null,"lat":51.23,"open":true,"n":3}]"#.utf8))
    }

    @Test(arguments: [("a\"b\\c", #""a\"b\\c""#), ("x\ny\u{1}", #""x\ny\u0001""#), ("é", "\"é\"")])
    func jsonStringsAreEscaped(text: String, literal: String) throws {
        var out = ""
        Open311JSON.string(text, to: &out)
        #expect(out == literal)
        #expect(try JSONValue.parse(Array(out.utf8)) == .string(text))
    }

    /// The router captures `{code}.{format}` (`RouterTests`); `Open311File` reads the format.
    static func file(_ segment: String) throws -> Open311File {
        var router = Router()
        router.add(Route("GET", "/services/{code}.{format}") { _ in HTTPResponse(status: 200) })
        guard case .found(_, let parameters) = router.match(method: "GET", path: "/services/" + segment) else {
            throw Open311Error.unknownFormat(segment)
        }
        return Open311File(name: parameters["code"] ?? "", ext: parameters["format"])
    }

    @Test(arguments: [
        ("overlast.zwerfvuil.json", "overlast.zwerfvuil", Open311Format.json),
        ("overlast.XML", "overlast", .xml),
        ("OP-7K3M-Q9TX.json", "OP-7K3M-Q9TX", .json),
    ])
    func namesSplitAtTheLastDot(segment: String, name: String, format: Open311Format) throws {
        let file = try Self.file(segment)
        #expect(file == Open311File(name: name, ext: format.rawValue.uppercased()))
        #expect(file.name == name && file.format == format && file.unknown == nil)
    }

    @Test(arguments: [
        ("overlast", Open311Format.xml), ("overlast.csv", .xml), ("overlast.json.bak", .xml), ("overlastjson", .json),
        ("overlast.", .xml), (".json", nil),
    ])
    func namesWithoutAFormatAreNotResources(segment: String, answeredIn: Open311Format?) throws {
        let file = try Self.file(segment)
        if let answeredIn {
            #expect(file.unknown == segment && file.format == answeredIn)
            do throws(Open311Error) {
                try file.check()
                Issue.record("\(segment) passed")
            } catch {
                #expect(error.descriptions == Open311Error.unknownFormat(segment).descriptions)
            }
        } else {
            #expect(file.unknown == nil && file.name == "")  // `.json`: the service "" is unknown
        }
    }

    // MARK: Dates

    static let brussels = TimeZone(identifier: "Europe/Brussels")!

    @Test(arguments: [
        ("2010-01-01T00:00:00Z", "2010-01-01T00:00:00.000Z"),
        ("2010-01-01T01:00:00+01:00", "2010-01-01T00:00:00.000Z"),
        ("2010-01-01T01:00:00 01:00", "2010-01-01T00:00:00.000Z"),  // the + of a query string read as a space
        ("2010-01-01T00:00:00-0500", "2010-01-01T05:00:00.000Z"),
        ("2010-01-01T00:00Z", "2010-01-01T00:00:00.000Z"),
        ("2010-01-01T00:00:00.250Z", "2010-01-01T00:00:00.250Z"),
        ("2010-07-01T12:00:00", "2010-07-01T10:00:00.000Z"),  // no zone: the city's (summer time)
        ("2010-01-01", "2009-12-31T23:00:00.000Z"),  // a day: from its start in the city
    ])
    func w3DatesParse(text: String, start: String) throws {
        let parsed = try #require(W3DateTime.parse(text, timeZone: Self.brussels))
        #expect(Timestamp.formatPrecise(parsed.start) == start)
    }

    @Test func aDayRunsToTheNextDaysStartAndAnInstantIsInclusive() throws {
        let day = try #require(W3DateTime.parse("2010-03-28", timeZone: Self.brussels))
        #expect(day.end.timeIntervalSince(day.start) == 23 * 3600)  // the spring change to summer time
        let instant = try #require(W3DateTime.parse("2010-01-01T00:00:00Z", timeZone: Self.brussels))
        #expect(abs(instant.end.timeIntervalSince(instant.start) - 0.001) < 1e-6)
    }

    @Test(arguments: ["", "gisteren", "2010-13-01", "2010-02-30T00:00:00Z", "2010-01-01T24:00:00Z", "2010-01-01T00:60:00Z", "2010-01-01T00:00:00+25:00", "0001-01-01T00:00:00Z"])
    func badDatesAreRefused(text: String) {
        #expect(W3DateTime.parse(text, timeZone: Self.brussels) == nil)
    }

    // MARK: Personal data

    static let jan = ContactDetails(name: "Jan Peeters", email: "jan.peeters@voorbeeld.be", phone: "0470 12 34 56")

    @Test(arguments: [
        ("Zwerfvuil aan de bushalte", "Zwerfvuil aan de bushalte"),
        ("Mail jan.peeters@voorbeeld.be of info@oostende.be.", "Mail […] of […]."),
        ("Bel 0470 12 34 56 of +32 59 12 34 56!", "Bel […] of […]!"),
        ("Bel 059/12.34.56 voor 18u", "Bel […] voor 18u"),
        ("Opgeruimd op 01/06/2024 om 10.30 en op 2024-06-02.", "Opgeruimd op 01/06/2024 om 10.30 en op 2024-06-02."),
        ("Langs geweest 01/06/2024 10:30 en 2/6/24 9:00", "Langs geweest 01/06/2024 10:30 en 2/6/24 9:00"),
        ("Kapellestraat 12, 8400 Oostende", "Kapellestraat 12, 8400 Oostende"),
        ("IBAN BE68539007547034", "IBAN […]"),
        ("Beste mevrouw Janssens, het is opgelost.", "Beste […], het is opgelost."),
        ("Geachte heer\nWe hebben", "Geachte […]\nWe hebben"),
        ("Ik ben Jan Peeters en de heer Peeters van hiernaast klaagt ook.", "Ik ben […] en de heer […] van hiernaast klaagt ook."),
        ("Januari was koud; de peetersstraat ligt open.", "Januari was koud; de peetersstraat ligt open."),
    ])
    func personalDataLeavesTheText(text: String, redacted: String) {
        #expect(Open311Redaction.redact(text, contact: Self.jan) == redacted)
    }

    /// Issue 9, finding 13: what the first redaction let through, and what it must leave.
    @Test(arguments: [
        // Obfuscated e-mail addresses.
        ("Mail jan (at) telenet (dot) be aub", "Mail […] aub"),
        ("jan[at]x[dot]be of jan{at}x{dot}be", "[…] of […]"),
        ("schrijf jan at x dot be of piet at mail punt com.", "schrijf […] of […]."),
        ("an.de.smet(at)ugent(dot)be!", "[…]!"),
        ("We waren at home. Dot.", "We waren at home. Dot."),
        ("Om 10 at 12.30 uur", "Om 10 at 12.30 uur"),
        // Phone numbers, Belgian and international.
        ("Bel 0471 12 34 56.", "Bel […]."),
        ("Bel (059) 12 34 56 of +32 (0)59 12 34 56", "Bel […] of […]"),
        ("GSM: 0471/12.34.56, vast 059-12-34-56", "GSM: […], vast […]"),
        ("tel +31 20 123 4567 of 0033 1 23 45 67 89", "tel […] of […]"),
        ("059.01.02.03", "[…]"),
        ("Huisnummers 12 en 14, postcode 8400, 3 keer", "Huisnummers 12 en 14, postcode 8400, 3 keer"),
        // IBANs of any country.
        ("Stort op BE68 5390 0754 7034 aub", "Stort op […] aub"),
        ("IBAN: GB82 WEST 1234 5698 7654 32.", "IBAN: […]."),
        ("nl91abna0417164300", "[…]"),
        ("De BE68 route", "De BE68 route"),
        // National register numbers.
        ("Rijksregister 85.07.30-033.28", "Rijksregister […]"),
        ("RRN 12.07.30-033.28 en 85073003328", "RRN […] en […]"),
        // The reporter's name: accents, case, spaced out, in brackets, joined.
        ("Gemeld door (Jan Peeters) gisteren", "Gemeld door […] gisteren"),
        ("Groeten, [Jan]", "Groeten, […]"),
        ("J a n  P e e t e r s was hier", "[…] was hier"),
        ("JAN PÉÉTERS en jan peeters en JanPeeters", "[…] en […] en […]"),
        ("Peeters' tuin, Peeters-Janssens", "[…]' tuin, […]-Janssens"),
        ("Januari was koud; de Jansstraat ligt open.", "Januari was koud; de Jansstraat ligt open."),
        // Dates, times and ordinary numbers stay.
        ("Op 01.06.24 om 9.30 en 2024-06-01", "Op 01.06.24 om 9.30 en 2024-06-01"),
        ("Emoji 🚮🚮 blijven 👍🏽", "Emoji 🚮🚮 blijven 👍🏽"),
    ])
    func whatTheFirstRedactionMissed(text: String, redacted: String) {
        #expect(Open311Redaction.redact(text, contact: Self.jan) == redacted)
    }

    @Test func anAccentedNameGoesWhateverTheSpelling() {
        let contact = ContactDetails(name: "Zoë Décamps-Müller", email: nil, phone: nil)
        #expect(Open311Redaction.redact("zoe decamps en ZOË MULLER, Decamps", contact: contact) == "[…] en […], […]")
        // Combining accents, as some keyboards send them.
        #expect(Open311Redaction.redact("Zoe\u{308} De\u{301}camps was hier", contact: contact) == "[…] was hier")
    }

    /// Issue 9, finding 2: 5,000 emoji took seconds. The pass must grow linearly: 8 times
    /// the text may take about 8 times as long, never 64 (with room for a noisy machine).
    @Test(arguments: ["🚮", "👩🏽‍🚒 ", "Jan (at) x. 0471 12 ab@c.de BE68 5390 é J a n [Peeters] Beste mevrouw X, 12.34.56 ☎️ "])
    func redactionTimeGrowsLinearly(unit: String) {
        func text(_ bytes: Int) -> String {
            String(repeating: unit, count: max(1, bytes / unit.utf8.count))
        }
        func seconds(_ t: String) -> Double {
            // The best of five: a busy machine slows some runs, never speeds one up.
            var best = Double.infinity
            for _ in 0..<5 {
                let start = ContinuousClock.now
                _ = Open311Redaction.redact(t, contact: Self.jan)
                let d = ContinuousClock.now - start
                best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            return best
        }
        let small = text(20_000)
        let large = text(160_000)
        _ = seconds(small)  // warm the folding cache and the allocator
        let n = seconds(small)
        let eight = seconds(large)
        // Quadratic would be 64 times; 24 leaves room for caches and a loaded machine.
        #expect(eight < max(n, 0.005) * 24, "20 KB: \(n) s, 160 KB: \(eight) s")
        // 5,000 emoji, the finding's text (26 s per read before), in a couple of seconds at most.
        #expect(seconds(String(repeating: "🚮", count: 5000)) < 2)
    }

    @Test func publicNumbersOfTheConfigStay() {
        let keep = Open311Redaction.Public(config: TestApp.config)
        let answer = "Dit is voor De Lijn: 070 220 200. Of de ombudsdienst: klachten@vlaamseombudsdienst.be. Niet 0470 99 88 77."
        #expect(Open311Redaction.redact(answer, contact: nil, keep: keep)
            == "Dit is voor De Lijn: 070 220 200. Of de ombudsdienst: klachten@vlaamseombudsdienst.be. Niet […].")
    }

    /// Signals stored before migration v5 get their public texts in the migration, so
    /// no read ever has to redact.
    @Test func migrationFiveFillsThePublicTextsOfOlderSignals() throws {
        let queue = try DatabaseQueue()
        let migrator = Migrations.migrator(keep: Open311Redaction.Public(config: TestApp.config))
        try migrator.migrate(queue, upTo: "v4: the report's experience index grouped by score and channel")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO signal (reference, kind, channel, reporter, category, main_category, description,
                                        contact_name, received_at, created_by, updated_at, answer)
                    VALUES ('OP-TEST', 'report', 'web', 'citizen', 'overlast', 'overlast', ?, 'Jan Peeters', 0, 'public', 0, ?)
                    """,
                arguments: ["Ik ben Jan Peeters, bel 0471 12 34 56\n\nmedia_url: https://x.be/1.jpg", "Beste Jan, bel De Lijn: 070 220 200."])
        }
        try migrator.migrate(queue)
        let row = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT public_description, public_answer FROM signal") })
        #expect(row["public_description"] == "Ik ben […], bel […]\n\nmedia_url: https://x.be/1.jpg")
        #expect(row["public_answer"] == "Beste […], bel De Lijn: 070 220 200.")
    }

    @Test func statusesMapToOpenAndClosed() {
        #expect(SignalStatus.allCases.map(Open311ServiceRequest.status) == ["open", "open", "closed", "closed"])
        #expect(Open311ServiceRequest.statuses("open") == [.received, .inProgress])
        #expect(Open311ServiceRequest.statuses("closed") == [.answered, .closed])
        #expect(Open311ServiceRequest.statuses("pending") == nil)
    }

    // MARK: Through the application

    /// A form-encoded POST, as Open311 clients send it.
    static func postForm(_ app: TestApp, _ path: String, _ form: String, headers: [String: String] = [:]) async -> HTTPResponse {
        await app.application.respond(to: HTTPRequest(
            method: "POST", path: path,
            headers: headers.merging(["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"]) { a, _ in a },
            body: Array(form.utf8)))
    }

    @Test func theDefaultWindowIsTheLast90DaysOfTheServicesClock() async throws {
        let app = try TestApp()
        let key = try app.token(.open311, name: "partner app")
        let form = "api_key=\(key)&service_code=overlast.zwerfvuil&address_string=Kapellestraat+12&description=Zwerfvuil"
        let created = await Self.postForm(app, "/open311/v2/requests.xml", form)
        #expect(created.status == 200, "\(created.bodyText)")
        #expect(created.header("Content-Type") == "text/xml; charset=utf-8")
        let reference = try #require(created.bodyText.firstMatch(of: #/<service_request_id>(OP-[0-9A-Z-]+)</service_request_id>/#)?.1)

        #expect(await app.get("/open311/v2/requests.json").bodyText.contains(reference))
        app.clock.advance(by: 89 * 24 * 3600)
        #expect(await app.get("/open311/v2/requests.json").bodyText.contains(reference))
        app.clock.advance(by: 2 * 24 * 3600)
        #expect(await app.get("/open311/v2/requests.json").bodyText == "[]")
        // Still there by id, which overrides the window.
        #expect(await app.get("/open311/v2/requests.json", query: [("service_request_id", String(reference))]).bodyText.contains(reference))
        #expect(await app.get("/open311/v2/requests/\(reference).json").status == 200)
    }

    @Test func theSameIdempotencyKeyFilesOnce() async throws {
        let app = try TestApp()
        let key = try app.token(.open311, name: "partner app")
        let form = "api_key=\(key)&service_code=overlast&lat=51.23&long=2.92"
        let first = await Self.postForm(app, "/open311/v2/requests.json", form, headers: ["Idempotency-Key": "b1f0c7a2"])
        let again = await Self.postForm(app, "/open311/v2/requests.json", form, headers: ["Idempotency-Key": "b1f0c7a2"])
        #expect(first.status == 200 && again.status == 200)
        #expect(first.body == again.body)
        #expect(try await app.signalCount() == 1)
    }
}

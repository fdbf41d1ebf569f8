import Domain
import Foundation
import Testing

/// `SignalIntake.validate`: the role table (403) before the field rules (422),
/// and every broken field listed at once with the words an integrator reads.
struct SignalIntakeTests {
    static let intake = SignalIntake(config: Fixtures.ostend)
    static let now = Fixtures.instant("2026-05-04T10:00:00Z")

    static let public_ = Caller.anonymous
    static let kiosk = Caller(role: .kiosk, name: "Kiosk stadhuis 1", site: "stadhuis")
    static let agent = Caller(role: .agent, name: "Els (0800)")
    static let desk = Caller(role: .desk, name: "Balie Cavell", site: "edith-cavell")
    static let staff = Caller(role: .staff, name: "Gemeenschapswacht Jan")
    static let coordinator = Caller(role: .coordinator, name: "O-punt Mia")
    static let admin = Caller(role: .admin, name: "Beheer")
    static let open311 = Caller(role: .open311, name: "Verbeter de buurt")
    static let pbx = Caller(role: .pbx, name: "Centrale")

    /// A valid minimal body plus `extra` fields (JSON members without braces).
    static func body(_ extra: String = "") -> String {
        let base = #""kind": "report", "category": "overlast/zwerfvuil", "description": "Zakken afval naast de glasbol""#
        return "{" + base + (extra.isEmpty ? "" : ", " + extra) + "}"
    }

    static func validate(
        _ body: String, _ caller: Caller, assisted: Bool = false, entry: AccessPolicy.Entry = .api
    ) -> Result<NewSignal, IntakeError> {
        let object = Fixtures.object(body)
        return Result { () throws(IntakeError) in
            try intake.validate(object, caller: caller, assisted: assisted, entry: entry, now: now)
        }
    }

    // MARK: - Allowed

    struct Allowed: Sendable, CustomTestStringConvertible {
        var name: String
        var caller: Caller
        var body: String
        var entry: AccessPolicy.Entry = .api
        var channel: Channel
        var site: String? = nil
        var reporter: Reporter = .citizen
        var score: Int? = nil
        var receivedAt: String? = nil
        var testDescription: String { name }
    }

    static let allowed: [Allowed] = [
        Allowed(name: "public: web by default", caller: public_, body: body(), channel: .web),
        Allowed(name: "public: web named, with a score", caller: public_, body: body(#""channel": "web", "experience_score": 4"#), channel: .web, score: 4),
        Allowed(name: "public: channel null means the default", caller: public_, body: body(#""channel": null, "site": null"#), channel: .web),
        Allowed(name: "kiosk: channel and site from the token", caller: kiosk, body: body(), channel: .kiosk, site: "stadhuis"),
        Allowed(name: "kiosk: repeating its own channel and site, with a score", caller: kiosk, body: body(#""channel": "kiosk", "site": "stadhuis", "experience_score": 1"#), channel: .kiosk, site: "stadhuis", score: 1),
        Allowed(name: "agent: phone by default", caller: agent, body: body(), channel: .phone),
        Allowed(name: "desk: counter at its own site by default", caller: desk, body: body(), channel: .counter, site: "edith-cavell"),
        Allowed(name: "desk: e-mail carries no site", caller: desk, body: body(#""channel": "email""#), channel: .email),
        Allowed(name: "desk: letter", caller: desk, body: body(#""channel": "letter""#), channel: .letter),
        Allowed(name: "desk: the date on a letter, 3 days back", caller: desk, body: body(#""channel": "letter", "received_at": "2026-05-01T08:00:00Z""#), channel: .letter, receivedAt: "2026-05-01T08:00:00Z"),
        Allowed(name: "desk: an e-mail dated exactly 90 days back", caller: desk, body: body(#""channel": "email", "received_at": "2026-02-03T10:00:00Z""#), channel: .email, receivedAt: "2026-02-03T10:00:00Z"),
        Allowed(name: "staff: web as staff by default", caller: staff, body: body(), channel: .web, reporter: .staff),
        Allowed(name: "staff: naming reporter staff", caller: staff, body: body(#""reporter": "staff", "channel": "web""#), channel: .web, reporter: .staff),
        Allowed(name: "coordinator: a letter backfilled", caller: coordinator, body: body(#""channel": "letter", "received_at": "2022-06-01T09:30:00Z""#), channel: .letter, receivedAt: "2022-06-01T09:30:00Z"),
        Allowed(name: "coordinator: counter needs a site, staff reporter", caller: coordinator, body: body(#""channel": "counter", "site": "stadhuis", "reporter": "staff""#), channel: .counter, site: "stadhuis", reporter: .staff),
        Allowed(name: "coordinator: web for a citizen may carry a score", caller: coordinator, body: body(#""channel": "web", "reporter": "citizen", "experience_score": 3"#), channel: .web, score: 3),
        Allowed(name: "admin: kiosk at a named site with a score", caller: admin, body: body(#""channel": "kiosk", "site": "edith-cavell", "experience_score": 5"#), channel: .kiosk, site: "edith-cavell", score: 5),
        Allowed(name: "admin: received_at with an offset, 4 minutes ahead of the clock", caller: admin, body: body(#""channel": "phone", "received_at": "2026-05-04T12:04:00+02:00""#), channel: .phone, receivedAt: "2026-05-04T10:04:00Z"),
        Allowed(name: "open311 through the Open311 entry", caller: open311, body: body(#""channel": "web""#), entry: .open311, channel: .web),
    ]

    @Test(arguments: allowed)
    func accepts(_ example: Allowed) throws {
        let new = try Self.validate(example.body, example.caller, entry: example.entry).get()
        #expect(new.channel == example.channel)
        #expect(new.site == example.site)
        #expect(new.reporter == example.reporter)
        #expect(new.experienceScore?.rawValue == example.score)
        #expect(new.receivedAt == example.receivedAt.map(Fixtures.instant))
        #expect(new.createdBy == example.caller.name)
        #expect(new.createdByRole == example.caller.role)
        #expect(new.assisted == false)
    }

    @Test func keepsEveryFieldOfAFullBody() throws {
        let body = #"""
            {"kind": "complaint", "channel": "web", "reporter": "citizen",
             "category": "publieke-ruimte/straatverlichting", "district": "centrum",
             "address": "  Kapellestraat 12 ", "lat": 51.23, "lon": 2.92,
             "description": "Lamp kapot sinds een week", "experience_score": 4,
             "contact": {"name": "An Peeters", "email": "an@voorbeeld.be", "phone": "+32 59 12 34 56", "language": "fr"},
             "consent_forward": true}
            """#
        let new = try Self.validate(body, Self.public_).get()
        #expect(
            new
                == NewSignal(
                    kind: .complaint, channel: .web, site: nil, reporter: .citizen,
                    category: "publieke-ruimte/straatverlichting", mainCategory: "publieke-ruimte", district: "centrum",
                    address: "Kapellestraat 12", lat: 51.23, lon: 2.92, description: "Lamp kapot sinds een week",
                    experienceScore: ExperienceScore(rawValue: 4),
                    contact: ContactDetails(name: "An Peeters", email: "an@voorbeeld.be", phone: "+32 59 12 34 56", language: "fr"),
                    consentForward: true, receivedAt: nil, assisted: false, createdBy: "public", createdByRole: nil))
    }

    /// A desk finishing a kiosk draft passes a kiosk caller at the draft's site.
    @Test func assistedKioskSignalKeepsKioskAndSite() throws {
        let draftCaller = Caller(role: .kiosk, name: "Balie Cavell", site: "edith-cavell")
        let new = try Self.validate(Self.body(#""experience_score": 2"#), draftCaller, assisted: true).get()
        #expect(new.assisted)
        #expect(new.channel == .kiosk)
        #expect(new.site == "edith-cavell")
        #expect(new.experienceScore?.rawValue == 2)
    }

    @Test(arguments: ["overlast", "overlast/zwerfvuil", "administratie/gas-boete", "mobiliteit/openbaar-vervoer"])
    func resolvesMainCategory(_ category: String) throws {
        let new = try Self.validate(
            #"{"kind": "report", "category": "\#(category)", "description": "x"}"#, Self.public_
        ).get()
        #expect(new.category == category)
        #expect(new.mainCategory == String(category.split(separator: "/")[0]))
    }

    @Test(arguments: ["nl", "fr", "en", "de"])
    func contactLanguageAlone(_ language: String) throws {
        let new = try Self.validate(Self.body(#""contact": {"language": "\#(language)"}"#), Self.public_).get()
        #expect(new.contact == ContactDetails(language: language))
    }

    @Test func emptyContactIsNoContact() throws {
        let new = try Self.validate(Self.body(#""contact": {}"#), Self.public_).get()
        #expect(new.contact == nil)
    }

    // MARK: - Forbidden (403)

    struct Forbidden: Sendable, CustomTestStringConvertible {
        var name: String
        var caller: Caller
        var body: String
        var entry: AccessPolicy.Entry = .api
        var message: String
        var testDescription: String { name }
    }

    static let onlyBackOffice =
        "Only a coordinator or admin may set received_at; a desk may set it on letter and email signals (the date on the letter)."

    static let forbidden: [Forbidden] = [
        Forbidden(name: "public claims kiosk", caller: public_, body: body(#""channel": "kiosk", "site": "stadhuis""#), message: "A public caller may not create signals on channel kiosk."),
        Forbidden(name: "public claims reporter staff", caller: public_, body: body(#""reporter": "staff""#), message: "A public caller may not create signals for reporter staff."),
        Forbidden(name: "public sets received_at", caller: public_, body: body(#""received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "public through the Open311 entry", caller: public_, body: body(), entry: .open311, message: "A public caller may not create signals here."),
        Forbidden(name: "kiosk claims web", caller: kiosk, body: body(#""channel": "web""#), message: "A kiosk caller may not create signals on channel web."),
        Forbidden(name: "kiosk claims counter", caller: kiosk, body: body(#""channel": "counter""#), message: "A kiosk caller may not create signals on channel counter."),
        Forbidden(name: "kiosk files for the other site", caller: kiosk, body: body(#""site": "edith-cavell""#), message: "This token is bound to site stadhuis; it may not file for site edith-cavell."),
        Forbidden(name: "kiosk sets received_at", caller: kiosk, body: body(#""received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "kiosk: role table before field rules", caller: kiosk, body: #"{"channel": "web", "kind": "rant"}"#, message: "A kiosk caller may not create signals on channel web."),
        Forbidden(name: "agent claims web", caller: agent, body: body(#""channel": "web""#), message: "An agent caller may not create signals on channel web."),
        Forbidden(name: "agent sets received_at", caller: agent, body: body(#""received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "desk claims kiosk", caller: desk, body: body(#""channel": "kiosk""#), message: "A desk caller may not create signals on channel kiosk."),
        Forbidden(name: "desk claims phone", caller: desk, body: body(#""channel": "phone""#), message: "A desk caller may not create signals on channel phone."),
        Forbidden(name: "desk files for the other site", caller: desk, body: body(#""channel": "counter", "site": "stadhuis""#), message: "This token is bound to site edith-cavell; it may not file for site stadhuis."),
        Forbidden(name: "desk reports as staff", caller: desk, body: body(#""reporter": "staff""#), message: "A desk caller may not create signals for reporter staff."),
        Forbidden(name: "desk sets received_at on a counter signal", caller: desk, body: body(#""received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "desk sets received_at, counter named", caller: desk, body: body(#""channel": "counter", "received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "staff reports as citizen", caller: staff, body: body(#""reporter": "citizen""#), message: "A staff caller may not create signals for reporter citizen."),
        Forbidden(name: "staff claims phone", caller: staff, body: body(#""channel": "phone""#), message: "A staff caller may not create signals on channel phone."),
        Forbidden(name: "staff sets received_at", caller: staff, body: body(#""received_at": "2026-05-01T08:00:00Z""#), message: onlyBackOffice),
        Forbidden(name: "open311 through the REST API", caller: open311, body: body(), message: "An open311 caller may not create signals here."),
        Forbidden(name: "open311 reports as staff", caller: open311, body: body(#""reporter": "staff""#), entry: .open311, message: "An open311 caller may not create signals for reporter staff."),
        Forbidden(name: "open311 sets received_at", caller: open311, body: body(#""received_at": "2026-05-01T08:00:00Z""#), entry: .open311, message: onlyBackOffice),
        Forbidden(name: "pbx creates nothing", caller: pbx, body: body(), message: "A pbx caller may not create signals here."),
    ]

    @Test(arguments: forbidden)
    func refusesOutsideTheRoleTable(_ example: Forbidden) {
        let result = Self.validate(example.body, example.caller, entry: example.entry)
        guard case .failure(.forbidden(let message)) = result else {
            Issue.record("expected 403, got \(result)")
            return
        }
        #expect(message == example.message)
    }

    // MARK: - Invalid (422)

    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var caller: Caller
        var body: String
        var errors: [FieldError]
        var testDescription: String { name }
    }

    static func e(_ field: String, _ message: String) -> FieldError { FieldError(field: field, message: message) }

    static let scoreNotAsked = "is only asked on the website and kiosk forms of citizens, not on channel"

    static let invalid: [Invalid] = [
        Invalid(
            name: "ten bad fields at once, in reading order",
            caller: public_,
            body: #"""
                {"kind": "rant", "category": "overlast/nope", "district": "atlantis", "lat": 100,
                 "description": "   ", "experience_score": 7,
                 "contact": {"email": "not-an-email", "language": "es"}, "colour": "red"}
                """#,
            errors: [
                e("colour", "is not a field of a signal"),
                e("kind", "must be one of report, complaint, suggestion, compliment"),
                e("category", #"unknown category "overlast/nope" (use a key from GET /api/v1/config, e.g. publieke-ruimte, publieke-ruimte/wegen-voetpaden, publieke-ruimte/straatverlichting)"#),
                e("district", #"unknown district "atlantis" (known: centrum, westerkwartier, mariakerke, stene, konterdam, zandvoorde, vuurtorenwijk, raversijde)"#),
                e("lat", "must be between -90.0 and 90.0"),
                e("lon", "is required when lat is given"),
                e("description", "must not be empty"),
                e("experience_score", "must be 1 to 5"),
                e("contact.email", "must be an e-mail address such as naam@voorbeeld.be"),
                e("contact.language", "must be one of nl, fr, en, de"),
            ]),
        Invalid(name: "empty body", caller: public_, body: "{}", errors: [e("kind", "is required"), e("category", "is required"), e("description", "is required")]),
        Invalid(name: "unknown fields, sorted", caller: public_, body: body(#""priority": 1, "colour": "red", "Kind": "report""#), errors: [e("Kind", "is not a field of a signal"), e("colour", "is not a field of a signal"), e("priority", "is not a field of a signal")]),
        Invalid(name: "coordinator without channel", caller: coordinator, body: body(), errors: [e("channel", "is required for a coordinator caller")]),
        Invalid(name: "coordinator with channel null", caller: coordinator, body: body(#""channel": null"#), errors: [e("channel", "is required for a coordinator caller")]),
        Invalid(name: "unknown channel", caller: coordinator, body: body(#""channel": "fax""#), errors: [e("channel", "must be one of web, kiosk, counter, phone, email, letter")]),
        Invalid(name: "kiosk: a channel that does not parse is 422, not 403", caller: kiosk, body: body(#""channel": "KIOSK""#), errors: [e("channel", "must be one of web, kiosk, counter, phone, email, letter")]),
        Invalid(name: "unknown reporter", caller: coordinator, body: body(#""channel": "web", "reporter": "robot""#), errors: [e("reporter", "must be one of citizen, staff")]),
        Invalid(name: "coordinator kiosk without site", caller: coordinator, body: body(#""channel": "kiosk""#), errors: [e("site", "is required for channel kiosk (one of stadhuis, edith-cavell)")]),
        Invalid(name: "coordinator counter at an unknown site", caller: coordinator, body: body(#""channel": "counter", "site": "markt""#), errors: [e("site", #"unknown site "markt" (known: stadhuis, edith-cavell)"#)]),
        Invalid(name: "public names a site", caller: public_, body: body(#""site": "stadhuis""#), errors: [e("site", "is only for channels kiosk and counter, not web")]),
        Invalid(name: "desk: a letter dated 91 days back", caller: desk, body: body(#""channel": "letter", "received_at": "2026-02-02T09:59:00Z""#), errors: [e("received_at", "must not be more than 90 days back (a desk sets the date on the letter or e-mail)")]),
        Invalid(name: "desk: an e-mail dated in the future", caller: desk, body: body(#""channel": "email", "received_at": "2026-05-05T10:00:00Z""#), errors: [e("received_at", "must not be in the future")]),
        Invalid(name: "desk names its site on an e-mail", caller: desk, body: body(#""channel": "email", "site": "edith-cavell""#), errors: [e("site", "is only for channels kiosk and counter, not email")]),
        Invalid(name: "score from staff on web", caller: staff, body: body(#""experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) web from reporter staff")]),
        Invalid(name: "score on the phone", caller: agent, body: body(#""experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) phone from reporter citizen")]),
        Invalid(name: "score at the counter", caller: desk, body: body(#""experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) counter from reporter citizen")]),
        Invalid(name: "score on an e-mail", caller: desk, body: body(#""channel": "email", "experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) email from reporter citizen")]),
        Invalid(name: "score on a letter", caller: coordinator, body: body(#""channel": "letter", "experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) letter from reporter citizen")]),
        Invalid(name: "score on a kiosk signal of staff", caller: coordinator, body: body(#""channel": "kiosk", "site": "stadhuis", "reporter": "staff", "experience_score": 3"#), errors: [e("experience_score", "\(scoreNotAsked) kiosk from reporter staff")]),
        Invalid(name: "score 0", caller: public_, body: body(#""experience_score": 0"#), errors: [e("experience_score", "must be 1 to 5")]),
        Invalid(name: "score 6", caller: kiosk, body: body(#""experience_score": 6"#), errors: [e("experience_score", "must be 1 to 5")]),
        Invalid(name: "score 2.5", caller: public_, body: body(#""experience_score": 2.5"#), errors: [e("experience_score", "must be a whole number")]),
        Invalid(name: "score as text", caller: public_, body: body(#""experience_score": "4""#), errors: [e("experience_score", "must be a whole number, not a string")]),
        Invalid(name: "score as boolean", caller: public_, body: body(#""experience_score": true"#), errors: [e("experience_score", "must be a whole number, not a boolean")]),
        Invalid(name: "received_at in the future", caller: coordinator, body: body(#""channel": "letter", "received_at": "2026-05-04T10:05:01Z""#), errors: [e("received_at", "must not be in the future")]),
        Invalid(name: "received_at as a Belgian date", caller: admin, body: body(#""channel": "letter", "received_at": "01/06/2022""#), errors: [e("received_at", "must be an RFC 3339 timestamp such as 2026-06-01T09:30:00Z")]),
        Invalid(name: "received_at as a number", caller: admin, body: body(#""channel": "letter", "received_at": 20220601"#), errors: [e("received_at", "must be a string, not a number")]),
        Invalid(name: "lat without lon", caller: public_, body: body(#""lat": 51.23"#), errors: [e("lon", "is required when lat is given")]),
        Invalid(name: "lon without lat", caller: public_, body: body(#""lon": 2.92"#), errors: [e("lat", "is required when lon is given")]),
        Invalid(name: "lon out of range", caller: public_, body: body(#""lat": 51.23, "lon": 200"#), errors: [e("lon", "must be between -180.0 and 180.0")]),
        Invalid(name: "lat as text", caller: public_, body: body(#""lat": "51.23", "lon": 2.92"#), errors: [e("lat", "must be a number, not a string")]),
        Invalid(name: "e-mail without a domain dot", caller: public_, body: body(#""contact": {"email": "an@voorbeeld"}"#), errors: [e("contact.email", "must be an e-mail address such as naam@voorbeeld.be")]),
        Invalid(name: "e-mail with two @", caller: public_, body: body(#""contact": {"email": "an@b@voorbeeld.be"}"#), errors: [e("contact.email", "must be an e-mail address such as naam@voorbeeld.be")]),
        Invalid(name: "e-mail with a space", caller: public_, body: body(#""contact": {"email": "an peeters@voorbeeld.be"}"#), errors: [e("contact.email", "must be an e-mail address such as naam@voorbeeld.be")]),
        Invalid(name: "contact language not of the city", caller: public_, body: body(#""contact": {"name": "Ana", "language": "es"}"#), errors: [e("contact.language", "must be one of nl, fr, en, de")]),
        Invalid(name: "contact phone of letters", caller: public_, body: body(#""contact": {"phone": "bel me"}"#), errors: [e("contact.phone", "must be a phone number such as 059 12 34 56 or +32 59 12 34 56")]),
        Invalid(name: "contact unknown key", caller: public_, body: body(#""contact": {"twitter": "@an"}"#), errors: [e("contact.twitter", "is not a known field")]),
        Invalid(name: "contact as text", caller: public_, body: body(#""contact": "an@voorbeeld.be""#), errors: [e("contact", "must be an object, not a string")]),
        Invalid(name: "category with an empty sub", caller: public_, body: #"{"kind": "report", "category": "overlast/", "description": "x"}"#, errors: [e("category", #"unknown category "overlast/" (use a key from GET /api/v1/config, e.g. publieke-ruimte, publieke-ruimte/wegen-voetpaden, publieke-ruimte/straatverlichting)"#)]),
        Invalid(name: "category three deep", caller: public_, body: #"{"kind": "report", "category": "overlast/zwerfvuil/blik", "description": "x"}"#, errors: [e("category", #"unknown category "overlast/zwerfvuil/blik" (use a key from GET /api/v1/config, e.g. publieke-ruimte, publieke-ruimte/wegen-voetpaden, publieke-ruimte/straatverlichting)"#)]),
        Invalid(name: "description too long", caller: public_, body: #"{"kind": "report", "category": "overlast", "description": "\#(String(repeating: "a", count: 5001))"}"#, errors: [e("description", "must be at most 5000 characters")]),
        Invalid(name: "description of one character and 20001 bytes (issue 9, item 8)", caller: public_, body: #"{"kind": "report", "category": "overlast", "description": "a\#(String(repeating: "\u{301}", count: 10_000))"}"#, errors: [e("description", "must be at most 20000 bytes")]),
        Invalid(name: "contact name of combining marks", caller: public_, body: body(#""contact": {"name": "A\#(String(repeating: "\u{301}", count: 400))"}"#), errors: [e("contact.name", "must be at most 800 bytes")]),
        Invalid(name: "description with a control character", caller: public_, body: #"{"kind": "report", "category": "overlast", "description": "bel\u0007"}"#, errors: [e("description", "must not contain control characters")]),
        Invalid(name: "consent as text", caller: public_, body: body(#""consent_forward": "ja""#), errors: [e("consent_forward", "must be true or false, not a string")]),
    ]

    @Test(arguments: invalid)
    func listsEveryBrokenField(_ example: Invalid) {
        let result = Self.validate(example.body, example.caller)
        guard case .failure(.invalid(let errors)) = result else {
            Issue.record("expected 422, got \(result)")
            return
        }
        #expect(errors == FieldErrors("signal", example.errors))
    }

    // MARK: - Holes found while testing

    /// A kiosk or counter signal always has a site (docs/interface.md §4). An empty string is no site.
    @Test(arguments: [#""site": """#, #""site": "   ""#])
    func emptySiteIsNoSite(_ site: String) {
        let result = Self.validate(Self.body(#""channel": "kiosk", "#  + site), Self.coordinator)
        guard case .failure(.invalid(let errors)) = result else {
            Issue.record("expected 422, got \(result)")
            return
        }
        #expect(errors.all == [Self.e("site", "must not be empty")])
    }

    /// A 422 must name at least one field; an empty channel left the list empty.
    @Test(arguments: [(public_, #""channel": """#), (coordinator, #""channel": " ""#)])
    func emptyChannelIsNamed(_ caller: Caller, _ channel: String) {
        let result = Self.validate(Self.body(channel), caller)
        guard case .failure(.invalid(let errors)) = result else {
            Issue.record("expected 422, got \(result)")
            return
        }
        #expect(errors.all == [Self.e("channel", "must not be empty")])
    }
}

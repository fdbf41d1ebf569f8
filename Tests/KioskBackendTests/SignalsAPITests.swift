import Domain
import Foundation
@testable import KioskBackend
import Testing

/// Create, read and list signals through `Application.respond(to:)` (docs/interface.md §4 and 6).
struct SignalsAPITests {
    static let minimal = #"{"kind": "report", "category": "overlast/zwerfvuil", "description": "Zakken afval naast de glasbol"}"#

    /// docs/interface.md §4: "at least `reference`, `kind`, `channel`, `site` (or null), `reporter`, `category`,
    /// `district`, `status`, `route`, `nature`, `received_at`".
    static let contractKeys: Set<String> = [
        "reference", "kind", "channel", "site", "reporter", "category", "district", "status", "route", "nature", "received_at",
    ]

    // MARK: - Create

    @Test func publicCreateAnswers201WithTheContractKeysAndLocation() async throws {
        let app = try TestApp()
        let response = await app.post(
            "/api/v1/signals",
            body: #"{"kind": "complaint", "category": "publieke-ruimte/straatverlichting", "district": "centrum", "description": "Lamp kapot", "experience_score": 4, "contact": {"email": "an@voorbeeld.be"}}"#)
        #expect(response.status == 201)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store", "the answer carries personal data")
        let signal = response.object()
        #expect(Self.contractKeys.isSubset(of: Set(signal.keys)), "missing: \(Self.contractKeys.subtracting(signal.keys).sorted())")
        let reference = try #require(signal["reference"]?.string)
        #expect(Reference.isWellFormed(reference))
        #expect(reference.count <= 16)
        #expect(response.header("Location") == "/api/v1/signals/\(reference)")
        #expect(signal["kind"] == .string("complaint"))
        #expect(signal["channel"] == .string("web"))
        #expect(signal["site"] == .null)
        #expect(signal["reporter"] == .string("citizen"))
        #expect(signal["category"] == .string("publieke-ruimte/straatverlichting"))
        #expect(signal["district"] == .string("centrum"))
        #expect(signal["status"] == .string("received"))
        #expect(signal["route"] == .null)
        #expect(signal["nature"] == .null)
        #expect(signal["experience_score"] == .number(4))
        #expect(signal["assisted"] == .bool(false))
        let receivedAt = try #require(signal["received_at"]?.string)
        #expect(receivedAt.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil, "\(receivedAt)")
        #expect(receivedAt == Timestamp.format(app.clock.now))
        #expect(try await app.signalCount() == 1)
    }

    struct Derived: Sendable, CustomTestStringConvertible {
        var role: Role
        var site: String?
        var body: String
        var channel: String
        var expectedSite: JSONValue
        var reporter = "citizen"
        var testDescription: String { "\(role.rawValue) \(site ?? "") → \(channel)" }
    }

    static let derived: [Derived] = [
        Derived(role: .kiosk, site: "stadhuis", body: minimal, channel: "kiosk", expectedSite: .string("stadhuis")),
        Derived(role: .desk, site: "edith-cavell", body: minimal, channel: "counter", expectedSite: .string("edith-cavell")),
        Derived(role: .agent, body: minimal, channel: "phone", expectedSite: .null),
        Derived(role: .staff, body: minimal, channel: "web", expectedSite: .null, reporter: "staff"),
    ]

    /// The channel and site come from the token: the body names neither.
    @Test(arguments: derived)
    func channelAndSiteFromTheToken(_ example: Derived) async throws {
        let app = try TestApp()
        let token = try app.token(example.role, site: example.site)
        let response = await app.post("/api/v1/signals", token: token, body: example.body)
        #expect(response.status == 201)
        let signal = response.object()
        #expect(signal["channel"] == .string(example.channel))
        #expect(signal["site"] == example.expectedSite)
        #expect(signal["reporter"] == .string(example.reporter))
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var role: Role?
        var site: String?
        var body: String
        var status: Int
        var title: String
        var detail: String
        var testDescription: String { name }
    }

    static let refused: [Refused] = [
        Refused(name: "kiosk claims web", role: .kiosk, site: "stadhuis", body: #"{"channel": "web", "kind": "report", "category": "overlast", "description": "x"}"#, status: 403, title: "Forbidden", detail: "A kiosk caller may not create signals on channel web."),
        Refused(name: "desk files for the other site", role: .desk, site: "stadhuis", body: #"{"site": "edith-cavell", "kind": "report", "category": "overlast", "description": "x"}"#, status: 403, title: "Forbidden", detail: "This token is bound to site stadhuis; it may not file for site edith-cavell."),
        Refused(name: "staff backfills", role: .staff, body: #"{"received_at": "2026-01-01T10:00:00Z", "kind": "report", "category": "overlast", "description": "x"}"#, status: 403, title: "Forbidden", detail: "Only a coordinator or admin may set received_at; a desk may set it on letter and email signals (the date on the letter)."),
        Refused(name: "pbx creates", role: .pbx, body: minimal, status: 403, title: "Forbidden", detail: "A pbx caller may not create signals here."),
        Refused(name: "malformed JSON", role: nil, body: #"{"kind": "report""#, status: 400, title: "Bad request", detail: "The body is not valid JSON: the document ends too early at byte 17."),
        Refused(name: "a JSON array", role: nil, body: "[]", status: 400, title: "Bad request", detail: "The body must be a JSON object, not an array."),
        Refused(name: "empty body", role: nil, body: "", status: 400, title: "Bad request", detail: "The body is empty; send a JSON object."),
        Refused(name: "two bad fields", role: nil, body: #"{"kind": "report", "category": "overlast", "description": "x", "experience_score": 9, "lat": 51.2}"#, status: 422, title: "Invalid signal", detail: "2 fields are invalid"),
    ]

    @Test(arguments: refused)
    func refusalsAreProblemDocuments(_ example: Refused) async throws {
        let app = try TestApp()
        let token = try example.role.map { try app.token($0, site: example.site) }
        let response = await app.post("/api/v1/signals", token: token, body: example.body)
        #expect(response.status == example.status)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = response.object()
        #expect(problem["type"] == .string("about:blank"))
        #expect(problem["title"] == .string(example.title))
        #expect(problem["status"] == .number(Double(example.status)))
        #expect(problem["detail"] == .string(example.detail))
        #expect(try await app.signalCount() == 0)
    }

    @Test func unprocessableListsEveryField() async throws {
        let app = try TestApp()
        let response = await app.post(
            "/api/v1/signals", body: #"{"kind": "report", "category": "overlast", "description": "x", "experience_score": 9, "lat": 51.2}"#)
        #expect(response.status == 422)
        #expect(response.problemErrors() == [
            FieldError(field: "lon", message: "is required when lat is given"),
            FieldError(field: "experience_score", message: "must be 1 to 5"),
        ])
    }

    @Test func invalidUTF8Is400() async throws {
        let app = try TestApp()
        let response = await app.request("POST", "/api/v1/signals", bytes: Array(#"{"kind": "report", "description": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        #expect(response.status == 400)
        #expect(response.object()["detail"] == .string("The body is not valid UTF-8: a bad byte sequence at byte 35."))
    }

    @Test func unknownTokenIs401EvenOnThePublicForm() async throws {
        let app = try TestApp()
        let response = await app.post("/api/v1/signals", token: "kb_not-a-token", body: Self.minimal)
        #expect(response.status == 401)
        #expect(response.header("WWW-Authenticate") == "Bearer")
        #expect(response.object()["detail"] == .string("The token is unknown or revoked."))
        #expect(try await app.signalCount() == 0)
    }

    @Test func revokedTokenIs401() async throws {
        let app = try TestApp()
        let token = try app.token(.kiosk, name: "kiosk-hal", site: "stadhuis")
        #expect(await app.post("/api/v1/signals", token: token, body: Self.minimal).status == 201)
        try Tokens(store: app.store).revoke("kiosk-hal")
        #expect(await app.post("/api/v1/signals", token: token, body: Self.minimal).status == 401)
        #expect(try await app.signalCount() == 1)
    }

    // MARK: - Read

    @Test func readBackByReference() async throws {
        let app = try TestApp()
        let created = await app.post("/api/v1/signals", body: Self.minimal)
        let reference = try #require(created.object()["reference"]?.string)
        let desk = try app.token(.desk, site: "stadhuis")

        let read = await app.get("/api/v1/signals/\(reference)", token: desk)
        #expect(read.status == 200)
        // The same signal, less the status key: that goes to the creator in the 201 only (docs/interface.md §12).
        var expected = created.object()
        #expect(expected.removeValue(forKey: "status_key")?.string?.count == 20)
        #expect(read.object() == expected)

        let typed = reference.lowercased().replacingOccurrences(of: "0", with: "o")
        #expect(await app.get("/api/v1/signals/\(typed)", token: desk).object()["reference"] == .string(reference))
    }

    struct ReadRefusal: Sendable, CustomTestStringConvertible {
        var role: Role?
        var site: String?
        var path: String
        var status: Int
        var detail: String
        var testDescription: String { "\(role?.rawValue ?? "no token") GET \(path) → \(status)" }
    }

    static let readRefusals: [ReadRefusal] = [
        ReadRefusal(role: nil, path: "/api/v1/signals/OP-0000-0000", status: 401, detail: "A valid bearer token is required."),
        ReadRefusal(role: .kiosk, site: "stadhuis", path: "/api/v1/signals/OP-0000-0000", status: 403, detail: "A kiosk token may not read signals."),
        ReadRefusal(role: .staff, path: "/api/v1/signals", status: 403, detail: "A staff token may not list signals."),
        ReadRefusal(role: .pbx, path: "/api/v1/signals", status: 403, detail: "A pbx token may not list signals."),
        ReadRefusal(role: .coordinator, path: "/api/v1/signals/OP-0000-0000", status: 404, detail: "No signal with reference OP-0000-0000."),
        ReadRefusal(role: .coordinator, path: "/api/v1/signals/robert'); DROP TABLE signal;--", status: 404, detail: "No signal with reference robert'); DROP TABLE signal;--."),
    ]

    @Test(arguments: readRefusals)
    func readingIsRefused(_ example: ReadRefusal) async throws {
        let app = try TestApp()
        let token = try example.role.map { try app.token($0, site: example.site) }
        let response = await app.get(example.path, token: token)
        #expect(response.status == example.status)
        #expect(response.object()["detail"] == .string(example.detail))
    }

    // MARK: - List

    /// Signals at set instants, made by a coordinator who may set `received_at`.
    static func create(
        _ app: TestApp, token: String, channel: String, at instant: String, site: String? = nil
    ) async throws -> String {
        let site = site.map { #", "site": "\#($0)""# } ?? ""
        let response = await app.post(
            "/api/v1/signals", token: token,
            body: #"{"kind": "report", "channel": "\#(channel)"\#(site), "category": "overlast", "description": "x", "received_at": "\#(instant)"}"#)
        #expect(response.status == 201, "\(response.bodyText)")
        return try #require(response.object()["reference"]?.string)
    }

    static func references(_ response: HTTPResponse) -> [String] {
        response.object()["items"]?.array?.compactMap { $0["reference"]?.string } ?? []
    }

    /// Walking the pages with `limit` and `next_cursor` visits every signal exactly once,
    /// newest first, also where several share one `received_at`.
    @Test(arguments: [1, 4, 5, 7, 23, 24])
    func pagingCoversEveryItemOnce(_ limit: Int) async throws {
        let app = try TestApp()
        let coordinator = try app.token(.coordinator)
        var made: [String: String] = [:]
        for i in 0..<23 {
            // Pairs share an instant, so ties meet page boundaries.
            let instant = String(format: "2026-03-%02dT%02d:00:00Z", 1 + i / 2, 8 + i % 3 / 2)
            made[try await Self.create(app, token: coordinator, channel: i % 3 == 0 ? "phone" : "web", at: instant)] = instant
        }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            var query = [("limit", "\(limit)")]
            if let cursor { query.append(("cursor", cursor)) }
            let page = await app.get("/api/v1/signals", query: query, token: coordinator)
            #expect(page.status == 200)
            let refs = Self.references(page)
            #expect(refs.count <= limit)
            seen += refs
            pages += 1
            switch page.object()["next_cursor"] {
            case .string(let next)?: cursor = next
            case .null?: cursor = nil
            default:
                Issue.record("next_cursor is missing")
                cursor = nil
            }
            if pages > 30 { break }
        } while cursor != nil
        #expect(seen.count == 23)
        #expect(Set(seen) == Set(made.keys))
        #expect(pages == (23 + limit - 1) / limit, "a full last page has no next_cursor")
        let instants = seen.compactMap { made[$0] }
        #expect(instants == instants.sorted(by: >), "newest first")
    }

    @Test func limitDefaultsTo50AndGoesUpTo500() async throws {
        let app = try TestApp()
        let coordinator = try app.token(.coordinator)
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<53 {
                group.addTask {
                    try await Self.create(app, token: coordinator, channel: "letter", at: String(format: "2026-02-01T10:%02d:00Z", i))
                }
            }
            for try await _ in group {}
        }
        let first = await app.get("/api/v1/signals", token: coordinator)
        #expect(Self.references(first).count == 50)
        #expect(first.object()["next_cursor"]?.string != nil)
        let all = await app.get("/api/v1/signals", query: [("limit", "500")], token: coordinator)
        #expect(Set(Self.references(all)).count == 53)
        #expect(all.object()["next_cursor"] == .null)
    }

    /// Seven signals around New Year and midsummer, two of them moved on in status.
    /// Days are Europe/Brussels days: UTC+1 in winter, UTC+2 in summer.
    static let dated: [(name: String, channel: String, site: String?, at: String)] = [
        ("A", "web", nil, "2025-12-31T22:59:59Z"),  // 31 Dec 23:59:59 local
        ("B", "phone", nil, "2025-12-31T23:00:00Z"),  // 1 Jan 00:00 local
        ("C", "letter", nil, "2026-01-01T22:59:59Z"),  // 1 Jan 23:59:59 local
        ("D", "web", nil, "2026-01-01T23:00:00Z"),  // 2 Jan 00:00 local
        ("G", "kiosk", "stadhuis", "2026-06-30T21:59:59Z"),  // 30 Jun 23:59:59 local
        ("F", "email", nil, "2026-06-30T22:00:00Z"),  // 1 Jul 00:00 local
        ("E", "counter", "edith-cavell", "2026-07-01T21:59:59Z"),  // 1 Jul 23:59:59 local
    ]
    static let statuses = ["C": "closed", "F": "in_progress"]

    struct Filtered: Sendable, CustomTestStringConvertible {
        var query: [(String, String)]
        var names: Set<String>
        var testDescription: String { query.map { "\($0)=\($1)" }.joined(separator: "&") }
    }

    static let filtered: [Filtered] = [
        Filtered(query: [], names: ["A", "B", "C", "D", "E", "F", "G"]),
        Filtered(query: [("from", "2026-01-01"), ("to", "2026-01-01")], names: ["B", "C"]),
        Filtered(query: [("to", "2025-12-31")], names: ["A"]),
        Filtered(query: [("from", "2026-01-02")], names: ["D", "E", "F", "G"]),
        Filtered(query: [("from", "2026-07-01"), ("to", "2026-07-01")], names: ["E", "F"]),
        Filtered(query: [("from", "2026-06-30"), ("to", "2026-06-30")], names: ["G"]),
        Filtered(query: [("channel", "web")], names: ["A", "D"]),
        Filtered(query: [("channel", "web,phone")], names: ["A", "B", "D"]),
        Filtered(query: [("channel", "kiosk,counter")], names: ["E", "G"]),
        Filtered(query: [("status", "closed")], names: ["C"]),
        Filtered(query: [("status", "in_progress,closed")], names: ["C", "F"]),
        Filtered(query: [("status", "received")], names: ["A", "B", "D", "E", "G"]),
        Filtered(query: [("status", "answered")], names: []),
        Filtered(query: [("channel", "web"), ("from", "2026-01-02")], names: ["D"]),
        Filtered(query: [("from", "2026-01-01"), ("to", "2026-07-01"), ("status", "received")], names: ["B", "D", "E", "G"]),
    ]

    @Test(arguments: filtered)
    func filters(_ example: Filtered) async throws {
        let app = try TestApp()
        let coordinator = try app.token(.coordinator)
        var names: [String: String] = [:]
        for s in Self.dated {
            names[try await Self.create(app, token: coordinator, channel: s.channel, at: s.at, site: s.site)] = s.name
        }
        for (reference, name) in names {
            guard let status = Self.statuses[name] else { continue }
            try await app.store.write { db in
                try db.execute(sql: "UPDATE signal SET status = ? WHERE reference = ?", arguments: [status, reference])
            }
        }
        let response = await app.get("/api/v1/signals", query: example.query, token: coordinator)
        #expect(response.status == 200)
        let found = Self.references(response).compactMap { names[$0] }
        #expect(Set(found) == example.names)
        #expect(found.count == example.names.count)
    }

    struct BadQuery: Sendable, CustomTestStringConvertible {
        var query: [(String, String)]
        var errors: [FieldError]
        var testDescription: String { query.map { "\($0)=\($1)" }.joined(separator: "&") }
    }

    static let badQueries: [BadQuery] = [
        BadQuery(query: [("limit", "0")], errors: [FieldError(field: "limit", message: "must be 1 to 500")]),
        BadQuery(query: [("limit", "501")], errors: [FieldError(field: "limit", message: "must be 1 to 500")]),
        BadQuery(query: [("limit", "ten")], errors: [FieldError(field: "limit", message: "must be 1 to 500")]),
        BadQuery(query: [("from", "2026-02-30")], errors: [FieldError(field: "from", message: "must be a day YYYY-MM-DD")]),
        BadQuery(query: [("to", "01-01-2026")], errors: [FieldError(field: "to", message: "must be a day YYYY-MM-DD")]),
        BadQuery(query: [("from", "2026-01-02"), ("to", "2026-01-01")], errors: [FieldError(field: "to", message: "must not be before from")]),
        BadQuery(query: [("channel", "fax")], errors: [FieldError(field: "channel", message: "must be one or more of web, kiosk, counter, phone, email, letter (comma-separated), not \"fax\"")]),
        BadQuery(query: [("status", "open")], errors: [FieldError(field: "status", message: "must be one or more of received, in_progress, answered, closed (comma-separated), not \"open\"")]),
        BadQuery(query: [("cursor", "nonsense")], errors: [FieldError(field: "cursor", message: "is not a cursor this service gave out")]),
        BadQuery(
            query: [("limit", "0"), ("channel", "web,fax"), ("from", "gisteren")],
            errors: [
                FieldError(field: "channel", message: "must be one or more of web, kiosk, counter, phone, email, letter (comma-separated), not \"fax\""),
                FieldError(field: "from", message: "must be a day YYYY-MM-DD"),
                FieldError(field: "limit", message: "must be 1 to 500"),
            ]),
    ]

    @Test(arguments: badQueries)
    func badQueriesAre422(_ example: BadQuery) async throws {
        let app = try TestApp()
        let response = await app.get("/api/v1/signals", query: example.query, token: try app.token(.coordinator))
        #expect(response.status == 422)
        #expect(response.object()["title"] == .string("Invalid query"))
        #expect(response.object()["detail"] == .string(example.errors.count == 1 ? "1 field is invalid" : "\(example.errors.count) fields are invalid"))
        #expect(response.problemErrors() == example.errors)
    }
}

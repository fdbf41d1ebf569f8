import Domain
import Foundation
@testable import KioskBackend
import Testing

/// Kiosk enrolment (docs/interface.md §10): a one-time code, valid 15 minutes, exchanged once for a kiosk token.
struct EnrolmentTests {
    static func code(_ app: TestApp, site: String = "stadhuis", name: String = "kiosk hal") throws -> String {
        try Enrolment(store: app.store).createCode(site: site, name: name, config: TestApp.config, now: app.clock.now)
    }

    static func exchange(_ app: TestApp, _ code: String, client: String = "192.0.2.10") async -> HTTPResponse {
        await app.post("/api/v1/kiosk/enrolment", body: #"{"code": "\#(code)"}"#, client: client)
    }

    @Test func codesAreNineCharactersWithoutLookAlikes() {
        for _ in 0..<200 {
            let code = EnrolmentCode.generate()
            #expect(code.wholeMatch(of: #/[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}/#) != nil, "\(code)")
        }
    }

    @Test(arguments: [
        ("ABCD-EFGH", "ABCDEFGH"), ("abcd efgh", "ABCDEFGH"), (" abcdefgh ", "ABCDEFGH"),
        ("ABCD-EFG", nil), ("ABCD-EFGHJ", nil), ("ABCD-EFG0", nil), ("ABCD-EFGI", nil), ("kb_abcdefgh", nil), ("", nil),
    ] as [(String, String?)])
    func typedCodesAreNormalised(typed: String, expected: String?) {
        #expect(EnrolmentCode.normalize(typed) == expected)
    }

    @Test func aCodeWorksOnceWithinFifteenMinutes() async throws {
        let app = try TestApp()
        let code = try Self.code(app)
        app.clock.advance(by: 14 * 60 + 59)
        let first = await Self.exchange(app, code.lowercased())
        #expect(first.status == 200)
        let granted = first.object()
        #expect(granted["site"] == .string("stadhuis"))
        let token = try #require(granted["token"]?.string)
        let session = await app.get("/api/v1/session", token: token).object()
        #expect(session["role"] == .string("kiosk"))
        #expect(session["site"] == .string("stadhuis"))

        let again = await Self.exchange(app, code)
        #expect(again.status == 404)
        let unknown = await Self.exchange(app, "ZZZZ-ZZZZ")
        #expect(again.object()["detail"] == unknown.object()["detail"])
        #expect(try Tokens(store: app.store).list().filter { $0.role == "kiosk" }.count == 1)
    }

    @Test func anExpiredCodeIsRefusedLikeAnUnknownOne() async throws {
        let app = try TestApp()
        let code = try Self.code(app)
        app.clock.advance(by: 15 * 60)
        let late = await Self.exchange(app, code)
        #expect(late.status == 404)
        #expect(late.object()["detail"] == .string(
            "This enrolment code is unknown, expired or already used. Make a new one with 'kiosk-backend kiosk enrol-code'."))
        #expect(try Tokens(store: app.store).list().isEmpty)
    }

    @Test func concurrentExchangesOfOneCodeMakeOneToken() async throws {
        let app = try TestApp()
        let code = try Self.code(app)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for i in 0..<8 { group.addTask { await Self.exchange(app, code, client: "192.0.2.\(i)").status } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted() == [200] + Array(repeating: 404, count: 7))
        #expect(try Tokens(store: app.store).list().count == 1)
    }

    @Test func theCodeIsCheckedAgainstTheConfig() throws {
        let app = try TestApp()
        #expect(throws: Tokens.TokenError.unknownSite("atlantis", known: ["stadhuis", "edith-cavell"])) {
            try Self.code(app, site: "atlantis")
        }
        #expect(throws: Tokens.TokenError.emptyName) { try Self.code(app, name: "  ") }
    }

    @Test func aBadBodyIsAProblemAndGuessingIsLimitedPerAddress() async throws {
        let app = try TestApp()
        #expect(await app.post("/api/v1/kiosk/enrolment", body: #"{"code": 12}"#).status == 422)
        #expect(await app.post("/api/v1/kiosk/enrolment", body: #"{"code": "ABCD-EFGH", "site": "x"}"#).status == 422)
        let text = await app.application.respond(to: HTTPRequest(
            method: "POST", path: "/api/v1/kiosk/enrolment", headers: ["Content-Type": "text/plain"],
            body: Array(#"{"code": "ABCD-EFGH"}"#.utf8), clientAddress: "192.0.2.10"))
        #expect(text.status == 415)
        // 10 attempts a minute from one address (the three above count), then 429; another address goes on.
        var statuses: [Int] = []
        for _ in 0..<8 { statuses.append(await Self.exchange(app, "ZZZZ-ZZZZ").status) }
        #expect(statuses == Array(repeating: 404, count: 7) + [429])
        #expect(await Self.exchange(app, "ZZZZ-ZZZZ", client: "192.0.2.99").status == 404)
    }
}

import Domain
import Foundation
@testable import KioskBackend
import Testing

/// Drafts (docs/interface.md §5): a kiosk saves a half-filled form, the desk of the same site
/// finishes it as a kiosk signal of the kiosk's site, marked `assisted`.
struct DraftTests {
    static let answers = #"{"kind": "complaint", "category": "dienstverlening/onthaal", "description": "Lang gewacht", "step": 3}"#
    static let submission = #"{"kind": "complaint", "category": "dienstverlening/onthaal", "description": "Lang gewacht aan het onthaal", "experience_score": 4}"#

    struct Sites {
        let app: TestApp
        let kiosk: String
        let desk: String
        let otherDesk: String
        let coordinator: String
    }

    static func sites() throws -> Sites {
        let app = try TestApp()
        return Sites(
            app: app,
            kiosk: try app.token(.kiosk, name: "Kiosk hal", site: "stadhuis"),
            desk: try app.token(.desk, name: "Balie 2", site: "stadhuis"),
            otherDesk: try app.token(.desk, name: "Balie Cavell", site: "edith-cavell"),
            coordinator: try app.token(.coordinator, name: "Mia"))
    }

    static func makeDraft(_ s: Sites, language: String = "fr") async throws -> String {
        let response = await s.app.post("/api/v1/drafts", token: s.kiosk, body: #"{"answers": \#(answers), "language": "\#(language)"}"#)
        #expect(response.status == 201)
        let code = try #require(response.object()["code"]?.string)
        #expect(code.wholeMatch(of: #/[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}/#) != nil, "\(code)")
        return code
    }

    @Test func kioskDraftFinishedByTheDeskOfItsSite() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)

        // The desk of the same site opens it, typed in lower case.
        let opened = await s.app.get("/api/v1/drafts/\(code.lowercased())", token: s.desk)
        #expect(opened.status == 200)
        let draft = opened.object()
        #expect(draft["code"] == .string(code))
        #expect(draft["site"] == .string("stadhuis"))
        #expect(draft["language"] == .string("fr"))
        #expect(draft["answers"] == .object(Fixture.object(Self.answers)))

        // The other site's desk does not learn that it exists.
        let elsewhere = await s.app.get("/api/v1/drafts/\(code)", token: s.otherDesk)
        #expect(elsewhere.status == 404)
        #expect(elsewhere.object()["detail"] == .string("No open draft with code \(code) at this site."))
        let elsewhereSubmit = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.otherDesk, body: Self.submission)
        #expect(elsewhereSubmit.status == 404)
        #expect(try await s.app.signalCount() == 0)

        // Submitted: a kiosk signal of the kiosk's site, assisted, score kept.
        let submitted = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission)
        #expect(submitted.status == 201)
        let signal = submitted.object()
        #expect(signal["channel"] == .string("kiosk"))
        #expect(signal["site"] == .string("stadhuis"))
        #expect(signal["assisted"] == .bool(true))
        #expect(signal["reporter"] == .string("citizen"))
        #expect(signal["experience_score"] == .number(4))
        let reference = try #require(signal["reference"]?.string)
        #expect(submitted.header("Location") == "/api/v1/signals/\(reference)")

        // Read back: stored as an assisted kiosk signal.
        let read = await s.app.get("/api/v1/signals/\(reference)", token: s.coordinator)
        #expect(read.object()["assisted"] == .bool(true))
        #expect(read.object()["channel"] == .string("kiosk"))

        // A second submit is refused and stores nothing; the draft is no longer open.
        let again = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission)
        #expect(again.status == 404)
        #expect(again.object()["detail"] == .string("No open draft with code \(code) at this site."))
        #expect(await s.app.get("/api/v1/drafts/\(code)", token: s.desk).status == 404)
        #expect(try await s.app.signalCount() == 1)
    }

    /// A desk that retries with its key gets the first answer; a new key on a submitted draft is a 409.
    @Test func submitRetriesAndDoubleSubmitWithKeys() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)
        let first = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission, headers: ["Idempotency-Key": "submit-1"])
        #expect(first.status == 201)
        let retry = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission, headers: ["Idempotency-Key": "submit-1"])
        #expect(retry.status == 201)
        #expect(retry.body == first.body)
        let twice = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission, headers: ["Idempotency-Key": "submit-2"])
        #expect(twice.status == 409)
        #expect(twice.object()["detail"] == .string("This draft was already submitted."))
        #expect(try await s.app.signalCount() == 1, "the second signal was rolled back with the refused draft update")
    }

    /// Submits of one draft that race each other (each with its own key) store one signal.
    @Test func racingSubmitsStoreOneSignal() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission, headers: ["Idempotency-Key": "race-\(i)"]).status
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses.sorted())")
        #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 || $0 == 404 })
        #expect(try await s.app.signalCount() == 1)
    }

    @Test func coordinatorMayFinishAnySitesDraft() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)
        let submitted = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.coordinator, body: Self.submission)
        #expect(submitted.status == 201)
        #expect(submitted.object()["site"] == .string("stadhuis"))
        #expect(submitted.object()["channel"] == .string("kiosk"))
    }

    /// The submission is checked as a kiosk signal: the desk cannot turn it into a counter signal.
    @Test func submissionCannotChangeChannelOrSite() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)
        let counter = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: #"{"channel": "counter", "kind": "report", "category": "overlast", "description": "x"}"#)
        #expect(counter.status == 403)
        let otherSite = await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: #"{"site": "edith-cavell", "kind": "report", "category": "overlast", "description": "x"}"#)
        #expect(otherSite.status == 403)
        #expect(otherSite.object()["detail"] == .string("This token is bound to site stadhuis; it may not file for site edith-cavell."))
        // Still open after the refusals.
        #expect(await s.app.get("/api/v1/drafts/\(code)", token: s.desk).status == 200)
        #expect(try await s.app.signalCount() == 0)
    }

    @Test func expiredDraftIsGone() async throws {
        let s = try Self.sites()
        let code = try await Self.makeDraft(s)
        s.app.clock.advance(by: Double(TestApp.config.kiosk.draftTTLMinutes * 60) - 5)
        #expect(await s.app.get("/api/v1/drafts/\(code)", token: s.desk).status == 200)
        s.app.clock.advance(by: 10)
        #expect(await s.app.get("/api/v1/drafts/\(code)", token: s.desk).status == 404)
        #expect(await s.app.post("/api/v1/drafts/\(code)/submit", token: s.desk, body: Self.submission).status == 404)
    }

    struct RoleRefusal: Sendable, CustomTestStringConvertible {
        var role: Role
        var site: String?
        var method: String
        var path: String
        var detail: String
        var testDescription: String { "\(role.rawValue) \(method) \(path)" }
    }

    static let roleRefusals: [RoleRefusal] = [
        RoleRefusal(role: .desk, site: "stadhuis", method: "POST", path: "/api/v1/drafts", detail: "A desk token may not save drafts."),
        RoleRefusal(role: .kiosk, site: "stadhuis", method: "GET", path: "/api/v1/drafts/ABCDEF", detail: "A kiosk token may not open drafts."),
        RoleRefusal(role: .kiosk, site: "stadhuis", method: "POST", path: "/api/v1/drafts/ABCDEF/submit", detail: "A kiosk token may not submit drafts."),
        RoleRefusal(role: .staff, method: "GET", path: "/api/v1/drafts/ABCDEF", detail: "A staff token may not open drafts."),
    ]

    @Test(arguments: roleRefusals)
    func rolesOutsideTheDraftFlowAre403(_ example: RoleRefusal) async throws {
        let app = try TestApp()
        let token = try app.token(example.role, site: example.site)
        let response = await app.request(example.method, example.path, token: token, body: example.method == "POST" ? #"{"answers": {}}"# : nil)
        #expect(response.status == 403)
        #expect(response.object()["detail"] == .string(example.detail))
    }

    @Test func draftWithoutTokenIs401() async throws {
        let app = try TestApp()
        #expect(await app.post("/api/v1/drafts", body: #"{"answers": {}}"#).status == 401)
    }

    @Test func invalidDraftListsItsFields() async throws {
        let s = try Self.sites()
        let response = await s.app.post("/api/v1/drafts", token: s.kiosk, body: #"{"answers": [], "language": "es", "extra": 1}"#)
        #expect(response.status == 422)
        #expect(response.object()["title"] == .string("Invalid draft"))
        #expect(response.problemErrors() == [
            FieldError(field: "extra", message: "is not a known field"),
            FieldError(field: "answers", message: "must be an object, not an array"),
            FieldError(field: "language", message: "must be one of nl, fr, en, de"),
        ])
    }
}

enum Fixture {
    static func object(_ text: String) -> [String: JSONValue] {
        (try? JSONValue.parse(Array(text.utf8)))?.objectValue ?? [:]
    }
}

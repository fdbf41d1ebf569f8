import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Testing

/// `Idempotency-Key` (docs/interface.md §4): a retry with the same key and body returns the first
/// answer and creates nothing new; the same key with another body is refused.
struct IdempotencyTests {
    static let body = #"{"kind": "report", "category": "overlast/zwerfvuil", "description": "Zakken afval naast de glasbol"}"#
    static let otherBody = #"{"kind": "report", "category": "overlast/graffiti", "description": "Tags op de gevel"}"#

    @Test func retryReturnsTheFirstAnswerAndStoresOneSignal() async throws {
        let app = try TestApp()
        let key = ["Idempotency-Key": "5b0c61c4-2f0e-4a4e-9d6b-3f1a7d2f9e01"]
        let first = await app.post("/api/v1/signals", body: Self.body, headers: key)
        let second = await app.post("/api/v1/signals", body: Self.body, headers: key)
        let third = await app.post("/api/v1/signals", body: Self.body, headers: key)
        #expect(first.status == 201)
        #expect(second.status == 201)
        #expect(second.body == first.body)
        #expect(third.body == first.body)
        #expect(second.header("Idempotent-Replayed") == "true")
        #expect(first.header("Idempotent-Replayed") == nil)
        #expect(try await app.signalCount() == 1)
    }

    /// "returns the first answer": the first answer told the client where the signal lives.
    @Test func retryKeepsTheLocationHeader() async throws {
        let app = try TestApp()
        let key = ["Idempotency-Key": "retry-location-1"]
        let first = await app.post("/api/v1/signals", body: Self.body, headers: key)
        let second = await app.post("/api/v1/signals", body: Self.body, headers: key)
        let location = try #require(first.header("Location"))
        #expect(second.header("Location") == location)
    }

    @Test func sameKeyWithAnotherBodyIs422() async throws {
        let app = try TestApp()
        let key = ["Idempotency-Key": "k-2026-05-04-0001"]
        #expect(await app.post("/api/v1/signals", body: Self.body, headers: key).status == 201)
        let reused = await app.post("/api/v1/signals", body: Self.otherBody, headers: key)
        #expect(reused.status == 422)
        #expect(reused.header("Content-Type") == "application/problem+json")
        let problem = reused.object()
        #expect(problem["title"] == .string("Idempotency key reused"))
        #expect(problem["detail"] == .string("1 field is invalid"))
        #expect(reused.problemErrors() == [
            FieldError(field: "Idempotency-Key", message: "was already used with a different body; use a new key for a new request")
        ])
        #expect(try await app.signalCount() == 1)
    }

    /// A refused body leaves the key unused, so the corrected retry goes through.
    @Test func keyOfARefusedBodyStaysFree() async throws {
        let app = try TestApp()
        let key = ["Idempotency-Key": "fix-and-retry"]
        let refused = await app.post("/api/v1/signals", body: #"{"kind": "report", "category": "overlast", "description": "x", "experience_score": 8}"#, headers: key)
        #expect(refused.status == 422)
        let fixed = await app.post("/api/v1/signals", body: Self.body, headers: key)
        #expect(fixed.status == 201)
        #expect(try await app.signalCount() == 1)
    }

    /// Retries that race each other still create one signal; each gets the first answer or a 409.
    @Test func concurrentRetriesCreateOneSignal() async throws {
        let app = try TestApp()
        let token = try app.token(.agent, name: "Els")
        let answers = await withTaskGroup(of: HTTPResponse.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    await app.post("/api/v1/signals", token: token, body: Self.body, headers: ["Idempotency-Key": "burst-1"])
                }
            }
            return await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0.status == 201 || $0.status == 409 }, "\(answers.map(\.status))")
        let created = answers.filter { $0.status == 201 }
        #expect(!created.isEmpty)
        #expect(Set(created.map(\.body)).count == 1, "every 201 is the first answer")
        #expect(try await app.signalCount() == 1)
    }

    /// A key belongs to the caller that used it: another token's request is not a retry.
    @Test func keysAreScopedToTheCaller() async throws {
        let app = try TestApp()
        let els = try app.token(.agent, name: "Els")
        let jan = try app.token(.agent, name: "Jan")
        let key = ["Idempotency-Key": "shared-key"]
        let a = await app.post("/api/v1/signals", token: els, body: Self.body, headers: key)
        let b = await app.post("/api/v1/signals", token: jan, body: Self.body, headers: key)
        #expect(a.status == 201)
        #expect(b.status == 201)
        #expect(a.object()["reference"] != b.object()["reference"])
        #expect(try await app.signalCount() == 2)
    }

    /// Two desks that happen to carry the same name are still two callers: keys are scoped by token id.
    @Test func sameNamedTokensAtTwoSitesDoNotShareKeys() async throws {
        let app = try TestApp()
        let stadhuis = try app.token(.desk, name: "Balie", site: "stadhuis")
        let cavell = try app.token(.desk, name: "Balie", site: "edith-cavell")
        let key = ["Idempotency-Key": "balie-0001"]
        let a = await app.post("/api/v1/signals", token: stadhuis, body: Self.body, headers: key)
        let b = await app.post("/api/v1/signals", token: cavell, body: Self.body, headers: key)
        #expect(a.object()["site"] == .string("stadhuis"))
        let count = try await app.signalCount()
        #expect(b.object()["site"] == .string("edith-cavell"))
        #expect(count == 2)
    }

    @Test(arguments: ["", " ", String(repeating: "k", count: 256), "sleutel met spaties", "clé"])
    func malformedKeyIs400(_ key: String) async throws {
        let app = try TestApp()
        let response = await app.post("/api/v1/signals", body: Self.body, headers: ["Idempotency-Key": key])
        #expect(response.status == 400)
        #expect(response.object()["detail"] == .string("Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID."))
        #expect(try await app.signalCount() == 0)
    }

    /// Answers stored before v10 had no `location` column; their Location comes from the created signal.
    @Test func answersStoredBeforeV10KeepTheirLocation() throws {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db, upTo: "v9: the reporter's postal address, for replies by post")
        let hash = Idempotency(scope: "public", key: "a", body: Array("x".utf8)).requestHash
        try db.write { db in
            for (key, status, body) in [("a", 201, #"{"reference": "OST-2026-00042", "kind": "report"}"#), ("b", 200, #"[{"service_request_id": "x"}]"#)] {
                try db.execute(
                    sql: "INSERT INTO idempotency_key (scope, key, request_hash, status, body, created_at) VALUES ('public', ?, ?, ?, ?, 0)",
                    arguments: [key, hash, status, Data(body.utf8)])
            }
        }
        try Migrations.migrator.migrate(db)
        let answers = try db.read { db in
            try ["a", "b"].map { try Idempotency(scope: "public", key: $0, body: Array("x".utf8)).firstAnswer(db) }
        }
        #expect(answers[0]?.location == "/api/v1/signals/OST-2026-00042")
        #expect(answers[0]?.status == 201)
        #expect(answers[1]?.location == nil)
    }

    @Test func aReusedKeyIsRefusedByTheStore() throws {
        let db = try DatabaseQueue()
        try Migrations.migrator.migrate(db)
        let first = Idempotency(scope: "public", key: "k", body: Array("one".utf8))
        let answer = Idempotency.Answer(status: 201, body: Array("{}".utf8), location: "/api/v1/signals/X")
        try db.write { db in try first.remember(answer, now: Date(), db: db) }
        #expect(try db.read { db in try first.firstAnswer(db) } == answer)
        let other = Idempotency(scope: "public", key: "k", body: Array("two".utf8))
        #expect(throws: Idempotency.Reused()) { try db.read { db in try other.firstAnswer(db) } }
    }
}

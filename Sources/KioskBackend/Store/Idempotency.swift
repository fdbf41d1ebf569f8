import Domain
import Crypto
import Foundation
import GRDB

/// `Idempotency-Key` handling: a retry with the same key and body gets the first
/// answer and creates nothing new. The check and the remembered answer live in the
/// same transaction as the write, so a retry can never slip between them.
struct Idempotency: Sendable {
    let scope: String
    let key: String
    let requestHash: String

    /// Keys live this long; `purge` removes older ones.
    static let lifetime: TimeInterval = 24 * 3600

    /// Reads the header; nil when absent. 400 for a key that is empty or too long.
    static func from(_ ctx: RequestContext) throws -> Idempotency? {
        guard let key = ctx.request.header("idempotency-key") else { return nil }
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        guard (1...255).contains(trimmed.utf8.count),
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7f })
        else {
            throw Problem.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.")
        }
        // Per token; the public form shares one scope, its keys being random UUIDs bound to their body.
        let scope = "\(ctx.caller.tokenId.map { "token:\($0)" } ?? "public"):\(ctx.request.path)"
        var hasher = SHA256()
        hasher.update(data: Data(ctx.request.body))
        let hash = TokenSecret.hex(hasher.finalize())
        return Idempotency(scope: scope, key: trimmed, requestHash: hash)
    }

    /// The first answer, if this key was used before with the same body; 422 if with another.
    func replay(_ db: Database) throws -> HTTPResponse? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT request_hash, status, body FROM idempotency_key WHERE scope = ? AND key = ?",
            arguments: [scope, key])
        else { return nil }
        let storedHash: String = row["request_hash"]
        guard storedHash == requestHash else {
            throw Problem.invalid(
                "Idempotency key reused",
                [.init(field: "Idempotency-Key", message: "was already used with a different body; use a new key for a new request")])
        }
        let body: Data = row["body"]
        var response = HTTPResponse(status: row["status"], body: Array(body))
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader("Idempotent-Replayed", "true")
        // The first answer's Location, rebuilt from the stored signal.
        if response.status == 201, case .object(let o)? = try? JSONValue.parse(response.body),
           let reference = o["reference"]?.stringValue {
            response.setHeader("Location", "/api/v1/signals/\(reference)")
        }
        return response
    }

    func remember(_ response: HTTPResponse, now: Date, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO idempotency_key (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [scope, key, requestHash, response.status, Data(response.body), Millis.from(now)])
    }
}

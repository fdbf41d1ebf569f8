import Foundation
import GRDB

/// The HTTP side of `Idempotency-Key` (docs/interface.md §4): the header read from a request,
/// the first answer stored and replayed as a response.
extension Idempotency {
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
        return Idempotency(scope: scope, key: trimmed, body: ctx.request.body)
    }

    /// The first answer again, marked as a replay; 422 if the key came with another body.
    func replay(_ db: Database) throws -> HTTPResponse? {
        guard let first = try firstAnswer(db) else { return nil }
        var response = HTTPResponse(status: first.status, body: first.body)
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader("Idempotent-Replayed", "true")
        if let location = first.location { response.setHeader("Location", location) }
        return response
    }

    func remember(_ response: HTTPResponse, now: Date, db: Database) throws {
        try remember(Answer(status: response.status, body: response.body, location: response.header("Location")), now: now, db: db)
    }
}

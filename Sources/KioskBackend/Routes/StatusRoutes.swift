import Domain
import Foundation

/// The reporter's status page API (docs/interface.md §12): `GET /api/v1/status/{reference}?key=KEY`,
/// no token, the secret key in the URL.
///
/// An unknown reference, a malformed key and a wrong key get one and the same 404 (status,
/// body and headers), after the same work: the signal is read whatever the input, and the
/// key is compared in constant time (``ReporterStatus/lookup(key:stored:deadlines:timeZone:)``).
/// Guessing is slowed per client address by `limits.status_per_minute`.
enum StatusRoutes {
    /// The one answer to every miss.
    static let notFound = Problem.notFound(
        "No status for this reference and key. Both are on the receipt and in the e-mail that confirmed the signal.")

    static func routes(_ env: AppEnvironment, limiter: RateLimiter) -> [Route] {
        [
            Route("GET", "/api/v1/status/{reference}", authenticated: false) { ctx in
                try checkRate(ctx, limiter)
                // Bounded before it reaches the store; a longer one cannot be a reference anyway.
                let reference = Reference.normalize(String(ctx.parameter("reference").prefix(24)))
                let key = ctx.request.queryValue("key") ?? ""
                let stored = try await env.store.read { db in try SignalQueries.find(reference: reference, db: db)?.signal }
                guard let status = ReporterStatus.lookup(
                    key: key, stored: stored, deadlines: env.config.deadlines, timeZone: env.config.timeZone)
                else { throw notFound }
                var response = HTTPResponse.json(StatusResource(status))
                // The key is in the URL: no cache keeps the page (Referrer-Policy: no-referrer is on every answer).
                response.setHeader("Cache-Control", "no-store")
                return response
            },
        ]
    }

    /// 429 with `Retry-After` once the client address has used its share of the minute.
    static func checkRate(_ ctx: RequestContext, _ limiter: RateLimiter) throws {
        if let retry = limiter.check(ctx.request.clientAddress) { throw Problem.tooManyRequests(retryAfter: retry) }
    }
}

/// `{"reference", "kind", "status", "received_at", "due_at", "answered_at", "answer"}`:
/// every key always present, `null` when empty.
struct StatusResource: Encodable {
    let status: ReporterStatus

    init(_ status: ReporterStatus) { self.status = status }

    enum CodingKeys: String, CodingKey {
        case reference, kind, status, answer
        case receivedAt = "received_at"
        case dueAt = "due_at"
        case answeredAt = "answered_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status.reference, forKey: .reference)
        try c.encode(status.kind.rawValue, forKey: .kind)
        try c.encode(status.status.rawValue, forKey: .status)
        try c.encode(Timestamp.format(status.receivedAt), forKey: .receivedAt)
        try c.encode(Timestamp.format(status.dueAt), forKey: .dueAt)
        try c.encode(status.answeredAt.map(Timestamp.format), forKey: .answeredAt)
        try c.encode(status.answer, forKey: .answer)
    }
}

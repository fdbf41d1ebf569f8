import Domain
import Foundation
import GRDB

/// `GET /status/{reference}/qr.svg?key=KEY`: the QR code of the reporter's status link
/// (docs/interface.md §12), printed on the kiosk receipt.
///
/// No token: the key is the credential. An unknown reference and a wrong key get the status
/// API's one 404, and every request counts against the status API's own limit
/// (`limits.status_per_minute` per client address), so the image cannot be used to guess keys
/// faster than the status API allows.
enum StatusQRRoutes {
    /// The one answer for an unknown reference or a wrong key: nothing tells which it was.
    static var notFound: Problem { StatusRoutes.notFound }

    static func routes(_ env: AppEnvironment, limiter: RateLimiter) -> [Route] {
        [
            Route("GET", "/status/{reference}/qr.svg", authenticated: false, personalData: true) { ctx in
                if let retry = limiter.check(ctx.request.clientAddress) {
                    throw Problem.tooManyRequests(retryAfter: retry)
                }
                let reference = Reference.normalize(ctx.parameter("reference"))
                let key = StatusKey.normalize(ctx.request.queryValue("key") ?? "")
                guard Reference.isWellFormed(reference), StatusKey.isWellFormed(key) else { throw notFound }
                let stored = try await env.store.read { db in
                    try String.fetchOne(db, sql: "SELECT status_key FROM signal WHERE reference = ?", arguments: [reference])
                }
                guard let stored, StatusKey.matches(key, stored) else { throw notFound }
                guard let code = QRCode(statusLink(env, reference: reference, key: stored)) else {
                    throw Problem.internalError
                }
                var response = HTTPResponse.text(code.svg(), contentType: "image/svg+xml; charset=utf-8")
                // The link holds the key: no cache may keep it.
                response.setHeader("Cache-Control", "no-store")
                return response
            },
        ]
    }

    /// The reporter's status link, from the environment's `linkBase`.
    static func statusLink(_ env: AppEnvironment, reference: String, key: String) -> String {
        let base = env.linkBase ?? ""
        return "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/status/\(reference)?key=\(key)"
    }
}

import Domain
import Foundation
import GRDB

/// `GET /status/{reference}/qr.svg?key=KEY`: the QR code of the reporter's status link
/// (CONTRACT 12), printed on the kiosk receipt.
///
/// No token: the key is the credential. An unknown reference and a wrong key get the same 404,
/// and every anonymous request counts against `limits.public_reads_per_minute` per client
/// address, so the image cannot be used to guess keys faster than the status API allows.
enum StatusQRRoutes {
    /// The one answer for an unknown reference or a wrong key: nothing tells which it was.
    static let notFound = Problem.notFound("No signal with this reference and status key.")

    static func routes(_ env: AppEnvironment) -> [Route] {
        let guesses = RateLimiter(perMinute: env.config.limits.publicReadsPerMinute)
        return [
            Route("GET", "/status/{reference}/qr.svg", authenticated: false, personalData: true) { ctx in
                if ctx.caller.role == nil, let retry = guesses.check(ctx.request.clientAddress) {
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

    /// The reporter's status link: `config.linkBase` (mail.public_url, else public_url), else the
    /// address the service listens on.
    static func statusLink(_ env: AppEnvironment, reference: String, key: String) -> String {
        let base = env.config.linkBase ?? env.listenURL ?? ""
        return "\(base.hasSuffix("/") ? String(base.dropLast()) : base)/status/\(reference)?key=\(key)"
    }
}

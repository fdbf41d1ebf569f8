import Domain
import Foundation

/// `GET /kiosk/desk-code/{code}/qr.svg`: the QR code of a desk code (docs/interface.md §10), printed
/// on the kiosk's help slip so that a scanner at the desk types the code into the desk's code field.
///
/// No token and no look-up: the image holds only the six characters the caller already has, so it
/// tells nothing about whether a draft exists. A code that is not six characters of the drafts'
/// alphabet gets 404, and every request counts against `limits.status_per_minute` per address.
enum DeskCodeQRRoutes {
    static func routes(_ env: AppEnvironment, limiter: RateLimiter) -> [Route] {
        [
            Route("GET", "/kiosk/desk-code/{code}/qr.svg", authenticated: false) { ctx in
                if let retry = limiter.check(ctx.request.clientAddress) {
                    throw Problem.tooManyRequests(retryAfter: retry)
                }
                let raw = ctx.parameter("code")
                let code = raw.utf8.count <= 16 ? raw.uppercased() : ""
                guard code.count == 6, code.allSatisfy({ DraftRoutes.alphabet.contains($0) }) else {
                    throw Problem.notFound("No such desk code")
                }
                guard let qr = QRCode(code) else { throw Problem.internalError }
                return HTTPResponse.text(qr.svg(), contentType: "image/svg+xml; charset=utf-8")
            },
        ]
    }
}

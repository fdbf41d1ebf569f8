import Domain
import Foundation

/// Kiosk enrolment (docs/interface.md §10): `POST /api/v1/kiosk/enrolment {"code"}` without a token
/// answers `{"token", "site"}` once for a valid code.
enum EnrolmentRoutes {
    /// Exchange attempts per minute per client address. A device enrols once; guessing needs
    /// millions of tries (see `EnrolmentCode`), so this bounds it well below any chance.
    static let attemptsPerMinute = 10

    static func routes(_ env: AppEnvironment) -> [Route] {
        let limiter = RateLimiter(perMinute: attemptsPerMinute, clock: env.now)
        return [
            // personalData: the answer holds a secret, so it is never cached.
            Route("POST", "/api/v1/kiosk/enrolment", authenticated: false, personalData: true) { ctx in
                if let retry = limiter.check(ctx.request.clientAddress) {
                    throw Problem.tooManyRequests(retryAfter: retry)
                }
                let body = try ctx.jsonObject()
                let r = JSONReader(body, subject: "enrolment")
                r.rejectUnknownKeys(["code"])
                let typed = r.string("code", required: true, maxLength: 40)
                guard r.errors.isEmpty, let typed else { throw r.errors }
                guard let granted = try await Enrolment(store: env.store).exchange(typed, config: env.config, now: env.now()) else {
                    throw Problem.notFound(
                        "This enrolment code is unknown, expired or already used. Make a new one with 'kiosk-backend kiosk enrol-code'.")
                }
                env.logger.notice("kiosk enrolled", metadata: ["kiosk.site": "\(granted.site)"])
                return .json(granted)
            },
        ]
    }
}

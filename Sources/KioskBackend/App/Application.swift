import Domain
import Foundation
import GRDB
import Logging

/// The service as one request-to-response function: routing, authentication,
/// error mapping and the headers every answer carries.
public final class Application: HTTPHandler {
    public let environment: AppEnvironment
    public let router: Router
    let rateLimiter: RateLimiter
    let originCheck: OriginCheck
    public let metrics = Metrics()

    public init(environment: AppEnvironment) {
        self.environment = environment
        let rateLimiter = RateLimiter(perMinute: environment.config.limits.publicPerMinute, clock: environment.now)
        // The reporter's status page, satisfaction question and QR code: one limit for all, against guessing.
        let statusLimiter = RateLimiter(perMinute: environment.config.limits.statusPerMinute, clock: environment.now)
        // Anonymous reads of place data (address suggestions, nearby signals, public photos).
        let publicReads = RateLimiter(perMinute: environment.config.limits.publicReadsPerMinute, clock: environment.now)
        // Groups by concern; their order does not matter, the router matches by structure.
        self.router = Router(groups: [
            // The service itself: health, public config, OpenAPI, session, metrics.
            SystemRoutes.routes(environment), MetricsRoutes.routes(environment, metrics: metrics),
            // Intake: signals from the kiosk, the desk and the web; drafts; kiosk enrolment.
            SignalRoutes.routes(environment), DraftRoutes.routes(environment), EnrolmentRoutes.routes(environment),
            // Calls: the exchange's events, the agent's calls, the calls report.
            CTIRoutes.routes(environment), CallRoutes.routes(environment), CallReportRoutes.routes(environment),
            // Back office: signals, the signals report, answers and outbound mail (issue 10).
            BackOfficeRoutes.routes(environment), WorkQueueRoutes.routes(environment), ReportRoutes.routes(environment),
            AnswerPreviewRoutes.routes(environment), MessageRoutes.routes(environment),
            // The reporter: status, feedback, QR code.
            StatusRoutes.routes(environment, limiter: statusLimiter), FeedbackRoutes.routes(environment, limiter: statusLimiter),
            StatusQRRoutes.routes(environment, limiter: statusLimiter),
            // The kiosk's help slip: the desk code as a QR code.
            DeskCodeQRRoutes.routes(environment, limiter: statusLimiter),
            Open311Routes.routes(environment, anonymousPosts: rateLimiter),
            StaticFiles.routes(environment),
            // Place and photos (issue 12): address suggestions, nearby signals, photos.
            PlaceRoutes.routes(environment, publicReads: publicReads),
            PhotoRoutes.routes(environment, processor: PhotoProcessor(), publicReads: publicReads),
        ])
        self.rateLimiter = rateLimiter
        self.originCheck = OriginCheck(config: environment.config)
    }

    public func bodyLimit(method: String, path: String) -> Int {
        guard case .found(let route, _) = router.match(method: method, path: path) else { return 0 }
        if let limit = route.bodyLimit { return limit }
        return ["POST", "PUT", "PATCH"].contains(route.method) ? environment.config.limits.maxBodyBytes : 0
    }

    public func refusal(_ request: HTTPRequest, status: Int, title: String, detail: String) -> HTTPResponse {
        var response = Problem(status: status, title: title, detail: detail).response
        Self.addCommonHeaders(&response, personal: false, request: request, config: environment.config)
        metrics.record(method: request.method, route: "(refused)", status: status, duration: .zero)
        return response
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        var request = request
        // Behind a trusted reverse proxy the client is the one it names; nobody else's word counts.
        request.clientAddress = environment.config.trustedProxies.client(
            peer: request.clientAddress, forwardedFor: request.header("x-forwarded-for"))
        var (response, pattern, personal) = await route(request)
        Self.addCommonHeaders(&response, personal: personal, request: request, config: environment.config)
        let elapsed = ContinuousClock.now - started
        metrics.record(method: request.method, route: pattern, status: response.status, duration: elapsed)
        // Only the route's pattern is logged: paths can hold a reference or a token.
        environment.logger.info(
            "request",
            metadata: [
                "http.method": "\(request.method)", "http.route": "\(pattern)",
                "http.status": "\(response.status)",
                "http.ms": "\(elapsed.components.attoseconds / 1_000_000_000_000_000 + elapsed.components.seconds * 1000)",
            ])
        return response
    }

    private func route(_ request: HTTPRequest) async -> (HTTPResponse, String, Bool) {
        if request.method == "OPTIONS" {
            return (HTTPResponse(status: 204, headers: [("Allow", "GET, POST, PATCH, OPTIONS")]), "OPTIONS", false)
        }
        let match = router.match(method: request.method, path: request.path)
        let route: Route
        let parameters: [String: String]
        switch match {
        case .notFound:
            return (Problem.notFound().response, "(none)", false)
        case .methodNotAllowed(let allowed):
            return (Problem.methodNotAllowed(allowed).response, "(none)", false)
        case .found(let r, let p):
            route = r
            parameters = p
        }
        do {
            let caller = try authenticate(request, route: route, parameters: parameters)
            // Cross-site: another site's page cannot send a token, so token-less writes must come from our origins.
            if caller.role == nil, !["GET", "HEAD"].contains(request.method) { try originCheck.check(request) }
            // A route that limits itself (Open311: its api_key is in the form body) is passed by.
            if caller.role == nil, route.method == "POST", !route.limitsItself,
               let retry = rateLimiter.check(request.clientAddress) {
                throw Problem.tooManyRequests(retryAfter: retry)
            }
            let context = RequestContext(request: request, parameters: parameters, caller: caller)
            return (try await route.handler(context), route.pattern, route.personalData)
        } catch let error as any HTTPError {
            return (error.problem.response, route.pattern, false)
        } catch {
            // The error's type and SQLite code only: a message could quote personal data.
            environment.logger.error(
                "unexpected error",
                metadata: [
                    "http.route": "\(route.pattern)", "error.type": "\(type(of: error))",
                    "db.code": "\((error as? DatabaseError).map { "\($0.resultCode)" } ?? "-")",
                ])
            if let dbError = error as? DatabaseError, dbError.resultCode == .SQLITE_BUSY || dbError.resultCode == .SQLITE_FULL {
                return (Problem.unavailable("The database is busy or full; nothing was stored. Try again.").response, route.pattern, false)
            }
            return (Problem.internalError.response, route.pattern, false)
        }
    }

    /// The caller behind the request. A token that is present but unknown is a 401
    /// even on public routes, so a misconfigured kiosk is noticed rather than filing as `web`.
    private func authenticate(_ request: HTTPRequest, route: Route, parameters: [String: String]) throws -> Caller {
        let secret = request.bearerToken ?? route.pathToken(parameters)
        guard let secret else {
            if route.authenticated { throw Problem.unauthorized() }
            return .anonymous
        }
        guard let found = try environment.tokens.caller(for: secret) else {
            throw Problem.unauthorized("The token is unknown or revoked.")
        }
        return found.caller
    }

    /// The map tiles' origin for `img-src` (` https://*.tile.example.be`), empty without a map:
    /// a Leaflet `{s}` subdomain becomes a wildcard.
    static func tileSource(_ config: CityConfig) -> String {
        guard let url = config.map?.tileURL,
              let schemeEnd = url.range(of: "://")
        else { return "" }
        let rest = url[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" }.replacingOccurrences(of: "{s}", with: "*")
        guard !host.isEmpty, !host.contains(where: { $0 == "{" || $0 == ";" || $0 == " " }) else { return "" }
        return " " + url[..<schemeEnd.upperBound] + host
    }

    static func addCommonHeaders(_ response: inout HTTPResponse, personal: Bool, request: HTTPRequest, config: CityConfig) {
        response.setHeader("X-Content-Type-Options", "nosniff")
        response.setHeader("Referrer-Policy", "no-referrer")
        response.setHeader("X-Frame-Options", "DENY")
        response.setHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:\(tileSource(config)); style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        )
        if response.header("Cache-Control") == nil {
            response.setHeader("Cache-Control", personal || response.status >= 400 ? "no-store" : "no-cache")
        }
        if let origin = request.header("origin"), config.corsOrigins.contains(origin) {
            response.setHeader("Access-Control-Allow-Origin", origin)
            response.setHeader("Vary", "Origin")
            response.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization, Idempotency-Key")
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, OPTIONS")
        }
    }
}

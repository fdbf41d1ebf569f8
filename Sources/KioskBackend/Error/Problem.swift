import Domain

/// An RFC 9457 problem document (docs/interface.md §6), the one shape every error answer takes.
public struct Problem: Error, Encodable, Sendable {
    public var type: String = "about:blank"
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [FieldError]?
    /// Extra headers such as `Allow` or `Retry-After`.
    public var headers: [(String, String)] = []

    public init(status: Int, title: String, detail: String, errors: [FieldError]? = nil, headers: [(String, String)] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, errors }

    public var response: HTTPResponse {
        var r = HTTPResponse.json(self, status: status)
        r.setHeader("Content-Type", "application/problem+json")
        for (k, v) in headers { r.setHeader(k, v) }
        return r
    }

    // The words users read are produced here, in one place.

    public static func badRequest(_ detail: String) -> Problem {
        Problem(status: 400, title: "Bad request", detail: detail)
    }

    public static func unauthorized(_ detail: String = "A valid bearer token is required.") -> Problem {
        Problem(status: 401, title: "Unauthorized", detail: detail, headers: [("WWW-Authenticate", "Bearer")])
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(status: 403, title: "Forbidden", detail: detail)
    }

    public static func notFound(_ detail: String = "There is nothing at this address.") -> Problem {
        Problem(status: 404, title: "Not found", detail: detail)
    }

    public static func methodNotAllowed(_ allowed: [String]) -> Problem {
        Problem(
            status: 405, title: "Method not allowed",
            detail: "This address answers \(allowed.joined(separator: ", ")).",
            headers: [("Allow", allowed.joined(separator: ", "))])
    }

    public static func conflict(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(status: 409, title: "Conflict", detail: detail, errors: errors)
    }

    public static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(status: 415, title: "Unsupported media type", detail: detail)
    }

    public static func tooManyRequests(retryAfter: Int) -> Problem {
        Problem(
            status: 429, title: "Too many requests",
            detail: "Too many requests from this address; try again in \(retryAfter) seconds.",
            headers: [("Retry-After", "\(retryAfter)")])
    }

    public static let internalError = Problem(
        status: 500, title: "Internal error", detail: "Something went wrong on our side. The request was not completed.")

    public static func unavailable(_ detail: String) -> Problem {
        Problem(status: 503, title: "Service unavailable", detail: detail, headers: [("Retry-After", "1")])
    }
}

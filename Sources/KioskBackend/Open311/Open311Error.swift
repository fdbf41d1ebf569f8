/// An error answer in the standard's shape: a list of `code`/`description` pairs,
/// `[{"code": 400, "description": "…"}]` or `<errors><error><code>…`.
///
/// The HTTP status follows the standard's "Errors" section: 404 for what does not
/// exist (a service, a request, a jurisdiction), 403 for a missing or wrong
/// `api_key`, 400 for any other request that cannot be fulfilled. Never a 5xx for
/// bad input. The words clients read are produced here, in one place.
struct Open311Error: Error, Sendable {
    var status: Int
    var descriptions: [String]
    /// Headers such as `Retry-After` (429).
    var headers: [(String, String)] = []

    init(_ status: Int, _ descriptions: [String]) {
        self.status = status
        self.descriptions = descriptions
    }

    init(_ status: Int, _ description: String) {
        self.init(status, [description])
    }

    func response(_ format: Open311Format) -> HTTPResponse {
        let items = descriptions.map { Open311Node.record([("code", .integer(status)), ("description", .text($0))]) }
        var response = format.response(root: "errors", .list(item: "error", items), status: status)
        for (k, v) in headers { response.setHeader(k, v) }
        return response
    }

    // MARK: The words

    static let missingAPIKey = Open311Error(403, "api_key is required to create a service request.")
    static let invalidAPIKey = Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")

    static func wrongRole(_ role: String) -> Open311Error {
        Open311Error(403, "This api_key belongs to a \(role) token; only an open311 key may create service requests here.")
    }

    static func unknownJurisdiction(_ id: String, known: [String]) -> Open311Error {
        Open311Error(404, "jurisdiction_id \"\(id.prefix(80))\" was not found; this endpoint serves only \(known.joined(separator: ", also written ")).")
    }

    /// An anonymous client read too often, or a partner's `api_key` (or a client without a valid one) posted too often.
    static func tooManyRequests(retryAfter: Int, partner: Bool) -> Open311Error {
        let whose = partner ? "this api_key" : "this client address"
        var error = Open311Error(429, "Too many requests from \(whose); try again in \(retryAfter) seconds.")
        error.headers = [("Retry-After", "\(retryAfter)")]
        return error
    }

    static let missingServiceCode = Open311Error(400, "service_code was not provided.")

    static func unknownService(_ code: String) -> Open311Error {
        Open311Error(404, "service_code \"\(code.prefix(80))\" was not found; see services.json for the list.")
    }

    static func unknownRequest(_ id: String) -> Open311Error {
        Open311Error(404, "service_request_id \"\(id.prefix(40))\" was not found.")
    }

    static func unknownToken(_ token: String) -> Open311Error {
        Open311Error(404, "token \"\(token.prefix(40))\" was not found.")
    }

    static func unknownFormat(_ file: String) -> Open311Error {
        Open311Error(404, "\"\(file.prefix(80))\" is not a resource here: end the name in .json or .xml.")
    }

    static func badBody(_ why: String) -> Open311Error {
        Open311Error(400, why)
    }
}

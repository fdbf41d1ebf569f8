import Foundation

/// One HTTP request, copied out of libmicrohttpd into Swift values.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, as libmicrohttpd gives it.
    public var path: String
    /// Query arguments in arrival order; a key may repeat (`user[]=a&user[]=b`).
    public var query: [(String, String)]
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The peer's address, for per-client rate limits. Never logged with personal data.
    public var clientAddress: String

    public init(
        method: String, path: String, query: [(String, String)] = [], headers: [String: String] = [:],
        body: [UInt8] = [], clientAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
        self.clientAddress = clientAddress
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The first value of a query argument.
    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// The bearer token from `Authorization: Bearer …`, if any.
    public var bearerToken: String? {
        guard let auth = header("authorization") else { return nil }
        let parts = auth.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}

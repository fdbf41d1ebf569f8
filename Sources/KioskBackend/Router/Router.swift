import Domain
import Foundation
import Logging

/// What a route handler gets: the request, its path parameters and the authenticated caller.
public struct RequestContext: Sendable {
    public var request: HTTPRequest
    public var parameters: [String: String]
    public var caller: Caller

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }
}

/// One route: a method and a path pattern such as `/api/v1/signals/{reference}`.
public struct Route: Sendable {
    public var method: String
    public var pattern: String
    /// Whether the route needs a valid bearer token (401 otherwise).
    public var authenticated: Bool
    /// Whether the answer may carry personal data (`Cache-Control: no-store`).
    public var personalData: Bool
    /// The largest body the route takes, in bytes; nil: the config's `limits.max_body_bytes`
    /// for POST, PUT and PATCH, none for other methods.
    public var bodyLimit: Int?
    public var handler: @Sendable (RequestContext) async throws -> HTTPResponse

    let segments: [Substring]

    public init(
        _ method: String, _ pattern: String, authenticated: Bool = true, personalData: Bool = true,
        bodyLimit: Int? = nil, handler: @escaping @Sendable (RequestContext) async throws -> HTTPResponse
    ) {
        self.method = method
        self.pattern = pattern
        self.authenticated = authenticated
        self.personalData = personalData
        self.bodyLimit = bodyLimit
        self.handler = handler
        self.segments = pattern.split(separator: "/", omittingEmptySubsequences: false)
    }

    func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (p, s) in zip(segments, pathSegments) {
            if p.hasPrefix("{") && p.hasSuffix("}") {
                guard !s.isEmpty else { return nil }
                parameters[String(p.dropFirst().dropLast())] = String(s)
            } else if p != s {
                return nil
            }
        }
        return parameters
    }
}

/// Finds the route for a request; answers 404 or 405 itself.
public struct Router: Sendable {
    public private(set) var routes: [Route] = []

    public init() {}

    public mutating func add(_ route: Route) {
        routes.append(route)
    }

    public mutating func add(contentsOf more: [Route]) {
        routes.append(contentsOf: more)
    }

    public enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    public func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route, parameters)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }
}

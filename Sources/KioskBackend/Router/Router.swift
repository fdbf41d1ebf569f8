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

/// One route: a method and a path pattern such as `/api/v1/signals/{reference}`
/// (`RoutePattern` says what a pattern may hold). The pattern is also the route's name
/// in metrics and logs.
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
    /// Whether the route applies its own rate limit (Open311, whose `api_key` is in the body),
    /// so the anonymous per-address limit on writes passes it by.
    public var limitsItself: Bool
    public var handler: @Sendable (RequestContext) async throws -> HTTPResponse

    let segments: [RoutePattern.Segment]

    public init(
        _ method: String, _ pattern: String, authenticated: Bool = true, personalData: Bool = true,
        bodyLimit: Int? = nil, limitsItself: Bool = false, handler: @escaping @Sendable (RequestContext) async throws -> HTTPResponse
    ) {
        self.method = method
        self.pattern = pattern
        self.authenticated = authenticated
        self.personalData = personalData
        self.bodyLimit = bodyLimit
        self.limitsItself = limitsItself
        self.handler = handler
        self.segments = RoutePattern.parse(pattern)
    }

    /// Exchanges often cannot set headers, so the CTI route carries its token in the path
    /// as a whole segment `{token}`.
    func pathToken(_ parameters: [String: String]) -> String? {
        segments.contains(.capture("token")) ? parameters["token"] : nil
    }
}

/// Finds the route for a request by the structure of its path, not by the order routes
/// were added; answers 404 or 405 itself.
///
/// Routes live in a trie of path segments. At each segment a literal beats a name with an
/// extension (`{code}.{format}`), which beats a whole-segment capture (`{id}`), which beats a
/// trailing wildcard (`{path...}`). When the best match has no route for the method, the
/// next best is tried, so a literal route never hides another method of a capture beside it;
/// each trie node is visited at most once, so a match costs time linear in the path's length.
/// A 405's `Allow` lists the methods of every route the path matches, best match first (as the
/// first-match list did, so `GET` can appear twice where a literal sits beside a capture).
/// `HEAD` is answered by a `GET` route. Paths are matched as they arrive (no percent-decoding).
public struct Router: Sendable {
    public private(set) var routes: [Route] = []
    private var root = Node()

    public init() {}

    /// A router with the routes of each group, a group being one concern's file of routes.
    public init(groups: [[Route]]) {
        groups.joined().forEach { add($0) }
    }

    public mutating func add(_ route: Route) {
        routes.append(route)
        root.insert(route, at: route.segments[...])
    }

    public enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    public func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var search = Search(method: method)
        if let route = root.find(segments[...], &search) {
            return .found(route, Dictionary(search.parameters, uniquingKeysWith: { _, last in last }))
        }
        return search.allowed.isEmpty ? .notFound : .methodNotAllowed(search.allowed)
    }

    /// The state of one match: the method sought, the captures on the current path through
    /// the trie, and the methods of the nodes that matched the path but not the method.
    struct Search {
        let method: String
        var parameters: [(String, String)] = []
        var allowed: [String] = []

        mutating func pick(_ routes: [Route]) -> Route? {
            if let route = routes.first(where: { $0.method == method || (method == "HEAD" && $0.method == "GET") }) {
                return route
            }
            // Each method once, in the order met: two nodes may both answer GET.
            for method in routes.map(\.method) where !allowed.contains(method) { allowed.append(method) }
            return nil
        }
    }

    struct Node: Sendable {
        var routes: [Route] = []
        var literals: [Substring: Node] = [:]
        var named: [(name: String, ext: String, node: Node)] = []
        var captures: [(name: String, node: Node)] = []
        var wildcard: (name: String, routes: [Route])?

        mutating func insert(_ route: Route, at segments: ArraySlice<RoutePattern.Segment>) {
            guard let first = segments.first else {
                routes.append(route)
                return
            }
            let rest = segments.dropFirst()
            switch first {
            case .literal(let text):
                literals[text, default: Node()].insert(route, at: rest)
            case .named(let name, let ext):
                if let i = named.firstIndex(where: { $0.name == name && $0.ext == ext }) {
                    named[i].node.insert(route, at: rest)
                } else {
                    var node = Node()
                    node.insert(route, at: rest)
                    named.append((name, ext, node))
                }
            case .capture(let name):
                if let i = captures.firstIndex(where: { $0.name == name }) {
                    captures[i].node.insert(route, at: rest)
                } else {
                    var node = Node()
                    node.insert(route, at: rest)
                    captures.append((name, node))
                }
            case .wildcard(let name):
                precondition(rest.isEmpty, "\(route.pattern): a wildcard ends the pattern")
                precondition(wildcard == nil || wildcard?.name == name, "\(route.pattern): two wildcard names at one place")
                wildcard = (name, (wildcard?.routes ?? []) + [route])
            }
        }

        func find(_ path: ArraySlice<Substring>, _ search: inout Search) -> Route? {
            guard let segment = path.first else { return search.pick(routes) }
            let rest = path.dropFirst()
            if let route = literals[segment]?.find(rest, &search) { return route }
            if !segment.isEmpty {
                for (name, ext, node) in named {
                    let mark = search.parameters.count
                    if let dot = segment.lastIndex(of: ".") {
                        search.parameters += [(name, String(segment[..<dot])), (ext, String(segment[segment.index(after: dot)...]))]
                    } else {
                        search.parameters.append((name, String(segment)))
                    }
                    if let route = node.find(rest, &search) { return route }
                    search.parameters.removeSubrange(mark...)
                }
                for (name, node) in captures {
                    search.parameters.append((name, String(segment)))
                    if let route = node.find(rest, &search) { return route }
                    search.parameters.removeLast()
                }
            }
            if let (name, routes) = wildcard, !path.contains(where: \.isEmpty) {
                search.parameters.append((name, path.joined(separator: "/")))
                if let route = search.pick(routes) { return route }
                search.parameters.removeLast()
            }
            return nil
        }
    }
}

/// What a route pattern may hold, segment by segment (between slashes):
/// - a literal, matched exactly (`signals`, `qr.svg`, and the empty segment of a leading `/`);
/// - `{name}`: any non-empty segment;
/// - `{name}.{ext}`: any non-empty segment, split at its last dot, so `overlast.zwerfvuil.json`
///   gives name `overlast.zwerfvuil` and ext `json`; a segment without a dot is all name and
///   has no ext (the handler tells the caller to add one);
/// - `{name...}`, last: one or more non-empty segments, joined by `/`.
public enum RoutePattern {
    enum Segment: Equatable {
        case literal(Substring)
        case capture(String)
        case named(String, ext: String)
        case wildcard(String)
    }

    static func parse(_ pattern: String) -> [Segment] {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { part in
            guard part.hasPrefix("{"), part.hasSuffix("}") else { return .literal(part) }
            let inner = part.dropFirst().dropLast()
            if inner.hasSuffix("...") { return .wildcard(String(inner.dropLast(3))) }
            if let split = inner.firstRange(of: "}.{") {
                return .named(String(inner[..<split.lowerBound]), ext: String(inner[split.upperBound...]))
            }
            return .capture(String(inner))
        }
    }
}

import Domain
import Foundation

/// Refuses cross-site requests without a token (issue 9): a page elsewhere can make its
/// visitors' browsers POST to the service, but it cannot choose the `Origin` they send.
///
/// Allowed `Origin` values: the origin of `public_url`, each of `cors_origins`, and the
/// address the browser actually connected to when that is an IP address or `localhost`
/// (`Origin` equal to the `Host` header). A request without `Origin` (curl, a server, an
/// Open311 partner) is not a browser's cross-site request and goes ahead.
///
/// Why not every `Host`: a browser sends the `Host` it resolved, so with DNS rebinding an
/// attacker's own name (`evil.example`, pointed at this service) arrives with a matching
/// `Origin` and `Host`. Names therefore count only when configured (`public_url`,
/// `cors_origins`); an IP literal or `localhost` cannot be rebound, so it stands for the
/// address the service listens on. Behind a reverse proxy under a name, set `public_url`.
struct OriginCheck: Sendable {
    /// Normalised origins that are always allowed.
    let allowed: Set<String>

    init(config: CityConfig) {
        var allowed = Set(config.corsOrigins.compactMap(Self.normalize))
        if let publicURL = config.publicURL, let origin = Self.normalize(publicURL) { allowed.insert(origin) }
        self.allowed = allowed
    }

    /// Throws 403 for a request whose `Origin` is not one of the service's own.
    func check(_ request: HTTPRequest) throws {
        guard let origin = request.header("origin") else { return }
        if isAllowed(origin: origin, host: request.header("host")) { return }
        throw Problem.forbidden(
            "A request without a token is taken only from this service's own pages (public_url) and the config's cors_origins; this one came from another site."
        )
    }

    func isAllowed(origin: String, host: String?) -> Bool {
        guard let origin = Self.normalize(origin) else { return false }
        if allowed.contains(origin) { return true }
        guard let host, let components = URLComponents(string: origin), let scheme = components.scheme,
              let own = Self.normalize("\(scheme)://\(host)"), own == origin,
              let name = components.host
        else { return false }
        return Self.isLiteralAddress(name)
    }

    /// `scheme://host[:port]` in lower case, without a default port or a path; nil for
    /// anything that is not an http(s) origin (`null` included).
    static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let c = URLComponents(string: trimmed), let scheme = c.scheme, scheme == "http" || scheme == "https",
              let host = c.host, !host.isEmpty, c.user == nil, c.password == nil, c.query == nil, c.fragment == nil,
              c.path.isEmpty || c.path == "/"
        else { return nil }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let port = c.port.flatMap { ($0 == 80 && scheme == "http") || ($0 == 443 && scheme == "https") ? nil : $0 }
        return "\(scheme)://\(shownHost)" + (port.map { ":\($0)" } ?? "")
    }

    /// An IPv4 or IPv6 literal, or `localhost`: names no DNS answer can point elsewhere.
    static func isLiteralAddress(_ host: String) -> Bool {
        if host == "localhost" { return true }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }
}

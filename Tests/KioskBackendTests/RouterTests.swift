@testable import KioskBackend
import Testing

/// The router matches by structure: literal, then `{name}.{ext}`, then `{name}`, then `{path...}`.
struct RouterTests {
    /// Routes added in an order that would be wrong for a first-match list.
    static let router: Router = {
        var router = Router()
        for (method, pattern) in [
            ("GET", "/assets/{path...}"),
            ("GET", "/calls/{id}"), ("PATCH", "/calls/{id}"), ("GET", "/calls/callbacks"),
            ("GET", "/calls/{id}/signal"),
            ("GET", "/services/{code}.{format}"), ("GET", "/services.json"),
            ("GET", "/status/{reference}/qr.svg"), ("GET", "/status/{reference}"),
            ("POST", "/cti/{token}"),
            ("GET", "/"), ("GET", "/kiosk"), ("GET", "/kiosk/enroll"),
            ("GET", "/files/{name}.{ext}"), ("GET", "/files/{name}"),
        ] {
            router.add(Route(method, pattern) { _ in HTTPResponse(status: 200) })
        }
        return router
    }()

    enum Outcome: Equatable, CustomStringConvertible {
        case found(String, [String: String])
        case notAllowed(String)
        case notFound

        var description: String {
            switch self {
            case .found(let pattern, let parameters): "\(pattern) \(parameters.sorted { $0.key < $1.key })"
            case .notAllowed(let allow): "405 Allow: \(allow)"
            case .notFound: "404"
            }
        }
    }

    static func outcome(_ method: String, _ path: String) -> Outcome {
        switch router.match(method: method, path: path) {
        case .found(let route, let parameters): .found(route.pattern, parameters)
        case .methodNotAllowed(let allowed): .notAllowed(allowed.joined(separator: ", "))
        case .notFound: .notFound
        }
    }

    @Test(arguments: [
        // A literal beats a capture, whatever the order routes were added in.
        ("GET", "/calls/callbacks", Outcome.found("/calls/callbacks", [:])),
        ("GET", "/calls/42", .found("/calls/{id}", ["id": "42"])),
        ("HEAD", "/calls/42", .found("/calls/{id}", ["id": "42"])),
        // The literal has no PATCH: the capture beside it answers, as a first-match list did.
        ("PATCH", "/calls/callbacks", .found("/calls/{id}", ["id": "callbacks"])),
        ("DELETE", "/calls/callbacks", .notAllowed("GET, PATCH")),
        ("DELETE", "/calls/42", .notAllowed("GET, PATCH")),
        ("GET", "/calls/42/signal", .found("/calls/{id}/signal", ["id": "42"])),
        ("GET", "/status/OP-1/qr.svg", .found("/status/{reference}/qr.svg", ["reference": "OP-1"])),
        ("GET", "/status/OP-1", .found("/status/{reference}", ["reference": "OP-1"])),
        ("POST", "/status/OP-1", .notAllowed("GET")),
        // Wildcard: one or more non-empty segments, any depth.
        ("GET", "/assets/app.js", .found("/assets/{path...}", ["path": "app.js"])),
        ("GET", "/assets/i18n/nl/kiosk.json", .found("/assets/{path...}", ["path": "i18n/nl/kiosk.json"])),
        ("GET", "/assets/a/b/c/d/e/f.css", .found("/assets/{path...}", ["path": "a/b/c/d/e/f.css"])),
        ("GET", "/assets/../config/ostend.json", .found("/assets/{path...}", ["path": "../config/ostend.json"])),
        ("POST", "/assets/app.js", .notAllowed("GET")),
        ("GET", "/assets", .notFound),
        ("GET", "/assets/", .notFound),
        ("GET", "/assets//app.js", .notFound),
        ("GET", "/assets/js/", .notFound),
        // A name with an extension, split at the last dot; a literal beside it wins.
        ("GET", "/services/overlast.zwerfvuil.json", .found("/services/{code}.{format}", ["code": "overlast.zwerfvuil", "format": "json"])),
        ("GET", "/services/overlast.XML", .found("/services/{code}.{format}", ["code": "overlast", "format": "XML"])),
        ("GET", "/services/overlast", .found("/services/{code}.{format}", ["code": "overlast"])),
        ("GET", "/services/overlast.", .found("/services/{code}.{format}", ["code": "overlast", "format": ""])),
        ("GET", "/services/.json", .found("/services/{code}.{format}", ["code": "", "format": "json"])),
        ("GET", "/services.json", .found("/services.json", [:])),
        ("GET", "/services.xml", .notFound),
        ("GET", "/services/", .notFound),
        ("GET", "/files/a.b", .found("/files/{name}.{ext}", ["name": "a", "ext": "b"])),
        // Percent-encoding is left as it came.
        ("GET", "/calls/a%2Fb", .found("/calls/{id}", ["id": "a%2Fb"])),
        ("GET", "/assets/a%20b.css", .found("/assets/{path...}", ["path": "a%20b.css"])),
        ("POST", "/cti/s3cr%2Et", .found("/cti/{token}", ["token": "s3cr%2Et"])),
        // Empty segments match no capture, and only an empty literal.
        ("GET", "/", .found("/", [:])),
        ("GET", "", .notFound),
        ("GET", "//", .notFound),
        ("GET", "/kiosk", .found("/kiosk", [:])),
        ("GET", "/kiosk/", .notFound),
        ("GET", "//kiosk", .notFound),
        ("GET", "/kiosk/enroll", .found("/kiosk/enroll", [:])),
        ("GET", "/calls//signal", .notFound),
        ("GET", "/calls/", .notFound),
        ("GET", "/nowhere", .notFound),
        ("GET", "/calls/42/signal/more", .notFound),
    ])
    func matches(method: String, path: String, expected: Outcome) {
        #expect(Self.outcome(method, path) == expected, "\(method) \(path)")
    }

    @Test func theCTITokenComesFromItsWholeSegmentOnly() throws {
        guard case .found(let cti, let parameters) = Self.router.match(method: "POST", path: "/cti/abc") else {
            Issue.record("no CTI route")
            return
        }
        #expect(cti.pathToken(parameters) == "abc")
        let open311 = Route("GET", "/tokens/{token}.{format}") { _ in HTTPResponse(status: 200) }
        #expect(open311.pathToken(["token": "abc", "format": "json"]) == nil)
    }

    @Test(arguments: [
        ("/a/{b}/c.d", [RoutePattern.Segment.literal(""), .literal("a"), .capture("b"), .literal("c.d")]),
        ("/x/{name}.{ext}", [.literal(""), .literal("x"), .named("name", ext: "ext")]),
        ("/x/{rest...}", [.literal(""), .literal("x"), .wildcard("rest")]),
    ])
    func patternsParse(pattern: String, segments: [RoutePattern.Segment]) {
        #expect(RoutePattern.parse(pattern) == segments)
    }
}

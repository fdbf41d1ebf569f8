import Domain
import Foundation
@testable import KioskBackend
import Testing

/// The served `/openapi.json` and the router agree, route for route, both ways.
struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// OpenAPI has no wildcard: the router's `/assets/{path...}` is documented as `/assets/{path}`.
    static func documentedPattern(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "...}", with: "}")
    }

    struct Served {
        let app: TestApp
        let document: [String: JSONValue]
        let paths: [String: JSONValue]
    }

    static func served() async throws -> Served {
        let app = try TestApp()
        let response = await app.get("/openapi.json")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        let document = response.object()
        let paths = try #require(document["paths"]?.objectValue, "no paths object")
        return Served(app: app, document: document, paths: paths)
    }

    static func operations(_ paths: [String: JSONValue]) -> [(method: String, path: String, operation: [String: JSONValue], item: [String: JSONValue])] {
        paths.sorted { $0.key < $1.key }.flatMap { path, item -> [(String, String, [String: JSONValue], [String: JSONValue])] in
            let item = item.objectValue ?? [:]
            return item.keys.sorted().filter(methods.contains).map { m in
                (m.uppercased(), path, item[m]?.objectValue ?? [:], item)
            }
        }
    }

    @Test func isAnOpenAPI31Document() async throws {
        let served = try await Self.served()
        #expect(served.document["openapi"] == .string("3.1.0"))
        let info = try #require(served.document["info"]?.objectValue)
        #expect(info["title"]?.string?.isEmpty == false)
        #expect(info["version"]?.string?.isEmpty == false)
        #expect(!served.paths.isEmpty)
    }

    @Test func documentsEveryRouteAndNothingElse() async throws {
        let served = try await Self.served()
        let routes = served.app.application.router.routes
        let servedKeys = Set(routes.map { "\($0.method) \(Self.documentedPattern($0.pattern))" })
        let documentedKeys = Set(Self.operations(served.paths).map { "\($0.method) \($0.path)" })

        let undocumented = servedKeys.subtracting(documentedKeys).sorted()
        let unserved = documentedKeys.subtracting(servedKeys).sorted()
        #expect(undocumented == [], "served but missing from openapi.json (run tools/openapi.py)")
        #expect(unserved == [], "in openapi.json but not served")
        #expect(servedKeys.contains("POST /api/v1/signals"))
        #expect(servedKeys.contains("GET /api/v1/signals/{reference}"))
    }

    @Test func routerHasNoTwinRoutesAndOneAssetsRoute() async throws {
        let app = try TestApp()
        let keys = app.application.router.routes.map { "\($0.method) \($0.pattern)" }
        #expect(keys.count == Set(keys).count, "a method and pattern routed twice: the second never answers")
        #expect(keys.filter { $0.hasPrefix("GET /assets/") } == ["GET /assets/{path...}"])
    }

    /// Every `{name}` in a path is declared as a path parameter, and none is declared that is not in the path.
    @Test func pathParametersMatchTheTemplates() async throws {
        let served = try await Self.served()
        for op in Self.operations(served.paths) {
            let inTemplate = Set(op.path.matches(of: #/\{([a-z_0-9]+)\}/#).map { String($0.1) })
            let declared = ((op.item["parameters"]?.array ?? []) + (op.operation["parameters"]?.array ?? []))
                .filter { $0["in"] == .string("path") }
            let names = Set(declared.compactMap { $0["name"]?.string })
            #expect(names == inTemplate, "\(op.method) \(op.path)")
            #expect(declared.allSatisfy { $0["required"] == .bool(true) }, "\(op.method) \(op.path): path parameters are required")
        }
    }

    @Test func everyOperationAnswersSomething() async throws {
        let served = try await Self.served()
        for op in Self.operations(served.paths) {
            let responses = op.operation["responses"]?.objectValue ?? [:]
            #expect(!responses.isEmpty, "\(op.method) \(op.path) has no responses")
            #expect(responses.keys.allSatisfy { $0 == "default" || $0.wholeMatch(of: #/[1-5][0-9X]{2}/#) != nil }, "\(op.method) \(op.path)")
        }
    }

    /// A route that needs a bearer token says so; a public one can be called without.
    /// (Routes with `{token}` in the path authenticate through the path and are left out.)
    @Test func securityMatchesTheRoutes() async throws {
        let served = try await Self.served()
        let global = served.document["security"]?.array
        for route in served.app.application.router.routes where !route.pattern.contains("{token}") {
            let path = Self.documentedPattern(route.pattern)
            guard let operation = served.paths[path]?[route.method.lowercased()]?.objectValue else { continue }
            let security = operation["security"]?.array ?? global ?? []
            let anonymousAllowed = security.isEmpty || security.contains(.object([:]))
            #expect(anonymousAllowed == !route.authenticated, "\(route.method) \(path)")
        }
    }

    @Test func everyReferenceResolves() async throws {
        let served = try await Self.served()
        var refs: [String] = []
        func collect(_ v: JSONValue) {
            switch v {
            case .object(let o):
                if case .string(let r)? = o["$ref"] { refs.append(r) }
                o.values.forEach(collect)
            case .array(let a): a.forEach(collect)
            default: break
            }
        }
        collect(.object(served.document))
        #expect(!refs.isEmpty)
        for ref in Set(refs).sorted() {
            #expect(ref.hasPrefix("#/"), "\(ref) points outside the document")
            var node: JSONValue? = .object(served.document)
            for part in ref.dropFirst(2).split(separator: "/") {
                node = node?[String(part).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
            }
            #expect(node != nil, "\(ref) does not resolve")
        }
    }
}

import Domain
import Foundation

/// Health, the OpenAPI document, the public config and the caller's session.
enum SystemRoutes {
    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("GET", "/healthz", authenticated: false, personalData: false) { _ in
                .json(["status": "ok"])
            },
            Route("GET", "/openapi.json", authenticated: false, personalData: false) { _ in
                guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
                      let data = try? Data(contentsOf: url)
                else { throw Problem.notFound("The OpenAPI document is missing from this build.") }
                return HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(data))
            },
            Route("GET", "/api/v1/config", authenticated: false, personalData: false) { _ in
                .json(PublicConfig(env.config, linkBase: env.linkBase))
            },
            Route("GET", "/api/v1/session") { ctx in
                .json(SessionResource(
                    role: ctx.caller.role?.rawValue ?? "", name: ctx.caller.name, site: ctx.caller.site,
                    department: ctx.caller.department))
            },
        ]
    }
}

struct SessionResource: Encodable {
    let role: String
    let name: String
    @Nullable var site: String?
    /// The department a `department` token is bound to (docs/interface.md §3).
    @Nullable var department: String?

    enum CodingKeys: String, CodingKey { case role, name, site, department }
}

import Foundation

/// Serves the pages and assets of `Static/` (docs/interface.md §10).
///
/// Pages have fixed addresses and are served as rendered at start-up (``Pages``, from
/// `Static/pages/`); assets live under `/assets/` and are read from disk. An asset's path is
/// percent-decoded, then refused if it holds `..` or a hidden segment
/// (as hummingbird's FileMiddleware does).
enum StaticFiles {
    static let pages: [(String, String)] = [
        ("/", "index.html"),
        ("/kiosk", "kiosk.html"),
        ("/kiosk/enroll", "kiosk-enroll.html"),
        ("/desk", "desk.html"),
        ("/agent", "agent.html"),
        ("/backoffice", "backoffice.html"),
        ("/department", "department.html"),
        ("/reports", "reports.html"),
    ]

    /// Pages whose address holds a secret (the reporter's status key in `?key=`, the feedback
    /// token in the path): the same file for every value, never kept in a cache.
    static let secretPages: [(String, String)] = [
        ("/status/{reference}", "status.html"),
        ("/feedback/{feedback_token}", "feedback.html"),
    ]

    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "json": "application/json; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "woff2": "font/woff2",
        "txt": "text/plain; charset=utf-8",
    ]

    /// The file name of every page, which ``Pages`` renders from `Static/pages/{file}.mustache`.
    static var pageFiles: [String] { (pages + secretPages).map(\.1) }

    static func routes(_ env: AppEnvironment) -> [Route] {
        var routes = pages.map { path, file in
            Route("GET", path, authenticated: false, personalData: false) { _ in
                page(env.pages.bytes(file))
            }
        }
        for (path, file) in secretPages {
            routes.append(
                Route("GET", path, authenticated: false, personalData: false) { _ in
                    var response = page(env.pages.bytes(file))
                    response.setHeader("Cache-Control", "no-store")
                    return response
                })
        }
        routes.append(
            Route("GET", "/assets/{path...}", authenticated: false, personalData: false) { ctx in
                // Leaflet for the map pin (docs/interface.md §14) comes from Debian's libjs-leaflet:
                // the service serves it itself, no CDN.
                let path = ctx.parameter("path")
                if path.hasPrefix("leaflet/") { return try serve(String(path.dropFirst("leaflet/".count)), from: leafletDirectory) }
                return try serve("assets/" + path, from: env.staticDirectory)
            })
        return routes
    }

    /// Where Debian's libjs-leaflet puts Leaflet (`leaflet.js`, `leaflet.css`, `images/`).
    static let leafletDirectory = URL(fileURLWithPath: "/usr/share/javascript/leaflet")

    /// A rendered page, with the headers a page file had.
    static func page(_ html: [UInt8]) -> HTTPResponse {
        var response = HTTPResponse(status: 200, body: html)
        response.setHeader("Content-Type", types["html"]!)
        response.setHeader("Cache-Control", "no-cache")
        return response
    }

    static func serve(_ relative: String, from directory: URL) throws -> HTTPResponse {
        guard let decoded = relative.removingPercentEncoding,
              !decoded.split(separator: "/").contains(where: { $0 == ".." || $0.hasPrefix(".") }),
              !decoded.contains("\0")
        else { throw Problem.notFound() }
        let url = directory.appendingPathComponent(decoded)
        guard url.standardizedFileURL.path.hasPrefix(directory.standardizedFileURL.path),
              let data = FileManager.default.contents(atPath: url.path)
        else { throw Problem.notFound() }
        var response = HTTPResponse(status: 200, body: Array(data))
        response.setHeader("Content-Type", types[url.pathExtension.lowercased()] ?? "application/octet-stream")
        response.setHeader("Cache-Control", "no-cache")
        return response
    }
}

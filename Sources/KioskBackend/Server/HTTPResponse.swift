import Foundation

/// One HTTP response: status, headers and a body held in memory.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// The body as text, for tests and logs of non-personal responses.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// A JSON response. Encoding our own types cannot fail; if it does, that is a bug.
    ///
    /// ``ResponseJSON`` writes it; what that leaves (dates, URLs, …) Foundation writes. Debug builds
    /// (the tests) write every response both ways and stop on the first byte that differs.
    public static func json(_ value: some Encodable, status: Int = 200) -> HTTPResponse {
        let body: [UInt8]
        do {
            if let fast = try? ResponseJSON.encode(value) {
                #if DEBUG
                let foundation = Array(try encoder.encode(value))
                assert(fast == foundation, "ResponseJSON differs from JSONEncoder for \(type(of: value)): "
                       + "\(String(decoding: fast, as: UTF8.self)) against \(String(decoding: foundation, as: UTF8.self))")
                #endif
                body = fast
            } else {
                body = Array(try encoder.encode(value))
            }
        } catch {
            preconditionFailure("encoding a response failed: \(error)")
        }
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }
}

/// Anything that turns a request into a response: the whole service is one of these,
/// so tests can call it without a socket.
public protocol HTTPHandler: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse

    /// The largest body, in bytes, that the route for `method` and `path` takes.
    /// The server asks before the body arrives, so an oversize body is refused at once.
    func bodyLimit(method: String, path: String) -> Int

    /// An answer the server gives by itself, before the handler ran (a 400 for a
    /// smuggling attempt, 413, 414, 431, 503): the handler dresses it as every other
    /// answer (problem document, security headers) and counts it.
    func refusal(_ request: HTTPRequest, status: Int, title: String, detail: String) -> HTTPResponse
}

/// Anything that turns a request into a response: the whole service is one of these,
/// so tests can call it without a socket.
public protocol HTTPHandler: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

import Foundation

/// Hands one message to the city's mail relay. The delivery worker's only way out, so tests
/// can inject a fake one.
protocol MailSender: Sendable {
    /// Returns once the server accepted the message; blocks the calling thread until then.
    /// - Parameters:
    ///   - from: the envelope sender (`MAIL FROM`), a bare address.
    ///   - to: the envelope recipient (`RCPT TO`), a bare address.
    ///   - message: the whole message, headers and body, CRLF line ends.
    func send(from: String, to: String, message: [UInt8]) throws(MailDeliveryError)

    /// Makes a send in flight stop soon (the service is stopping); later sends fail at once.
    func abort()
}

extension MailSender {
    func abort() {}
}

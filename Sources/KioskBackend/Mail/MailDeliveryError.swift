import Foundation

/// Why a message did not go out, in words that are safe in a log line and in `last_error`:
/// never an address, a subject or a body, only what went wrong and the server's reply code.
struct MailDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    var summary: String

    var description: String { summary }
}

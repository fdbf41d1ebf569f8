/// One broken rule on one field of an input document.
///
/// `field` is a dotted path into the document (`contact.email`,
/// `categories[2].key`); `message` says what to do, in English, for integrators.
public struct FieldError: Error, Equatable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The field and its message, for instance `callId is required`.
    public var description: String { "\(field) \(message)" }
}

/// Collects field errors while an input is read, so every invalid field is reported at once.
public struct FieldErrors: Sendable {
    public private(set) var all: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        all.append(FieldError(field: field, message: message))
    }

    public var isEmpty: Bool { all.isEmpty }
}

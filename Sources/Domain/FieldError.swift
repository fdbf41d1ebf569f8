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

/// Every broken rule of one input, collected while it is read and thrown at once.
///
/// `subject` names the input in a problem's title ("Invalid query", "Invalid feedback").
public struct FieldErrors: Error, Equatable, Sendable {
    public private(set) var all: [FieldError]
    public var subject: String

    public init(_ subject: String = "input", _ all: [FieldError] = []) {
        self.subject = subject
        self.all = all
    }

    public mutating func add(_ field: String, _ message: String) {
        all.append(FieldError(field: field, message: message))
    }

    public var isEmpty: Bool { all.isEmpty }
}

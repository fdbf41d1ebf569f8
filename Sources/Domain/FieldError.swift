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

/// Every broken rule of one input, collected while it is read and thrown at once: the one
/// "these fields are wrong" error. Intake, back-office changes, exchange events, queries and
/// every other body throw it (or carry it in the one case of their own error that is a field
/// list); the service answers it as one 422 problem document.
///
/// `subject` names the input in a problem's title ("Invalid query", "Invalid feedback").
public struct FieldErrors: Error, Equatable, Sendable, CustomStringConvertible {
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

    /// How many fields are wrong, in words: `1 field is invalid`, `3 fields are invalid`.
    public var summary: String {
        all.count == 1 ? "1 field is invalid" : "\(all.count) fields are invalid"
    }

    /// The bad fields as one sentence, for instance `callId is required; direction must be one of in, out`.
    public var description: String {
        all.map(\.description).joined(separator: "; ")
    }
}

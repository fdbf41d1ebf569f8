/// Why an exchange event was refused: every bad field at once.
///
/// The service answers it with 422 and lists ``fields``; the words are
/// produced here, in English, so every caller reads the same text.
public struct CallEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bad fields, in the order of the CTI push's documentation
    /// (event, callId, direction, from, to, user, queue, answeringNumber, cause, time).
    public var fields: [FieldError]

    /// Creates an error from its bad fields.
    public init(fields: [FieldError]) {
        self.fields = fields
    }

    /// The bad fields as one sentence, for instance `callId is required; direction must be one of in, out`.
    public var description: String {
        fields.map(\.description).joined(separator: "; ")
    }
}

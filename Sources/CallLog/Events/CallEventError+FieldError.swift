extension CallEventError {
    /// One bad field of an exchange event: the name as the exchange sent it, and what is wrong.
    ///
    /// Nested so it never clashes with a field error of another module.
    public struct FieldError: Sendable, Equatable, Codable, CustomStringConvertible {
        /// The field's name on the wire, for instance `callId` or `direction`.
        public var field: String
        /// What is wrong, in English, without the field's name: `is required`.
        public var message: String

        /// Creates a field error.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        /// The field and its message, for instance `callId is required`.
        public var description: String {
            "\(field) \(message)"
        }
    }
}

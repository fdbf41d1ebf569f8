/// Why a report's `from`/`to` days were refused: the first bad query field.
public struct DayRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query field: `from` or `to`.
    public var field: String
    /// What is wrong, in English, without the field's name.
    public var message: String

    /// Creates an error for one query field.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The field and its message, for instance `to must not be before from`.
    public var description: String {
        "\(field) \(message)"
    }
}

/// Every bad field of an input, thrown at once.
public struct FieldErrorList: Error, Equatable, Sendable {
    public var errors: [FieldError]
    public init(errors: [FieldError]) { self.errors = errors }
}

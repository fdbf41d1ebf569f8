import Domain

extension CallEventError {
    /// One bad field of an exchange event: the name as the exchange sent it (`callId`,
    /// `direction`) and what is wrong. The same type as a signal's field errors, so the
    /// service turns both into one problem document the same way.
    public typealias FieldError = Domain.FieldError
}

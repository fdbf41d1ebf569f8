import Domain

extension CallEvent {
    /// Reads an event from the decoded body of a CTI push, form-encoded or JSON.
    ///
    /// `fields` maps each key to its values: a JSON scalar becomes one string,
    /// a JSON array several, a repeated form key several. A key ending in `[]`
    /// counts as the key without it, so `user[]` and `user` both give ``users``.
    /// Surrounding white space is trimmed and an empty value counts as absent.
    /// Known names (`event`, `direction`, `cause`) match without regard to case.
    /// Unknown keys are ignored. A scalar field given twice with different
    /// values is refused. The own time is `time`, else `timestamp`.
    ///
    /// - Throws: ``FieldErrors`` ("call event") naming every bad field at once, in the order of
    ///   the CTI push's documentation (event, callId, direction, from, to, user, queue,
    ///   answeringNumber, cause, time); a missing id is named `callId` whichever spelling the
    ///   exchange uses.
    public static func parse(_ fields: [String: [String]]) throws(FieldErrors) -> CallEvent {
        var reader = CallEventFields(fields)

        let kindText = reader.single("event")
        var kind: CallEventKind?
        if let kindText {
            kind = CallEventKind.allCases.first { $0.rawValue.lowercased() == kindText.lowercased() }
            if kind == nil {
                let names = CallEventKind.allCases.map(\.rawValue).joined(separator: ", ")
                reader.fail("event", "must be one of \(names)")
            }
        } else if !reader.has("event") {
            reader.fail("event", "is required")
        }

        let callId = reader.callId()

        var direction = CallDirection.inbound
        if let text = reader.single("direction") {
            if let known = CallDirection.allCases.first(where: { $0.rawValue == text.lowercased() }) {
                direction = known
            } else {
                let names = CallDirection.allCases.map(\.rawValue).joined(separator: ", ")
                reader.fail("direction", "must be one of \(names)")
            }
        }

        let from = reader.text("from")
        let to = reader.text("to")
        let users = reader.names("user")
        let queue = reader.text("queue")
        let answeringNumber = reader.text("answeringNumber")
        let cause = reader.text("cause").map(HangupCause.init(rawValue:))
        let time = reader.time()

        guard reader.errors.isEmpty, let kind, let callId else {
            throw reader.errors
        }
        return CallEvent(
            kind: kind, callId: callId, from: from, to: to, direction: direction, users: users,
            queue: queue, answeringNumber: answeringNumber, cause: cause, time: time)
    }
}

import Logging

extension CallEvent {
    /// Metadata for a log line about this event, without personal data
    /// (no numbers, no agent names): `call.id`, `call.event`, `call.direction`
    /// and, on a hangup, `call.cause`.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "call.id": .string(callId),
            "call.event": .string(kind.rawValue),
            "call.direction": .string(direction.rawValue),
        ]
        if let cause {
            metadata["call.cause"] = .string(cause.rawValue)
        }
        return metadata
    }
}

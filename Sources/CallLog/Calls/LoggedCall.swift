/// A call together with the outcome an agent logged for it, as ``CallFigures`` reads it.
public struct LoggedCall: Sendable, Equatable {
    /// The call as the exchange described it.
    public var record: CallRecord
    /// The outcome the agent logged; nil while nobody has logged the call.
    public var outcome: CallOutcome?

    /// Pairs a call with its logged outcome.
    public init(record: CallRecord, outcome: CallOutcome? = nil) {
        self.record = record
        self.outcome = outcome
    }
}

/// One entry of a signal's history as the domain produces it: which field went from what to what.
///
/// Values are the API's words (`in_progress`, `true`, an RFC 3339 timestamp), so the
/// history reads like the signal itself; `nil` is "not set".
public struct SignalChange: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var old: String?
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }

    public var description: String { "\(field): \(old ?? "null") → \(new ?? "null")" }
}

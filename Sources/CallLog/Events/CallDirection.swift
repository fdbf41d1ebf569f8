/// Which way a call goes: the `direction` field of the CTI push (`in` or `out`).
///
/// Only inbound calls count in ``CallFigures``.
public enum CallDirection: String, Sendable, Hashable, Codable, CaseIterable {
    /// A citizen calls the line. The exchange's `in`; the default when an event omits `direction`.
    case inbound = "in"
    /// An agent calls out, for instance to call a citizen back. The exchange's `out`.
    case outbound = "out"
}

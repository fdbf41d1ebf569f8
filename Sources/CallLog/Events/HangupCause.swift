/// Why a call ended: the `cause` field of a `hangup` event.
///
/// Exchanges add causes of their own, so a value this type does not know is
/// kept as ``other(_:)`` instead of being rejected. Known values are matched
/// without regard to case; the raw value is the spelling of the CTI push.
public enum HangupCause: Sendable, Hashable, Codable, RawRepresentable {
    /// The call ended normally: after a conversation, or the caller hung up.
    case normalClearing
    /// The caller hung up before anybody answered.
    case cancel
    /// Nobody answered in time.
    case noAnswer
    /// Every agent was busy.
    case busy
    /// The exchange or the network was overloaded.
    case congestion
    /// The dialled number does not exist.
    case notFound
    /// The exchange passed the call on elsewhere.
    case forwarded
    /// A cause this type does not know, spelled as the exchange sent it.
    case other(String)

    /// The causes this type knows, in the order the CTI push documents them.
    public static let known: [HangupCause] = [
        .normalClearing, .cancel, .noAnswer, .busy, .congestion, .notFound, .forwarded,
    ]

    /// Reads a cause; known spellings match without regard to case, anything else is ``other(_:)``.
    public init(rawValue: String) {
        let lowered = rawValue.lowercased()
        self = Self.known.first { $0.rawValue.lowercased() == lowered } ?? .other(rawValue)
    }

    /// The cause as the CTI push spells it.
    public var rawValue: String {
        switch self {
        case .normalClearing: "normalClearing"
        case .cancel: "cancel"
        case .noAnswer: "noAnswer"
        case .busy: "busy"
        case .congestion: "congestion"
        case .notFound: "notFound"
        case .forwarded: "forwarded"
        case .other(let value): value
        }
    }

    /// Whether a call that ended this way without an answer counts as ``CallState/missed``
    /// (the line failed the caller) rather than ``CallState/abandoned`` (the caller gave up).
    public var meansMissed: Bool {
        switch self {
        case .noAnswer, .busy, .congestion, .notFound: true
        case .normalClearing, .cancel, .forwarded, .other: false
        }
    }

    /// Decodes the cause from its raw string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the cause as its raw string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

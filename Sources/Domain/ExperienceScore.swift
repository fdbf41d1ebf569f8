/// The experience score (belevingsscore): how much impact the matter has on the reporter,
/// from 1 (no impact on me) to 5 (a very large impact).
///
/// It separates a report where one is not unhappy from a complaint where one is.
/// Only the self-service forms (website and kiosk) of citizens ask it.
public struct ExperienceScore: RawRepresentable, Hashable, Codable, Sendable {
    public static let range = 1...5
    public let rawValue: Int

    public init?(rawValue: Int) {
        guard Self.range.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether this score may accompany a signal on `channel` from `reporter`.
    public static func isAsked(channel: Channel, reporter: Reporter) -> Bool {
        channel.asksExperienceScore && reporter == .citizen
    }
}

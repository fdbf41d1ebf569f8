import Domain
import Foundation

/// How far an exchange event's own time may be from the service's clock.
///
/// The exchange's clock is trusted only within this window: an event dated in
/// year 9999 would make the average talk time billions of seconds, one dated
/// 0 (1970) would file a call on a day nobody reports on. Events without their
/// own time take the moment of arrival and always fit.
public struct CallEventWindow: Sendable, Equatable {
    /// How far behind the service's clock an event may be, in seconds.
    public var behind: TimeInterval
    /// How far ahead of the service's clock an event may be, in seconds.
    public var ahead: TimeInterval

    /// A window of `behindMinutes` before and `aheadMinutes` after the service's clock.
    public init(behindMinutes: Int, aheadMinutes: Int) {
        behind = TimeInterval(behindMinutes) * 60
        ahead = TimeInterval(aheadMinutes) * 60
    }

    /// Whether `time` lies in the window around `now`.
    public func contains(_ time: Date, now: Date) -> Bool {
        time >= now.addingTimeInterval(-behind) && time <= now.addingTimeInterval(ahead)
    }

    /// Checks an event's own time against the window.
    ///
    /// - Parameters:
    ///   - event: the parsed event.
    ///   - fields: the decoded push, to name the field as the exchange spelled it (`time` or `timestamp`).
    ///   - now: the service's clock.
    /// - Throws: ``FieldErrors`` ("call event") naming the field and the window.
    public func check(_ event: CallEvent, fields: [String: [String]], now: Date) throws(FieldErrors) {
        guard let time = event.time, !contains(time, now: now) else { return }
        let field = CallEventFields(fields).timeField
        throw FieldErrors("call event", [
            FieldError(
                field: field,
                message: "must be at most \(Self.minutes(behind)) before and \(Self.minutes(ahead)) after "
                    + "the service's clock (\(Timestamp.format(now)))")
        ])
    }

    static func minutes(_ seconds: TimeInterval) -> String {
        let n = Int(seconds / 60)
        return n == 1 ? "1 minute" : "\(n) minutes"
    }
}

import Foundation

extension CityConfig.Deadlines {
    /// When a signal of `kind` received at `receivedAt` is due (docs/interface.md §13): the same wall-clock
    /// time `answer_days` calendar days later in the city's time zone, so a deadline does not
    /// move by an hour across a DST change.
    public func dueAt(receivedAt: Date, kind: SignalKind, timeZone: TimeZone) -> Date {
        Self.dueAt(receivedAt: receivedAt, days: days(for: kind), timeZone: timeZone)
    }

    /// The same wall-clock time `days` calendar days after `receivedAt` in `timeZone`.
    public static func dueAt(receivedAt: Date, days: Int, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .day, value: days, to: receivedAt)
            ?? receivedAt.addingTimeInterval(TimeInterval(days * 86_400))
    }
}

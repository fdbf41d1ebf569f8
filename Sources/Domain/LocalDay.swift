import Foundation

/// A calendar day in the city's time zone, as query strings give it (`YYYY-MM-DD`).
public struct LocalDay: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(_ s: String) {
        guard let m = s.wholeMatch(of: #/(\d{4})-(\d{2})-(\d{2})/#),
              let y = Int(m.1), let mo = Int(m.2), let d = Int(m.3),
              (1...12).contains(mo), (1...31).contains(d), (1900...9999).contains(y)
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        // Reject 2026-02-30 and the like.
        guard let date = cal.date(from: DateComponents(year: y, month: mo, day: d)),
              cal.component(.day, from: date) == d
        else { return nil }
        self.year = y
        self.month = mo
        self.day = d
    }

    public init(_ date: Date, in timeZone: TimeZone) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The instant this day starts in `timeZone` (midnight local, or the first instant after a gap).
    public func start(in timeZone: TimeZone) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.date(from: DateComponents(year: year, month: month, day: day))!
    }

    /// The instant the next day starts in `timeZone`.
    public func end(in timeZone: TimeZone) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.date(byAdding: .day, value: 1, to: start(in: timeZone))!
    }

    public static func < (a: LocalDay, b: LocalDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// From-to days, both included, as a half-open interval of instants.
public struct DayRange: Sendable, Equatable {
    public var from: LocalDay
    public var to: LocalDay
    public var start: Date
    public var end: Date

    public init(from: LocalDay, to: LocalDay, timeZone: TimeZone) {
        self.from = from
        self.to = to
        self.start = from.start(in: timeZone)
        self.end = to.end(in: timeZone)
    }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }
}

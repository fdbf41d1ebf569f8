import Foundation

extension CallFigures {
    /// The instants of a range of local days, both days included: from the
    /// first instant of `from` up to, but not including, the first instant of
    /// the day after `to`, in `timeZone`.
    ///
    /// Days are counted with the calendar, not as 86,400 seconds, so a day
    /// when clocks go forward lasts 23 hours and one when they go back 25.
    /// Where a zone skips midnight the day starts at its first existing instant.
    ///
    /// - Parameters:
    ///   - from: The first day, exactly `YYYY-MM-DD`.
    ///   - to: The last day, exactly `YYYY-MM-DD`, not before `from`.
    ///   - timeZone: The city's time zone.
    /// - Throws: ``DayRangeError`` naming `from` or `to`.
    public static func dayInterval(from: String, to: String, timeZone: TimeZone) throws(DayRangeError)
        -> DateInterval
    {
        let format = "must be a date in the form YYYY-MM-DD"
        guard let first = CivilDate(from) else { throw DayRangeError(field: "from", message: format) }
        guard let last = CivilDate(to) else { throw DayRangeError(field: "to", message: format) }
        guard last.daysSinceEpoch >= first.daysSinceEpoch else {
            throw DayRangeError(field: "to", message: "must not be before from")
        }
        guard let dayAfter = last.next else {
            throw DayRangeError(field: "to", message: "must be before 9999-12-31")
        }

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = startOfDay(first, in: calendar)
        let end = startOfDay(dayAfter, in: calendar)
        return DateInterval(start: start, end: end)
    }

    /// The first instant of a local day, found from its noon so that a skipped midnight does not matter.
    private static func startOfDay(_ day: CivilDate, in calendar: Calendar) -> Date {
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)
        guard let noon = calendar.date(from: components) else {
            preconditionFailure("a valid Gregorian day has a noon: \(day.text)")
        }
        return calendar.startOfDay(for: noon)
    }
}

import CallLog
import Domain
import Foundation

/// The `from`/`to` days of the calls endpoints, where missing days have defaults.
enum DayQuery {
    /// A range of local days, both included, and its instants.
    struct Range: Sendable {
        var from: String
        var to: String
        var interval: DateInterval
    }

    /// Reads `from` and `to` (`YYYY-MM-DD` in the city's time zone, both included).
    ///
    /// - Parameters:
    ///   - defaultDays: When a day is missing: `to` is today, `from` is this many days up to `to`.
    ///   - required: Both must be given (reports); a missing one is an error.
    /// - Returns: nil after noting the bad argument in `q`.
    static func range(_ q: QueryReader, env: AppEnvironment, defaultDays: Int, required: Bool = false) -> Range? {
        let timeZone = env.config.timeZone
        let before = q.errors.all.count
        let (givenFrom, givenTo) = q.days(required: required)
        guard q.errors.all.count == before else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let to = givenTo ?? LocalDay(env.now(), in: timeZone)
        var from = givenFrom ?? to
        if givenFrom == nil, defaultDays > 1 {
            let noon = calendar.date(byAdding: .hour, value: 12, to: to.start(in: timeZone)) ?? to.start(in: timeZone)
            if let first = calendar.date(byAdding: .day, value: -(defaultDays - 1), to: noon) {
                from = LocalDay(first, in: timeZone)
            }
        }
        do {
            let interval = try CallFigures.dayInterval(from: from.description, to: to.description, timeZone: timeZone)
            return Range(from: from.description, to: to.description, interval: interval)
        } catch {
            q.fail(error.field, error.message)
            return nil
        }
    }
}

import CallLog
import Domain
import Foundation

/// The `from`/`to` days and `limit` of the calls endpoints' query strings.
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
    /// - Returns: nil after adding the bad field to `errors`.
    static func range(
        _ ctx: RequestContext, env: AppEnvironment, defaultDays: Int, required: Bool = false,
        errors: inout FieldErrors
    ) -> Range? {
        let q = ctx.request
        let timeZone = env.config.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = LocalDay(env.now(), in: timeZone).description
        let givenFrom = q.queryValue("from").flatMap { $0.isEmpty ? nil : $0 }
        let givenTo = q.queryValue("to").flatMap { $0.isEmpty ? nil : $0 }
        if required {
            if givenFrom == nil { errors.add("from", "is required, a date in the form YYYY-MM-DD") }
            if givenTo == nil { errors.add("to", "is required, a date in the form YYYY-MM-DD") }
            if givenFrom == nil || givenTo == nil { return nil }
        }
        let to = givenTo ?? today
        var from = givenFrom ?? to
        if givenFrom == nil, defaultDays > 1, let last = LocalDay(to) {
            let noon = calendar.date(byAdding: .hour, value: 12, to: last.start(in: timeZone)) ?? last.start(in: timeZone)
            if let first = calendar.date(byAdding: .day, value: -(defaultDays - 1), to: noon) {
                from = LocalDay(first, in: timeZone).description
            }
        }
        do {
            let interval = try CallFigures.dayInterval(from: from, to: to, timeZone: timeZone)
            return Range(from: from, to: to, interval: interval)
        } catch {
            errors.add(error.field, error.message)
            return nil
        }
    }

    /// `limit`: 1 to 500, 50 when not given (docs/interface.md §4).
    static func limit(_ ctx: RequestContext, errors: inout FieldErrors) -> Int {
        guard let s = ctx.request.queryValue("limit"), !s.isEmpty else { return 50 }
        guard let n = Int(s), (1...500).contains(n) else {
            errors.add("limit", "must be 1 to 500")
            return 50
        }
        return n
    }
}

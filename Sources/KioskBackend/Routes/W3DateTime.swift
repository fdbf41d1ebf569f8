import Domain
import Foundation

/// `start_date`/`end_date` of GeoReport v2: the W3C profile of ISO 8601
/// (https://www.w3.org/TR/NOTE-datetime), e.g. `2010-01-01T00:00:00Z`.
///
/// Also read: a `+hh:mm` offset whose `+` a query string turned into a space, minutes
/// without seconds, a time without zone (taken in the city's zone), and a bare day
/// `2010-01-01` (the whole day in the city's zone).
enum W3DateTime {
    /// The span the value stands for: one millisecond for an instant (so an `end_date`
    /// includes it, received times being stored in milliseconds), the whole day for a day.
    static func parse(_ raw: String, timeZone: TimeZone) -> (start: Date, end: Date)? {
        let s = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "+")
        guard s.count <= 40 else { return nil }
        if let day = LocalDay(s) {
            return (day.start(in: timeZone), day.end(in: timeZone))
        }
        guard let m = s.wholeMatch(of: #/(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|([+\-])(\d{2}):?(\d{2}))?/#),
              let day = LocalDay("\(m.1)-\(m.2)-\(m.3)"),
              let hour = Int(m.4), let minute = Int(m.5), hour < 24, minute < 60
        else { return nil }
        let second = m.6.flatMap { Int($0) } ?? 0
        guard second < 60 else { return nil }
        let fraction = m.7.flatMap { Double("0" + $0) } ?? 0

        var calendar = Calendar(identifier: .gregorian)
        var offset = 0
        if m.8 != nil {
            calendar.timeZone = TimeZone(identifier: "UTC")!
            if let sign = m.9, let h = m.10.flatMap({ Int($0) }), let mm = m.11.flatMap({ Int($0) }) {
                guard h < 24, mm < 60 else { return nil }
                offset = (sign == "-" ? -1 : 1) * (h * 3600 + mm * 60)
            }
        } else {
            calendar.timeZone = timeZone
        }
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute, second: second)
        guard let local = calendar.date(from: components) else { return nil }
        let date = local.addingTimeInterval(fraction - Double(offset))
        return (date, date.addingTimeInterval(0.001))
    }
}

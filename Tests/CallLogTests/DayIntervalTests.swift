import CallLog
import Foundation
import Testing

struct DayIntervalTests {
    struct Range: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var zone: String
        /// Expected bounds, worked out with Python's zoneinfo.
        var start: String
        var end: String
        var hours: Double
        var testDescription: String { "\(from)…\(to) \(zone)" }

        /// from, to, zone; start and end of the interval.
        init(_ from: String, _ to: String, _ zone: String, _ start: String, _ end: String, hours: Double) {
            (self.from, self.to, self.zone, self.start, self.end, self.hours) = (from, to, zone, start, end, hours)
        }
    }

    @Test(arguments: [
        Range("2026-05-04", "2026-05-04", "Europe/Brussels", "2026-05-03T22:00:00Z", "2026-05-04T22:00:00Z", hours: 24),
        Range("2026-01-15", "2026-01-15", "Europe/Brussels", "2026-01-14T23:00:00Z", "2026-01-15T23:00:00Z", hours: 24),
        Range("2026-03-29", "2026-03-29", "Europe/Brussels", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", hours: 23),
        Range("2026-10-25", "2026-10-25", "Europe/Brussels", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", hours: 25),
        Range("2026-03-28", "2026-03-30", "Europe/Brussels", "2026-03-27T23:00:00Z", "2026-03-30T22:00:00Z", hours: 71),
        Range("2026-01-01", "2026-12-31", "Europe/Brussels", "2025-12-31T23:00:00Z", "2026-12-31T23:00:00Z", hours: 365 * 24),
        Range("2024-02-28", "2024-03-01", "UTC", "2024-02-28T00:00:00Z", "2024-03-02T00:00:00Z", hours: 72),
        Range("2026-05-04", "2026-05-04", "Asia/Kolkata", "2026-05-03T18:30:00Z", "2026-05-04T18:30:00Z", hours: 24),
        // Chile skips midnight: the day starts at 01:00 local.
        Range("2026-09-06", "2026-09-06", "America/Santiago", "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", hours: 23),
        Range("2026-12-31", "2027-01-01", "Europe/Brussels", "2026-12-30T23:00:00Z", "2027-01-01T23:00:00Z", hours: 48),
    ])
    func coversBothLocalDays(_ range: Range) throws {
        let zone = try #require(TimeZone(identifier: range.zone))
        let interval = try CallFigures.dayInterval(from: range.from, to: range.to, timeZone: zone)
        #expect(interval.start == instant(range.start))
        #expect(interval.end == instant(range.end))
        #expect(interval.duration == range.hours * 3600)
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        var error: DayRangeError
        var testDescription: String { "\(from)…\(to)" }
    }

    static let format = "must be a date in the form YYYY-MM-DD"

    @Test(arguments: [
        Refused(from: "2026-02-30", to: "2026-03-01", error: DayRangeError(field: "from", message: format)),
        Refused(from: "2026-5-4", to: "2026-05-04", error: DayRangeError(field: "from", message: format)),
        Refused(from: "", to: "2026-05-04", error: DayRangeError(field: "from", message: format)),
        Refused(from: "2026-05-04", to: "04-05-2026", error: DayRangeError(field: "to", message: format)),
        Refused(from: "2026-05-04", to: "2026-13-01", error: DayRangeError(field: "to", message: format)),
        Refused(from: "2026-05-04", to: "2026-05-04T00:00", error: DayRangeError(field: "to", message: format)),
        Refused(from: "2026-05-04", to: "2026-05-03", error: DayRangeError(field: "to", message: "must not be before from")),
        Refused(from: "9999-12-30", to: "9999-12-31", error: DayRangeError(field: "to", message: "must be before 9999-12-31")),
    ])
    func refusesBadDays(_ example: Refused) {
        #expect(throws: example.error) {
            try CallFigures.dayInterval(
                from: example.from, to: example.to, timeZone: TimeZone(identifier: "Europe/Brussels")!)
        }
    }

    @Test func errorReadsAsOneSentence() {
        let error = DayRangeError(field: "to", message: "must not be before from")
        #expect(error.description == "to must not be before from")
    }
}

import Domain
import Foundation
import Testing

/// Days in the city's time zone (Europe/Brussels for Ostend).
struct LocalDayTests {
    static let tz = Fixtures.brussels

    struct Belongs: Sendable, CustomTestStringConvertible {
        var instant: String
        var day: String
        var testDescription: String { "\(instant) is \(day)" }
    }

    static let belongs: [Belongs] = [
        Belongs(instant: "2025-12-31T22:59:59Z", day: "2025-12-31"),
        Belongs(instant: "2025-12-31T23:00:00Z", day: "2026-01-01"),
        Belongs(instant: "2025-12-31T23:30:00Z", day: "2026-01-01"),
        Belongs(instant: "2026-06-30T21:59:59Z", day: "2026-06-30"),
        Belongs(instant: "2026-06-30T22:00:00Z", day: "2026-07-01"),
        Belongs(instant: "2026-03-29T00:59:59Z", day: "2026-03-29"),
        Belongs(instant: "2026-10-25T22:59:59Z", day: "2026-10-25"),
        Belongs(instant: "2026-10-25T23:00:00Z", day: "2026-10-26"),
    ]

    @Test(arguments: belongs)
    func instantBelongsToLocalDay(_ example: Belongs) {
        let day = LocalDay(Fixtures.instant(example.instant), in: Self.tz)
        #expect(day.description == example.day)
        #expect(day == LocalDay(example.day))
        let range = DayRange(from: day, to: day, timeZone: Self.tz)
        #expect(range.contains(Fixtures.instant(example.instant)))
    }

    @Test func newYearsEveInUTCIsNewYearsDayInOstend() throws {
        let day = LocalDay(Fixtures.instant("2025-12-31T23:30:00Z"), in: Self.tz)
        #expect((day.year, day.month, day.day) == (2026, 1, 1))
        let first = try #require(LocalDay("2026-01-01"))
        #expect(first.start(in: Self.tz) == Fixtures.instant("2025-12-31T23:00:00Z"))
        #expect(first.end(in: Self.tz) == Fixtures.instant("2026-01-01T23:00:00Z"))
    }

    struct Length: Sendable, CustomTestStringConvertible {
        var day: String
        var hours: Double
        var start: String
        var testDescription: String { "\(day) lasts \(hours) h" }
    }

    static let lengths: [Length] = [
        Length(day: "2025-03-30", hours: 23, start: "2025-03-29T23:00:00Z"),
        Length(day: "2025-10-26", hours: 25, start: "2025-10-25T22:00:00Z"),
        Length(day: "2026-03-29", hours: 23, start: "2026-03-28T23:00:00Z"),
        Length(day: "2026-10-25", hours: 25, start: "2026-10-24T22:00:00Z"),
        Length(day: "2026-01-15", hours: 24, start: "2026-01-14T23:00:00Z"),
        Length(day: "2026-07-15", hours: 24, start: "2026-07-14T22:00:00Z"),
    ]

    @Test(arguments: lengths)
    func daylightSavingDays(_ example: Length) throws {
        let day = try #require(LocalDay(example.day))
        #expect(day.start(in: Self.tz) == Fixtures.instant(example.start))
        #expect(day.end(in: Self.tz).timeIntervalSince(day.start(in: Self.tz)) == example.hours * 3600)
        let range = DayRange(from: day, to: day, timeZone: Self.tz)
        #expect(range.end.timeIntervalSince(range.start) == example.hours * 3600)
    }

    @Test func rangeIncludesBothDaysAndIsHalfOpen() throws {
        let range = DayRange(from: try #require(LocalDay("2026-03-28")), to: try #require(LocalDay("2026-03-29")), timeZone: Self.tz)
        #expect(range.start == Fixtures.instant("2026-03-27T23:00:00Z"))
        #expect(range.end == Fixtures.instant("2026-03-29T22:00:00Z"))
        #expect(range.end.timeIntervalSince(range.start) == 47 * 3600)
        #expect(range.contains(range.start))
        #expect(!range.contains(range.start.addingTimeInterval(-0.001)))
        #expect(range.contains(range.end.addingTimeInterval(-0.001)))
        #expect(!range.contains(range.end))
    }

    @Test(arguments: ["2026-01-01", "2024-02-29", "1900-01-01", "9999-12-31"])
    func parsesAndPrintsTheSameDay(_ text: String) throws {
        #expect(try #require(LocalDay(text)).description == text)
    }

    @Test(arguments: [
        "2025-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-1",
        "26-01-01", "2026/01/01", "2026-01-01T00:00:00Z", " 2026-01-01", "1899-12-31", "", "٢٠٢٦-٠١-٠١",
    ])
    func refusesWhatIsNotADay(_ text: String) {
        #expect(LocalDay(text) == nil)
    }

    @Test func daysOrderByCalendar() throws {
        let days = try ["2026-01-02", "2025-12-31", "2026-01-10", "2026-01-01"].map { try #require(LocalDay($0)) }
        #expect(days.sorted().map(\.description) == ["2025-12-31", "2026-01-01", "2026-01-02", "2026-01-10"])
    }
}

import Foundation
import Testing

@testable import Domain

/// ``DeadlineClock`` gives Foundation's deadline (``CityConfig/Deadlines/dueAt(receivedAt:days:timeZone:)``)
/// for every instant, across DST changes and year ends, in zones with and without DST.
struct DeadlineClockTests {
    static let zones = ["Europe/Brussels", "America/New_York", "Australia/Lord_Howe", "Asia/Tokyo"]

    @Test(arguments: zones)
    func equalsFoundationEveryFewHoursOverTwoYears(_ zone: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        let from: Int64 = 1_704_067_200_000  // 2024-01-01T00:00:00Z
        let to: Int64 = from + 2 * 366 * 86_400_000
        let clock = DeadlineClock(timeZone: tz, fromMs: from, toMs: to, maxDays: 45)
        var ms = from
        var checked = 0
        while ms < to {
            for days in [10, 30, 45] {
                let foundation = CityConfig.Deadlines.dueAt(receivedAt: DeadlineClock.date(ms), days: days, timeZone: tz)
                #expect(clock.dueAt(receivedMs: ms, days: days) == DeadlineClock.ms(foundation), "\(zone) \(ms) +\(days) d")
                checked += 1
            }
            ms += 7 * 3_600_000 + 13 * 60_000 + 7_123  // every 7 h 13 min 7.123 s: every hour of the day over time
        }
        #expect(checked > 6000)
    }

    @Test func equalsFoundationMinuteByMinuteAroundBrusselsChanges() throws {
        let tz = try #require(TimeZone(identifier: "Europe/Brussels"))
        // Deadlines that land on the change days (30 March and 26 October 2025), received 30 days before.
        for changeUTC: Int64 in [1_743_296_400_000, 1_761_440_400_000] {
            let start = changeUTC - 30 * 86_400_000 - 4 * 3_600_000
            let clock = DeadlineClock(timeZone: tz, fromMs: start, toMs: start + 8 * 3_600_000, maxDays: 30)
            for minute in stride(from: Int64(0), to: 8 * 60, by: 1) {
                let ms = start + minute * 60_000
                let foundation = CityConfig.Deadlines.dueAt(receivedAt: DeadlineClock.date(ms), days: 30, timeZone: tz)
                #expect(clock.dueAt(receivedMs: ms, days: 30) == DeadlineClock.ms(foundation), "\(ms)")
            }
        }
    }
}

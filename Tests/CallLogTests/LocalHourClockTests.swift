@testable import CallLog
import Foundation
import Testing

struct LocalHourClockTests {
    /// Zones with daylight saving, offsets that are not whole hours, a half-hour
    /// daylight saving change, and one in the southern hemisphere.
    @Test(arguments: [
        "Europe/Brussels", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe",
        "America/Santiago", "UTC",
    ])
    func agreesWithCalendarAllYear(_ identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let year = DateInterval(start: instant("2026-01-01T00:00:00Z"), end: instant("2027-01-01T00:00:00Z"))
        let clock = LocalHourClock(timeZone: zone, covering: year)
        var mismatches: [Date] = []
        var moment = year.start
        while moment < year.end {
            if clock.hour(of: moment) != calendar.component(.hour, from: moment) {
                mismatches.append(moment)
            }
            moment.addTimeInterval(15 * 60)
        }
        #expect(mismatches.isEmpty, "first: \(mismatches.prefix(3))")
    }
}

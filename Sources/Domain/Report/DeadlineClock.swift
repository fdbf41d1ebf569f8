import Foundation

/// Deadlines (``CityConfig/Deadlines/dueAt(receivedAt:kind:timeZone:)``) for many signals at once,
/// in Unix milliseconds, for the report's `on_time` (docs/interface.md §7).
///
/// A deadline is the same wall-clock time a number of calendar days later in the city's time
/// zone. Asking Foundation's calendar for each of a year's answered signals costs seconds, so the
/// clock holds the zone's offset changes over the instants it is made for and computes
/// `received + days × 24 h + (offset at received − offset at the deadline)`; a deadline within
/// three hours of an offset change (a wall-clock time that is skipped or repeated) is left to
/// Foundation, so every answer is Foundation's.
public struct DeadlineClock: Sendable {
    let timeZone: TimeZone
    /// Instants (ms) at which the offset changes, ascending, and the offset (ms) from each on;
    /// `offsets[0]` holds before `changes[0]`.
    private var changes: [Int64] = []
    private var offsets: [Int64] = []

    static let day: Int64 = 86_400_000
    static let margin: Int64 = 3 * 3_600_000

    /// A clock for signals received from `fromMs` to `toMs` with deadlines at most `maxDays` later.
    public init(timeZone: TimeZone, fromMs: Int64, toMs: Int64, maxDays: Int) {
        self.timeZone = timeZone
        let start = Self.date(fromMs - 2 * Self.day)
        let end = Self.date(toMs + Int64(maxDays + 2) * Self.day)
        offsets = [Int64(timeZone.secondsFromGMT(for: start)) * 1000]
        var t = start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: t), next < end {
            changes.append(Self.ms(next))
            offsets.append(Int64(timeZone.secondsFromGMT(for: next)) * 1000)
            t = next
        }
    }

    /// When a signal received at `receivedMs` with `days` to answer is due.
    public func dueAt(receivedMs: Int64, days: Int) -> Int64 {
        let candidate = receivedMs + Int64(days) * Self.day
        let due = candidate + offset(receivedMs) - offset(candidate)
        if nearChange(due) {
            return Self.ms(CityConfig.Deadlines.dueAt(receivedAt: Self.date(receivedMs), days: days, timeZone: timeZone))
        }
        return due
    }

    /// The index of the first change after `ms`.
    private func index(_ ms: Int64) -> Int {
        var lo = 0
        var hi = changes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if changes[mid] <= ms { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func offset(_ ms: Int64) -> Int64 { offsets[index(ms)] }

    private func nearChange(_ ms: Int64) -> Bool {
        let i = index(ms - Self.margin)
        return i < changes.count && changes[i] <= ms + Self.margin
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
    static func ms(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
}

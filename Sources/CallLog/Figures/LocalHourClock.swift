import Foundation

/// Tells the local hour of an instant in one time zone, fast enough for a
/// million calls: the zone's offsets are looked up once per range, then each
/// instant is arithmetic.
///
/// The range is cut at the zone's transitions
/// (`TimeZone.nextDaylightSavingTimeTransition(after:)`); within a piece the
/// offset is constant, so the local hour is `⌊(unix seconds + offset) / 3600⌋ mod 24`.
/// This holds for offsets that are not whole hours (India, Lord Howe's
/// half-hour daylight saving) as well.
struct LocalHourClock: Sendable {
    /// Where each piece starts (seconds since 1970), ascending; the first is −∞.
    private let starts: [Double]
    /// The offset from UTC in seconds within each piece.
    private let offsets: [Int]

    /// Looks up the zone's offsets from a day before the interval to a day after it.
    init(timeZone: TimeZone, covering interval: DateInterval) {
        let margin: TimeInterval = 86_400
        let first = interval.start.addingTimeInterval(-margin)
        let last = interval.end.addingTimeInterval(margin)
        var starts = [-Double.infinity]
        var offsets = [timeZone.secondsFromGMT(for: first)]
        var cursor = first
        // A bound on the loop: no zone changes its offset more than a few times a year.
        for _ in 0..<100_000 {
            guard let next = timeZone.nextDaylightSavingTimeTransition(after: cursor),
                next > cursor, next < last
            else { break }
            starts.append(next.timeIntervalSince1970)
            offsets.append(timeZone.secondsFromGMT(for: next))
            cursor = next
        }
        self.starts = starts
        self.offsets = offsets
    }

    /// The local hour, 0 to 23, of an instant.
    func hour(of date: Date) -> Int {
        let seconds = date.timeIntervalSince1970
        // The last piece that starts at or before the instant.
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        let local = (seconds + Double(offsets[low])) / 3600
        let hour = Int(local.rounded(.down)) % 24
        return hour < 0 ? hour + 24 : hour
    }
}

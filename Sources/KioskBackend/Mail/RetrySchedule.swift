import Foundation

/// When a message that could not be sent is tried again (docs/interface.md §11): the first retry within
/// 30 seconds, each wait twice the one before, never more than 15 minutes apart, until
/// `mail.give_up_hours` after it was queued.
enum RetrySchedule {
    static let firstDelay: TimeInterval = 10
    static let maxDelay: TimeInterval = 15 * 60

    /// The wait after the `failures`-th failed attempt (1 for the first): 10 s, 20 s, 40 s, …, 15 min.
    static func delay(afterFailures failures: Int) -> TimeInterval {
        let doublings = max(0, min(failures - 1, 16))
        return min(firstDelay * Double(1 << doublings), maxDelay)
    }

    /// Whether a message queued at `queuedAt` that just failed at `now` is given up: every
    /// message gets at least one attempt, even when it waited longer than that (mail was
    /// not configured, the service was down).
    static func givesUp(queuedAt: Date, now: Date, giveUpHours: Int) -> Bool {
        now.timeIntervalSince(queuedAt) >= Double(giveUpHours) * 3600
    }
}

import Foundation

/// The calls report of docs/interface.md §7 and 8, for one range of days.
///
/// Every figure reads the inbound calls whose ``CallRecord/arrivedAt`` lies in
/// the range (start included, end excluded) and that have ended; only
/// ``inProgress`` reads those still ringing or talking. Outbound calls never
/// count. Each record counts once, so give one per call.
///
/// - ``answered`` counts calls with an answer event (``CallRecord/answeredAt``
///   set), ``abandoned`` the others, so `answered + abandoned == offered`.
///   ``CallState/missed`` calls count as abandoned, and so does a
///   ``CallState/forwarded`` call that nobody answered before it was passed
///   on; one answered first counts as answered, its talk time ending at the
///   forward.
/// - Durations compare in seconds, limits included: a call answered exactly
///   `serviceLevelSeconds` after arriving meets the service level, one ended
///   exactly `shortAbandonSeconds` after arriving is a short abandon.
/// - ``serviceLevel`` and ``abandonRate`` are fractions of
///   `offered − shortAbandoned`; the averages are over answered calls. Each
///   is 0 when what it divides by is 0, so an empty day reads 0, never NaN.
/// - ``byOutcome`` splits the offered calls by the outcome agents logged
///   (`unlogged` when none), so its counts add up to ``offered``;
///   ``signalsCreated`` is its `signal` count.
public struct CallFigures: Sendable, Equatable, Codable {
    /// Inbound calls that arrived in the range and have ended.
    public var offered: Int
    /// Offered calls with an answer event.
    public var answered: Int
    /// Offered calls that ended without an answer.
    public var abandoned: Int
    /// Abandoned calls that ended at most `shortAbandonSeconds` after arriving.
    public var shortAbandoned: Int
    /// Calls answered at most `serviceLevelSeconds` after arriving ÷ (offered − short abandoned).
    public var serviceLevel: Double
    /// (abandoned − short abandoned) ÷ (offered − short abandoned).
    public var abandonRate: Double
    /// Mean of answer − arrival over answered calls, in seconds.
    public var averageSpeedOfAnswerSeconds: Double
    /// Mean of hangup − answer over answered calls, in seconds.
    public var averageTalkSeconds: Double
    /// Inbound calls that arrived in the range and are still ringing or talking.
    public var inProgress: Int
    /// Offered calls per logged outcome.
    public var byOutcome: CallOutcomeCounts
    /// 24 counts of offered calls by local hour of arrival: index 0 is 00:00–00:59.
    /// On the day clocks go back, both passes of the repeated hour land in its bucket;
    /// on the day they go forward, the skipped hour stays 0.
    public var byHour: [Int]
    /// Offered calls whose logged outcome is `signal`.
    public var signalsCreated: Int

    /// Creates figures from their values (0 when not given); the initialiser
    /// from calls below computes them.
    public init(
        offered: Int = 0, answered: Int = 0, abandoned: Int = 0, shortAbandoned: Int = 0,
        serviceLevel: Double = 0, abandonRate: Double = 0,
        averageSpeedOfAnswerSeconds: Double = 0, averageTalkSeconds: Double = 0,
        inProgress: Int = 0, byOutcome: CallOutcomeCounts = CallOutcomeCounts(),
        byHour: [Int] = Array(repeating: 0, count: 24), signalsCreated: Int = 0
    ) {
        self.offered = offered
        self.answered = answered
        self.abandoned = abandoned
        self.shortAbandoned = shortAbandoned
        self.serviceLevel = serviceLevel
        self.abandonRate = abandonRate
        self.averageSpeedOfAnswerSeconds = averageSpeedOfAnswerSeconds
        self.averageTalkSeconds = averageTalkSeconds
        self.inProgress = inProgress
        self.byOutcome = byOutcome
        self.byHour = byHour
        self.signalsCreated = signalsCreated
    }

    /// Computes the figures over calls held in memory; to feed stored rows one
    /// at a time, use ``CallFiguresTally`` (its `addInbound` skips building records).
    ///
    /// - Parameters:
    ///   - calls: The calls with their logged outcomes, one per call; calls
    ///     outside the range or outbound are skipped, so a superset is fine.
    ///   - interval: The instants of the range, end excluded; see ``dayInterval(from:to:timeZone:)``.
    ///   - timeZone: The city's time zone, for ``byHour``.
    ///   - serviceLevelSeconds: The config's `phone_line.service_level_seconds`.
    ///   - shortAbandonSeconds: The config's `phone_line.short_abandon_seconds`.
    public init(
        calls: [LoggedCall],
        interval: DateInterval,
        timeZone: TimeZone,
        serviceLevelSeconds: Int,
        shortAbandonSeconds: Int
    ) {
        var tally = CallFiguresTally(
            interval: interval, timeZone: timeZone,
            serviceLevelSeconds: serviceLevelSeconds, shortAbandonSeconds: shortAbandonSeconds)
        for call in calls {
            tally.add(call.record, outcome: call.outcome)
        }
        self = tally.figures
    }

    /// The contract's `snake_case` keys.
    enum CodingKeys: String, CodingKey {
        case offered
        case answered
        case abandoned
        case shortAbandoned = "short_abandoned"
        case serviceLevel = "service_level"
        case abandonRate = "abandon_rate"
        case averageSpeedOfAnswerSeconds = "average_speed_of_answer_seconds"
        case averageTalkSeconds = "average_talk_seconds"
        case inProgress = "in_progress"
        case byOutcome = "by_outcome"
        case byHour = "by_hour"
        case signalsCreated = "signals_created"
    }
}

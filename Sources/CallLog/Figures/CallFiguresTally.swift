import Foundation

/// Computes ``CallFigures`` one call at a time, so the service can feed it
/// from a database cursor without holding every call in memory.
///
/// Counting follows ``CallFigures``; this type only adds, it never looks back.
public struct CallFiguresTally: Sendable {
    /// The instants counted: start included, end excluded.
    public let interval: DateInterval
    /// Answered at most this many seconds after arriving meets the service level.
    public let serviceLevelSeconds: Int
    /// Abandoned at most this many seconds after arriving is a short abandon.
    public let shortAbandonSeconds: Int

    private let clock: LocalHourClock
    private var offered = 0
    private var answered = 0
    private var shortAbandoned = 0
    private var withinServiceLevel = 0
    private var inProgress = 0
    private var speedOfAnswerTotal = 0.0
    private var talkTotal = 0.0
    private var byOutcome = CallOutcomeCounts()
    private var byHour = Array(repeating: 0, count: 24)

    /// Starts an empty tally for a range of instants in the city's time zone.
    public init(interval: DateInterval, timeZone: TimeZone, serviceLevelSeconds: Int, shortAbandonSeconds: Int) {
        self.interval = interval
        self.serviceLevelSeconds = serviceLevelSeconds
        self.shortAbandonSeconds = shortAbandonSeconds
        self.clock = LocalHourClock(timeZone: timeZone, covering: interval)
    }

    /// Counts one call, or skips it when it is outbound or did not arrive in the range.
    public mutating func add(_ record: CallRecord, outcome: CallOutcome?) {
        guard record.direction == .inbound, let arrivedAt = record.arrivedAt else { return }
        addInbound(
            arrivedAt: arrivedAt, answeredAt: record.answeredAt, endedAt: record.endedAt,
            isEnded: record.state.isEnded, outcome: outcome)
    }

    /// Counts one inbound call from the columns the figures read, so a
    /// service can feed stored rows without building a ``CallRecord`` each;
    /// skips it when it did not arrive in the range.
    ///
    /// - Parameters:
    ///   - arrivedAt: ``CallRecord/arrivedAt``.
    ///   - answeredAt: ``CallRecord/answeredAt``; set means answered.
    ///   - endedAt: ``CallRecord/endedAt``.
    ///   - isEnded: Whether ``CallRecord/state`` is an ended state; false counts the call as in progress.
    ///   - outcome: The outcome an agent logged, or nil.
    public mutating func addInbound(
        arrivedAt: Date, answeredAt: Date?, endedAt: Date?, isEnded: Bool, outcome: CallOutcome?
    ) {
        guard arrivedAt >= interval.start, arrivedAt < interval.end else { return }
        guard isEnded else {
            inProgress += 1
            return
        }

        offered += 1
        byHour[clock.hour(of: arrivedAt)] += 1
        byOutcome[outcome] += 1

        if let answeredAt {
            answered += 1
            let speed = max(0, answeredAt.timeIntervalSince(arrivedAt))
            speedOfAnswerTotal += speed
            talkTotal += max(0, (endedAt ?? answeredAt).timeIntervalSince(answeredAt))
            if speed <= Double(serviceLevelSeconds) {
                withinServiceLevel += 1
            }
        } else if let endedAt, endedAt.timeIntervalSince(arrivedAt) <= Double(shortAbandonSeconds) {
            shortAbandoned += 1
        }
    }

    /// Counts one call with its logged outcome.
    public mutating func add(_ call: LoggedCall) {
        add(call.record, outcome: call.outcome)
    }

    /// The figures of the calls counted so far.
    public var figures: CallFigures {
        let abandoned = offered - answered
        let rateBase = offered - shortAbandoned
        return CallFigures(
            offered: offered,
            answered: answered,
            abandoned: abandoned,
            shortAbandoned: shortAbandoned,
            serviceLevel: Self.ratio(withinServiceLevel, rateBase),
            abandonRate: Self.ratio(abandoned - shortAbandoned, rateBase),
            averageSpeedOfAnswerSeconds: answered == 0 ? 0 : speedOfAnswerTotal / Double(answered),
            averageTalkSeconds: answered == 0 ? 0 : talkTotal / Double(answered),
            inProgress: inProgress,
            byOutcome: byOutcome,
            byHour: byHour,
            signalsCreated: byOutcome.signal
        )
    }

    /// A fraction, 0 when the denominator is 0.
    private static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }
}

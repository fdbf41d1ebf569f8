/// What the store counts for a report: GROUP BY counts (one of them also by the four
/// filter dimensions, so the report filters it itself) and the answer times.
/// `SignalReport.init` turns them into figures and shares.
public struct ReportTallies: Sendable, Equatable {
    /// The four dimensions a report can be filtered on.
    public struct Key: Hashable, Sendable {
        public var reporter: Reporter
        public var route: SignalRoute?
        public var kind: SignalKind
        public var channel: Channel

        public init(reporter: Reporter, route: SignalRoute?, kind: SignalKind, channel: Channel) {
            self.reporter = reporter
            self.route = route
            self.kind = kind
            self.channel = channel
        }
    }

    /// A count of signals with `key` and one more value (nature, main category, district, score).
    public struct Count<Value: Hashable & Sendable>: Hashable, Sendable {
        public var key: Key
        public var value: Value
        public var count: Int

        public init(key: Key, value: Value, count: Int) {
            self.key = key
            self.value = value
            self.count = count
        }
    }

    /// Answer times (answered − received, in milliseconds) of one route and main category,
    /// of the signals that pass the filters.
    public struct AnswerTimes: Sendable, Equatable {
        public var route: SignalRoute?
        public var mainCategory: String
        public var milliseconds: [Int64]
        /// How many of them were answered at or before their deadline (``DeadlineClock``).
        public var onTime: Int

        public init(route: SignalRoute?, mainCategory: String, milliseconds: [Int64], onTime: Int = 0) {
            self.route = route
            self.mainCategory = mainCategory
            self.milliseconds = milliseconds
            self.onTime = onTime
        }
    }

    /// Every signal in the range once, by the four filter dimensions and nature: the
    /// total and the reporter, channel, kind, route and nature figures, before filters.
    public var byNature: [Count<Nature?>] = []
    /// The counts below are of the signals that pass the filters (the store applies them).
    public var byMainCategory: [String: Int] = [:]
    public var byDistrict: [String: Int] = [:]
    public var withoutDistrict = 0
    /// Signals with a score, by channel and score.
    public var byScore: [ScoreCount] = []
    /// Signals referred to the ombudsman.
    public var ombuds = 0
    public var answerTimes: [AnswerTimes] = []
    /// By category key as stored (`main` or `main/sub`), for the signals that pass the filters.
    public var byCategory: [String: Int] = [:]
    /// By month of receipt in the city's time zone (`YYYY-MM`), for the signals that pass the filters.
    public var byMonth: [String: Int] = [:]
    /// Complaints that pass the filters by outcome; nil: no outcome (yet).
    public var complaintOutcomes: [ComplaintOutcome?: Int] = [:]
    /// The satisfaction question (docs/interface.md §12) over the signals that pass the filters.
    public var satisfaction = SignalReport.Satisfaction()

    public struct ScoreCount: Hashable, Sendable {
        public var channel: Channel
        public var score: Int
        public var count: Int

        public init(channel: Channel, score: Int, count: Int) {
            self.channel = channel
            self.score = score
            self.count = count
        }
    }

    public init() {}
}

/// What the store counts for a report, before filters and shares: counts grouped by
/// the four filter dimensions (reporter, route, kind, channel) and one more each.
/// The store fills it with GROUP BY queries; `SignalReport.init` does the rest.
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

        public init(route: SignalRoute?, mainCategory: String, milliseconds: [Int64]) {
            self.route = route
            self.mainCategory = mainCategory
            self.milliseconds = milliseconds
        }
    }

    public var byNature: [Count<Nature?>] = []
    public var byMainCategory: [Count<String>] = []
    public var byDistrict: [Count<String?>] = []
    /// Only signals with a score.
    public var byScore: [Count<Int>] = []
    /// Signals referred to the ombudsman.
    public var ombuds: [Count<Bool>] = []
    public var answerTimes: [AnswerTimes] = []

    public init() {}
}

import Foundation

/// The figures of the signals report (docs/interface.md §7), computed from the store's tallies.
///
/// Every key of every fixed set is present, with 0 where nothing was counted, in the
/// order of the vocabulary or the config. Shares are fractions of `total` (districts:
/// of the signals that have a district), unrounded. Every figure counts signals
/// received in the range that pass the filters.
public struct SignalReport: Sendable, Equatable {
    /// A count with its share of the whole it belongs to.
    public struct Share: Sendable, Equatable {
        public var key: String
        public var count: Int
        public var share: Double
    }

    public struct District: Sendable, Equatable {
        public var key: String
        public var count: Int
        /// Of the signals that have a district.
        public var share: Double
        /// The district's population over the city's, from the config.
        public var populationShare: Double
        public var populationEstimated: Bool
    }

    /// The experience score (1–5) of the signals that carry one.
    public struct Experience: Sendable, Equatable {
        /// Signals with a score.
        public var answered: Int
        /// nil when no signal has a score.
        public var mean: Double?
        /// Counts for scores 1 to 5, in that order.
        public var distribution: [Int]

        init(counts: [Int]) {
            distribution = counts
            answered = counts.reduce(0, +)
            let sum = counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
            mean = answered == 0 ? nil : Double(sum) / Double(answered)
        }
    }

    /// Time from received to answered over the answered signals of a group.
    public struct AnswerTime: Sendable, Equatable {
        public var key: String
        public var answered: Int
        /// Nearest-rank median and 90th percentile, whole seconds; nil when none was answered.
        public var medianSeconds: Int64?
        public var p90Seconds: Int64?

        init(key: String, milliseconds: [Int64]) {
            self.key = key
            answered = milliseconds.count
            let ranks = Percentile.nearestRanks(milliseconds, percents: [50, 90])
            medianSeconds = ranks[0].map(Self.seconds)
            p90Seconds = ranks[1].map(Self.seconds)
        }

        static func seconds(_ ms: Int64) -> Int64 { (ms + 500) / 1000 }
    }

    /// The satisfaction question after the answer (docs/interface.md §12), counted per signal.
    public struct Satisfaction: Sendable, Equatable {
        /// Signals whose reporter was asked (an answer went out with the question).
        public var asked = 0
        /// Signals whose reporter answered the question.
        public var given = 0
        /// Signals whose reporter said yes (the latest answer, if there were several questions).
        public var satisfied = 0

        public init(asked: Int = 0, given: Int = 0, satisfied: Int = 0) {
            self.asked = asked
            self.given = given
            self.satisfied = satisfied
        }
    }

    /// Answered signals, and how many of them at or before their deadline.
    public struct OnTime: Sendable, Equatable {
        public var answered = 0
        public var onTime = 0
    }

    public var query: ReportQuery
    public var total: Int
    public var byReporter: [Share]
    public var byChannel: [Share]
    public var webShare: Double
    public var byKind: [Share]
    public var byRoute: [Share]
    public var byMainCategory: [Share]
    public var byDistrict: [District]
    /// Signals without a district (not in the district shares).
    public var withoutDistrict: Int
    /// service, policy, combination, undetermined, unclassified.
    public var byNature: [Share]
    public var ombudsReferrals: Int
    public var experience: Experience
    /// Every channel, in vocabulary order (only web and kiosk ask the score).
    public var experienceByChannel: [(channel: Channel, experience: Experience)]
    /// opunt, special_procedure, external, unrouted.
    public var answerTimeByRoute: [AnswerTime]
    /// Every main category of the config.
    public var answerTimeByMainCategory: [AnswerTime]
    public var satisfaction: Satisfaction
    /// Of the signals answered (`answered_at` set), those answered at or before `due_at`.
    public var onTime: OnTime
    /// Every month of the range (`YYYY-MM`, the city's time zone), in order, 0 where none.
    public var byMonth: [(month: String, count: Int)]
    /// Every category of the config in its order: a main key (the signals filed under the main
    /// category alone), then each of its `main/sub` keys.
    public var bySubcategory: [(key: String, count: Int)]
    /// Complaints by outcome, every outcome and `none` (no outcome recorded).
    public var complaintOutcomes: [(key: String, count: Int)]

    public static let unrouted = "unrouted"
    public static let unclassified = "unclassified"
    public static let noOutcome = "none"

    /// `YYYY-MM` of every month from `from`'s to `to`'s, in order.
    public static func months(from: LocalDay, to: LocalDay) -> [String] {
        var out: [String] = []
        var (y, m) = (from.year, from.month)
        while (y, m) <= (to.year, to.month) {
            out.append(monthKey(y, m))
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        return out
    }

    /// `YYYY-MM` (years 1900–9999 as LocalDay allows); without String(format:), which costs
    /// microseconds a call and a range of 8,100 years has 97,200 months.
    public static func monthKey(_ year: Int, _ month: Int) -> String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + (month < 10 ? "-0" : "-") + String(month)
    }

    public init(query: ReportQuery, tallies: ReportTallies, config: CityConfig) {
        self.query = query
        func passes(_ key: ReportTallies.Key) -> Bool {
            query.matches(reporter: key.reporter, route: key.route, kind: key.kind, channel: key.channel)
        }

        // The nature tally holds every signal once: it gives the total and the four filter dimensions.
        var reporter: [Reporter: Int] = [:]
        var channel: [Channel: Int] = [:]
        var kind: [SignalKind: Int] = [:]
        var route: [RouteBucket: Int] = [:]
        var nature: [String: Int] = [:]
        var total = 0
        for c in tallies.byNature where passes(c.key) {
            total += c.count
            reporter[c.key.reporter, default: 0] += c.count
            channel[c.key.channel, default: 0] += c.count
            kind[c.key.kind, default: 0] += c.count
            route[RouteBucket(c.key.route), default: 0] += c.count
            nature[c.value?.rawValue ?? Self.unclassified, default: 0] += c.count
        }
        self.total = total
        func share(_ n: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(n) / Double(whole) }
        func shares(_ keys: [String], _ counts: [String: Int]) -> [Share] {
            keys.map { Share(key: $0, count: counts[$0] ?? 0, share: share(counts[$0] ?? 0, of: total)) }
        }
        byReporter = shares(Reporter.allCases.map(\.rawValue), Dictionary(uniqueKeysWithValues: reporter.map { ($0.rawValue, $1) }))
        byChannel = shares(Channel.allCases.map(\.rawValue), Dictionary(uniqueKeysWithValues: channel.map { ($0.rawValue, $1) }))
        webShare = share(channel[.web] ?? 0, of: total)
        byKind = shares(SignalKind.allCases.map(\.rawValue), Dictionary(uniqueKeysWithValues: kind.map { ($0.rawValue, $1) }))
        byRoute = shares(RouteBucket.allCases.map(\.rawValue), Dictionary(uniqueKeysWithValues: route.map { ($0.rawValue, $1) }))
        byNature = shares(Nature.allCases.map(\.rawValue) + [Self.unclassified], nature)

        byMainCategory = shares(config.categories.map(\.key), tallies.byMainCategory)
        let categoryKeys = config.categories.flatMap { main in [main.key] + main.subcategories.map { "\(main.key)/\($0.key)" } }
        bySubcategory = categoryKeys.map { (key: $0, count: tallies.byCategory[$0] ?? 0) }
        byMonth = Self.months(from: query.from, to: query.to).map { (month: $0, count: tallies.byMonth[$0] ?? 0) }
        complaintOutcomes = ComplaintOutcome.allCases.map { (key: $0.rawValue, count: tallies.complaintOutcomes[$0] ?? 0) }
            + [(key: Self.noOutcome, count: tallies.complaintOutcomes[nil] ?? 0)]

        // A district no longer in the config still counts as "has a district".
        let withDistrict = tallies.byDistrict.values.reduce(0, +)
        let population = config.totalPopulation
        byDistrict = config.districts.map { d in
            let n = tallies.byDistrict[d.key] ?? 0
            return District(
                key: d.key, count: n, share: share(n, of: withDistrict),
                populationShare: share(d.population, of: population), populationEstimated: d.populationEstimated)
        }
        withoutDistrict = tallies.withoutDistrict

        ombudsReferrals = tallies.ombuds
        satisfaction = tallies.satisfaction

        var scores = [Int](repeating: 0, count: 5)
        var scoresByChannel: [Channel: [Int]] = [:]
        for c in tallies.byScore where ExperienceScore.range.contains(c.score) {
            scores[c.score - 1] += c.count
            scoresByChannel[c.channel, default: [Int](repeating: 0, count: 5)][c.score - 1] += c.count
        }
        experience = Experience(counts: scores)
        experienceByChannel = Channel.allCases.map { ($0, Experience(counts: scoresByChannel[$0] ?? [Int](repeating: 0, count: 5))) }

        var timesByRoute: [RouteBucket: [Int64]] = [:]
        var timesByMain: [String: [Int64]] = [:]
        var onTime = OnTime()
        for t in tallies.answerTimes where query.routes.isEmpty || query.routes.contains(RouteBucket(t.route)) {
            timesByRoute[RouteBucket(t.route), default: []] += t.milliseconds
            timesByMain[t.mainCategory, default: []] += t.milliseconds
            onTime.answered += t.milliseconds.count
            onTime.onTime += t.onTime
        }
        self.onTime = onTime
        answerTimeByRoute = RouteBucket.allCases.map { AnswerTime(key: $0.rawValue, milliseconds: timesByRoute[$0] ?? []) }
        answerTimeByMainCategory = config.categories.map { AnswerTime(key: $0.key, milliseconds: timesByMain[$0.key] ?? []) }
    }

    public static func == (a: SignalReport, b: SignalReport) -> Bool {
        a.query == b.query && a.total == b.total && a.byReporter == b.byReporter && a.byChannel == b.byChannel
            && a.webShare == b.webShare && a.byKind == b.byKind && a.byRoute == b.byRoute
            && a.byMainCategory == b.byMainCategory && a.byDistrict == b.byDistrict
            && a.withoutDistrict == b.withoutDistrict && a.byNature == b.byNature
            && a.ombudsReferrals == b.ombudsReferrals && a.experience == b.experience
            && a.experienceByChannel.map(\.channel) == b.experienceByChannel.map(\.channel)
            && a.experienceByChannel.map(\.experience) == b.experienceByChannel.map(\.experience)
            && a.answerTimeByRoute == b.answerTimeByRoute && a.answerTimeByMainCategory == b.answerTimeByMainCategory
            && a.satisfaction == b.satisfaction && a.onTime == b.onTime
            && a.byMonth.map(\.month) == b.byMonth.map(\.month) && a.byMonth.map(\.count) == b.byMonth.map(\.count)
            && a.bySubcategory.map(\.key) == b.bySubcategory.map(\.key)
            && a.bySubcategory.map(\.count) == b.bySubcategory.map(\.count)
            && a.complaintOutcomes.map(\.key) == b.complaintOutcomes.map(\.key)
            && a.complaintOutcomes.map(\.count) == b.complaintOutcomes.map(\.count)
    }
}

import Domain
import Foundation
import GRDB

/// The GROUP BY queries of the signals report (docs/interface.md §7).
///
/// Each query reads one covering index that leads with the column it groups on and
/// ends with `received_at` (migrations v3 and v4): SQLite walks it in GROUP BY order,
/// so nothing is sorted, and, with the statistics of ANALYZE, skip-scans into the day
/// range of each group. `INDEXED BY` pins the index, so that stale statistics cost a
/// longer scan, never a sort of the whole range.
///
/// Filters: the total and the reporter, route, kind, channel and nature figures come
/// from one range count per combination of those five that passes the filters (an IN
/// list on those leading columns would make a GROUP BY sort); the other queries take
/// the filters as conditions on covered columns, which also lets SQLite seek past the
/// groups that do not pass.
///
/// The queries run at once on the pool's readers (the machine has more than one
/// core). Each reads its own snapshot: a signal committed between two of them can
/// show in one figure and not yet in another, which only matters for a range that
/// includes the present moment.
enum ReportQueries {
    static func tallies(_ q: ReportQuery, range: DayRange, config: CityConfig, store: Store) async throws -> ReportTallies {
        let window = Window(start: Millis.from(range.start), end: Millis.from(range.end))
        let filter = SQLFilter(q)
        let reporters = q.reporters.isEmpty ? Reporter.allCases : q.reporters
        async let nature = withThrowingTaskGroup(of: [ReportTallies.Count<Nature?>].self) { group in
            for reporter in reporters {
                group.addTask { try await store.read { db in try byNature(reporter, q, window, db: db) } }
            }
            var all: [ReportTallies.Count<Nature?>] = []
            for try await part in group { all += part }
            return all
        }
        async let months = monthlyCategoryCounts(range: range, timeZone: config.timeZone, window, filter, store: store)
        async let outcomes = store.read { db in try outcomeCounts(window, filter, db: db) }
        async let district = store.read { db in try counts("signal_report_district", "district", window, filter, db: db) }
        async let scores = store.read { db in try byScore(window, filter, db: db) }
        async let ombuds = store.read { db in try ombudsCount(window, filter, db: db) }
        async let satisfaction = store.read { db in try satisfactionCounts(window, filter, db: db) }
        let routes = q.routes.isEmpty ? RouteBucket.allCases : q.routes
        let mains = config.categories.map(\.key)
        let deadlines = config.deadlines
        let timeZone = config.timeZone
        async let times = withThrowingTaskGroup(of: [ReportTallies.AnswerTimes].self) { group in
            for route in routes {
                group.addTask { try await store.read { db in try answerTimes(route, mains: mains, deadlines: deadlines, timeZone: timeZone, window, filter, db: db) } }
            }
            var all: [ReportTallies.AnswerTimes] = []
            for try await part in group { all += part }
            return all
        }

        var t = ReportTallies()
        t.byNature = try await nature
        // The main categories are the sums of the categories (`main` or `main/sub`): one pass less.
        (t.byMonth, t.byCategory) = try await months
        for (category, n) in t.byCategory {
            let main = category.split(separator: "/", maxSplits: 1).first.map(String.init) ?? category
            t.byMainCategory[main, default: 0] += n
        }
        t.complaintOutcomes = try await outcomes
        let districtCounts = try await district
        for (key, count) in districtCounts {
            if let key { t.byDistrict[key] = count } else { t.withoutDistrict += count }
        }
        t.byScore = try await scores
        t.ombuds = try await ombuds
        t.satisfaction = try await satisfaction
        t.answerTimes = try await times
        return t
    }

    /// The day range as Unix milliseconds, half-open.
    struct Window: Sendable {
        var start: Int64
        var end: Int64
        var sql: String { "received_at >= ? AND received_at < ?" }
        var arguments: [(any DatabaseValueConvertible)?] { [start, end] }
    }

    /// The report's filters as SQL conditions on covered columns.
    struct SQLFilter: Sendable {
        var sql = ""
        var values: [String] = []

        init(_ q: ReportQuery) {
            in_("reporter", q.reporters.map(\.rawValue))
            in_("kind", q.kinds.map(\.rawValue))
            in_("channel", q.channels.map(\.rawValue))
            let named = q.routes.compactMap(\.route).map(\.rawValue)
            let unrouted = q.routes.contains(.unrouted)
            switch (named.isEmpty, unrouted) {
            case (true, false): break
            case (true, true): sql += " AND route IS NULL"
            case (false, false): in_("route", named)
            case (false, true):
                sql += " AND (route IN (\(Self.marks(named.count))) OR route IS NULL)"
                values += named
            }
        }

        private mutating func in_(_ column: String, _ list: [String]) {
            guard !list.isEmpty else { return }
            sql += " AND \(column) IN (\(Self.marks(list.count)))"
            values += list
        }

        static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

        var arguments: [(any DatabaseValueConvertible)?] { values }
    }

    /// One range count per combination of reporter, route, kind, channel and nature that
    /// passes the filters: each is a seek and a walk over index entries alone, with no
    /// column compared per row, which measured several times cheaper than one GROUP BY
    /// over the five columns (86 against 229 ms over a million signals).
    static func byNature(_ reporter: Reporter, _ q: ReportQuery, _ w: Window, db: Database) throws -> [ReportTallies.Count<Nature?>] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT COUNT(*) FROM signal INDEXED BY signal_report_nature
                WHERE reporter = ? AND route IS ? AND kind = ? AND channel = ? AND nature IS ? AND \(w.sql)
                """)
        let natures: [Nature?] = Nature.allCases.map { $0 } + [nil]
        var out: [ReportTallies.Count<Nature?>] = []
        for route in q.routes.isEmpty ? RouteBucket.allCases : q.routes {
            for kind in q.kinds.isEmpty ? SignalKind.allCases : q.kinds {
                for channel in q.channels.isEmpty ? Channel.allCases : q.channels {
                    for nature in natures {
                        let args: [(any DatabaseValueConvertible)?] = [
                            reporter.rawValue, route.route?.rawValue, kind.rawValue, channel.rawValue, nature?.rawValue,
                        ]
                        let n = try Int.fetchOne(statement, arguments: StatementArguments(args + w.arguments)) ?? 0
                        if n > 0 {
                            out.append(.init(
                                key: ReportTallies.Key(reporter: reporter, route: route.route, kind: kind, channel: channel),
                                value: nature, count: n))
                        }
                    }
                }
            }
        }
        return out
    }

    static func counts(_ index: String, _ column: String, _ w: Window, _ f: SQLFilter, db: Database) throws -> [(key: String?, count: Int)] {
        let sql = "SELECT \(column), COUNT(*) FROM signal INDEXED BY \(index) WHERE \(w.sql)\(f.sql) GROUP BY \(column)"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(w.arguments + f.arguments)).map { ($0[0], $0[1]) }
    }

    static func byScore(_ w: Window, _ f: SQLFilter, db: Database) throws -> [ReportTallies.ScoreCount] {
        let sql = """
            SELECT experience_score, channel, COUNT(*) FROM signal INDEXED BY signal_report_experience_channel
            WHERE experience_score IS NOT NULL AND \(w.sql)\(f.sql) GROUP BY experience_score, channel
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(w.arguments + f.arguments)).map { row in
            ReportTallies.ScoreCount(channel: try decode(Channel.self, row[1], "channel")!, score: row[0], count: row[2])
        }
    }

    static func ombudsCount(_ w: Window, _ f: SQLFilter, db: Database) throws -> Int {
        let sql = "SELECT COUNT(*) FROM signal INDEXED BY signal_report_ombuds WHERE ombuds_referred_at IS NOT NULL AND \(w.sql)\(f.sql)"
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(w.arguments + f.arguments)) ?? 0
    }

    /// The satisfaction question per signal: asked (a question exists), given (one was
    /// answered) and satisfied (the latest answer said yes). The questions drive the join
    /// (`CROSS JOIN` keeps SQLite from walking the signals' range instead): there are far fewer
    /// of them than signals, and each finds its signal by the unique reference. SQLite takes a
    /// bare column next to `MAX()` from the row holding the maximum, so `satisfied` is the
    /// latest given answer's (https://www.sqlite.org/lang_select.html#bareagg).
    static func satisfactionCounts(_ w: Window, _ f: SQLFilter, db: Database) throws -> SignalReport.Satisfaction {
        let sql = """
            SELECT COUNT(*), COALESCE(SUM(last_given IS NOT NULL), 0),
                   COALESCE(SUM(CASE WHEN last_given IS NULL THEN 0 ELSE satisfied END), 0) FROM (
                SELECT MAX(feedback.given_at) AS last_given, feedback.satisfied AS satisfied
                FROM feedback CROSS JOIN signal ON signal.reference = feedback.signal_reference
                WHERE \(w.sql)\(f.sql)
                GROUP BY feedback.signal_reference)
            """
        guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(w.arguments + f.arguments)) else {
            return .init()
        }
        return .init(asked: row[0], given: row[1], satisfied: row[2])
    }

    /// Answered − received, in milliseconds, one seek per main category into an index
    /// ordered by route and main category; and how many were answered by their deadline
    /// (``DeadlineClock``; the days of each kind come from the config, as an SQL CASE, so only
    /// numbers are read back).
    static func answerTimes(
        _ route: RouteBucket, mains: [String], deadlines: CityConfig.Deadlines, timeZone: TimeZone,
        _ w: Window, _ f: SQLFilter, db: Database
    ) throws -> [ReportTallies.AnswerTimes] {
        let days = SignalKind.allCases.map { "WHEN '\($0.rawValue)' THEN \(deadlines.days(for: $0))" }.joined(separator: " ")
        let sql = """
            SELECT received_at, answered_at, CASE kind \(days) ELSE \(deadlines.days(for: .report)) END
            FROM signal INDEXED BY signal_report_answer_time
            WHERE route IS ? AND main_category = ? AND \(w.sql) AND answered_at IS NOT NULL\(f.sql)
            """
        let statement = try db.cachedStatement(sql: sql)
        let maxDays = SignalKind.allCases.map { deadlines.days(for: $0) }.max() ?? 0
        return try mains.compactMap { main in
            let args: [(any DatabaseValueConvertible)?] = [route.route?.rawValue, main]
            var received: [Int64] = []
            var answered: [Int64] = []
            var dayCounts: [Int] = []
            let rows = try Row.fetchCursor(statement, arguments: StatementArguments(args + w.arguments + f.arguments))
            while let row = try rows.next() {
                received.append(row[0])
                answered.append(row[1])
                dayCounts.append(row[2])
            }
            guard let first = received.min(), let last = received.max() else { return nil }
            let clock = DeadlineClock(timeZone: timeZone, fromMs: first, toMs: last, maxDays: maxDays)
            var onTime = 0
            var ms: [Int64] = []
            ms.reserveCapacity(received.count)
            for i in received.indices {
                ms.append(answered[i] - received[i])
                if answered[i] <= clock.dueAt(receivedMs: received[i], days: dayCounts[i]) { onTime += 1 }
            }
            return .init(route: route.route, mainCategory: main, milliseconds: ms, onTime: onTime)
        }
    }

    /// Counts by month of receipt and by category: one GROUP BY category per month of the range
    /// that holds signals (the months before the first and after the last signal of the range are
    /// 0 without a query), each on its own reader.
    static func monthlyCategoryCounts(
        range: DayRange, timeZone: TimeZone, _ w: Window, _ f: SQLFilter, store: Store
    ) async throws -> (byMonth: [String: Int], byCategory: [String: Int]) {
        let span = try await store.read { db -> (Int64, Int64)? in
            let sql = "SELECT received_at FROM signal INDEXED BY signal_on_received_at WHERE \(w.sql) ORDER BY received_at"
            guard let first = try Int64.fetchOne(db, sql: sql + " LIMIT 1", arguments: StatementArguments(w.arguments)),
                  let last = try Int64.fetchOne(db, sql: sql + " DESC LIMIT 1", arguments: StatementArguments(w.arguments))
            else { return nil }
            return (first, last)
        }
        guard let (first, last) = span else { return ([:], [:]) }
        let firstDay = LocalDay(Millis.date(first), in: timeZone)
        let lastDay = LocalDay(Millis.date(last), in: timeZone)
        let windows: [(String, Window)] = SignalReport.months(from: firstDay, to: lastDay).map { key in
            let start = LocalDay(key + "-01")!.start(in: timeZone)
            let (y, m) = (Int(key.prefix(4))!, Int(key.suffix(2))!)
            let next = LocalDay(SignalReport.monthKey(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1) + "-01")!.start(in: timeZone)
            return (key, Window(start: max(w.start, Millis.from(start)), end: min(w.end, Millis.from(next))))
        }
        return try await withThrowingTaskGroup(of: (String, [(key: String?, count: Int)]).self) { group in
            for (key, window) in windows {
                group.addTask {
                    (key, try await store.read { db in try counts("signal_report_category_month", "category", window, f, db: db) })
                }
            }
            var byMonth: [String: Int] = [:]
            var byCategory: [String: Int] = [:]
            for try await (month, rows) in group {
                for (category, n) in rows {
                    byMonth[month, default: 0] += n
                    if let category { byCategory[category, default: 0] += n }
                }
            }
            return (byMonth, byCategory)
        }
    }

    /// Complaints by outcome (NULL: none recorded), on the partial index of complaints.
    static func outcomeCounts(_ w: Window, _ f: SQLFilter, db: Database) throws -> [ComplaintOutcome?: Int] {
        let sql = """
            SELECT outcome, COUNT(*) FROM signal INDEXED BY signal_report_outcome
            WHERE kind = 'complaint' AND \(w.sql)\(f.sql) GROUP BY outcome
            """
        var out: [ComplaintOutcome?: Int] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(w.arguments + f.arguments)) {
            out[try decode(ComplaintOutcome.self, row[0], "outcome"), default: 0] += row[1] as Int
        }
        return out
    }

    private static func decode<E: RawRepresentable>(_ type: E.Type, _ raw: String?, _ column: String) throws -> E? where E.RawValue == String {
        guard let raw else { return nil }
        guard let value = E(rawValue: raw) else { throw DatabaseError(message: "unexpected value \(raw) in signal.\(column)") }
        return value
    }
}

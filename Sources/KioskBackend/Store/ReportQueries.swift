import Domain
import Foundation
import GRDB

/// The GROUP BY queries of the signals report (CONTRACT 7).
///
/// Each query reads one covering index `(dimension, reporter, route, kind, channel,
/// received_at)` of the "report" migration: SQLite walks it in index order (so the
/// GROUP BY needs no sort) and, with the statistics of ANALYZE, skips from one group
/// to the next straight into the day range (skip-scan). `INDEXED BY` pins the index,
/// so that stale statistics cost a longer scan, never a sort of the whole range.
/// The four filter dimensions are grouped on too, so one set of tallies serves any
/// combination of filters; reporter, kind and channel filters also narrow the scan.
enum ReportQueries {
    static func tallies(_ q: ReportQuery, range: DayRange, config: CityConfig, db: Database) throws -> ReportTallies {
        let start = Millis.from(range.start)
        let end = Millis.from(range.end)
        var filter = ""
        var filterArgs: [(any DatabaseValueConvertible)?] = []
        func narrow(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            filter += " AND \(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))"
            filterArgs += values
        }
        narrow("reporter", q.reporters.map(\.rawValue))
        narrow("kind", q.kinds.map(\.rawValue))
        narrow("channel", q.channels.map(\.rawValue))
        let range = "received_at >= ? AND received_at < ?"
        let arguments = StatementArguments([start, end] as [(any DatabaseValueConvertible)?] + filterArgs)

        func grouped<V>(_ index: String, _ column: String, extra: String = "", value: (Row) throws -> V) throws -> [ReportTallies.Count<V>] {
            let sql = """
                SELECT \(column), reporter, route, kind, channel, COUNT(*) FROM signal INDEXED BY \(index)
                WHERE \(range)\(extra)\(filter) GROUP BY \(column), reporter, route, kind, channel
                """
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                ReportTallies.Count(key: try key(row, from: 1), value: try value(row), count: row[5])
            }
        }

        var t = ReportTallies()
        t.byNature = try grouped("signal_report_nature", "nature") { row in try decode(Nature.self, row[0] as String?, "nature") }
        t.byMainCategory = try grouped("signal_report_main_category", "main_category") { $0[0] as String }
        t.byDistrict = try grouped("signal_report_district", "district") { $0[0] as String? }
        t.byScore = try grouped("signal_report_experience", "experience_score", extra: " AND experience_score IS NOT NULL") { $0[0] as Int }
        t.ombuds = try Row.fetchAll(
            db,
            sql: """
                SELECT reporter, route, kind, channel, COUNT(*) FROM signal INDEXED BY signal_report_ombuds
                WHERE \(range) AND ombuds_referred_at IS NOT NULL\(filter) GROUP BY reporter, route, kind, channel
                """,
            arguments: arguments
        ).map { row in ReportTallies.Count(key: try key(row, from: 0), value: true, count: row[4]) }

        // Answer times: one seek per route and main category into an index ordered that way.
        let routes = q.routes.isEmpty ? RouteBucket.allCases : q.routes
        for route in routes {
            for main in config.categories.map(\.key) {
                let ms = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT answered_at - received_at FROM signal INDEXED BY signal_report_answer_time
                        WHERE route IS ? AND main_category = ? AND \(range) AND answered_at IS NOT NULL\(filter)
                        """,
                    arguments: StatementArguments([route.route?.rawValue, main, start, end] as [(any DatabaseValueConvertible)?] + filterArgs))
                if !ms.isEmpty { t.answerTimes.append(.init(route: route.route, mainCategory: main, milliseconds: ms)) }
            }
        }
        return t
    }

    private static func key(_ row: Row, from i: Int) throws -> ReportTallies.Key {
        ReportTallies.Key(
            reporter: try decode(Reporter.self, row[i], "reporter")!,
            route: try decode(SignalRoute.self, row[i + 1] as String?, "route"),
            kind: try decode(SignalKind.self, row[i + 2], "kind")!,
            channel: try decode(Channel.self, row[i + 3], "channel")!)
    }

    private static func decode<E: RawRepresentable>(_ type: E.Type, _ raw: String?, _ column: String) throws -> E? where E.RawValue == String {
        guard let raw else { return nil }
        guard let value = E(rawValue: raw) else { throw DatabaseError(message: "unexpected value \(raw) in signal.\(column)") }
        return value
    }
}

import CallLog
import Domain
import Foundation
import GRDB

/// `/metrics` in the Prometheus text format: requests, latency, signals by channel,
/// calls by state, database size. Needs an admin token (Prometheus sends it as a bearer credential).
enum MetricsRoutes {
    static func routes(_ env: AppEnvironment, metrics: Metrics) -> [Route] {
        [
            Route("GET", "/metrics", personalData: false) { ctx in
                try ctx.require([.admin], to: "read metrics")
                let figures = try await env.store.read { db -> ([String: Int], [String: Int], Double) in
                    let channels = try Row.fetchAll(db, sql: "SELECT channel, COUNT(*) AS n FROM signal GROUP BY channel")
                        .map { ($0["channel"] as String, $0["n"] as Int) }
                    var calls: [(String, Int)] = []
                    if try db.tableExists("call") {
                        calls = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM call GROUP BY state")
                            .map { ($0["state"] as String, $0["n"] as Int) }
                    }
                    let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                    return (
                        Dictionary(channels, uniquingKeysWith: +), Dictionary(calls, uniquingKeysWith: +),
                        Double(pages * size)
                    )
                }
                // Labels from the vocabularies only: every known value, 0 where none.
                for channel in Channel.allCases {
                    metrics.gauge(
                        "signals", help: "Signals stored, by channel.", labels: [("channel", channel.rawValue)],
                        value: Double(figures.0[channel.rawValue] ?? 0))
                }
                for state in CallState.allCases {
                    metrics.gauge(
                        "calls", help: "Calls on the phone line, by state.", labels: [("state", state.rawValue)],
                        value: Double(figures.1[state.rawValue] ?? 0))
                }
                metrics.gauge("database_bytes", help: "Size of the SQLite database file (pages × page size).", value: figures.2)
                return HTTPResponse(
                    status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                    body: metrics.render())
            }
        ]
    }
}

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
                let figures = try await env.store.read { db -> ([(String, Double)], [(String, Double)], Double) in
                    let channels = try Row.fetchAll(db, sql: "SELECT channel, COUNT(*) AS n FROM signal GROUP BY channel")
                        .map { ($0["channel"] as String, Double($0["n"] as Int)) }
                    var calls: [(String, Double)] = []
                    if try db.tableExists("call") {
                        calls = try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM call GROUP BY state")
                            .map { ($0["state"] as String, Double($0["n"] as Int)) }
                    }
                    let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                    let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
                    return (channels, calls, Double(pages * size))
                }
                var byChannel = Dictionary(uniqueKeysWithValues: Channel.allCases.map { ($0.rawValue, 0.0) })
                for (c, n) in figures.0 { byChannel[c] = n }
                let text = metrics.render(gauges: [
                    ("kiosk_signals", "Signals stored, by channel.", "gauge",
                     byChannel.sorted { $0.key < $1.key }.map { ("channel=\"\($0.key)\"", $0.value) }),
                    ("kiosk_calls", "Calls on the phone line, by state.", "gauge",
                     figures.1.map { ("state=\"\(Metrics.escape($0.0))\"", $0.1) }),
                    ("kiosk_database_bytes", "Size of the SQLite database file (pages × page size).", "gauge",
                     [("", figures.2)]),
                ])
                return .text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        ]
    }
}

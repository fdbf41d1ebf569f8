import Foundation
import Synchronization

/// Request counters and a latency histogram for `/metrics` (Prometheus text format).
public final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var total = 0
    }

    private struct State {
        var requests: [Key: Int] = [:]
        var latency: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func record(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[Key(method: method, route: route, status: status), default: 0] += 1
            var h = s.latency[route] ?? Histogram()
            for (i, bound) in Self.buckets.enumerated() where seconds <= bound { h.counts[i] += 1 }
            h.sum += seconds
            h.total += 1
            s.latency[route] = h
        }
    }

    /// The text exposition of the request metrics; `gauges` adds figures read from the database.
    func render(gauges: [(name: String, help: String, type: String, samples: [(labels: String, value: Double)])]) -> String {
        var out = ""
        let snapshot = state.withLock { $0 }
        out += "# HELP kiosk_http_requests_total HTTP requests by route pattern and status.\n"
        out += "# TYPE kiosk_http_requests_total counter\n"
        for (k, v) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "kiosk_http_requests_total{method=\"\(k.method)\",route=\"\(Self.escape(k.route))\",status=\"\(k.status)\"} \(v)\n"
        }
        out += "# HELP kiosk_http_request_duration_seconds Time to answer a request.\n"
        out += "# TYPE kiosk_http_request_duration_seconds histogram\n"
        for (route, h) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let r = Self.escape(route)
            for (i, bound) in Self.buckets.enumerated() {
                out += "kiosk_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"\(bound)\"} \(h.counts[i])\n"
            }
            out += "kiosk_http_request_duration_seconds_bucket{route=\"\(r)\",le=\"+Inf\"} \(h.total)\n"
            out += "kiosk_http_request_duration_seconds_sum{route=\"\(r)\"} \(h.sum)\n"
            out += "kiosk_http_request_duration_seconds_count{route=\"\(r)\"} \(h.total)\n"
        }
        for g in gauges {
            out += "# HELP \(g.name) \(g.help)\n# TYPE \(g.name) \(g.type)\n"
            for s in g.samples {
                out += s.labels.isEmpty ? "\(g.name) \(Self.number(s.value))\n" : "\(g.name){\(s.labels)} \(Self.number(s.value))\n"
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

import Foundation
import Prometheus

/// Request counters and a latency histogram for `/metrics`, kept by swift-prometheus.
///
/// Every label comes from a fixed set, so no client can add a series or break the
/// exposition format: the method is one of `HTTPMethodLabel`, the route is a route
/// pattern (or `(none)` when nothing matched), the status is a three-digit code the
/// service itself produced. swift-prometheus escapes label values on output.
public final class Metrics: Sendable {
    /// Upper bounds of the latency buckets.
    static let buckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]

    let registry = PrometheusCollectorRegistry()

    public init() {}

    static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "kiosk", metricName: "http_requests", unitName: "total",
        helpText: "HTTP requests by method, route pattern and status.") }
    static var duration: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "kiosk", metricName: "http_request_duration", unitName: "seconds",
        helpText: "Time to answer a request, by route pattern.") }

    func record(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", HTTPMethodLabel(method).rawValue), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    /// Sets a gauge read at scrape time (figures from the database).
    func gauge(_ name: String, help: String, labels: [(String, String)] = [], value: Double) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "kiosk", metricName: name, unitName: "", helpText: help),
            labels: labels
        ).set(value)
    }

    /// The text exposition format of everything recorded.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// The request method as a metrics label: the methods the service knows, everything else `other`.
enum HTTPMethodLabel: String, CaseIterable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", options = "OPTIONS"
    case other

    init(_ method: String) {
        self = Self(rawValue: method) ?? .other
    }
}

import Foundation

/// What `GET /api/v1/reports/signals` is asked (docs/interface.md §7): the days, both included,
/// in the city's time zone, and filters that combine (each a comma list; empty is "all").
public struct ReportQuery: Sendable, Equatable {
    public enum Format: String, CaseIterable, Sendable { case json, csv }

    public var from: LocalDay
    public var to: LocalDay
    public var reporters: [Reporter] = []
    public var routes: [RouteBucket] = []
    public var kinds: [SignalKind] = []
    public var channels: [Channel] = []
    public var format: Format = .json

    public init(from: LocalDay, to: LocalDay) {
        self.from = from
        self.to = to
    }

    /// Reads the query string; every bad argument is listed (422).
    public static func parse(_ value: @escaping (String) -> String?) throws(FieldErrors) -> ReportQuery {
        let reader = QueryReader(value)
        let (from, to) = reader.days(required: true)
        let reporters = reader.list("reporter", Reporter.self)
        let routes = reader.list("route", RouteBucket.self)
        let kinds = reader.list("kind", SignalKind.self)
        let channels = reader.list("channel", Channel.self)
        let format = reader.format()
        guard reader.errors.isEmpty, let from, let to else { throw reader.errors }
        var q = ReportQuery(from: from, to: to)
        q.reporters = reporters
        q.routes = routes
        q.kinds = kinds
        q.channels = channels
        q.format = format
        return q
    }

    public func range(in timeZone: TimeZone) -> DayRange {
        DayRange(from: from, to: to, timeZone: timeZone)
    }

    /// Whether a signal with these facts passes every filter.
    public func matches(reporter: Reporter, route: SignalRoute?, kind: SignalKind, channel: Channel) -> Bool {
        (reporters.isEmpty || reporters.contains(reporter))
            && (routes.isEmpty || routes.contains(RouteBucket(route)))
            && (kinds.isEmpty || kinds.contains(kind))
            && (channels.isEmpty || channels.contains(channel))
    }
}

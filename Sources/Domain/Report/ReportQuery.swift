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
    public static func parse(_ value: (String) -> String?) throws(FieldErrors) -> ReportQuery {
        var errors = FieldErrors("query")
        func day(_ name: String) -> LocalDay? {
            guard let s = value(name), !s.isEmpty else {
                errors.add(name, "is required: a day YYYY-MM-DD in the city's time zone")
                return nil
            }
            guard let d = LocalDay(s) else {
                errors.add(name, "must be a day YYYY-MM-DD")
                return nil
            }
            return d
        }
        func list<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> [E] where E.RawValue == String {
            guard let raw = value(name), !raw.isEmpty else { return [] }
            var out: [E] = []
            for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
                let word = part.trimmingCharacters(in: .whitespaces)
                guard let v = E(rawValue: word) else {
                    errors.add(name, "must be one or more of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated), not \"\(word.prefix(40))\"")
                    return []
                }
                if !out.contains(where: { $0.rawValue == v.rawValue }) { out.append(v) }
            }
            return out
        }
        let from = day("from")
        let to = day("to")
        if let from, let to, to < from { errors.add("to", "must not be before from") }
        let reporters = list("reporter", Reporter.self)
        let routes = list("route", RouteBucket.self)
        let kinds = list("kind", SignalKind.self)
        let channels = list("channel", Channel.self)
        var format = Format.json
        if let f = value("format"), !f.isEmpty {
            if let parsed = Format(rawValue: f) { format = parsed } else { errors.add("format", "must be json or csv") }
        }
        guard errors.isEmpty, let from, let to else { throw errors }
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

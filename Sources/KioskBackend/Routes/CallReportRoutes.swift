import CallLog
import Domain
import Foundation

/// The phone line's figures (docs/interface.md §7–8): `GET /api/v1/reports/calls`, JSON or CSV.
enum CallReportRoutes {
    static let roles: Set<Role> = [.coordinator, .admin]

    /// The report: the range, the figures of ``CallFigures`` under their contract
    /// keys, and the settings they were computed with.
    struct Report: Encodable, Sendable {
        var from: String
        var to: String
        var figures: CallFigures
        var timeZone: String
        var serviceLevelSeconds: Int
        var shortAbandonSeconds: Int
        /// Inbound calls agents logged by hand in the range; not in the figures, which need the exchange's times.
        var manualCalls: Int

        enum CodingKeys: String, CodingKey {
            case from, to
            case timeZone = "time_zone"
            case serviceLevelSeconds = "service_level_seconds"
            case shortAbandonSeconds = "short_abandon_seconds"
            case manualCalls = "manual_calls"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(timeZone, forKey: .timeZone)
            try c.encode(serviceLevelSeconds, forKey: .serviceLevelSeconds)
            try c.encode(shortAbandonSeconds, forKey: .shortAbandonSeconds)
            try c.encode(manualCalls, forKey: .manualCalls)
            // The figures' own keys, in the same object.
            try figures.encode(to: encoder)
        }

        /// The same figures as `figure,value` lines: `by_outcome.signal`, `by_hour.09` (09:00–09:59).
        var csv: String {
            let f = figures
            var lines: [(String, String)] = [
                ("from", from), ("to", to), ("time_zone", timeZone),
                ("service_level_seconds", "\(serviceLevelSeconds)"),
                ("short_abandon_seconds", "\(shortAbandonSeconds)"),
                ("offered", "\(f.offered)"), ("answered", "\(f.answered)"), ("abandoned", "\(f.abandoned)"),
                ("short_abandoned", "\(f.shortAbandoned)"), ("service_level", "\(f.serviceLevel)"),
                ("abandon_rate", "\(f.abandonRate)"),
                ("average_speed_of_answer_seconds", "\(f.averageSpeedOfAnswerSeconds)"),
                ("average_talk_seconds", "\(f.averageTalkSeconds)"), ("in_progress", "\(f.inProgress)"),
            ]
            for outcome in CallOutcome.allCases {
                lines.append(("by_outcome.\(outcome.rawValue)", "\(f.byOutcome[outcome])"))
            }
            lines.append(("by_outcome.unlogged", "\(f.byOutcome[nil])"))
            for (hour, count) in f.byHour.enumerated() {
                lines.append((hour < 10 ? "by_hour.0\(hour)" : "by_hour.\(hour)", "\(count)"))
            }
            lines.append(("signals_created", "\(f.signalsCreated)"))
            lines.append(("manual_calls", "\(manualCalls)"))
            return (["figure,value"] + lines.map { "\($0),\($1)" }).joined(separator: "\r\n") + "\r\n"
        }
    }

    /// Ranges at least this long are scanned in pieces on several reader connections at once.
    static let parallelFromDays = 14

    /// The report's rows: for a long range, pieces of it scanned in parallel (a year of a
    /// busy line is a million rows, and SQLite scans one index on one core). Each piece
    /// reads its own snapshot; a piece's boundary lies inside a long range, where no call
    /// still changes, so this gives the figures a single snapshot would.
    static func reportRows(_ interval: DateInterval, env: AppEnvironment) async throws -> [[CallQueries.ReportRow]] {
        let long = interval.duration >= Double(parallelFromDays) * 86_400
        let count = long ? min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
        let pieces = CallQueries.reportPieces(interval, count: count)
        return try await withThrowingTaskGroup(of: [CallQueries.ReportRow].self) { group in
            for piece in pieces {
                group.addTask {
                    try await env.store.read { db in
                        try CallQueries.reportRows(from: piece.start, to: piece.end, db: db)
                    }
                }
            }
            var parts: [[CallQueries.ReportRow]] = []
            for try await part in group { parts.append(part) }
            return parts
        }
    }

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("GET", "/api/v1/reports/calls", personalData: false) { ctx in
                try ctx.require(roles, to: "read reports")
                let q = QueryReader { ctx.request.queryValue($0) }
                let range = DayQuery.range(q, env: env, defaultDays: 1, required: true)
                let format = q.format()
                guard q.errors.isEmpty, let range else { throw q.errors }

                let config = env.config
                await leaveServerThread()  // a range can hold every call
                let figures = CallQueries.figures(
                    of: try await reportRows(range.interval, env: env), interval: range.interval,
                    timeZone: config.timeZone, serviceLevelSeconds: config.phoneLine.serviceLevelSeconds,
                    shortAbandonSeconds: config.phoneLine.shortAbandonSeconds)
                let manual = try await env.store.read { db in
                    try CallQueries.manualCount(interval: range.interval, db: db)
                }
                let report = Report(
                    from: range.from, to: range.to, figures: figures, timeZone: config.timeZone.identifier,
                    serviceLevelSeconds: config.phoneLine.serviceLevelSeconds,
                    shortAbandonSeconds: config.phoneLine.shortAbandonSeconds, manualCalls: manual)
                guard format == .csv else { return .json(report) }
                var response = HTTPResponse.text(report.csv, contentType: "text/csv; charset=utf-8")
                response.setHeader(
                    "Content-Disposition", "attachment; filename=\"calls-\(range.from)-\(range.to).csv\"")
                return response
            }
        ]
    }
}

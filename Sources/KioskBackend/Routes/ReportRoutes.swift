import Domain
import Foundation

/// `GET /api/v1/reports/signals` (docs/interface.md §7): the figures of the signals received in
/// a range of days, as JSON or, with `format=csv`, as CSV for a spreadsheet.
enum ReportRoutes {
    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("GET", "/api/v1/reports/signals", personalData: false) { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "read reports")
                let query = try ReportQuery.parse { ctx.request.queryValue($0) }
                let config = env.config
                let range = query.range(in: config.timeZone)
                await leaveServerThread()  // a range can hold every signal
                let tallies = try await ReportQueries.tallies(query, range: range, config: config, store: env.store)
                let report = SignalReport(query: query, tallies: tallies, config: config)
                switch query.format {
                case .json:
                    return .json(ReportResource(report: report, timeZone: config.timeZone.identifier))
                case .csv:
                    var response = HTTPResponse.text(ReportCSV.text(report), contentType: "text/csv; charset=utf-8; header=present")
                    response.setHeader("Content-Disposition", "attachment; filename=\"signalen-\(query.from)-\(query.to).csv\"")
                    return response
                }
            },
        ]
    }
}

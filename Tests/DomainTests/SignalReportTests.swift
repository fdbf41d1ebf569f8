import Domain
import Foundation
import Testing

/// The report's figures from tallies: filters, fixed sets, shares, percentiles, the query string.
struct SignalReportTests {
    typealias Key = ReportTallies.Key
    let config = BackOfficeFixtures.config

    static let webCitizen = Key(reporter: .citizen, route: .opunt, kind: .report, channel: .web)
    static let phoneStaff = Key(reporter: .staff, route: nil, kind: .complaint, channel: .phone)

    func query(_ text: String) throws(FieldErrors) -> ReportQuery {
        let pairs = text.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        return try ReportQuery.parse { name in pairs.first { $0[0] == name }.map { $0.count > 1 ? $0[1] : "" } }
    }

    var tallies: ReportTallies {
        var t = ReportTallies()
        t.byNature = [
            .init(key: Self.webCitizen, value: .service, count: 6),
            .init(key: Self.webCitizen, value: nil, count: 2),
            .init(key: Self.phoneStaff, value: nil, count: 2),
        ]
        t.byMainCategory = ["overlast": 8, "mobiliteit": 2]
        t.byDistrict = ["centrum": 5, "stene": 1]
        t.withoutDistrict = 4
        t.byScore = [.init(channel: .web, score: 2, count: 1), .init(channel: .web, score: 5, count: 3)]
        t.ombuds = 1
        t.answerTimes = [
            .init(route: .opunt, mainCategory: "overlast", milliseconds: [4000, 1000, 3000, 2000]),
            .init(route: nil, mainCategory: "mobiliteit", milliseconds: [10_000]),
        ]
        return t
    }

    @Test func everyKeyOfEveryFixedSetWithSharesOfTheTotal() throws {
        let r = SignalReport(query: try query("from=2025-01-01&to=2025-12-31"), tallies: tallies, config: config)
        #expect(r.total == 10)
        #expect(r.byChannel.map(\.key) == ["web", "kiosk", "counter", "phone", "email", "letter"])
        #expect(r.byChannel.map(\.count) == [8, 0, 0, 2, 0, 0])
        #expect(r.webShare == 0.8)
        #expect(r.byRoute.map(\.key) == ["opunt", "special_procedure", "external", "unrouted"])
        #expect(r.byRoute.map(\.count) == [8, 0, 0, 2])
        #expect(r.byNature.map(\.key) == ["service", "policy", "combination", "undetermined", "unclassified"])
        #expect(r.byNature.map(\.count) == [6, 0, 0, 0, 4])
        #expect(r.byMainCategory.map(\.key) == config.categories.map(\.key))
        #expect(r.byDistrict.count == config.districts.count)
        let centrum = try #require(r.byDistrict.first { $0.key == "centrum" })
        #expect(centrum.count == 5 && centrum.share == 5.0 / 6.0)
        #expect(centrum.populationShare == 15751.0 / Double(config.totalPopulation))
        #expect(r.withoutDistrict == 4)
        #expect(r.ombudsReferrals == 1)
        #expect(r.experience.answered == 4 && r.experience.mean == 17.0 / 4.0 && r.experience.distribution == [0, 1, 0, 0, 3])
        #expect(r.experienceByChannel.map(\.channel) == Channel.allCases)
        #expect(r.experienceByChannel[3].experience.mean == nil)
        let opunt = r.answerTimeByRoute[0]
        #expect(opunt.answered == 4 && opunt.medianSeconds == 2 && opunt.p90Seconds == 4)
        #expect(r.answerTimeByRoute[3].medianSeconds == 10)
        #expect(r.answerTimeByRoute[1].answered == 0 && r.answerTimeByRoute[1].medianSeconds == nil)
    }

    @Test func filtersCombine() throws {
        // The store filters every tally but the nature one, which the report filters itself.
        let r = SignalReport(query: try query("from=2025-01-01&to=2025-12-31&reporter=staff&route=unrouted"), tallies: tallies, config: config)
        #expect(r.total == 2 && r.webShare == 0 && r.byRoute.map(\.count) == [0, 0, 0, 2])
        #expect(r.answerTimeByRoute.map(\.answered) == [0, 0, 0, 1])
        let none = SignalReport(query: try query("from=2025-01-01&to=2025-12-31&reporter=staff&channel=web"), tallies: ReportTallies(), config: config)
        #expect(none.total == 0 && none.byDistrict.allSatisfy { $0.share == 0 } && none.experience.mean == nil)
    }

    @Test func queryErrorsAreAllNamed() {
        #expect(throws: FieldErrors("query", [
            FieldError(field: "from", message: "is required: a day YYYY-MM-DD in the city's time zone"),
            FieldError(field: "to", message: "must be a day YYYY-MM-DD"),
            FieldError(field: "kind", message: "must be one or more of report, complaint, suggestion, compliment (comma-separated), not \"praise\""),
            FieldError(field: "format", message: "must be json or csv"),
        ])) { try query("to=2025-13-01&kind=report,praise&format=xlsx") }
        #expect(throws: FieldErrors("query", [FieldError(field: "to", message: "must not be before from")])) {
            try query("from=2025-02-01&to=2025-01-31")
        }
    }

    @Test func daysAreInTheCitysTimeZone() throws {
        let range = try query("from=2025-01-01&to=2025-12-31").range(in: BackOfficeFixtures.config.timeZone)
        #expect(range.contains(Timestamp.parse("2024-12-31T23:30:00Z")!))
        #expect(!range.contains(Timestamp.parse("2025-12-31T23:30:00Z")!))
        #expect(range.contains(Timestamp.parse("2025-12-31T22:59:59Z")!))
    }

    @Test(arguments: [
        ([1, 2, 3, 4], 50, 2), ([1, 2, 3, 4], 90, 4), ([5], 50, 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        (Array(1...30), 90, 27), (Array(1...3), 50, 2),
    ])
    func nearestRank(_ values: [Int], _ percent: Int, _ expected: Int) {
        #expect(Percentile.nearestRank(values, percent: percent) == expected)
    }

    /// Selection finds what sorting finds, for any order, duplicates and sizes (the report's
    /// answer times used to be sorted whole for two percentiles).
    @Test func nearestRanksBySelectionAreThoseOfTheSortedList() {
        var g = SystemRandomNumberGenerator()
        var lists: [[Int64]] = [[7], [2, 1], [5, 5, 5, 5], Array(0..<1000), Array((0..<1000).reversed()),
                                (0..<1000).map { $0 % 2 == 0 ? $0 : 1000 - $0 }]
        for _ in 0..<300 {
            let n = Int.random(in: 1...2000, using: &g)
            let spread = Int64.random(in: 1...Int64(n * 2), using: &g)  // small spreads: many duplicates
            lists.append((0..<n).map { _ in Int64.random(in: 0..<spread, using: &g) })
        }
        for list in lists {
            let sorted = list.sorted()
            for percents in [[50, 90], [90, 50], [1, 100], [50, 50], [37]] {
                #expect(Percentile.nearestRanks(list, percents: percents) == percents.map { Percentile.nearestRank(sorted, percent: $0) },
                        "n = \(list.count), \(percents)")
            }
        }
        #expect(Percentile.nearestRanks([Int64](), percents: [50, 90]) == [nil, nil])
    }

    @Test func monthsAreEveryMonthOfTheRangeAcrossYearEnds() throws {
        let months = SignalReport.months(from: LocalDay("2024-11-30")!, to: LocalDay("2026-02-01")!)
        #expect(months == ["2024-11", "2024-12"] + (1...12).map { String(format: "2025-%02d", $0) } + ["2026-01", "2026-02"])
        #expect(SignalReport.months(from: LocalDay("2025-03-05")!, to: LocalDay("2025-03-05")!) == ["2025-03"])
        var t = ReportTallies()
        t.byMonth = ["2025-02": 4, "2024-02": 9]
        t.complaintOutcomes = [.upheld: 2, nil: 3]
        let r = SignalReport(query: try query("from=2025-01-01&to=2025-03-31"), tallies: t, config: config)
        #expect(r.byMonth.map(\.month) == ["2025-01", "2025-02", "2025-03"])
        #expect(r.byMonth.map(\.count) == [0, 4, 0])
        #expect(r.complaintOutcomes.map(\.key) == ["upheld", "partly_upheld", "not_upheld", "inadmissible", "none"])
        #expect(r.complaintOutcomes.map(\.count) == [2, 0, 0, 0, 3])
    }
}

import Domain

/// The JSON shape of the signals report (docs/interface.md §7), plus `shares` (every count as a
/// fraction of `total`), `without_district`, `experience.by_channel`, `answer_time`
/// (median and 90th percentile seconds from received to answered, per route and per
/// main category), `on_time`, `by_month` (every month of the range, in order), `by_subcategory`,
/// `complaint_outcomes`, and the `filters` and `time_zone` the figures were made with.
struct ReportResource: Encodable {
    let report: SignalReport
    let timeZone: String

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        let r = report
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(r.query.from.description, forKey: Key("from"))
        try c.encode(r.query.to.description, forKey: Key("to"))
        try c.encode(timeZone, forKey: Key("time_zone"))
        try c.encode(
            [
                "reporter": r.query.reporters.map(\.rawValue), "route": r.query.routes.map(\.rawValue),
                "kind": r.query.kinds.map(\.rawValue), "channel": r.query.channels.map(\.rawValue),
            ], forKey: Key("filters"))
        try c.encode(r.total, forKey: Key("total"))
        let sections: [(String, [SignalReport.Share])] = [
            ("by_reporter", r.byReporter), ("by_channel", r.byChannel), ("by_kind", r.byKind),
            ("by_route", r.byRoute), ("by_main_category", r.byMainCategory), ("by_nature", r.byNature),
        ]
        var shares = c.nestedContainer(keyedBy: Key.self, forKey: Key("shares"))
        for (name, list) in sections {
            try c.encode(Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0.count) }), forKey: Key(name))
            try shares.encode(Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0.share) }), forKey: Key(name))
        }
        try c.encode(r.webShare, forKey: Key("web_share"))
        try c.encode(r.byDistrict.map(DistrictItem.init), forKey: Key("by_district"))
        try c.encode(r.withoutDistrict, forKey: Key("without_district"))
        try c.encode(r.ombudsReferrals, forKey: Key("ombuds_referrals"))
        try c.encode(
            ["asked": r.satisfaction.asked, "given": r.satisfaction.given, "satisfied": r.satisfaction.satisfied],
            forKey: Key("satisfaction"))

        try c.encode(["answered": r.onTime.answered, "on_time": r.onTime.onTime], forKey: Key("on_time"))
        var byMonth = c.nestedContainer(keyedBy: Key.self, forKey: Key("by_month"))
        for m in r.byMonth { try byMonth.encode(m.count, forKey: Key(m.month)) }
        var bySubcategory = c.nestedContainer(keyedBy: Key.self, forKey: Key("by_subcategory"))
        for s in r.bySubcategory { try bySubcategory.encode(s.count, forKey: Key(s.key)) }
        var outcomes = c.nestedContainer(keyedBy: Key.self, forKey: Key("complaint_outcomes"))
        for o in r.complaintOutcomes { try outcomes.encode(o.count, forKey: Key(o.key)) }

        var experience = c.nestedContainer(keyedBy: Key.self, forKey: Key("experience"))
        try Self.encode(r.experience, into: &experience)
        var byChannel = experience.nestedContainer(keyedBy: Key.self, forKey: Key("by_channel"))
        for (channel, e) in r.experienceByChannel {
            var one = byChannel.nestedContainer(keyedBy: Key.self, forKey: Key(channel.rawValue))
            try Self.encode(e, into: &one)
        }

        var answerTime = c.nestedContainer(keyedBy: Key.self, forKey: Key("answer_time"))
        for (name, list) in [("by_route", r.answerTimeByRoute), ("by_main_category", r.answerTimeByMainCategory)] {
            var group = answerTime.nestedContainer(keyedBy: Key.self, forKey: Key(name))
            for t in list {
                var one = group.nestedContainer(keyedBy: Key.self, forKey: Key(t.key))
                try one.encode(t.answered, forKey: Key("answered"))
                try one.encode(t.medianSeconds, forKey: Key("median_seconds"))
                try one.encode(t.p90Seconds, forKey: Key("p90_seconds"))
            }
        }
    }

    static func encode(_ e: SignalReport.Experience, into c: inout KeyedEncodingContainer<Key>) throws {
        try c.encode(e.answered, forKey: Key("answered"))
        try c.encode(e.mean, forKey: Key("mean"))
        try c.encode(
            Dictionary(uniqueKeysWithValues: e.distribution.enumerated().map { ("\($0.offset + 1)", $0.element) }),
            forKey: Key("distribution"))
    }

    struct DistrictItem: Encodable {
        let district: String
        let count: Int
        let share: Double
        let populationShare: Double
        let populationEstimated: Bool

        init(_ d: SignalReport.District) {
            district = d.key
            count = d.count
            share = d.share
            populationShare = d.populationShare
            populationEstimated = d.populationEstimated
        }

        enum CodingKeys: String, CodingKey {
            case district, count, share
            case populationShare = "population_share"
            case populationEstimated = "population_estimated"
        }
    }
}

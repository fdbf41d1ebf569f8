import Domain

/// The signals report as CSV (RFC 4180, UTF-8 with a byte-order mark so that a
/// spreadsheet opens it as UTF-8): one figure per line, `section,key,measure,value`,
/// the same figures as the JSON. Numbers use a decimal point; shares are fractions.
enum ReportCSV {
    static func text(_ r: SignalReport) -> String {
        var lines = ["section,key,measure,value"]
        func add(_ section: String, _ key: String, _ measure: String, _ value: String) {
            lines.append([section, key, measure, value].map(field).joined(separator: ","))
        }
        func number(_ d: Double?) -> String { d.map { "\($0)" } ?? "" }

        add("period", "from", "day", r.query.from.description)
        add("period", "to", "day", r.query.to.description)
        add("filter", "reporter", "values", r.query.reporters.map(\.rawValue).joined(separator: " "))
        add("filter", "route", "values", r.query.routes.map(\.rawValue).joined(separator: " "))
        add("filter", "kind", "values", r.query.kinds.map(\.rawValue).joined(separator: " "))
        add("filter", "channel", "values", r.query.channels.map(\.rawValue).joined(separator: " "))
        add("total", "", "count", "\(r.total)")
        let sections: [(String, [SignalReport.Share])] = [
            ("by_reporter", r.byReporter), ("by_channel", r.byChannel), ("by_kind", r.byKind),
            ("by_route", r.byRoute), ("by_main_category", r.byMainCategory), ("by_nature", r.byNature),
        ]
        for (name, list) in sections {
            for s in list {
                add(name, s.key, "count", "\(s.count)")
                add(name, s.key, "share", number(s.share))
            }
        }
        add("web_share", "", "share", number(r.webShare))
        for d in r.byDistrict {
            add("by_district", d.key, "count", "\(d.count)")
            add("by_district", d.key, "share", number(d.share))
            add("by_district", d.key, "population_share", number(d.populationShare))
        }
        add("without_district", "", "count", "\(r.withoutDistrict)")
        add("ombuds_referrals", "", "count", "\(r.ombudsReferrals)")
        add("satisfaction", "", "asked", "\(r.satisfaction.asked)")
        add("satisfaction", "", "given", "\(r.satisfaction.given)")
        add("satisfaction", "", "satisfied", "\(r.satisfaction.satisfied)")
        func experience(_ section: String, _ key: String, _ e: SignalReport.Experience) {
            add(section, key, "answered", "\(e.answered)")
            add(section, key, "mean", number(e.mean))
            for (i, n) in e.distribution.enumerated() { add(section, key, "score_\(i + 1)", "\(n)") }
        }
        experience("experience", "", r.experience)
        for (channel, e) in r.experienceByChannel { experience("experience_by_channel", channel.rawValue, e) }
        for (section, list) in [("answer_time_by_route", r.answerTimeByRoute), ("answer_time_by_main_category", r.answerTimeByMainCategory)] {
            for t in list {
                add(section, t.key, "answered", "\(t.answered)")
                add(section, t.key, "median_seconds", t.medianSeconds.map { "\($0)" } ?? "")
                add(section, t.key, "p90_seconds", t.p90Seconds.map { "\($0)" } ?? "")
            }
        }
        add("on_time", "", "answered", "\(r.onTime.answered)")
        add("on_time", "", "on_time", "\(r.onTime.onTime)")
        for m in r.byMonth { add("by_month", m.month, "count", "\(m.count)") }
        for s in r.bySubcategory { add("by_subcategory", s.key, "count", "\(s.count)") }
        for o in r.complaintOutcomes { add("complaint_outcomes", o.key, "count", "\(o.count)") }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a field when it holds a comma, quote or line break; a leading =, +, - or @
    /// is prefixed with ' so a spreadsheet never runs it as a formula.
    static func field(_ s: String) -> String {
        var s = s
        if let first = s.first, "=+-@".contains(first), Double(s) == nil { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation

/// The back office's changes to a signal (docs/interface.md §4, `PATCH /api/v1/signals/{reference}`).
///
/// A pure function from the stored signal and a request body to the new signal and
/// the list of changes it makes, or every reason the body is refused. Nothing is
/// half-applied: either every field of the body holds and all are applied, or none is.
///
/// Rules:
/// - `status` moves only along `SignalStatus.allowedNext` (409 naming the allowed
///   next states). `answered` needs answer text (given now or before) and stamps
///   `answered_at` (a coordinator importing history may give `answered_at`);
///   `closed` stamps `closed_at`. A closed signal no longer changes.
/// - `route` with the keys that fit it, each checked against the config:
///   `opunt` takes a `department` (defaulting to the category's department);
///   `special_procedure` takes a `special_procedure` and hands the signal wholly to
///   that procedure's department (a different `department` is refused);
///   `external` takes an `external_party` (defaulting to the category's party) and
///   `consent_forward`. A key that does not fit the route is refused, naming it;
///   changing route clears the keys of the old one.
/// - For `external`, the signal counts as forwarded only with the reporter's consent,
///   and the answer always carries the party's contact details (appended when the
///   text does not already hold them), so the reporter can reach it directly.
/// - `nature` (null clears it back to unclassified) and `answer`.
/// - `outcome`, complaints only, recorded when the complaint is answered: with
///   `status: answered` in the same body, or later on an answered complaint (a correction).
public struct SignalUpdate: Sendable {
    public let config: CityConfig

    public init(config: CityConfig) {
        self.config = config
    }

    public static let fields: Set<String> = [
        "status", "route", "department", "special_procedure", "external_party", "consent_forward",
        "nature", "outcome", "answer", "answered_at", "assignee", "reason",
    ]

    /// Fields that may be null: `nature` (unclassified again) and `assignee` (nobody).
    public static let nullable: Set<String> = ["nature", "assignee"]

    public static let maxAssignee = 100
    public static let maxReason = 1_000

    public static let maxAnswer = 10_000

    /// How far a given `answered_at` may lie past the service's clock (clock skew).
    public static let clockSkew: TimeInterval = 300

    public struct Outcome: Sendable, Equatable {
        public var signal: Signal
        /// In a fixed order: status, route and its keys, forwarding, nature, answer, stamps.
        public var changes: [SignalChange]
    }

    public func apply(_ body: [String: JSONValue], to current: Signal, now: Date) throws(SignalUpdateError) -> Outcome {
        let r = JSONReader(body, subject: "change")
        r.rejectUnknownKeys(
            Self.fields,
            message: "is not a field the back office can change (known: \(Self.fields.sorted().joined(separator: ", ")))")
        for key in Self.fields.sorted() where !Self.nullable.contains(key) && body[key] == .null {
            r.fail(key, "must not be null")
        }
        if case .string(let s)? = body["answer"], s.trimmingWhitespace().isEmpty {
            r.fail("answer", "must not be empty")
        }

        let newStatus = r.oneOf("status", SignalStatus.self)
        let newRoute = r.oneOf("route", SignalRoute.self)
        let givenDepartment = key(r, "department", known: config.departments.map(\.key), what: "department")
        let givenProcedure = key(r, "special_procedure", known: config.specialProcedures.map(\.key), what: "special procedure")
        let givenParty = key(r, "external_party", known: config.externalParties.map(\.key), what: "external party")
        let givenConsent = r.bool("consent_forward")
        let natureGiven = body.keys.contains("nature")
        let givenNature = r.oneOf("nature", Nature.self)
        let givenOutcome = r.oneOf("outcome", ComplaintOutcome.self)
        let givenAnswer = r.string("answer", maxLength: Self.maxAnswer)
        let givenAnsweredAt = r.timestamp("answered_at")
        let givenAssignee = r.string("assignee", maxLength: Self.maxAssignee, allowEmpty: true)
        if givenAssignee == "" { r.fail("assignee", "must not be empty (null: nobody)") }
        let givenReason = r.string("reason", maxLength: Self.maxReason, allowEmpty: true)
        if givenReason == "" { r.fail("reason", "must not be empty") }
        if body.keys.contains("reason") && body["status"] == nil {
            r.fail("reason", "goes with a status change: it says why")
        }

        // A closed signal takes no change but a reopen (docs/interface.md §13), which its
        // history records with who and why.
        if current.status == .closed && newStatus == .inProgress {
            let others = Set(body.keys).subtracting(["status", "reason"])
            guard others.isEmpty else { throw .closed }
            guard r.errors.isEmpty else { throw .invalid(r.errors) }
            var reopened = current
            reopened.status = .inProgress
            reopened.closedAt = nil
            reopened.duplicateOf = nil
            reopened.updatedAt = now
            var changes = Self.changes(from: current, to: reopened)
            if let givenReason { changes.append(SignalChange(field: "reason", old: nil, new: givenReason)) }
            return Outcome(signal: reopened, changes: changes)
        }

        var next = current
        if body.keys.contains("assignee") { next.assignee = givenAssignee }

        // Route and the keys that fit it.
        let route = newRoute ?? current.route
        let hint = config.resolveCategory(current.category)
        let routeChanged = route != current.route
        func doesNotFit(_ field: String, only: SignalRoute) {
            if let route {
                r.fail(field, "does not fit route \(route.rawValue) (only route \(only.rawValue))")
            } else {
                r.fail(field, "fits only a routed signal: set route \(only.rawValue) too")
            }
        }
        /// The key `route` needs in `field`: given, else the signal's own unless the route changes,
        /// else the category's; named as missing when there is none and the body did not clear it.
        func required(_ field: String, by route: SignalRoute, given: String?, current: String?, hint: String?, among known: [String]) -> String? {
            let value = given ?? (routeChanged ? nil : current) ?? hint
            if value == nil && !body.keys.contains(field) {
                r.fail(field, "is required for route \(route.rawValue) (one of \(known.joined(separator: ", ")))")
            }
            return value
        }
        if body.keys.contains("special_procedure") && route != .specialProcedure { doesNotFit("special_procedure", only: .specialProcedure) }
        if body.keys.contains("external_party") && route != .external { doesNotFit("external_party", only: .external) }
        if body.keys.contains("consent_forward") && route != .external { doesNotFit("consent_forward", only: .external) }
        if body.keys.contains("department") && route == nil { doesNotFit("department", only: .opunt) }
        if body.keys.contains("department") && route == .external {
            r.fail("department", "does not fit route external: the signal is not for the city (only routes opunt and special_procedure)")
        }
        switch route {
        case nil:
            break
        case .opunt?:
            next.department = required(
                "department", by: .opunt, given: givenDepartment, current: current.department,
                hint: hint?.sub?.department ?? hint?.main.department, among: config.departments.map(\.key))
            next.specialProcedure = nil
            next.externalParty = nil
        case .specialProcedure?:
            let key = givenProcedure ?? (routeChanged ? nil : current.specialProcedure)
            if let key, let procedure = config.specialProcedure(key) {
                if let d = givenDepartment, d != procedure.department {
                    r.fail("department", "is set by special procedure \(key): the signal goes wholly to department \(procedure.department)")
                }
                next.specialProcedure = key
                next.department = procedure.department
            } else if !body.keys.contains("special_procedure") {
                r.fail("special_procedure", "is required for route special_procedure (one of \(config.specialProcedures.map(\.key).joined(separator: ", ")))")
            }
            next.externalParty = nil
        case .external?:
            next.externalParty = required(
                "external_party", by: .external, given: givenParty, current: current.externalParty,
                hint: hint?.sub?.externalParty ?? hint?.main.externalParty, among: config.externalParties.map(\.key))
            next.department = nil
            next.specialProcedure = nil
            if let givenConsent { next.consentForward = givenConsent }
        }
        next.route = route

        if natureGiven && (body["nature"] == .null || givenNature != nil) { next.nature = givenNature }
        if let givenAnswer { next.answer = givenAnswer }
        if body.keys.contains("outcome") && !r.errors.all.contains(where: { $0.field == "outcome" }) {
            if current.kind != .complaint {
                r.fail("outcome", "is for complaints only (this signal is a \(current.kind.rawValue))")
            } else if current.status != .answered && current.status != .closed && newStatus != .answered {
                // (A closed signal takes no change at all: 409 below.)
                r.fail("outcome", "is recorded when the complaint is answered: give it with status answered, or once it is answered")
            } else if let givenOutcome {
                next.outcome = givenOutcome
            }
        }

        // Status: the step must be allowed; answering needs the text the reporter gets.
        var illegalStep: SignalUpdateError?
        if let newStatus, newStatus != current.status {
            if current.status.canMove(to: newStatus) {
                next.status = newStatus
                switch newStatus {
                case .answered:
                    if next.answer == nil && !body.keys.contains("answer") {
                        r.fail("answer", "is required to set status answered: it is the text the reporter gets")
                    }
                    next.answeredAt = givenAnsweredAt ?? now
                case .closed:
                    next.closedAt = now
                case .received, .inProgress:
                    break
                }
            } else {
                illegalStep = .transition(from: current.status, to: newStatus, allowed: current.status.allowedNext)
            }
        }
        if let t = givenAnsweredAt {
            if newStatus != .answered || current.status == .answered {
                r.fail("answered_at", "may only be given with status answered, when the signal is answered")
            } else if t < current.receivedAt {
                r.fail("answered_at", "must not be before received_at (\(Timestamp.format(current.receivedAt)))")
            } else if t > now.addingTimeInterval(Self.clockSkew) {
                r.fail("answered_at", "must not be in the future")
            }
        }

        guard r.errors.isEmpty else { throw .invalid(r.errors) }
        if let illegalStep { throw illegalStep }

        // For an external party, the answer always tells the reporter how to reach it.
        if next.route == .external, let answer = next.answer, let key = next.externalParty, let party = config.externalParty(key) {
            next.answer = Self.withContactDetails(answer, party: party, language: current.contact?.language ?? "nl")
        }

        var changes = Self.changes(from: current, to: next)
        if !changes.isEmpty {
            if current.status == .closed { throw .closed }
            next.updatedAt = now
            if let givenReason { changes.append(SignalChange(field: "reason", old: nil, new: givenReason)) }
        }
        return Outcome(signal: next, changes: changes)
    }

    /// A key of the config, or a field error naming the known ones.
    private func key(_ r: JSONReader, _ field: String, known: [String], what: String) -> String? {
        guard let value = r.string(field, maxLength: 63) else { return nil }
        guard known.contains(value) else {
            r.fail(field, "unknown \(what) \"\(value)\" (known: \(known.joined(separator: ", ")))")
            return nil
        }
        return value
    }

    /// The party's contact details on one line: name, phone, e-mail, web address, address.
    public static func contactLine(_ party: CityConfig.Contact, language: String) -> String {
        [party.name.text(language), party.phone, party.email, party.url, party.address]
            .filter { !$0.isEmpty }
            .joined(separator: " · ")
    }

    /// `answer`, with the party's contact details appended unless it already holds each of them.
    public static func withContactDetails(_ answer: String, party: CityConfig.Contact, language: String) -> String {
        let details = [party.phone, party.email, party.url].filter { !$0.isEmpty }
        if details.allSatisfy({ answer.contains($0) }) { return answer }
        return answer + "\n\n" + contactLine(party, language: language)
    }

    /// Every field that differs, with its old and new value in the API's words.
    public static func changes(from a: Signal, to b: Signal) -> [SignalChange] {
        let fields: [(String, (Signal) -> String?)] = [
            ("status", { $0.status.rawValue }),
            ("route", { $0.route?.rawValue }),
            ("department", { $0.department }),
            ("special_procedure", { $0.specialProcedure }),
            ("external_party", { $0.externalParty }),
            ("consent_forward", { $0.consentForward.map { $0 ? "true" : "false" } }),
            ("forwarded_to", { $0.forwardedTo }),
            ("nature", { $0.nature?.rawValue }),
            ("outcome", { $0.outcome?.rawValue }),
            ("answer", { $0.answer }),
            ("answered_at", { $0.answeredAt.map(Timestamp.formatPrecise) }),
            ("closed_at", { $0.closedAt.map(Timestamp.formatPrecise) }),
            ("ombuds_referred_at", { $0.ombudsReferredAt.map(Timestamp.formatPrecise) }),
            ("assignee", { $0.assignee }),
            ("duplicate_of", { $0.duplicateOf }),
            ("proposed_answer", { $0.proposedAnswer }),
        ]
        return fields.compactMap { name, value in
            let old = value(a)
            let new = value(b)
            return old == new ? nil : SignalChange(field: name, old: old, new: new)
        }
    }
}

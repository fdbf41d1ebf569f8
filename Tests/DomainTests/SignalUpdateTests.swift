import Domain
import Foundation
import Testing

/// The Ostend config and a stored signal to change, for the back-office tests.
enum BackOfficeFixtures {
    static let config: CityConfig = {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/ostend.json").path
        guard let data = FileManager.default.contents(atPath: path),
              let config = try? CityConfig.parse(Array(data), file: "config/ostend.json")
        else { preconditionFailure("config/ostend.json is missing or invalid") }
        return config
    }()

    static let received = Date(timeIntervalSince1970: 1_750_000_000)
    static let now = Date(timeIntervalSince1970: 1_750_086_400)

    static func signal(
        category: String = "overlast/zwerfvuil", status: SignalStatus = .received, route: SignalRoute? = nil,
        configure: (inout Signal) -> Void = { _ in }
    ) -> Signal {
        let main = String(category.split(separator: "/")[0])
        let new = NewSignal(
            kind: .complaint, channel: .web, site: nil, reporter: .citizen, category: category, mainCategory: main,
            district: "centrum", address: nil, lat: nil, lon: nil, description: "Zwerfvuil", experienceScore: nil,
            contact: ContactDetails(email: "an@example.be", language: "fr"), consentForward: nil, receivedAt: nil,
            assisted: false, createdBy: "public", createdByRole: nil)
        var s = Signal(new: new, reference: "OP-AAAA-BBBB", receivedAt: received)
        s.status = status
        s.route = route
        configure(&s)
        return s
    }

    static func body(_ text: String) -> [String: JSONValue] {
        guard case .object(let o)? = try? JSONValue.parse(Array(text.utf8)) else {
            preconditionFailure("not a JSON object: \(text)")
        }
        return o
    }
}

/// The PATCH rules of docs/interface.md §4 as a pure function: what changes, what is refused and why.
struct SignalUpdateTests {
    typealias F = BackOfficeFixtures
    let update = SignalUpdate(config: F.config)

    func apply(_ body: String, to signal: Signal = F.signal()) throws(SignalUpdateError) -> SignalUpdate.Outcome {
        try update.apply(F.body(body), to: signal, now: F.now)
    }

    func errors(_ body: String, to signal: Signal = F.signal()) -> [FieldError] {
        do {
            _ = try apply(body, to: signal)
            Issue.record("expected 422 for \(body)")
            return []
        } catch {
            guard case .invalid(let errors) = error else {
                Issue.record("expected invalid, got \(error)")
                return []
            }
            #expect(errors.subject == "change")
            return errors.all
        }
    }

    // MARK: status

    struct Step: Sendable, CustomTestStringConvertible {
        var from: SignalStatus
        var to: SignalStatus
        var allowed: Bool
        var testDescription: String { "\(from.rawValue) → \(to.rawValue)" }
    }

    static let steps: [Step] = SignalStatus.allCases.flatMap { from in
        SignalStatus.allCases.filter { $0 != from }.map { to in Step(from: from, to: to, allowed: from.allowedNext.contains(to)) }
    }

    @Test(arguments: steps)
    func statusMovesOnlyAlongAllowedSteps(_ step: Step) throws {
        let signal = F.signal(status: step.from, route: .opunt) { $0.department = "netheid"; $0.answer = "Opgeruimd." }
        do {
            let out = try apply(#"{"status": "\#(step.to.rawValue)"}"#, to: signal)
            #expect(step.allowed)
            #expect(out.signal.status == step.to)
            #expect(out.changes.first == SignalChange(field: "status", old: step.from.rawValue, new: step.to.rawValue))
        } catch {
            #expect(!step.allowed)
            #expect(error == .transition(from: step.from, to: step.to, allowed: step.from.allowedNext))
        }
    }

    @Test func refusedStepNamesTheAllowedNextStates() {
        let error = SignalUpdateError.transition(from: .received, to: .answered, allowed: [.inProgress, .closed])
        #expect(error.message == "A signal cannot go from received to answered. Allowed next: in_progress, closed.")
        #expect(SignalUpdateError.transition(from: .closed, to: .inProgress, allowed: []).message
            == "A signal cannot go from closed to in_progress. It is closed and can no longer change.")
    }

    @Test func answeringNeedsTextAndStampsTheTime() throws {
        let open = F.signal(status: .inProgress, route: .opunt) { $0.department = "netheid" }
        #expect(errors(#"{"status": "answered"}"#, to: open)
            == [FieldError(field: "answer", message: "is required to set status answered: it is the text the reporter gets")])
        let out = try apply(#"{"status": "answered", "answer": "Het vuil is opgehaald."}"#, to: open)
        #expect(out.signal.answeredAt == F.now)
        #expect(out.changes.map(\.field) == ["status", "answer", "answered_at"])
    }

    @Test func importedAnswerTimeIsCheckedAgainstReceivedAndNow() throws {
        let open = F.signal(status: .inProgress, route: .opunt) { $0.department = "netheid"; $0.answer = "Klaar." }
        let at = F.received.addingTimeInterval(3600)
        let out = try apply(#"{"status": "answered", "answered_at": "\#(Timestamp.format(at))"}"#, to: open)
        #expect(out.signal.answeredAt == at)
        #expect(errors(#"{"status": "answered", "answered_at": "2020-01-01T00:00:00Z"}"#, to: open).map(\.field) == ["answered_at"])
        #expect(errors(#"{"status": "answered", "answered_at": "2099-01-01T00:00:00Z"}"#, to: open)
            == [FieldError(field: "answered_at", message: "must not be in the future")])
        #expect(errors(#"{"answered_at": "\#(Timestamp.format(at))"}"#, to: open)
            == [FieldError(field: "answered_at", message: "may only be given with status answered, when the signal is answered")])
    }

    @Test func closingStampsTheTimeAndAClosedSignalNoLongerChanges() throws {
        let out = try apply(#"{"status": "closed"}"#)
        #expect(out.signal.closedAt == F.now)
        #expect(throws: SignalUpdateError.closed) { try apply(#"{"nature": "service"}"#, to: out.signal) }
        // Naming the status it already has changes nothing and is no error.
        #expect(try apply(#"{"status": "closed"}"#, to: out.signal).changes.isEmpty)
    }

    // MARK: routes

    @Test func opuntTakesADepartmentOrTheCategorysOne() throws {
        let given = try apply(#"{"route": "opunt", "department": "wegen"}"#)
        #expect(given.signal.route == .opunt && given.signal.department == "wegen")
        #expect(given.changes == [
            SignalChange(field: "route", old: nil, new: "opunt"), SignalChange(field: "department", old: nil, new: "wegen"),
        ])
        // overlast/lawaai names leefmilieu in the config.
        let hinted = try apply(#"{"route": "opunt"}"#, to: F.signal(category: "overlast/lawaai"))
        #expect(hinted.signal.department == "leefmilieu")
    }

    @Test func specialProcedureHandsTheSignalWhollyToItsDepartment() throws {
        let out = try apply(#"{"route": "special_procedure", "special_procedure": "gas-verweer"}"#)
        #expect(out.signal.route == .specialProcedure)
        #expect(out.signal.specialProcedure == "gas-verweer")
        #expect(out.signal.department == "gas")
        #expect(errors(#"{"route": "special_procedure", "special_procedure": "gas-verweer", "department": "wegen"}"#)
            == [FieldError(field: "department", message: "is set by special procedure gas-verweer: the signal goes wholly to department gas")])
        #expect(errors(#"{"route": "special_procedure"}"#).map(\.field) == ["special_procedure"])
    }

    @Test func externalForwardsOnlyWithConsentAndTheAnswerCarriesTheContactDetails() throws {
        let without = try apply(#"{"route": "external", "external_party": "de-lijn", "answer": "Dit is voor De Lijn."}"#)
        #expect(without.signal.forwardedTo == nil)
        #expect(without.signal.answer == "Dit is voor De Lijn.\n\nDe Lijn · 070 220 200 · https://www.delijn.be")
        #expect(!without.changes.map(\.field).contains("forwarded_to"))

        let with = try apply(#"{"route": "external", "external_party": "de-lijn", "consent_forward": true}"#)
        #expect(with.signal.forwardedTo == "de-lijn")
        #expect(with.changes.contains(SignalChange(field: "forwarded_to", old: nil, new: "de-lijn")))

        // An answer given later still gets the details, in the reporter's language; one that has them is kept.
        let police = try apply(#"{"route": "external", "external_party": "politie"}"#)
        let answered = try apply(#"{"answer": "Contacteer de politie."}"#, to: police.signal)
        #expect(answered.signal.answer
            == "Contacteer de politie.\n\nPolice locale d'Ostende · 059 70 11 11 · https://www.politieoostende.be · Vindictivelaan 5, 8400 Oostende")
        let complete = "Bel 070 220 200 of zie https://www.delijn.be"
        let kept = try apply(#"{"route": "external", "external_party": "de-lijn", "answer": "\#(complete)"}"#)
        #expect(kept.signal.answer == complete)
    }

    @Test func externalPartyDefaultsToTheCategorysParty() throws {
        let out = try apply(#"{"route": "external"}"#, to: F.signal(category: "mobiliteit/openbaar-vervoer"))
        #expect(out.signal.externalParty == "de-lijn")
        #expect(errors(#"{"route": "external"}"#).map(\.field) == ["external_party"])
    }

    /// A route without the key it needs, and none on the signal or its category (one the config
    /// no longer has), names the key and the choices; the signal's own key stays while its route does.
    @Test func aRouteWithoutItsKeyNamesTheChoices() throws {
        let gone = F.signal(category: "vroeger/iets")
        let departments = F.config.departments.map(\.key).joined(separator: ", ")
        #expect(errors(#"{"route": "opunt"}"#, to: gone)
            == [FieldError(field: "department", message: "is required for route opunt (one of \(departments))")])
        let parties = F.config.externalParties.map(\.key).joined(separator: ", ")
        #expect(errors(#"{"route": "external"}"#, to: gone)
            == [FieldError(field: "external_party", message: "is required for route external (one of \(parties))")])
        let routed = F.signal(category: "vroeger/iets", route: .opunt) { $0.department = "netheid" }
        #expect(try apply(#"{"assignee": "An"}"#, to: routed).signal.department == "netheid")
        #expect(try apply(#"{"route": "opunt"}"#, to: routed).signal.department == "netheid")
    }

    @Test func changingRouteClearsTheKeysOfTheOldOne() throws {
        let special = try apply(#"{"route": "special_procedure", "special_procedure": "belastingbezwaar"}"#)
        let out = try apply(#"{"route": "external", "external_party": "fluvius"}"#, to: special.signal)
        #expect(out.signal.department == nil && out.signal.specialProcedure == nil)
        #expect(out.changes.map(\.field) == ["route", "department", "special_procedure", "external_party"])
    }

    // MARK: refusals

    @Test func unknownKeysAndValuesAreNamed() {
        #expect(errors(#"{"route": "opunt", "department": "brandweer", "colour": "red"}"#) == [
            FieldError(field: "colour", message: "is not a field the back office can change (known: answer, answered_at, assignee, consent_forward, department, external_party, nature, outcome, reason, route, special_procedure, status)"),
            FieldError(field: "department", message: "unknown department \"brandweer\" (known: wegen, groendienst, netheid, leefmilieu, mobiliteit, burgerzaken, financien, omgeving, gas, klantencontact, communicatie)"),
        ])
        #expect(errors(#"{"route": "elsewhere"}"#) == [FieldError(field: "route", message: "must be one of opunt, special_procedure, external")])
        #expect(errors(#"{"nature": "mixed"}"#).map(\.field) == ["nature"])
        #expect(errors(#"{"route": "external", "external_party": "nmbs"}"#).map(\.field) == ["external_party"])
    }

    @Test func fieldsThatDoNotFitTheRouteAreNamed() {
        #expect(errors(#"{"route": "opunt", "department": "wegen", "external_party": "de-lijn"}"#)
            == [FieldError(field: "external_party", message: "does not fit route opunt (only route external)")])
        #expect(errors(#"{"route": "opunt", "department": "wegen", "consent_forward": true}"#)
            == [FieldError(field: "consent_forward", message: "does not fit route opunt (only route external)")])
        #expect(errors(#"{"route": "external", "external_party": "de-lijn", "department": "wegen"}"#).map(\.field) == ["department"])
        #expect(errors(#"{"special_procedure": "gas-verweer"}"#)
            == [FieldError(field: "special_procedure", message: "fits only a routed signal: set route special_procedure too")])
        #expect(errors(#"{"department": "wegen"}"#)
            == [FieldError(field: "department", message: "fits only a routed signal: set route opunt too")])
    }

    @Test func nothingIsHalfApplied() {
        // A valid route with an invalid nature: the call throws, so there is no new signal at all.
        #expect(throws: SignalUpdateError.self) { try apply(#"{"route": "opunt", "department": "wegen", "nature": "x"}"#) }
        // A valid change with a refused step: 409 wins over nothing; the route is not applied either.
        #expect(throws: SignalUpdateError.transition(from: .received, to: .answered, allowed: [.inProgress, .closed])) {
            try apply(#"{"route": "opunt", "department": "wegen", "status": "answered", "answer": "Klaar."}"#)
        }
    }

    @Test func natureAndItsReset() throws {
        let out = try apply(#"{"nature": "policy"}"#)
        #expect(out.changes == [SignalChange(field: "nature", old: nil, new: "policy")])
        let reset = try apply(#"{"nature": null}"#, to: out.signal)
        #expect(reset.signal.nature == nil)
        #expect(errors(#"{"answer": "  "}"#) == [FieldError(field: "answer", message: "must not be empty")])
        #expect(errors(#"{"status": null}"#) == [FieldError(field: "status", message: "must not be null")])
    }

    @Test func anEmptyChangeChangesNothing() throws {
        let out = try apply("{}")
        #expect(out.changes.isEmpty)
        #expect(out.signal == F.signal())
    }

    // MARK: ombudsman

    @Test func ombudsReferralIsRecordedOnceEvenWhenClosed() throws {
        let closed = F.signal(status: .closed)
        let out = try #require(OmbudsReferral.refer(closed, at: F.now))
        #expect(out.signal.ombudsReferredAt == F.now)
        #expect(out.changes == [SignalChange(field: "ombuds_referred_at", old: nil, new: Timestamp.formatPrecise(F.now))])
        #expect(OmbudsReferral.refer(out.signal, at: F.now.addingTimeInterval(60)) == nil)
    }
}

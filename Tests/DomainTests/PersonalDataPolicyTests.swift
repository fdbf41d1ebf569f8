import Domain
import Testing

/// docs/interface.md §3's rule on personal data, as a table over every role and every case of a signal.
struct PersonalDataPolicyTests {
    /// A signal case: channel, site, who registered it, where it is routed.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var facts: PersonalDataPolicy.SignalFacts
        var testDescription: String { name }
    }

    /// Token ids: 1 the desk at stadhuis, 2 the desk at edith-cavell, 3 a kiosk, 4 an agent.
    static let cases: [Case] = [
        Case(name: "web, public form", facts: .init(channel: .web)),
        Case(name: "web, staff token", facts: .init(channel: .web, createdByTokenId: 9)),
        Case(name: "kiosk at stadhuis", facts: .init(channel: .kiosk, site: "stadhuis", createdByTokenId: 3)),
        Case(name: "kiosk at edith-cavell", facts: .init(channel: .kiosk, site: "edith-cavell", createdByTokenId: 5)),
        Case(name: "counter at stadhuis, desk 1", facts: .init(channel: .counter, site: "stadhuis", createdByTokenId: 1)),
        Case(name: "counter at edith-cavell, desk 2", facts: .init(channel: .counter, site: "edith-cavell", createdByTokenId: 2)),
        Case(name: "counter at stadhuis, by a coordinator", facts: .init(channel: .counter, site: "stadhuis", createdByTokenId: 7)),
        Case(name: "letter registered by desk 1", facts: .init(channel: .letter, createdByTokenId: 1)),
        Case(name: "e-mail registered by desk 2", facts: .init(channel: .email, createdByTokenId: 2)),
        Case(name: "letter of before the token id was stored", facts: .init(channel: .letter)),
        Case(name: "phone, agent", facts: .init(channel: .phone, createdByTokenId: 4)),
        Case(name: "phone routed to wegen", facts: .init(channel: .phone, createdByTokenId: 4, department: "wegen")),
        Case(name: "web routed to wegen", facts: .init(channel: .web, department: "wegen")),
    ]

    static let deskStadhuis = Caller(role: .desk, name: "Balie stadhuis", site: "stadhuis", tokenId: 1)
    static let deskCavell = Caller(role: .desk, name: "Balie Cavell", site: "edith-cavell", tokenId: 2)

    /// Every caller of docs/interface.md §3, and who of them sees personal data, written from the
    /// contract's sentence rather than from the function under test.
    static let callers: [(Caller, @Sendable (PersonalDataPolicy.SignalFacts) -> Bool)] = [
        (.anonymous, { _ in false }),
        (Caller(role: .kiosk, name: "Kiosk", site: "stadhuis", tokenId: 3), { _ in false }),
        (deskStadhuis, { $0.site == "stadhuis" || $0.createdByTokenId == 1 }),
        (deskCavell, { $0.site == "edith-cavell" || $0.createdByTokenId == 2 }),
        (Caller(role: .agent, name: "Els", tokenId: 4), { $0.channel == .phone }),
        (Caller(role: .staff, name: "Wacht", tokenId: 9), { _ in false }),
        (Caller(role: .coordinator, name: "Mia", tokenId: 7), { _ in true }),
        (Caller(role: .admin, name: "Beheer", tokenId: 8), { _ in true }),
        (Caller(role: .open311, name: "App", tokenId: 10), { _ in false }),
        (Caller(role: .pbx, name: "Centrale", tokenId: 11), { _ in false }),
        // "to a department only for signals routed to it"
        (Caller(role: .department, name: "Dienst Wegen", tokenId: 12, department: "wegen"), { $0.department == "wegen" }),
        (Caller(role: .department, name: "Dienst Netheid", tokenId: 13, department: "netheid"), { $0.department == "netheid" }),
    ]

    @Test func everyRoleIsInTheTable() {
        #expect(Set(Self.callers.compactMap(\.0.role)) == Set(Role.allCases))
        #expect(Self.callers.contains { $0.0.role == nil })
    }

    @Test(arguments: cases)
    func whoSeesPersonalData(_ example: Case) {
        for (caller, expected) in Self.callers {
            #expect(
                PersonalDataPolicy.mayShow(example.facts, to: caller) == expected(example.facts),
                "\(caller.described) \(caller.site ?? "")")
        }
    }

    /// The exact outcomes a reader checks by eye: a desk sees its own site and what it registered, nothing more.
    @Test func deskAtOneSite() {
        let stadhuis = Self.deskStadhuis
        #expect(PersonalDataPolicy.mayShow(.init(channel: .kiosk, site: "stadhuis"), to: stadhuis))
        #expect(!PersonalDataPolicy.mayShow(.init(channel: .kiosk, site: "edith-cavell"), to: stadhuis))
        #expect(PersonalDataPolicy.mayShow(.init(channel: .letter, createdByTokenId: 1), to: stadhuis))
        #expect(!PersonalDataPolicy.mayShow(.init(channel: .letter, createdByTokenId: 2), to: stadhuis))
        #expect(!PersonalDataPolicy.mayShow(.init(channel: .letter), to: stadhuis), "no token id stored: not registered by it")
        #expect(!PersonalDataPolicy.mayShow(.init(channel: .web), to: stadhuis))
        // A desk token without a site or id (never issued so) sees nothing by accident.
        #expect(!PersonalDataPolicy.mayShow(.init(channel: .web), to: Caller(role: .desk, name: "x")))
    }

    @Test(arguments: [Role?.none] + Role.allCases.map(Optional.some))
    func callerNumbers(_ role: Role?) {
        let caller = Caller(role: role, name: "x", tokenId: 1)
        let expected = role == .agent || role == .coordinator || role == .admin
        #expect(PersonalDataPolicy.mayShowCallerNumbers(to: caller) == expected)
    }

    @Test(arguments: ["contact.email", "contact.phone", "photos", "status", "answer", "created"])
    func historyRedaction(_ field: String) {
        let personal = field.hasPrefix("contact") || field == "photos"
        #expect(PersonalDataPolicy.redactsHistory(field: field, mayShow: false) == personal)
        #expect(!PersonalDataPolicy.redactsHistory(field: field, mayShow: true))
    }
}

import Domain
import Foundation
import Testing

/// docs/interface.md §13 as pure rules: search words, reopening a closed signal, merges, a
/// department's proposal and hand-back.
struct WorkQueueTests {
    typealias F = BackOfficeFixtures

    @Test(arguments: [
        ("zwerfvuil", #""zwerfvuil"*"#),
        ("Léopold  PARK", #""léopold"* "park"*"#),
        ("OP-7K3M-Q9TX", #""7k3m"* "q9tx"*"#),
        ("op-7k3m", #""7k3m"*"#),
        ("op de dijk", #""op"* "de"* "dijk"*"#),
        (#"" OR 1 NEAR(a b) description:x *"#, #""or"* "1"* "near"* "a"* "b"* "description"* "x"*"#),
    ])
    func searchWordsAreQuotedPrefixTermsNeverSyntax(_ input: String, _ expected: String) throws {
        #expect(try SearchQuery.match(input) == expected)
    }

    @Test func searchIsBounded() {
        #expect(throws: SearchQuery.Refusal.tooLong) { try SearchQuery.match(String(repeating: "a", count: 201)) }
        #expect(throws: SearchQuery.Refusal.noWords) { try SearchQuery.match(" -- \"* ") }
        #expect(throws: SearchQuery.Refusal.tooManyWords) { try SearchQuery.match(Array(repeating: "w", count: 13).joined(separator: " ")) }
    }

    @Test func aClosedSignalTakesOnlyAReopenWithItsReason() throws {
        let closed = F.signal(status: .closed) { $0.closedAt = F.received; $0.duplicateOf = "OP-CCCC-DDDD" }
        let update = SignalUpdate(config: F.config)
        let out = try update.apply(F.body(#"{"status": "in_progress", "reason": "De melder belde terug."}"#), to: closed, now: F.now)
        #expect(out.signal.status == .inProgress && out.signal.closedAt == nil && out.signal.duplicateOf == nil)
        #expect(out.changes.map(\.field) == ["status", "closed_at", "duplicate_of", "reason"])
        #expect(out.changes.last == SignalChange(field: "reason", old: nil, new: "De melder belde terug."))
        #expect(throws: SignalUpdateError.closed) { try update.apply(F.body(#"{"status": "in_progress", "nature": "service"}"#), to: closed, now: F.now) }
        #expect(throws: SignalUpdateError.closed) { try update.apply(F.body(#"{"assignee": "An"}"#), to: closed, now: F.now) }
    }

    @Test func assigneeIsSetAndCleared() throws {
        let update = SignalUpdate(config: F.config)
        let assigned = try update.apply(F.body(#"{"assignee": " An Peeters "}"#), to: F.signal(), now: F.now)
        #expect(assigned.signal.assignee == "An Peeters")
        #expect(assigned.changes == [SignalChange(field: "assignee", old: nil, new: "An Peeters")])
        let cleared = try update.apply(F.body(#"{"assignee": null}"#), to: assigned.signal, now: F.now)
        #expect(cleared.signal.assignee == nil)
    }

    @Test func mergeRefusesItselfAndLoops() {
        let a = F.signal { $0.reference = "OP-AAAA-AAAA" }
        let b = F.signal { $0.reference = "OP-BBBB-BBBB"; $0.duplicateOf = "OP-AAAA-AAAA" }
        #expect(WorkQueue.checkMerge(a, into: [a]) == .itself)
        #expect(WorkQueue.checkMerge(a, into: []) == .unknown)
        #expect(WorkQueue.checkMerge(a, into: [b, a]) == .loop)
        #expect(WorkQueue.checkMerge(b, into: [a]) == nil)
    }

    @Test func mergeIntoAnAnsweredSignalTakesItsAnswer() throws {
        let target = F.signal(status: .answered) { $0.reference = "OP-TTTT-TTTT"; $0.answer = "Opgeruimd."; $0.answeredAt = F.received }
        let out = try WorkQueue.merge(F.signal(), into: target, now: F.now)
        #expect(out.signal.status == .closed && out.signal.duplicateOf == "OP-TTTT-TTTT")
        #expect(out.signal.answer == "Opgeruimd." && out.signal.answeredAt == F.now)
        let open = try WorkQueue.merge(F.signal(), into: F.signal(status: .inProgress), now: F.now)
        #expect(open.signal.answer == nil)
        #expect(throws: SignalUpdateError.closed) { try WorkQueue.merge(F.signal(status: .closed), into: target, now: F.now) }
    }

    @Test func aDepartmentProposesAndHandsBack() throws {
        let routed = F.signal(route: .opunt) { $0.department = "netheid" }
        let proposed = try WorkQueue.propose(F.body(#"{"proposed_answer": "Morgen."}"#), to: routed, now: F.now)
        #expect(proposed.signal.proposedAnswer == "Morgen." && proposed.signal.status == .received)
        #expect(throws: SignalUpdateError.self) { try WorkQueue.propose(F.body(#"{"proposed_answer": "x", "status": "answered"}"#), to: routed, now: F.now) }
        let back = try WorkQueue.handBack(F.body(#"{"reason": "Niet voor ons."}"#), from: routed, now: F.now)
        #expect(back.signal.route == nil && back.signal.department == nil)
        #expect(back.changes.first == SignalChange(field: "hand_back", old: "netheid", new: "Niet voor ons."))
        #expect(routed.isRouted(to: "netheid") && !back.signal.isRouted(to: "netheid") && !routed.isRouted(to: "wegen"))
    }

    @Test func overdueOnlyWhileOpenAndPastDue() {
        let due = F.received.addingTimeInterval(86_400)
        let open = F.signal { $0.dueAt = due }
        #expect(open.isOverdue(at: due.addingTimeInterval(1)) && !open.isOverdue(at: due))
        #expect(!F.signal(status: .answered) { $0.dueAt = due }.isOverdue(at: due.addingTimeInterval(1)))
        #expect(!F.signal(status: .closed) { $0.dueAt = due }.isOverdue(at: due.addingTimeInterval(1)))
    }
}

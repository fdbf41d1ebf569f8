import Foundation

/// The work-queue changes of docs/interface.md §13 besides `PATCH`: internal notes, a
/// department's proposed answer and hand-back, duplicate merges. Pure functions from the stored
/// signal to the new one and its history entries, like ``SignalUpdate``.
public enum WorkQueue {
    public static let maxNote = 2_000
    public static let maxReason = 1_000
    public static let maxProposedAnswer = SignalUpdate.maxAnswer

    /// An internal note: a history entry only, the signal itself does not change. Never shown
    /// to the reporter (it is not part of the signal, its messages, status page or Open311).
    public static func note(_ body: [String: JSONValue], to current: Signal) throws(SignalUpdateError) -> SignalUpdate.Outcome {
        let r = JSONReader(body, subject: "change")
        r.rejectUnknownKeys(["text"], message: "is not a field of a note (only text)")
        let text = r.string("text", required: true, maxLength: maxNote)
        guard r.errors.isEmpty, let text else { throw .invalid(r.errors) }
        return SignalUpdate.Outcome(signal: current, changes: [SignalChange(field: "note", old: nil, new: text)])
    }

    /// A department's proposed answer (`PATCH` by a department: only `proposed_answer`; null clears it).
    public static func propose(_ body: [String: JSONValue], to current: Signal, now: Date) throws(SignalUpdateError) -> SignalUpdate.Outcome {
        let r = JSONReader(body, subject: "change")
        r.rejectUnknownKeys(["proposed_answer"], message: "is not a field a department can change (only proposed_answer)")
        let text = r.string("proposed_answer", maxLength: maxProposedAnswer)
        if body["proposed_answer"] == nil { r.fail("proposed_answer", "is required") }
        if case .string(let s)? = body["proposed_answer"], s.trimmingWhitespace().isEmpty {
            r.fail("proposed_answer", "must not be empty (null: no proposal)")
        }
        guard r.errors.isEmpty else { throw .invalid(r.errors) }
        var next = current
        next.proposedAnswer = text
        let changes = SignalUpdate.changes(from: current, to: next)
        if !changes.isEmpty {
            if current.status == .closed { throw .closed }
            next.updatedAt = now
        }
        return SignalUpdate.Outcome(signal: next, changes: changes)
    }

    /// "Hand back to O-punt": the department gives the signal back; it is unrouted (route,
    /// department and special procedure cleared) for a coordinator to route again, and the
    /// history records who and why (`hand_back`).
    public static func handBack(_ body: [String: JSONValue], from current: Signal, now: Date) throws(SignalUpdateError) -> SignalUpdate.Outcome {
        let r = JSONReader(body, subject: "change")
        r.rejectUnknownKeys(["reason"], message: "is not a field of a hand-back (only reason)")
        let reason = r.string("reason", required: true, maxLength: maxReason)
        guard r.errors.isEmpty, let reason else { throw .invalid(r.errors) }
        if current.status == .closed { throw .closed }
        var next = current
        next.route = nil
        next.department = nil
        next.specialProcedure = nil
        next.updatedAt = now
        var changes = [SignalChange(field: "hand_back", old: current.department, new: reason)]
        changes += SignalUpdate.changes(from: current, to: next)
        return SignalUpdate.Outcome(signal: next, changes: changes)
    }

    /// Why a merge is refused: each becomes a 422 on `into`.
    public enum MergeRefusal: Error, Equatable, Sendable {
        case itself, unknown, loop
        public var message: String {
            switch self {
            case .itself: "is this signal itself: a signal cannot be a duplicate of itself"
            case .unknown: "is not the reference of a signal"
            case .loop: "is, through its own duplicates, a duplicate of this signal: merging would make a loop"
            }
        }
    }

    /// The `into` chain must not come back to `current`: `chain` is REF, then what REF is a
    /// duplicate of, and so on (the caller reads it, bounded).
    public static func checkMerge(_ current: Signal, into chain: [Signal]) -> MergeRefusal? {
        guard let target = chain.first else { return .unknown }
        if target.reference == current.reference { return .itself }
        if chain.contains(where: { $0.reference == current.reference || $0.duplicateOf == current.reference }) { return .loop }
        return nil
    }

    /// Closes `current` as a duplicate of `target` (docs/interface.md §13). When `target` is
    /// answered already, the duplicate takes its answer at once (its reporter gets it).
    public static func merge(_ current: Signal, into target: Signal, now: Date) throws(SignalUpdateError) -> SignalUpdate.Outcome {
        if current.status == .closed { throw .closed }
        var next = current
        next.status = .closed
        next.closedAt = now
        next.duplicateOf = target.reference
        next.updatedAt = now
        if let answer = answerToPassOn(target) {
            next.answer = answer
            next.answeredAt = now
        }
        return SignalUpdate.Outcome(signal: next, changes: SignalUpdate.changes(from: current, to: next))
    }

    /// A duplicate of `target` takes `target`'s answer, once `target` is answered.
    public static func passOnAnswer(_ duplicate: Signal, from target: Signal, now: Date) -> SignalUpdate.Outcome? {
        guard duplicate.answer == nil, let answer = answerToPassOn(target) else { return nil }
        var next = duplicate
        next.answer = answer
        next.answeredAt = now
        next.updatedAt = now
        return SignalUpdate.Outcome(signal: next, changes: SignalUpdate.changes(from: duplicate, to: next))
    }

    static func answerToPassOn(_ target: Signal) -> String? {
        guard target.status == .answered || target.status == .closed, target.answeredAt != nil else { return nil }
        return target.answer
    }
}

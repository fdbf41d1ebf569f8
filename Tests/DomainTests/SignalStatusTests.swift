import Domain
import Testing

/// `received` → `in_progress` → `answered` → `closed`, closing from any open state
/// and reopening an answered or closed signal (docs/interface.md §13: a closed signal takes
/// no change but that reopen).
struct SignalStatusTests {
    static let allowed: Set<[SignalStatus]> = [
        [.received, .inProgress], [.received, .closed],
        [.inProgress, .answered], [.inProgress, .closed],
        [.answered, .closed], [.answered, .inProgress],
        [.closed, .inProgress],
    ]

    static let pairs: [(SignalStatus, SignalStatus)] = SignalStatus.allCases.flatMap { from in
        SignalStatus.allCases.map { (from, $0) }
    }

    @Test(arguments: pairs)
    func transition(_ from: SignalStatus, _ to: SignalStatus) {
        #expect(from.canMove(to: to) == Self.allowed.contains([from, to]), "\(from.rawValue) → \(to.rawValue)")
    }

    @Test func noStepBackToReceivedAndNoSkippingToAnswered() {
        #expect(SignalStatus.allCases.allSatisfy { !$0.canMove(to: .received) })
        #expect(!SignalStatus.received.canMove(to: .answered))
        #expect(SignalStatus.closed.allowedNext == [.inProgress])
    }

    @Test func rawValuesAreTheAPIWords() {
        #expect(SignalStatus.allCases.map(\.rawValue) == ["received", "in_progress", "answered", "closed"])
    }
}

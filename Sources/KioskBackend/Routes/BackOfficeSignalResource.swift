import Domain
import Foundation

/// A signal as the back office gets it back from a change: the signal (docs/interface.md §4)
/// plus `forwarded_to`, the external party it was forwarded to with the reporter's consent.
struct BackOfficeSignalResource: Encodable {
    let signal: Signal
    /// Who asks: personal data follows ``PersonalDataPolicy``.
    let caller: Caller
    let view: SignalView

    enum CodingKeys: String, CodingKey {
        case forwardedTo = "forwarded_to"
    }

    func encode(to encoder: any Encoder) throws {
        try SignalResource(signal: signal, for: caller, view: view).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(signal.forwardedTo, forKey: .forwardedTo)
    }
}

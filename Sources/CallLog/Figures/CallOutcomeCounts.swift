/// The `by_outcome` figure: offered calls per logged outcome, every key present.
public struct CallOutcomeCounts: Sendable, Equatable, Codable {
    /// Calls logged as `information`.
    public var information = 0
    /// Calls logged as `signal`.
    public var signal = 0
    /// Calls logged as `forwarded_external`.
    public var forwardedExternal = 0
    /// Calls logged as `ombuds_referral`.
    public var ombudsReferral = 0
    /// Calls logged as `no_action`.
    public var noAction = 0
    /// Calls nobody has logged yet (most unanswered calls stay here).
    public var unlogged = 0

    /// Creates counts, all 0 unless given.
    public init(
        information: Int = 0, signal: Int = 0, forwardedExternal: Int = 0,
        ombudsReferral: Int = 0, noAction: Int = 0, unlogged: Int = 0
    ) {
        self.information = information
        self.signal = signal
        self.forwardedExternal = forwardedExternal
        self.ombudsReferral = ombudsReferral
        self.noAction = noAction
        self.unlogged = unlogged
    }

    /// The count for an outcome, or for ``unlogged`` when nil.
    public subscript(outcome: CallOutcome?) -> Int {
        get {
            switch outcome {
            case .information: information
            case .signal: signal
            case .forwardedExternal: forwardedExternal
            case .ombudsReferral: ombudsReferral
            case .noAction: noAction
            case nil: unlogged
            }
        }
        set {
            switch outcome {
            case .information: information = newValue
            case .signal: signal = newValue
            case .forwardedExternal: forwardedExternal = newValue
            case .ombudsReferral: ombudsReferral = newValue
            case .noAction: noAction = newValue
            case nil: unlogged = newValue
            }
        }
    }

    /// The keys are the outcomes' raw values, then `unlogged`.
    enum CodingKeys: String, CodingKey {
        case information
        case signal
        case forwardedExternal = "forwarded_external"
        case ombudsReferral = "ombuds_referral"
        case noAction = "no_action"
        case unlogged
    }
}

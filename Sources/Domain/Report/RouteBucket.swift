/// A signal's route as the report counts it: one of the routes, or not yet routed.
public enum RouteBucket: String, CaseIterable, Codable, Sendable {
    case opunt
    case specialProcedure = "special_procedure"
    case external
    case unrouted

    public init(_ route: SignalRoute?) {
        switch route {
        case .opunt?: self = .opunt
        case .specialProcedure?: self = .specialProcedure
        case .external?: self = .external
        case nil: self = .unrouted
        }
    }

    /// The stored route, nil for `unrouted`.
    public var route: SignalRoute? {
        switch self {
        case .opunt: .opunt
        case .specialProcedure: .specialProcedure
        case .external: .external
        case .unrouted: nil
        }
    }
}

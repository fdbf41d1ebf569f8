/// Who is making a request: the role and site of their token, or the public.
public struct Caller: Sendable, Equatable {
    /// nil for the public website form (no token).
    public var role: Role?
    /// The token's name, recorded as the author of changes. Never the token itself.
    public var name: String
    /// The site a kiosk or desk token is bound to.
    public var site: String?

    public init(role: Role?, name: String, site: String? = nil) {
        self.role = role
        self.name = name
        self.site = site
    }

    public static let anonymous = Caller(role: nil, name: "public")
}

/// Who is making a request: the role and site of their token, or the public.
public struct Caller: Sendable, Equatable {
    /// nil for the public website form (no token).
    public var role: Role?
    /// The token's name, recorded as the author of changes. Never the token itself.
    public var name: String
    /// The site a kiosk or desk token is bound to.
    public var site: String?
    /// The id of the token, which scopes its idempotency keys; nil for the public.
    public var tokenId: Int64?
    /// The department a `department` token is bound to.
    public var department: String?

    public init(role: Role?, name: String, site: String? = nil, tokenId: Int64? = nil, department: String? = nil) {
        self.role = role
        self.name = name
        self.site = site
        self.tokenId = tokenId
        self.department = department
    }

    /// "a kiosk caller", "an agent caller", "a public caller": for messages people read.
    public var described: String {
        let word = role?.rawValue ?? "public"
        let article = "aeiou".contains(word.first!) ? "an" : "a"
        return "\(article) \(word) caller"
    }

    public static let anonymous = Caller(role: nil, name: "public")
}

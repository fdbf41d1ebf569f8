extension Signal {
    /// The external party this signal was forwarded to: only for route `external`,
    /// and only when the reporter agreed to forwarding. Otherwise nil, and the
    /// reporter contacts the party with the details in the answer.
    public var forwardedTo: String? {
        route == .external && self.consentForward == true ? externalParty : nil
    }
}

/// Why a message goes out (docs/interface.md §11). Raw values are the API's words.
public enum MessageKind: String, CaseIterable, Codable, Sendable {
    /// To the reporter when a signal with an e-mail address is created.
    case acknowledgement
    /// To the reporter when the signal is answered.
    case answer
    /// To an external party, with the reporter's consent.
    case forward
    /// To the department a signal is routed to, without contact details.
    case department
    /// To the reporter after an ombuds referral: the ombudsman's contact details.
    case ombudsman
}

/// Where a message is in its delivery.
public enum MessageStatus: String, CaseIterable, Codable, Sendable {
    case queued, sent, failed
}

import Domain
import Foundation

/// The answer to an ombuds referral: when it was recorded and how to reach the ombudsman.
struct OmbudsReferralResource: Encodable {
    let reference: String
    let ombudsReferredAt: String?
    let ombudsman: PublicConfig.Contact

    init(signal: Signal, ombudsman: CityConfig.Contact, languages: [String]) {
        reference = signal.reference
        ombudsReferredAt = signal.ombudsReferredAt.map(Timestamp.format)
        self.ombudsman = PublicConfig.Contact(
            key: ombudsman.key, name: ombudsman.name.resolved(languages), phone: ombudsman.phone,
            email: ombudsman.email, url: ombudsman.url, address: ombudsman.address)
    }

    enum CodingKeys: String, CodingKey {
        case reference, ombudsman
        case ombudsReferredAt = "ombuds_referred_at"
    }
}

import Foundation

/// Whether mail goes out, for the back office's warning (`GET /api/v1/mail/status`).
struct MailStatusResource: Encodable {
    let configured: Bool
    let queued: Int
    let failed: Int
    @Nullable var oldestQueuedAt: String?

    enum CodingKeys: String, CodingKey {
        case configured, queued, failed
        case oldestQueuedAt = "oldest_queued_at"
    }
}

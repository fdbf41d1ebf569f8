import Foundation

/// Whether mail goes out, for the back office's warning (`GET /api/v1/mail/status`).
struct MailStatusResource: Encodable {
    let configured: Bool
    let queued: Int
    let failed: Int
    let oldestQueuedAt: String?

    enum CodingKeys: String, CodingKey {
        case configured, queued, failed
        case oldestQueuedAt = "oldest_queued_at"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(configured, forKey: .configured)
        try c.encode(queued, forKey: .queued)
        try c.encode(failed, forKey: .failed)
        try c.encode(oldestQueuedAt, forKey: .oldestQueuedAt)
    }
}

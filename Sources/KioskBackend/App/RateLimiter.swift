import Domain
import Foundation
import Synchronization

/// A token bucket per client for the public endpoints.
///
/// A client is an IPv4 address or an IPv6 /64 (`IPAddress.clientKey`), or any other key a
/// caller chooses (an Open311 `api_key`). The table is bounded: past `maxClients`, buckets
/// that have filled up again (clients that went quiet) are dropped first, so a flood of new
/// addresses cannot reset the buckets of the clients being limited.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let perMinute: Int
    private let maxClients: Int
    private let clock: @Sendable () -> Date
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `perMinute` 0 switches the limit off. `clock` is the service's (`AppEnvironment.now`), so a
    /// test that holds the clock still sees no refill however slowly the machine runs.
    init(perMinute: Int, maxClients: Int = 100_000, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.perMinute = perMinute
        self.maxClients = maxClients
        self.clock = clock
    }

    /// The key a client address is counted under.
    static func key(address: String) -> String {
        IPAddress(address)?.clientKey ?? address
    }

    /// nil when the request from `address` may go ahead; otherwise the seconds to wait.
    func check(_ address: String, now: Date? = nil) -> Int? {
        check(key: Self.key(address: address), now: now)
    }

    /// As `check(_:)`, for a key that is not an address.
    func check(key client: String, now: Date? = nil) -> Int? {
        guard perMinute > 0 else { return nil }
        let now = now ?? clock()
        let capacity = Double(perMinute)
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            if buckets.count >= maxClients && buckets[client] == nil {
                Self.evict(&buckets, now: now, capacity: capacity, perSecond: perSecond, keep: maxClients * 3 / 4)
            }
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * perSecond)
            bucket.updated = now
            defer { buckets[client] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }

    /// Drops full buckets; if that is not enough, the ones least recently used.
    private static func evict(
        _ buckets: inout [String: Bucket], now: Date, capacity: Double, perSecond: Double, keep: Int
    ) {
        buckets = buckets.filter { $0.value.tokens + max(0, now.timeIntervalSince($0.value.updated)) * perSecond < capacity }
        if buckets.count > keep {
            let newest = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(keep)
            buckets = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
    }
}

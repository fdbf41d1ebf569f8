import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as its bytes (4 or 16), parsed strictly with `inet_pton`.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 45 else { return nil }
        if trimmed.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, trimmed, &address) == 1 else { return nil }
            let raw = withUnsafeBytes(of: address) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
            if raw[0..<10].allSatisfy({ $0 == 0 }) && raw[10] == 0xff && raw[11] == 0xff {
                bytes = Array(raw[12..<16])
            } else {
                bytes = raw
            }
        } else {
            var address = in_addr()
            guard inet_pton(AF_INET, trimmed, &address) == 1 else { return nil }
            bytes = withUnsafeBytes(of: address) { Array($0) }
        }
    }

    public var isIPv6: Bool { bytes.count == 16 }

    public var description: String {
        if !isIPv6 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What one client is counted as, for rate limits: an IPv4 address, or an IPv6
    /// address's /64 network, since one IPv6 subscriber is handed a whole /64.
    public var clientKey: String {
        guard isIPv6 else { return description }
        let network = try! CIDR(address: self, prefixLength: 64)
        return "\(network.address)/64"
    }
}

/// A network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a plain address is a /32 or /128.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    public struct Invalid: Error {}

    /// The network of `address` with its host bits cleared.
    public init(address: IPAddress, prefixLength: Int) throws {
        guard (0...(address.bytes.count * 8)).contains(prefixLength) else { throw Invalid() }
        var bytes = address.bytes
        for i in bytes.indices {
            let keep = max(0, min(8, prefixLength - i * 8))
            bytes[i] &= keep == 8 ? 0xff : UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
        self.address = IPAddress(bytes: bytes)
        self.prefixLength = prefixLength
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        let length: Int
        if parts.count == 2 {
            guard let n = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = n
        } else {
            length = address.bytes.count * 8
        }
        guard let network = try? CIDR(address: address, prefixLength: length) else { return nil }
        self = network
    }

    public func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        guard let masked = try? CIDR(address: other, prefixLength: prefixLength) else { return false }
        return masked.address == address
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

extension IPAddress {
    fileprivate init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// Which peer addresses are reverse proxies whose `X-Forwarded-For` the service believes.
public struct TrustedProxies: Sendable, Equatable {
    public let networks: [CIDR]

    public init(_ networks: [CIDR]) {
        self.networks = networks
    }

    public func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The client behind `peer`: the peer itself, unless it is a trusted proxy; then the
    /// right-most address in `X-Forwarded-For` that is not a trusted proxy (each proxy
    /// appends the address it saw, so entries to its left are the client's own claims).
    /// An entry that is not an address stops the walk.
    public func client(peer: String, forwardedFor: String?) -> String {
        guard let peerAddress = IPAddress(peer), trusts(peerAddress), let forwardedFor else { return peer }
        var client = peerAddress
        for entry in forwardedFor.split(separator: ",", omittingEmptySubsequences: false).reversed().prefix(20) {
            guard let address = IPAddress(entry) else { break }
            client = address
            if !trusts(address) { break }
        }
        return client.description
    }
}

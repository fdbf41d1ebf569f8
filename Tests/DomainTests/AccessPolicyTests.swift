import Domain
import Testing

/// The role table of docs/interface.md §3, row by row.
struct AccessPolicyTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var role: Role?
        var channels: Set<Channel>
        var reporters: Set<Reporter>
        var defaultChannel: Channel?
        var defaultReporter: Reporter
        var setsReceivedAt: Bool
        var testDescription: String { role?.rawValue ?? "no token" }
    }

    static let table: [Row] = [
        Row(role: nil, channels: [.web], reporters: [.citizen], defaultChannel: .web, defaultReporter: .citizen, setsReceivedAt: false),
        Row(role: .kiosk, channels: [.kiosk], reporters: [.citizen], defaultChannel: .kiosk, defaultReporter: .citizen, setsReceivedAt: false),
        Row(role: .agent, channels: [.phone], reporters: [.citizen], defaultChannel: .phone, defaultReporter: .citizen, setsReceivedAt: false),
        Row(role: .desk, channels: [.counter, .email, .letter], reporters: [.citizen], defaultChannel: .counter, defaultReporter: .citizen, setsReceivedAt: true),
        Row(role: .staff, channels: [.web], reporters: [.staff], defaultChannel: .web, defaultReporter: .staff, setsReceivedAt: false),
        Row(role: .coordinator, channels: Set(Channel.allCases), reporters: [.citizen, .staff], defaultChannel: nil, defaultReporter: .citizen, setsReceivedAt: true),
        Row(role: .admin, channels: Set(Channel.allCases), reporters: [.citizen, .staff], defaultChannel: nil, defaultReporter: .citizen, setsReceivedAt: true),
        // Open311 callers file through the Open311 endpoint only (see `open311EntryOnly`).
        Row(role: .open311, channels: [], reporters: [.citizen], defaultChannel: nil, defaultReporter: .citizen, setsReceivedAt: false),
        Row(role: .pbx, channels: [], reporters: [], defaultChannel: nil, defaultReporter: .citizen, setsReceivedAt: false),
        // A department reads what is routed to it (docs/interface.md §13); it files nothing.
        Row(role: .department, channels: [], reporters: [], defaultChannel: nil, defaultReporter: .citizen, setsReceivedAt: false),
    ]

    @Test func tableCoversEveryRoleAndThePublic() {
        let covered = Set(Self.table.compactMap(\.role))
        #expect(covered == Set(Role.allCases))
        #expect(Self.table.filter { $0.role == nil }.count == 1)
    }

    @Test(arguments: table)
    func channelsOverTheAPI(_ row: Row) {
        #expect(AccessPolicy.channels(for: row.role) == row.channels)
        #expect(AccessPolicy.channels(for: row.role, via: .api) == row.channels)
        #expect(AccessPolicy.mayCreateSignals(row.role) == !row.channels.isEmpty)
    }

    @Test(arguments: table)
    func reporters(_ row: Row) {
        #expect(AccessPolicy.reporters(for: row.role) == row.reporters)
    }

    @Test(arguments: table)
    func defaults(_ row: Row) {
        #expect(AccessPolicy.defaultChannel(for: row.role) == row.defaultChannel)
        #expect(AccessPolicy.defaultReporter(for: row.role) == row.defaultReporter)
        if let channel = row.defaultChannel {
            #expect(row.channels.contains(channel), "a default channel must be one the role may create")
        }
        if !row.reporters.isEmpty {
            #expect(row.reporters.contains(row.defaultReporter), "a default reporter must be one the role may create for")
        }
    }

    @Test(arguments: table)
    func receivedAt(_ row: Row) {
        #expect(AccessPolicy.maySetReceivedAt(row.role) == row.setsReceivedAt)
    }

    /// docs/interface.md §3: a coordinator or admin backfills any channel; "a desk may set
    /// `received_at` on `letter` and `email` signals (the date on the letter), not in
    /// the future and not more than 90 days back"; nobody else sets it.
    @Test(arguments: [Role?.none] + Role.allCases.map(Optional.some))
    func receivedAtRulePerChannel(_ role: Role?) {
        for channel in Channel.allCases {
            let expected: AccessPolicy.ReceivedAtRule
            switch role {
            case .coordinator?, .admin?: expected = .backfill
            case .desk? where channel == .letter || channel == .email: expected = .letterDate(days: 90)
            default: expected = .forbidden
            }
            #expect(AccessPolicy.receivedAtRule(for: role, channel: channel) == expected, "\(channel)")
        }
        #expect(AccessPolicy.receivedAtRule(for: role, channel: nil) == (role?.isBackOffice == true ? .backfill : .forbidden))
    }

    /// "open311: `web`, `citizen`, Open311 only": the Open311 endpoint is for nobody else.
    @Test(arguments: [Role?.none] + Role.allCases.map(Optional.some))
    func open311EntryOnly(_ role: Role?) {
        let expected: Set<Channel> = role == .open311 ? [.web] : []
        #expect(AccessPolicy.channels(for: role, via: .open311) == expected)
    }

    /// Roles bound to a site are exactly those whose channels happen at a site.
    @Test func siteBoundRoles() {
        #expect(Set(Role.allCases.filter(\.needsSite)) == [.kiosk, .desk])
        #expect(Set(Channel.allCases.filter(\.needsSite)) == [.kiosk, .counter])
        #expect(Set(Role.allCases.filter(\.readsSignals)) == [.agent, .desk, .coordinator, .admin, .department])
        #expect(Set(Role.allCases.filter(\.needsDepartment)) == [.department])
        #expect(Set(Role.allCases.filter(\.isBackOffice)) == [.coordinator, .admin])
    }
}

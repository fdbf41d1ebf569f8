import Domain
import Testing

/// The experience score: 1 to 5, asked only on the website and kiosk forms of citizens.
struct ExperienceScoreTests {
    @Test(arguments: -1...7)
    func range(_ value: Int) {
        #expect((ExperienceScore(rawValue: value) != nil) == (1...5).contains(value))
    }

    static let cases: [(Channel, Reporter)] = Channel.allCases.flatMap { c in Reporter.allCases.map { (c, $0) } }

    @Test(arguments: cases)
    func askedOnlyOnWebAndKioskOfCitizens(_ channel: Channel, _ reporter: Reporter) {
        let expected = (channel == .web || channel == .kiosk) && reporter == .citizen
        #expect(ExperienceScore.isAsked(channel: channel, reporter: reporter) == expected)
    }
}

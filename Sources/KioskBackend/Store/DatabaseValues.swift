import CallLog
import Domain
import Foundation
import GRDB

// The Domain's and CallLog's vocabularies as database values: each is stored as its raw value
// (GRDB's `DatabaseValueConvertible` for `RawRepresentable`), so a record holds the enum itself and
// a value the enum does not know fails the fetch instead of passing as a string. Declared here:
// Domain and CallLog do not import GRDB.
extension SignalKind: DatabaseValueConvertible {}
extension Channel: DatabaseValueConvertible {}
extension Reporter: DatabaseValueConvertible {}
extension SignalStatus: DatabaseValueConvertible {}
extension SignalRoute: DatabaseValueConvertible {}
extension Nature: DatabaseValueConvertible {}
extension ComplaintOutcome: DatabaseValueConvertible {}
extension ExperienceScore: DatabaseValueConvertible {}
extension Role: DatabaseValueConvertible {}
extension MessageKind: DatabaseValueConvertible {}
extension MessageStatus: DatabaseValueConvertible {}
extension CallDirection: DatabaseValueConvertible {}
extension CallState: DatabaseValueConvertible {}
extension HangupCause: DatabaseValueConvertible {}
extension CallOutcome: DatabaseValueConvertible {}
extension CallbackClearing: DatabaseValueConvertible {}

/// Instants are stored as Unix milliseconds (``Millis``). A Codable record with `Date` properties
/// returns these from `databaseDateEncodingStrategy(for:)` and `databaseDateDecodingStrategy(for:)`; GRDB's own `.millisecondsSince1970` encoding truncates (`floor`), which can
/// store a `Date` read back from the database one millisecond early, where ``Millis/from(_:)`` rounds.
enum MillisDates {
    static let encoding = DatabaseDateEncodingStrategy.custom { Millis.from($0) }
    static let decoding = DatabaseDateDecodingStrategy.millisecondsSince1970
}

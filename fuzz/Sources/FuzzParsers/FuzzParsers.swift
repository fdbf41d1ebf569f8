import CallLog
import Domain
import Foundation

/// The bundled config, parsed once: intake rules need one.
let config: CityConfig = {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/ostend.json").path
    let data = FileManager.default.contents(atPath: path)!
    return try! CityConfig.parse(Array(data), file: path)
}()

let callers: [Caller] = [
    .anonymous,
    Caller(role: .kiosk, name: "k", site: "stadhuis"),
    Caller(role: .desk, name: "d", site: "edith-cavell"),
    Caller(role: .coordinator, name: "c"),
]

/// One libFuzzer input. The first byte picks the parser; the rest is its input.
/// Every parser must return or throw its typed error: a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0:
        if case .object(let body)? = try? JSONValue.parse(input) {
            let intake = SignalIntake(config: config)
            for caller in callers {
                _ = try? intake.validate(body, caller: caller, now: Date(timeIntervalSince1970: 1_790_000_000))
            }
        }
    case 1:
        _ = try? FormURLEncoded.parse(input)
    case 2:
        if let fields = try? FormURLEncoded.grouped(input) {
            if let event = try? CallEvent.parse(fields) {
                _ = CallStateMachine.apply(event, at: Date(timeIntervalSince1970: 1_790_000_000), to: nil)
            }
        }
        if case .object(let o)? = try? JSONValue.parse(input) {
            var fields: [String: [String]] = [:]
            for (k, v) in o {
                switch v {
                case .string(let s): fields[k] = [s]
                case .number(let n): fields[k] = [String(n)]
                case .array(let a): fields[k] = a.compactMap(\.stringValue)
                default: break
                }
            }
            _ = try? CallEvent.parse(fields)
        }
    default:
        _ = try? CityConfig.parse(input, file: "fuzz.json")
    }
    return 0
}

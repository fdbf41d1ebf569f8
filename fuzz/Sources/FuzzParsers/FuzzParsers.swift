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

let fuzzNow = Date(timeIntervalSince1970: 1_790_000_000)

/// A stored signal for the back office's PATCH rules to change.
let storedSignal: Signal? = {
    let body: [String: JSONValue] = [
        "kind": .string("report"), "category": .string("overlast"), "description": .string("x"),
    ]
    guard let new = try? SignalIntake(config: config).validate(body, caller: .anonymous, now: fuzzNow) else { return nil }
    return Signal(new: new, reference: "OP-7K3M-Q9TX", receivedAt: fuzzNow)
}()

/// One libFuzzer input. The first byte picks the parser; the rest is its input.
/// Each case calls what production calls on those bytes, with production's limits.
/// Every parser must return or throw its typed error: a trap is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0:
        // A JSON API body (RequestContext.jsonObject): intake, then the back office's PATCH rules.
        if case .object(let body)? = try? JSONValue.parse(input, limits: .requestBody) {
            let intake = SignalIntake(config: config)
            for caller in callers {
                _ = try? intake.validate(body, caller: caller, now: fuzzNow)
            }
            if let storedSignal {
                _ = try? SignalUpdate(config: config).apply(body, to: storedSignal, now: fuzzNow)
            }
        }
    case 1:
        // An Open311 POST Service Request form (Open311Routes.createRequest).
        _ = try? FormURLEncoded.parse(input, limits: .request)
    case 2:
        // A CTI push (CTIRoutes): the body reader decides form or JSON, then the event rules.
        for mediaType in [nil, "application/x-www-form-urlencoded", "application/json"] {
            if let fields = try? CTIBody.fields(body: input, mediaType: mediaType, query: [("queue", "o-punt")]),
               let event = try? CallEvent.parse(fields) {
                _ = CallStateMachine.apply(event, at: fuzzNow, to: nil)
            }
        }
    default:
        _ = try? CityConfig.parse(input, file: "fuzz.json")
    }
    return 0
}

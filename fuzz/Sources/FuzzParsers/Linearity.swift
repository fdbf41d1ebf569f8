import CallLog
import Domain
import Foundation

/// `FUZZ_LINEARITY=1 FuzzParsers`: times the production parsers on adversarial inputs of
/// size n and 8n and fails when the time grows far faster than the input (issue 9: a 17 KB
/// body of nested arrays cost 18.7 s of CPU because parsing was quadratic).
///
/// Each input is parsed several times at each size; the medians are compared. A linear
/// parser gives a ratio near 8; the check fails above `maxRatio`. Inputs that production
/// refuses early (over a limit) cost next to nothing at both sizes, which is the point.
enum Linearity {
    static let maxRatio = 24.0
    static let runs = 7
    /// Below this the 8n time is noise: the work is bounded, not growing.
    static let floorSeconds = 0.002

    struct Case: Sendable {
        var name: String
        /// The input of about `size` bytes.
        var make: @Sendable (Int) -> [UInt8]
        /// What production does with it.
        var parse: @Sendable ([UInt8]) -> Void
    }

    static func json(_ limits: JSONValue.Limits) -> @Sendable ([UInt8]) -> Void {
        { _ = try? JSONValue.parse($0, limits: limits) }
    }

    static func repeated(_ prefix: String, _ unit: String, separator: String = "", _ suffix: String, size: Int) -> [UInt8] {
        let count = max(1, (size - prefix.utf8.count - suffix.utf8.count) / (unit.utf8.count + separator.utf8.count))
        var out = Array(prefix.utf8)
        out.reserveCapacity(size + unit.utf8.count)
        let unitBytes = Array(unit.utf8), separatorBytes = Array(separator.utf8)
        for i in 0..<count {
            if i > 0 { out += separatorBytes }
            out += unitBytes
        }
        return out + Array(suffix.utf8)
    }

    static func keys(_ size: Int, extra: String = "") -> [UInt8] {
        var text = "{"
        var i = 0
        while text.utf8.count < size {
            text += (i == 0 ? "" : ",") + "\"key\(i)\":\(i)"
            i += 1
        }
        return Array((text + extra + "}").utf8)
    }

    static let intake = SignalIntake(config: config)

    static let cases: [Case] = [
        Case(name: "issue 9 body: 500 [ then numbers, API limits", make: { size in
            Array(("{\"x\":" + String(repeating: "[", count: 500)).utf8)
                + repeated("", "12345", separator: ",", "", size: size) + Array((String(repeating: "]", count: 500) + "}").utf8)
        }, parse: json(.requestBody)),
        Case(name: "nesting to depth 63, repeated", make: { size in
            let block = String(repeating: "[", count: 63) + "1" + String(repeating: "]", count: 63)
            return repeated("[", block, separator: ",", "]", size: size)
        }, parse: json(.document)),
        Case(name: "nesting to depth 16 (the config limit), repeated", make: { size in
            let block = String(repeating: "{\"a\":", count: 14) + "1" + String(repeating: "}", count: 14)
            return repeated("{\"x\":[", block, separator: ",", "]}", size: size)
        }, parse: json(JSONValue.Limits(maxDepth: 16, maxElements: .max, maxStringBytes: 1 << 20))),
        Case(name: "long flat array of numbers", make: { size in
            repeated("[", "-12.5e-3,0,123456789012345678,7", separator: ",", "]", size: size)
        }, parse: json(.document)),
        Case(name: "long string with escapes", make: { size in
            repeated("[\"", #"\u00e9\n\"a\ud83c\udf0a\\"#, "\"]", size: size)
        }, parse: json(.document)),
        Case(name: "many keys", make: { keys($0) }, parse: json(.document)),
        Case(name: "many keys, duplicate key at the end", make: { keys($0, extra: ",\"key0\":1") }, parse: json(.document)),
        Case(name: "signal body: description of combining marks (intake)", make: { size in
            repeated(#"{"kind":"report","category":"overlast","description":"a"#, "\u{301}", #""}"#, size: size)
        }, parse: { bytes in
            if case .object(let body)? = try? JSONValue.parse(bytes, limits: .requestBody) {
                _ = try? intake.validate(body, caller: .anonymous, now: fuzzNow)
            }
        }),
        Case(name: "CTI form: from of combining marks, percent-encoded", make: { size in
            repeated("event=newCall&callId=1&from=1", "%CC%81", "", size: size)
        }, parse: { bytes in
            if let fields = try? CTIBody.fields(body: bytes, mediaType: nil) { _ = try? CallEvent.parse(fields) }
        }),
        Case(name: "CTI form: many pairs", make: { size in
            repeated("", "user[]=an", separator: "&", "", size: size)
        }, parse: { bytes in
            if let fields = try? CTIBody.fields(body: bytes, mediaType: nil) { _ = try? CallEvent.parse(fields) }
        }),
        Case(name: "Open311 form: long values", make: { size in
            repeated("service_code=1&description=", "%C3%A9+", "", size: size)
        }, parse: { _ = try? FormURLEncoded.parse($0, limits: .request) }),
        Case(name: "config: many unknown keys", make: { size in
            keys(size)
        }, parse: { _ = try? CityConfig.parse($0, file: "linearity.json") }),
    ]

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ input: [UInt8], _ parse: ([UInt8]) -> Void) -> Double {
        let times = (0..<runs).map { _ in seconds { parse(input) } }.sorted()
        return times[runs / 2]
    }

    /// Prints one line per case; returns whether every case grew (near) linearly.
    static func run(size: Int) -> Bool {
        var ok = true
        print("linearity: n = \(size) bytes and 8n, median of \(runs) runs, fails above \(Int(maxRatio))x")
        for c in cases {
            let small = c.make(size), large = c.make(8 * size)
            _ = median(small, c.parse)  // warm up
            let t1 = median(small, c.parse), t8 = median(large, c.parse)
            let ratio = t8 / max(t1, 1e-9)
            let pass = ratio <= maxRatio || t8 < floorSeconds
            ok = ok && pass
            let name = c.name.padding(toLength: 58, withPad: " ", startingAt: 0)
            print("  \(pass ? "ok  " : "FAIL") \(name) " + String(format: "%8.2f ms %8.2f ms  x%.1f", t1 * 1e3, t8 * 1e3, ratio))
        }
        return ok
    }
}

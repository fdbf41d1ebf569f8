// swift-tools-version:6.1
// The libFuzzer target over the parsers of untrusted input: JSON bodies and the signal
// intake, form bodies, telephone-exchange (CTI) events, and the config loader.
// A package of its own so that the service's build is not compiled twice or with the
// fuzzer's instrumentation. Run with `make fuzz` (part of `make test`).
import PackageDescription

let package = Package(
    name: "fuzz",
    dependencies: [.package(name: "kiosk-backend", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzParsers",
            dependencies: [
                .product(name: "Domain", package: "kiosk-backend"),
                .product(name: "CallLog", package: "kiosk-backend"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

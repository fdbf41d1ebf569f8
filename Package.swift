// swift-tools-version:6.1
import PackageDescription

// Layers (see README "Map of the modules"):
//   Domain        the signal model and its rules; Foundation only, no I/O
//   CallLog       calls on the 0800 line: exchange events, state machine, figures
//   KioskBackend  the service: HTTP over libmicrohttpd, routes, SQLite (GRDB), reports
//   kiosk-backend the executable: parses arguments, wires, shuts down
let package = Package(
    name: "kiosk-backend",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kiosk-backend", targets: ["kiosk-backend"]),
        .library(name: "KioskBackend", targets: ["KioskBackend"]),
        // Exposed for fuzz/, a separate package built with -sanitize=fuzzer.
        .library(name: "Domain", targets: ["Domain"]),
        .library(name: "CallLog", targets: ["CallLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Issue 10: mail templates a city can edit (Mustache, logic-less).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        // Outbound mail (issue 10): libcurl speaks SMTP with STARTTLS, SMTPS and a login.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Issue 10 (post): the QR code of the status link on the kiosk receipt.
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // libvips decodes, turns upright, strips and re-encodes photos (docs/interface.md §14).
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        .target(name: "Domain"),
        .target(
            name: "CallLog",
            dependencies: ["Domain", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KioskBackend",
            dependencies: [
                "Domain",
                "CallLog",
                "CMicroHTTPD",
                "CCurl",
                "CQRencode",
                "CVips",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/openapi.json")]
        ),
        .executableTarget(
            name: "kiosk-backend",
            dependencies: [
                "KioskBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What more than one test target uses (a seeded generator); never linked into the service.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "TestSupport"]),
        .testTarget(name: "CallLogTests", dependencies: ["CallLog"]),
        .testTarget(
            name: "KioskBackendTests",
            dependencies: ["KioskBackend", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("ExistentialAny")]
}

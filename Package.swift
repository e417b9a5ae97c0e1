// swift-tools-version: 6.0
import PackageDescription

/// Strictness applied to every target of the package, in one place.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Nurture",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nurture", targets: ["nurture"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "NurtureCore", swiftSettings: strictSettings),
        .target(
            name: "NurtureSMTP",
            dependencies: ["NurtureCore", "CCurl"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureTemplates",
            dependencies: ["NurtureCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureConfig",
            dependencies: ["NurtureCore", "NurtureSMTP", "Yams"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureSQLite",
            dependencies: ["NurtureCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureApp",
            dependencies: ["NurtureCore", "NurtureConfig", "NurtureTemplates"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureDaemon",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureApp",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureHTTP",
            dependencies: [
                "NurtureApp", "NurtureCore", "NurtureConfig", "NurtureDaemon", "NurtureTemplates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureServer",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureSQLite", "NurtureDaemon",
                "NurtureHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "nurture-bench",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureConfig", "NurtureTemplates", "NurtureDaemon", "NurtureSQLite",
            ],
            path: "Sources/NurtureBench",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "nurture",
            dependencies: [
                "NurtureApp", "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureSQLite",
                "NurtureDaemon", "NurtureHTTP", "NurtureServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "NurtureTestSupport",
            dependencies: ["NurtureCore"],
            path: "Tests/NurtureTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "NurtureCoreTests", dependencies: ["NurtureCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "NurtureSMTPTests",
            dependencies: ["NurtureSMTP", "NurtureCore", "NurtureTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureTemplatesTests",
            dependencies: ["NurtureTemplates", "NurtureCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureConfigTests",
            dependencies: ["NurtureConfig", "NurtureCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureStoreTests",
            dependencies: ["NurtureSQLite", "NurtureCore", "NurtureTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureDaemonTests",
            dependencies: [
                "NurtureApp", "NurtureDaemon", "NurtureCore", "NurtureConfig", "NurtureSMTP", "NurtureSQLite",
                "NurtureTestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureAppTests",
            dependencies: ["NurtureApp", "NurtureCore", "NurtureConfig", "NurtureSQLite", "NurtureTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureServerTests",
            dependencies: [
                "NurtureServer", "NurtureDaemon", "NurtureCore", "NurtureSQLite",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureHTTPTests",
            dependencies: [
                "NurtureApp", "NurtureHTTP", "NurtureCore", "NurtureConfig", "NurtureDaemon", "NurtureSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NurtureCLITests",
            dependencies: ["NurtureCore", "NurtureTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)

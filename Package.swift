// swift-tools-version: 6.1
import PackageDescription

import class Foundation.ProcessInfo

let package = Package(
    name: "Nurture",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nurture", targets: ["nurture"])
    ],
    // PostgreSQL (several daemons on one database, docs/postgres.md) pulls in postgres-nio and swift-nio-ssl, which
    // make a clean build slower: a build without it is `swift build --disable-default-traits` (SQLite only).
    traits: [
        .trait(name: "PostgreSQL", description: "The PostgreSQL store: several daemons on one database"),
        .default(enabledTraits: ["PostgreSQL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Modules imported directly that also come with Hummingbird; declared because they are used.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Hashing (suppression keys, unsubscribe tokens) and `/metrics`. swift-crypto 3 and 4 have the same
        // SHA256/HMAC API; the graph resolves to 4.5.2 today.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // bcrypt for the operator console's password hashes (the users file).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Pure domain and decisions.
        .target(name: "NurtureCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // libcurl SMTP: the only code that touches libcurl.
        .target(name: "NurtureSMTP", dependencies: ["NurtureCore", "CCurl"]),
        .target(
            name: "NurtureTemplates",
            dependencies: ["NurtureCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // DKIM signing keys (RSA, Ed25519): the only code that holds a private key and signs.
        .target(
            name: "NurtureDKIM",
            dependencies: [
                "NurtureCore", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "NurtureConfig", dependencies: ["NurtureCore", "NurtureSMTP", "NurtureDKIM", "Yams"]),
        // The store port's SQLite implementation.
        .target(
            name: "NurtureSQLite",
            dependencies: ["NurtureCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The store port's PostgreSQL implementation, for several daemons on one database: built with the
        // `PostgreSQL` trait (its sources are empty without it).
        .target(
            name: "NurturePostgres",
            dependencies: [
                "NurtureCore",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The /metrics counters and their registry, shared by the daemon's assembly and NurtureHTTP. NurtureSMTP
        // for `DeliveryOutcome.Kind`, the latency histogram's `outcome` label.
        .target(
            name: "NurtureMetrics",
            dependencies: [
                "NurtureCore", "NurtureSMTP",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Use cases shared by the CLI and the HTTP API: lead intake, why, status, the template check.
        .target(name: "NurtureApp", dependencies: ["NurtureCore", "NurtureConfig", "NurtureTemplates"]),
        // The journald line format: the daemon's own lines and a swift-log handler for everyone else's.
        .target(
            name: "NurtureLog",
            dependencies: ["NurtureCore", "NurtureSMTP", .product(name: "Logging", package: "swift-log")]
        ),
        // The scheduler and what it runs with (transfer journal, systemd notifier, wake timer).
        .target(
            name: "NurtureDaemon",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureApp", "NurtureLog",
                "NurtureDKIM", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NurtureHTTP",
            dependencies: [
                "NurtureApp", "NurtureCore", "NurtureConfig", "NurtureLog", "NurtureTemplates", "NurtureMetrics",
                "NurtureSMTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // The operator console: password hashes, session signatures, page templates.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The composition root: `nurture run`'s services in one ServiceGroup.
        .target(
            name: "NurtureServer",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureSQLite", "NurtureDaemon",
                "NurtureHTTP", "NurtureMetrics", "NurtureLog", "NurturePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "nurture",
            dependencies: [
                "NurtureApp", "NurtureCore", "NurtureSMTP", "NurtureTemplates", "NurtureConfig", "NurtureSQLite",
                "NurtureDaemon", "NurtureHTTP", "NurtureServer", "NurtureMetrics", "NurtureLog", "NurturePostgres",
                "NurtureDKIM", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Shared by the test targets: the store's contract suite, peers, temporary directories.
        .target(name: "NurtureTestSupport", dependencies: ["NurtureCore"], path: "Tests/NurtureTestSupport"),
        .testTarget(
            name: "NurtureCoreTests",
            dependencies: ["NurtureCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "NurtureSMTPTests", dependencies: ["NurtureSMTP", "NurtureCore", "NurtureTestSupport"]),
        .testTarget(name: "NurtureTemplatesTests", dependencies: ["NurtureTemplates", "NurtureCore"]),
        .testTarget(
            name: "NurtureConfigTests", dependencies: ["NurtureConfig", "NurtureCore", "NurtureSMTP", "NurtureDKIM"]
        ),
        // DKIM keys and signatures, checked by an independent verifier (Debian python3-dkim).
        .testTarget(
            name: "NurtureDKIMTests",
            dependencies: [
                "NurtureDKIM", "NurtureCore", "NurtureConfig", "NurtureDaemon", "NurtureTemplates",
                "NurtureTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "NurtureStoreTests",
            dependencies: [
                "NurtureSQLite", "NurtureCore", "NurtureTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The PostgreSQL store against a throwaway PostgreSQL cluster: the store contract, leases, limits.
        .testTarget(
            name: "NurturePostgresTests",
            dependencies: [
                "NurturePostgres", "NurtureSQLite", "NurtureCore", "NurtureTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NurtureLogTests",
            dependencies: ["NurtureLog", "NurtureCore", "NurtureSMTP", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "NurtureMetricsTests",
            dependencies: [
                "NurtureMetrics", "NurtureCore", "NurtureSMTP",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "NurtureDaemonTests",
            dependencies: [
                "NurtureApp", "NurtureDaemon", "NurtureCore", "NurtureConfig", "NurtureSMTP", "NurtureSQLite",
                "NurtureTemplates", "NurtureTestSupport", "NurtureServer", "NurtureMetrics", "NurturePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NurtureAppTests",
            dependencies: ["NurtureApp", "NurtureCore", "NurtureConfig", "NurtureSQLite", "NurtureTestSupport"]
        ),
        .testTarget(
            name: "NurtureServerTests",
            dependencies: [
                "NurtureServer", "NurtureDaemon", "NurtureCore", "NurtureSQLite", "NurtureMetrics",
                "NurtureTestSupport", "NurturePostgres",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NurtureHTTPTests",
            dependencies: [
                "NurtureApp", "NurtureHTTP", "NurtureCore", "NurtureConfig", "NurtureLog", "NurtureSQLite",
                "NurtureSMTP", "NurtureMetrics", "NurtureServer", "NurtureTestSupport",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "NurtureCLITests", dependencies: ["NurtureCore", "NurtureTestSupport"]),
    ]
)

// MARK: - Benchmarks
// The benchmark executable lives next to its drivers in benchmarks/ and is declared only when
// NURTURE_BENCHMARKS is set (the benchmarks/*.sh scripts set it), so a plain `swift build` does not build it.
// It stays in this package because it drives package-internal modules.
if ProcessInfo.processInfo.environment["NURTURE_BENCHMARKS"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
    package.targets.append(
        .executableTarget(
            name: "nurture-bench",
            dependencies: [
                "NurtureCore", "NurtureSMTP", "NurtureConfig", "NurtureTemplates", "NurtureDaemon", "NurtureSQLite",
                "NurturePostgres", "NurtureServer", "NurtureDKIM", .product(name: "Logging", package: "swift-log"),
            ],
            path: "benchmarks/NurtureBench"
        )
    )
}

// MARK: - Strictness for every target
// One place, applied to every Swift target (including the benchmark executable when it is declared).
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []

    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    // Require `any` for existential types.
    settings.append(.enableUpcomingFeature("ExistentialAny"))

    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    // A file sees the members of the modules it imports itself, not those another file imported.
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))

    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    // Imports are internal unless marked `public`, so a module's interface names what it exposes.
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))

    target.swiftSettings = settings
}

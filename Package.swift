// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "catalog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "catalog", targets: ["catalog"]),
        .library(name: "CatalogCore", targets: ["CatalogCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CKernels"),
        .target(
            name: "CatalogCore",
            dependencies: ["CSQLite", "CZstd", "CZlib", "CKernels", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "catalog",
            dependencies: [
                "CatalogCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CatalogCoreTests",
            dependencies: ["CatalogCore", "CKernels"]
        ),
        .testTarget(
            name: "CatalogCLITests",
            dependencies: ["CatalogCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.0
import PackageDescription

// Layers, imports pointing one way only:
// COpenBLAS (+ CMechKernels) → MechTensor → MechFormats → MechModels → MechAnalysis → MechTUI (+ CNcursesw) → mechscope
let package = Package(
    name: "Mechscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mechscope", targets: ["mechscope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "CMechKernels",
                cSettings: [.unsafeFlags(["-O3"], .when(configuration: .release))]),
        .target(name: "MechTensor", dependencies: ["COpenBLAS", "CMechKernels"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "MechFormats", dependencies: ["MechTensor"]),
        .target(name: "MechModels", dependencies: ["MechTensor", "MechFormats"]),
        .target(name: "MechAnalysis", dependencies: ["MechTensor", "MechModels"]),
        .target(name: "MechTUI", dependencies: ["MechAnalysis", "CNcursesw"]),
        .executableTarget(
            name: "mechscope",
            dependencies: [
                "MechTensor", "MechFormats", "MechModels", "MechAnalysis", "MechTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers every test target shares: golden-file locations and readers, npy reading, closeness checks.
        .target(name: "MechTestSupport", dependencies: ["MechTensor"], path: "Tests/MechTestSupport"),
        .testTarget(name: "MechTensorTests", dependencies: ["MechTensor"]),
        .testTarget(name: "MechFormatsTests", dependencies: ["MechFormats", "MechTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MechModelsTests", dependencies: ["MechModels", "MechFormats", "MechTestSupport"]),
        .testTarget(name: "MechAnalysisTests", dependencies: ["MechAnalysis", "MechModels", "MechFormats", "MechTestSupport"]),
        .testTarget(name: "MechscopeCLITests", dependencies: ["mechscope", "MechTestSupport"]),
        .testTarget(name: "MechTUITests", dependencies: ["MechTUI", "MechAnalysis", "MechModels", "MechTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

/// The screen sizes `snapshot` and `bench-explorer` draw into: at least the explorer's minimum, at most
/// what a real terminal reaches (a grid of width × height cells is allocated for every frame).
enum ScreenSizeLimits {
    static let width = 50...1000
    static let height = 12...500

    static func validate(width w: Int, height h: Int) throws {
        guard width.contains(w), height.contains(h) else {
            throw CLIError("--width must be \(width.lowerBound)–\(width.upperBound) and --height \(height.lowerBound)–\(height.upperBound) "
                                  + "(got \(w)×\(h))")
        }
    }
}

/// Stops the fuzzer with `message` when `condition` is false. Unlike `precondition`, whose message an
/// optimized build drops, `fatalError` prints it, so the log says which property failed.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

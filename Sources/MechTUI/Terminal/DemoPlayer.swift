/// Plays a `DemoScript` into a runtime, one step at a time, through `runtime.send(.key(…))`, the
/// path real keys take. A step waits until the previous one's compute has arrived, so a demo
/// shows the same frames on every machine, only sooner or later.
public final class DemoPlayer {
    public let script: DemoScript
    /// Seconds between keys; typed text and command lines go at a tenth of it.
    public let pace: Double
    /// Show each key pressed in the status line.
    public let captions: Bool
    public private(set) var index = 0
    public private(set) var paused = false
    private var nextAt = 0.0

    public init(script: DemoScript, pace: Double, captions: Bool) {
        self.script = script
        self.pace = max(0, pace)
        self.captions = captions
    }

    public var finished: Bool { index >= script.steps.count }

    /// Any key pauses or resumes.
    public func togglePause(now: Double) {
        paused.toggle()
        if !paused { nextAt = now }
    }

    /// Takes the next step if it is due and the runtime is idle; returns whether it did.
    @discardableResult
    public func advance(_ runtime: ExplorerRuntime, now: Double) -> Bool {
        guard !paused, !finished, now >= nextAt, !runtime.isComputing else { return false }
        let step = script.steps[index]
        index += 1
        switch step {
        case .key(let key), .typed(let key):
            runtime.send(.key(key))
            if captions, runtime.state.message == nil { runtime.notify(StatusMessage("▶ key \(key.label)")) }
            if case .typed = step { nextAt = now + pace / 10 } else { nextAt = now + pace }
        case .wait(let seconds):
            nextAt = now + seconds
        case .caption(let text):
            runtime.notify(StatusMessage(text))
            nextAt = now + pace
        }
        return true
    }
}

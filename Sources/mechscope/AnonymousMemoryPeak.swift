import Foundation

/// The largest anonymous resident memory (RssAnon: heap and other private memory, not the mapped
/// weight files) seen while it runs, read from /proc/self/status by a background thread every
/// `interval`. Linux keeps a peak only for all resident memory (VmHWM), which counts every mapped
/// page of the weights a pass touched; this is the figure that says how much memory Mechscope itself
/// holds. A sampled peak can miss a spike shorter than the interval.
final class AnonymousMemoryPeak: @unchecked Sendable {
    let interval: Double
    private let lock = NSLock()
    private var peak = 0
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(interval: Double = 0.002) {
        self.interval = interval
        let thread = Thread { [self] in
            while true {
                let sample = ProcessMemory.current().anonymous
                lock.lock()
                peak = max(peak, sample)
                let keepGoing = running
                lock.unlock()
                guard keepGoing else { break }
                Thread.sleep(forTimeInterval: interval)
            }
            done.signal()
        }
        thread.start()
    }

    /// Stops sampling (after one last sample) and returns the peak in bytes.
    func stop() -> Int {
        lock.lock()
        running = false
        lock.unlock()
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return peak
    }
}
